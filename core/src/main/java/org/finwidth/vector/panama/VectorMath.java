package org.finwidth.vector.panama;

import static org.finwidth.vector.panama.FloatActivationKernels.ATANH_Q0;
import static org.finwidth.vector.panama.FloatActivationKernels.ATANH_Q1;
import static org.finwidth.vector.panama.FloatActivationKernels.ATANH_Q2;
import static org.finwidth.vector.panama.FloatActivationKernels.ATANH_Q3;
import static org.finwidth.vector.panama.FloatActivationKernels.ATANH_Q4;
import static org.finwidth.vector.panama.FloatActivationKernels.ATAN_Q0;
import static org.finwidth.vector.panama.FloatActivationKernels.ATAN_Q1;
import static org.finwidth.vector.panama.FloatActivationKernels.ATAN_Q2;
import static org.finwidth.vector.panama.FloatActivationKernels.ATAN_Q3;
import static org.finwidth.vector.panama.FloatActivationKernels.ATAN_Q4;
import static org.finwidth.vector.panama.FloatActivationKernels.ATAN_Q5;
import static org.finwidth.vector.panama.FloatActivationKernels.ATAN_Q6;
import static org.finwidth.vector.panama.FloatActivationKernels.ATAN_Q7;
import static org.finwidth.vector.panama.FloatActivationKernels.ATAN_Q8;
import static org.finwidth.vector.panama.FloatActivationKernels.ATAN_Q9;
import static org.finwidth.vector.panama.FloatActivationKernels.ERFCX_R0;
import static org.finwidth.vector.panama.FloatActivationKernels.ERFCX_R1;
import static org.finwidth.vector.panama.FloatActivationKernels.ERFCX_R2;
import static org.finwidth.vector.panama.FloatActivationKernels.ERFCX_R3;
import static org.finwidth.vector.panama.FloatActivationKernels.ERFCX_R4;
import static org.finwidth.vector.panama.FloatActivationKernels.ERFCX_R5;
import static org.finwidth.vector.panama.FloatActivationKernels.ERFCX_R6;
import static org.finwidth.vector.panama.FloatActivationKernels.ERFCX_R7;
import static org.finwidth.vector.panama.FloatActivationKernels.ERFCX_R8;
import static org.finwidth.vector.panama.FloatActivationKernels.ERFCX_R9;
import static org.finwidth.vector.panama.FloatActivationKernels.ERF_P0;
import static org.finwidth.vector.panama.FloatActivationKernels.ERF_P1;
import static org.finwidth.vector.panama.FloatActivationKernels.ERF_P2;
import static org.finwidth.vector.panama.FloatActivationKernels.ERF_P3;
import static org.finwidth.vector.panama.FloatActivationKernels.ERF_P4;
import static org.finwidth.vector.panama.FloatActivationKernels.ERF_P5;
import static org.finwidth.vector.panama.FloatActivationKernels.ERF_SMALL;
import static org.finwidth.vector.panama.FloatActivationKernels.EXP_C2;
import static org.finwidth.vector.panama.FloatActivationKernels.EXP_C3;
import static org.finwidth.vector.panama.FloatActivationKernels.EXP_C4;
import static org.finwidth.vector.panama.FloatActivationKernels.EXP_C5;
import static org.finwidth.vector.panama.FloatActivationKernels.EXP_C6;
import static org.finwidth.vector.panama.FloatActivationKernels.EXP_MAGIC;
import static org.finwidth.vector.panama.FloatActivationKernels.EXP_MIN;
import static org.finwidth.vector.panama.FloatActivationKernels.EXP_Q0;
import static org.finwidth.vector.panama.FloatActivationKernels.EXP_Q1;
import static org.finwidth.vector.panama.FloatActivationKernels.EXP_Q2;
import static org.finwidth.vector.panama.FloatActivationKernels.EXP_Q3;
import static org.finwidth.vector.panama.FloatActivationKernels.EXP_Q4;
import static org.finwidth.vector.panama.FloatActivationKernels.EXP_Q5;
import static org.finwidth.vector.panama.FloatActivationKernels.INV_PI;
import static org.finwidth.vector.panama.FloatActivationKernels.LN2_HI;
import static org.finwidth.vector.panama.FloatActivationKernels.LN2_LO;
import static org.finwidth.vector.panama.FloatActivationKernels.LOG2E;
import static org.finwidth.vector.panama.FloatActivationKernels.MAGIC;
import static org.finwidth.vector.panama.FloatActivationKernels.PI_A;
import static org.finwidth.vector.panama.FloatActivationKernels.PI_B;
import static org.finwidth.vector.panama.FloatActivationKernels.PI_C;
import static org.finwidth.vector.panama.FloatActivationKernels.SIN_Q0;
import static org.finwidth.vector.panama.FloatActivationKernels.SIN_Q1;
import static org.finwidth.vector.panama.FloatActivationKernels.SIN_Q2;
import static org.finwidth.vector.panama.FloatActivationKernels.SIN_Q3;
import static org.finwidth.vector.panama.FloatActivationKernels.SIN_Q4;
import static org.finwidth.vector.panama.FloatActivationKernels.TWO_OVER_SQRT_PI;

