#!/usr/bin/env python3
"""Computes the nodes and weights of the (n, 2n+1) Gauss-Kronrod rule on [-1, 1] used by
org.finwidth.gauss.GaussKronrod (core). Not part of the build: run by hand (needs mpmath).

    python3 tools/gauss_kronrod.py 10

Method: the Kronrod extension polynomial E(x) (monic, degree n+1) satisfies
int_{-1}^{1} E(x) P_n(x) x^k dx = 0 for k = 0..n; with exact rational moments this is a
linear system solved in exact arithmetic (fractions). Its roots (mpmath polyroots, 120
digits) are the new nodes; the Gauss nodes are the roots of P_n. The Kronrod weights make the
rule exact on x^0..x^(2n); the Gauss weights are 2/((1-x^2) P_n'(x)^2). The script checks
exactness to degree 3n+1 (Kronrod) and 2n-1 (Gauss) and prints Java arrays.
"""
import sys
from fractions import Fraction as F
import mpmath as mp

mp.mp.dps = 120
n = int(sys.argv[1]) if len(sys.argv) > 1 else 10

def legendre_coeffs(n):
    p0, p1 = [F(1)], [F(0), F(1)]
    if n == 0:
        return p0
    for k in range(1, n):
        # (k+1) P_{k+1} = (2k+1) x P_k - k P_{k-1}
        nxt = [F(0)] * (k + 2)
        for i, c in enumerate(p1):
            nxt[i + 1] += F(2 * k + 1, k + 1) * c
        for i, c in enumerate(p0):
            nxt[i] -= F(k, k + 1) * c
        p0, p1 = p1, nxt
    return p1

def moment(i):
    return F(0) if i % 2 else F(2, i + 1)

P = legendre_coeffs(n)
def int_poly_times_xk(poly, k):
    return sum(c * moment(i + k) for i, c in enumerate(poly))

# unknowns c_0..c_n of E = x^(n+1) + sum c_j x^j
A = [[None] * (n + 1) for _ in range(n + 1)]
rhs = [None] * (n + 1)
for k in range(n + 1):
    for j in range(n + 1):
        A[k][j] = sum(c * moment(i + j + k) for i, c in enumerate(P))
    rhs[k] = -sum(c * moment(i + n + 1 + k) for i, c in enumerate(P))
# Gaussian elimination in exact arithmetic (with pivoting on nonzero)
m = n + 1
M = [row[:] + [rhs[i]] for i, row in enumerate(A)]
for col in range(m):
    piv = next(r for r in range(col, m) if M[r][col] != 0)
    M[col], M[piv] = M[piv], M[col]
    for r in range(m):
        if r != col and M[r][col] != 0:
            f = M[r][col] / M[col][col]
            M[r] = [a - f * b for a, b in zip(M[r], M[col])]
c = [M[i][m] / M[i][i] for i in range(m)]
E = c + [F(1)]
roots_e = mp.polyroots([mp.mpf(x.numerator) / x.denominator for x in reversed(E)], maxsteps=500, extraprec=800)
roots_p = mp.polyroots([mp.mpf(x.numerator) / x.denominator for x in reversed(P)], maxsteps=500, extraprec=800)
roots_e = sorted(mp.re(r) for r in roots_e)
roots_p = sorted(mp.re(r) for r in roots_p)
nodes = sorted(roots_e + roots_p)
N = len(nodes)
# Kronrod weights: exact on x^0..x^(N-1)
V = mp.matrix(N, N)
b = mp.matrix(N, 1)
for i in range(N):
    for j in range(N):
        V[i, j] = nodes[j] ** i
    b[i] = mp.mpf(moment(i).numerator) / moment(i).denominator
wk = mp.lu_solve(V, b)
def dP(x):
    return sum(i * c * x ** (i - 1) for i, c in enumerate([mp.mpf(q.numerator) / q.denominator for q in P]) if i > 0)
wg = [2 / ((1 - x * x) * dP(x) ** 2) for x in roots_p]
# checks
for deg in range(3 * n + 2):
    exact = mp.mpf(moment(deg).numerator) / moment(deg).denominator
    k = mp.fsum(wk[j] * nodes[j] ** deg for j in range(N))
    assert abs(k - exact) < mp.mpf(10) ** -100, (deg, k, exact)
    if deg < 2 * n:
        g = mp.fsum(wg[j] * roots_p[j] ** deg for j in range(n))
        assert abs(g - exact) < mp.mpf(10) ** -100, deg
print("// Gauss-Kronrod (%d, %d): nodes x >= 0 descending; Gauss nodes at odd indices" % (n, 2 * n + 1))
pos = [(x, wk[j]) for j, x in enumerate(nodes) if x >= -mp.mpf(10) ** -100]
pos.sort(key=lambda t: -t[0])
print("  private static final double[] XK = {")
for x, w in pos:
    print("    %s," % mp.nstr(abs(x) if abs(x) > 1e-100 else mp.mpf(0), 20, min_fixed=-1, max_fixed=1))
print("  };")
print("  private static final double[] WK = {")
for x, w in pos:
    print("    %s," % mp.nstr(w, 20))
print("  };")
gpos = sorted([(x, w) for x, w in zip(roots_p, wg) if x > 0], key=lambda t: -t[0])
print("  private static final double[] WG = {  // weights of the Gauss nodes XK[1], XK[3], ...")
for x, w in gpos:
    print("    %s," % mp.nstr(w, 20))
print("  };")
