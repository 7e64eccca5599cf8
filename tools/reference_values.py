#!/usr/bin/env python3
"""Recomputes the reference values of docs/theory.md §8.1 and §8.3 outside the engine, in
high-precision arithmetic (mpmath), so that their provenance can be checked. Not part of the build:
run it by hand (needs mpmath, Debian package python3-mpmath); it prints each value to 16 digits
beside the one docs/theory.md gives and the relative difference.

    python3 tools/reference_values.py

Method: one-dimensional Gaussian averages <f(z)>_K by mpmath.quad over (-inf, 0] and [0, inf)
(split at 0, where ReLU-type activations have their kink) at 30 digits; chi_par by the
derivative-free form C_W <sigma^2 (z^2 - K)>/(2K^2) (docs/theory.md §3.1); the single-input
recursions K' = C_b + C_W <sigma^2>, V' = C_W^2 (<sigma^4> - <sigma^2>^2) + chi_par^2 V,
K1' = chi_par K1 + (C_W/8) <sigma^2 (z^4 - 6Kz^2 + 3K^2)> V / K^4 (§5.2, §5.3) at equal widths.
"""
import mpmath as mp

mp.mp.dps = 30

def avg(f, K):
    s = mp.sqrt(K)
    g = lambda u: f(s * u) * mp.exp(-u * u / 2) / mp.sqrt(2 * mp.pi)
    return mp.quad(g, [-mp.inf, 0]) + mp.quad(g, [0, mp.inf])

ACT = {
    "linear": (lambda z: z, lambda z: 1),
    "relu": (lambda z: max(z, 0), lambda z: 1 if z > 0 else 0),
    "tanh": (mp.tanh, lambda z: 1 / mp.cosh(z) ** 2),
    "sigmoid": (lambda z: 1 / (1 + mp.exp(-z)), lambda z: mp.exp(-z) / (1 + mp.exp(-z)) ** 2),
    "swish": (lambda z: z / (1 + mp.exp(-z)),
              lambda z: 1 / (1 + mp.exp(-z)) + z * mp.exp(-z) / (1 + mp.exp(-z)) ** 2),
    "gelu": (lambda z: z * mp.ncdf(z), lambda z: mp.ncdf(z) + z * mp.npdf(z)),
    "RePU p=2": (lambda z: max(z, 0) ** 2, lambda z: 2 * max(z, 0)),
}

TABLE_81 = {  # docs/theory.md §8.1: <sigma^2>, chi_par/C_W, chi_perp/C_W, <sigma^4> at K = 1
    "linear": ("1", "1", "1", "3"),
    "relu": ("0.5", "0.5", "0.5", "1.5"),
    "tanh": ("0.394294490397841", "0.181797688140487", "0.464402902448268", "0.252991883243951"),
    "sigmoid": ("0.293379035858093", "0.0311982419796296", "0.0448362413501944", "0.13159431306638"),
    "swish": ("0.355775519817352", "0.417180259131719", "0.379482351632829", "0.919164411255855"),
    "gelu": ("0.425221482570299", "0.486480248728276", "0.455850865649287", "1.30467909721713"),
    "RePU p=2": ("1.5", "3", "2", "52.5"),
}

TABLE_83 = {  # docs/theory.md §8.3: tanh, C_b = 0, C_W = 1, K^(1) = 1: layer -> (K, V, K1)
    2: ("0.394294490397841", "0.0975237380858573", "0"),
    3: ("0.236450410499296", "0.0678074938920956", "-0.0309325198661463"),
    4: ("0.166656353801939", "0.0501465964673039", "-0.0526824673413114"),
    5: ("0.127904735299415", "0.0393984430357428", "-0.0682253713604792"),
    10: ("0.0580118478402229", "0.0185887275859484", "-0.107133750309087"),
}

def single(name, K):
    s, d = ACT[name]
    s2 = avg(lambda z: s(z) ** 2, K)
    s4 = avg(lambda z: s(z) ** 4, K)
    chi_par = avg(lambda z: s(z) ** 2 * (z * z - K), K) / (2 * K * K)
    chi_perp = avg(lambda z: d(z) ** 2, K)
    src = avg(lambda z: s(z) ** 2 * (z ** 4 - 6 * K * z * z + 3 * K * K), K) / K ** 4
    return s2, chi_par, chi_perp, s4, src

def show(label, computed, printed):
    p = mp.mpf(printed)
    rel = abs(computed - p) / abs(p) if p != 0 else abs(computed)
    print(f"  {label:28s} {mp.nstr(computed, 16):>24s}   docs {printed:>22s}   rel. diff {mp.nstr(rel, 2)}")

print("§8.1: single-input averages at K = 1")
for name, printed in TABLE_81.items():
    vals = single(name, mp.mpf(1))[:4]
    for label, v, p in zip(("<sigma^2>", "chi_par/C_W", "chi_perp/C_W", "<sigma^4>"), vals, printed):
        show(f"{name} {label}", v, p)

print("§8.3: tanh at criticality (C_b = 0, C_W = 1, K^(1) = 1), equal widths")
K, V, K1 = mp.mpf(1), mp.mpf(0), mp.mpf(0)
for layer in range(1, 11):
    if layer in TABLE_83:
        for label, v, p in zip(("K", "V", "K1"), (K, V, K1), TABLE_83[layer]):
            show(f"layer {layer} {label}", v, p)
    s2, chi_par, _, s4, src = single("tanh", K)
    K, V, K1 = s2, (s4 - s2 ** 2) + chi_par ** 2 * V, chi_par * K1 + src * V / 8