import org.finwidth.vector.panama.VectorAsm.I;
import org.finwidth.vector.panama.VectorAsm.M;
import org.finwidth.vector.panama.VectorAsm.V;

/**
 * The float building blocks of compiled formulas, emitted in place through {@link VectorAsm}: the
 * same polynomials and reductions as the catalogue's kernels (core/src/codegen's template and its
 * constants), so that {@code expr:tanh(z)} runs the catalogue's tanh instruction for instruction.
 * Each returns a fresh value; NaN in gives NaN out.
 */
final class VectorMath {
  /** ln(Float.MAX_VALUE): e^x overflows to +∞ above it. */
  static final float EXP_MAX = 88.72284f;
  private static final float PIO2_HI = 1.5707963705062866f;
  private static final float PIO2_LO = -4.371139000186241e-8f;
  /** e^64/2 rounded to float. */
  private static final float HALF_EXP_64 = (float) (Math.exp(64) / 2);
  private static final float SQRT2 = 1.4142135f;

  private final VectorAsm a;

  VectorMath(VectorAsm a) {
    this.a = a;
  }

  private V horner(V x, float... c) {
    // c[0] + x (c[1] + x (c[2] + ...)), highest coefficient last
    int n = c.length;
    V p = a.fma(x, c[n - 1], c[n - 2]);
    for (int k = n - 3; k >= 0; k--) {
      p = a.fma(p, x, a.bc(c[k]));
    }
    return p;
  }

  private V expReduced(V r) {
    V p = horner(r, 1f, 1f, EXP_C2, EXP_C3, EXP_C4, EXP_C5, EXP_C6);
    return p;
  }

  private V expNegReduced(V r) {
    return horner(r, 1f, -1f, EXP_C2, -EXP_C3, EXP_C4, -EXP_C5, EXP_C6);
  }

  /** e^r − 1 for |r| ≤ ln2/2. */
  private V expm1Reduced(V r) {
    V q = horner(r, EXP_Q0, EXP_Q1, EXP_Q2, EXP_Q3, EXP_Q4, EXP_Q5);
    return a.fma(a.mul(r, r), q, r);
  }

  private V pow2(V t) {
    return a.floats(a.shl(a.ints(t), 23));
  }

  /**
   * e^x: 0 below about −87.7 (flushed, |error| &lt; 1.2e-38), +∞ above ln(MAX_VALUE); between 88
   * and 88.72 the scale 2^k is split (2^(k−1)·2) so that it does not overflow early.
   */
  V exp(V x) {
    V h = a.atMost(a.atLeast(x, EXP_MIN), 88.75f);
    V t = a.fma(h, LOG2E, EXP_MAGIC);
    V k = a.sub(t, EXP_MAGIC);
    V r = a.fma(k, a.bc(-LN2_HI), h);
    r = a.fma(k, a.bc(-LN2_LO), r);
    V p = expReduced(r);
    V small = a.mul(p, pow2(t));
    V big = a.mul(a.mul(p, pow2(a.sub(t, 1f))), 2f);
    V e = a.blend(small, big, a.cmp(x, "GT", 88f));
    return a.blend(e, Float.POSITIVE_INFINITY, a.cmp(x, "GT", EXP_MAX));
  }

