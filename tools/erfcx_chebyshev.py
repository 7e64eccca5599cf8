#!/usr/bin/env python3
"""Generates the Chebyshev coefficients of erfcx(x) = exp(x^2) erfc(x) used by
org.finwidth.activation.SpecialFunctions (core). Not part of the build: run it by hand
(needs mpmath) and paste the printed Java arrays if the intervals change.

    python3 tools/erfcx_chebyshev.py 0.5,1,1.5,2,3,4,6,9,14,20,27.5

For each interval [a, b] it interpolates erfcx at Chebyshev-Gauss nodes in 50-digit
arithmetic, raises the degree until the last two coefficients fall below 2e-18 of the
first, then evaluates the rounded (double) coefficients with Clenshaw's recurrence in
IEEE double at 3000 random points and prints the worst relative error against mpmath.
"""
import mpmath as mp, random, math
mp.mp.dps = 50
def erfcx(x): return mp.exp(x*x)*mp.erfc(x)
def cheb_coeffs(f, a, b, n):
    # Chebyshev interpolation coefficients at n+1 Chebyshev-Gauss nodes
    N = n+1
    xs = [mp.cos(mp.pi*(k+mp.mpf(1)/2)/N) for k in range(N)]
    fs = [f((b-a)/2*t + (a+b)/2) for t in xs]
    c = []
    for j in range(N):
        s = mp.fsum(fs[k]*mp.cos(mp.pi*j*(k+mp.mpf(1)/2)/N) for k in range(N))
        c.append(2*s/N)
    c[0] /= 2
    return c
def clenshaw(c, t):
    b1 = 0.0; b2 = 0.0
    for k in range(len(c)-1, 0, -1):
        b1, b2 = 2*t*b1 - b2 + c[k], b1
    return t*b1 - b2 + c[0]
def fit(f, a, b, tol=2e-18):
    for n in range(4, 60):
        c = cheb_coeffs(f, a, b, n)
        if abs(c[-1]) < tol*abs(c[0]) and abs(c[-2]) < tol*abs(c[0]):
            return c
    raise Exception
import sys
intervals = [float(s) for s in sys.argv[1].split(',')]
random.seed(1)
for a, b in zip(intervals[:-1], intervals[1:]):
    c = fit(erfcx, mp.mpf(a), mp.mpf(b))
    cf = [float(v) for v in c]
    worst = 0
    for i in range(3000):
        x = random.uniform(a, b)
        t = (2*x - a - b)/(b - a)
        v = clenshaw(cf, t)
        ref = erfcx(mp.mpf(x))
        worst = max(worst, abs(v - ref)/ref)
    print(a, b, len(c), float(worst))

print("// ---- java ----")
print("  private static final double[] ERFCX_BREAKS = {" + ", ".join(repr(float(v)) for v in intervals) + "};")
print("  private static final double[][] ERFCX_CHEB = {")
for a, b in zip(intervals[:-1], intervals[1:]):
    c = fit(erfcx, mp.mpf(a), mp.mpf(b))
    print("    { // [%s, %s]" % (a, b))
    vals = [repr(float(v)) for v in c]
    for i in range(0, len(vals), 3):
        print("      " + ", ".join(vals[i:i+3]) + ",")
    print("    },")
print("  };")