  /** e^x − 1 with relative accuracy near 0: 2^k p + (2^k − 1), e^r − 1 = p. */
  V expm1(V x) {
    V h = a.atMost(a.atLeast(x, EXP_MIN), 80f);
    V t = a.fma(h, LOG2E, EXP_MAGIC);
    V k = a.sub(t, EXP_MAGIC);
    V r = a.fma(k, a.bc(-LN2_HI), h);
    r = a.fma(k, a.bc(-LN2_LO), r);
    V p = expm1Reduced(r);
    V s = pow2(t);
    V m = a.fma(s, p, a.sub(s, 1f));
    return a.blend(m, exp(x), a.cmp(x, "GT", 80f));
  }

  /**
   * ln x = e ln2 + 2 atanh((m−1)/(m+1)), x = 2^e m, m in [√½, √2) (the catalogue's atanh
   * polynomial, |s| ≤ 0.172); subnormal x are scaled by 2^24 first. ln 0 = −∞, ln(x &lt; 0) = NaN.
   */
  V log(V x) {
    M tiny = a.cmp(x, "LT", Float.MIN_NORMAL);
    V xs = a.blend(x, a.mul(x, 16777216f), tiny);
    I bits = a.ints(xs);
    V m = a.floats(a.or(a.and(bits, 0x007FFFFF), 0x3F800000));
    M big = a.cmp(m, "GT", SQRT2);
    m = a.blend(m, a.mul(m, 0.5f), big);
    V e = a.sub(a.toFloat(a.shr(bits, 23)), 127f);
    e = a.blend(e, a.add(e, 1f), big);
    e = a.blend(e, a.sub(e, 24f), tiny);
    V s = a.div(a.sub(m, 1f), a.add(m, 1f));
    V s2 = a.mul(s, s);
    V q = horner(s2, ATANH_Q0, ATANH_Q1, ATANH_Q2, ATANH_Q3, ATANH_Q4);
    V s2x = a.add(s, s);
    V lnm = a.fma(a.mul(s2, s2x), q, s2x);
    V res = a.fma(e, a.bc(LN2_HI), a.fma(e, a.bc(LN2_LO), lnm));
    res = a.blend(res, x, a.not(a.test(x, "IS_FINITE")));
    res = a.blend(res, Float.NaN, a.cmp(x, "LT", 0f));
    return a.blend(res, Float.NEGATIVE_INFINITY, a.cmp(x, "EQ", 0f));
  }

  /** ln(1 + x) = ln(u)·x/(u − 1) with u = 1 + x rounded (exact where u = 1: x). */
  V log1p(V x) {
    V u = a.add(x, 1f);
    V d = a.sub(u, 1f);
    V r = a.mul(log(u), a.div(x, d));
    r = a.blend(r, x, a.cmp(d, "EQ", 0f));
    return a.blend(r, Float.POSITIVE_INFINITY, a.cmp(x, "EQ", Float.POSITIVE_INFINITY));
  }

  /** The catalogue's tanh: −e/(2+e), e = expm1(−2x), x clamped to [−10, 10]. */
  V tanh(V x) {
    V y = a.mul(a.atMost(a.atLeast(x, -10f), 10f), -2f);
    V t = a.fma(y, LOG2E, EXP_MAGIC);
    V k = a.sub(t, EXP_MAGIC);
    V r = a.fma(k, a.bc(-LN2_HI), y);
    r = a.fma(k, a.bc(-LN2_LO), r);
    V p = expm1Reduced(r);
    V s = pow2(t);
    V ne = a.fma(a.neg(s), p, a.sub(a.bc(1f), s));
    return a.div(ne, a.sub(a.bc(2f), ne));
  }

  /** sech² x = 4t/(1+t)², t = e^{−2|x|}. */
  V sech2(V x) {
    V v = a.negAbs(x);
    V t = exp(a.add(v, v));
    V d = a.add(t, 1f);
    return a.div(a.mul(t, 4f), a.mul(d, d));
  }

  /** The catalogue's logistic: t = e^{−|x|}; 1/(1+t) for x ≥ 0, t/(1+t) below. */
  V sigmoid(V x) {
    V t = exp(a.negAbs(x));
    V d = a.add(t, 1f);
    return a.div(a.blend(t, 1f, a.cmp(x, "GE", 0f)), d);
  }

  /** s(1−s) = t/(1+t)², t = e^{−|x|}. */
  V sigmoidDerivative(V x) {
    V t = exp(a.negAbs(x));
    V d = a.add(t, 1f);
    return a.div(t, a.mul(d, d));
  }

  /** The catalogue's softplus: max(x, 0) + log1p(e^{−|x|}) by the atanh polynomial. */
  V softplus(V x) {
    V t = exp(a.negAbs(x));
    V s = a.div(t, a.add(t, 2f));
    V s2 = a.mul(s, s);
    V q = horner(s2, ATANH_Q0, ATANH_Q1, ATANH_Q2, ATANH_Q3, ATANH_Q4);
    V s2x = a.mul(s, 2f);
    V l = a.fma(a.mul(s2, s2x), q, s2x);
    return a.add(a.atLeast(x, 0f), l);
  }

  /** The catalogue's sin (cos = false) or cos (cos = true), for |x| &lt; 2^22. */
  V sin(V x, boolean cos) {
    V t;
    V k;
    if (cos) {
      t = a.add(a.fma(x, INV_PI, -0.5f), MAGIC);
      k = a.add(a.sub(t, MAGIC), 0.5f);
    } else {
      t = a.fma(x, INV_PI, MAGIC);
      k = a.sub(t, MAGIC);
    }
    V r = a.fma(k, a.bc(-PI_A), x);
    r = a.fma(k, a.bc(-PI_B), r);
    r = a.fma(k, a.bc(-PI_C), r);
    V r2 = a.mul(r, r);
    V q = horner(r2, SIN_Q0, SIN_Q1, SIN_Q2, SIN_Q3, SIN_Q4);
    V s = a.fma(a.mul(r2, r), q, r);
    I odd = a.shl(a.ints(t), 31);
    if (cos) {
      odd = a.xor(odd, 0x80000000);
    }
    return a.floats(a.xor(a.ints(s), odd));
  }

  /** atan: t = min(|x|, 1/|x|), the catalogue's polynomial on [0, 1], π/2 − p for |x| &gt; 1, sign of x. */
  V atan(V x) {
    V ax = a.abs(x);
    M inv = a.cmp(ax, "GT", 1f);
    V t = a.blend(ax, a.div(a.bc(1f), ax), inv);
    V t2 = a.mul(t, t);
    V q = horner(t2, ATAN_Q0, ATAN_Q1, ATAN_Q2, ATAN_Q3, ATAN_Q4, ATAN_Q5, ATAN_Q6, ATAN_Q7,
        ATAN_Q8, ATAN_Q9);
    V p = a.fma(a.mul(t2, t), q, t);
    V far = a.add(a.sub(a.bc(PIO2_HI), p), PIO2_LO);
    V r = a.blend(p, far, inv);
    return a.floats(a.xor(a.ints(r), a.and(a.ints(x), 0x80000000)));
  }

  /**
   * e^{−x²} with x² never rounded on its own: k = round(−x² log2e), −x² + k ln2 by FMAs, then
   * the negated exp polynomial (the catalogue's gelu/erf reduction); 0 for |x| &gt; 9.37.
   */
  V expMinusSquare(V x) {
    V xc = a.atMost(a.atLeast(x, -9.37f), 9.37f);
    V te = a.fma(a.mul(xc, xc), -LOG2E, EXP_MAGIC);
    V ke = a.sub(te, EXP_MAGIC);
    V re = a.fma(xc, xc, a.mul(ke, LN2_HI));
    re = a.add(re, a.mul(ke, LN2_LO));
    V e = a.mul(expNegReduced(re), pow2(te));
    return a.blend(e, 0f, a.cmp(a.abs(x), "GT", 9.37f));
  }

  /** erfcx(w)/2 from t = 1/(1 + w/2). */
  private V halfErfcx(V t) {
    return horner(t, ERFCX_R0, ERFCX_R1, ERFCX_R2, ERFCX_R3, ERFCX_R4, ERFCX_R5, ERFCX_R6,
        ERFCX_R7, ERFCX_R8, ERFCX_R9);
  }

  /** ½ erfc(|x|) = e^{−x²} erfcx(|x|)/2 for |x| ≤ 9.37 (the catalogue's fit). */
  private V halfErfcAbs(V x) {
    V w = a.atMost(a.abs(x), 9.37f);
    return a.mul(expMinusSquare(w), halfErfcx(a.div(a.bc(1f), a.fma(w, 0.5f, 1f))));
  }

  /** The catalogue's erf: x P(x²) for |x| &lt; 0.6, else ±(1 − erfc|x|). */
  V erf(V x) {
    V big = a.fma(halfErfcAbs(x), -2f, 1f);
    big = a.floats(a.xor(a.ints(big), a.and(a.ints(x), 0x80000000)));
    V sh = a.mul(x, x);
    V p = horner(sh, ERF_P0, ERF_P1, ERF_P2, ERF_P3, ERF_P4, ERF_P5);
    V small = a.mul(x, p);
    return a.blend(big, small, a.cmp(a.abs(x), "LT", ERF_SMALL));
  }

  /** erfc x = 2·(½erfc|x|) for x ≥ 0, 2 − that for x &lt; 0; |error| ≤ 7e-41 beyond |x| = 9.37. */
  V erfc(V x) {
    V h = a.mul(halfErfcAbs(x), 2f);
    return a.blend(h, a.sub(a.bc(2f), h), a.cmp(x, "LT", 0f));
  }

  /** (2/√π) e^{−x²}. */
  V erfDerivative(V x) {
    return a.mul(expMinusSquare(x), TWO_OVER_SQRT_PI);
  }

  /**
   * e^{|x|}/2 for |x| &gt; 20, where sinh and cosh equal it in float: the exact half of exp up to
   * ln(MAX_VALUE), above it e^{|x| − 64}·(e^64/2) (|x| − 64 is exact there, Sterbenz), where e^{|x|}
   * overflows but its half does not.
   */
  private V halfExp(V ax) {
    return a.blend(a.mul(exp(ax), 0.5f), a.mul(exp(a.sub(ax, 64f)), HALF_EXP_64),
        a.cmp(ax, "GT", EXP_MAX));
  }

  /** sinh x = (e + e/(e+1))/2, e = expm1|x|, sign of x; e^{|x|}/2 beyond |x| = 20. */
  V sinh(V x) {
    V ax = a.abs(x);
    V e = expm1(ax);
    V s = a.mul(a.add(e, a.div(e, a.add(e, 1f))), 0.5f);
    s = a.blend(s, halfExp(ax), a.cmp(ax, "GT", 20f));
    return a.floats(a.xor(a.ints(s), a.and(a.ints(x), 0x80000000)));
  }

  /** cosh x = (e + 1/e)/2, e = e^{|x|}; e^{|x|}/2 beyond |x| = 20. */
  V cosh(V x) {
    V ax = a.abs(x);
    V e = exp(ax);
    V c = a.mul(a.add(e, a.div(a.bc(1f), e)), 0.5f);
    return a.blend(c, halfExp(ax), a.cmp(ax, "GT", 20f));
  }
}
