package org.finwidth.vector.panama;

import static jdk.incubator.vector.VectorOperators.GE;
import static jdk.incubator.vector.VectorOperators.GT;
import static jdk.incubator.vector.VectorOperators.I2F;
import static jdk.incubator.vector.VectorOperators.IS_FINITE;
import static jdk.incubator.vector.VectorOperators.LSHL;
import static jdk.incubator.vector.VectorOperators.LSHR;
import static jdk.incubator.vector.VectorOperators.LE;
import static jdk.incubator.vector.VectorOperators.LT;
import static jdk.incubator.vector.VectorOperators.D2F;
import static jdk.incubator.vector.VectorOperators.EXP;
import static jdk.incubator.vector.VectorOperators.F2D;
import static jdk.incubator.vector.VectorOperators.LOG;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorSpecies;

/**
 * Float activation kernels on the species of {@link VectorShapes} (the preferred one unless a width
 * is forced): {@code out[oo+i] = f(z[zo+i])} for
 * {@code 0 <= i < n}. Every kernel is a vector loop over full vectors and one masked vector for the
 * tail, so an input value gives the same output wherever it sits in the array. In place
 * ({@code z == out, zo == oo}) is allowed. Arguments are checked by the caller
 * ({@link PanamaActivationKernels}); here only {@code assert}s.
 *
 * <p>Accuracy target (tested in {@code ActivationKernelsTest}): |f - σ| ≤ max(1e-6·|σ|, 1e-7)
 * against the double activation at the float input. Temperatures enter as {@code u = z/T} computed
 * as an unevaluated float pair {@code uh + ul} (1/T split in two floats), because exp(u) amplifies
 * a relative error of u by |u|: a plain float product would cost up to |u|·6e-8 in the result.
 *
 * <p>Non-finite input: NaN gives NaN; ±∞ gives the activation's limit (sin, cos: NaN). The gated
 * forms z·g(z/T) clamp z before the gate and let a vanishing gate win over an infinite z (limit 0
 * at −∞, not ∞·0). Constants are broadcast inline and accumulators
 * are local (see docs/performance.md: static final vectors and non-constant species box).
 */
final class FloatActivationKernels {

  static final VectorSpecies<Float> F = VectorShapes.FLOAT;
  private static final int LANES = F.length();

  private FloatActivationKernels() {}

  // ---------------------------------------------------------------------------------------
  // Building blocks. In the template (core/src/codegen) they are small static methods; the
  // generator (org.finwidth.codegen.KernelFlattener) writes each call out in place, so that the
  // generated kernels call no helper of ours: C2 stops inlining our methods once a compilation
  // passes its node budget, and a helper it does not inline boxes its vectors (docs/performance.md).
  // The generated file keeps only bc and the helpers of the small kernels (ipow, repuV, mrepuV,
  // powRealExact), which stay far below the budget (JMH -prof gc: 0 B/op).
  // ---------------------------------------------------------------------------------------

  private static FloatVector bc(float v) {
    return FloatVector.broadcast(F, v);
  }

  // Round-to-nearest by adding 1.5*2^23: the low mantissa bits of (x + MAGIC) hold round(x) as a
  // two's-complement integer for |x| < 2^22 (the Vector API has no rint/floor).
  static final float MAGIC = 12582912f;

  // Cost model (AVX2, 8 lanes): every Vector API call below is one instruction except Java's
  // min/max on floats, which C2 must expand to five (three blends, max, an unordered compare) to
  // get Java's NaN and -0 rules. Clamps are therefore written as compare + blend (two instructions,
  // NaN stays NaN), and -|x| as one OR of the sign bit.
  static final int SIGN = 0x80000000;

  /** x with values below lo replaced by lo (NaN stays NaN). */
  private static FloatVector atLeast(FloatVector x, float lo) {
    return x.blend(lo, x.compare(LT, lo));
  }

  /** x with values above hi replaced by hi (NaN stays NaN). */
  private static FloatVector atMost(FloatVector x, float hi) {
    return x.blend(hi, x.compare(GT, hi));
  }

  /** -|x| (one OR of the sign bit). */
  private static FloatVector negAbs(FloatVector x) {
    return x.reinterpretAsInts().or(SIGN).reinterpretAsFloats();
  }

  // exp: x = k ln2 + r, |r| <= ln2/2. ln2 = LN2_HI + LN2_LO with LN2_HI = 355/512 (9 bits), so
  // k*LN2_HI is exact for |k| < 2^15 and x - k*LN2_HI is exact (Cody-Waite).
  // EXP_MAGIC = MAGIC + 127: t = x*log2e + EXP_MAGIC is an integer whose low bits hold k + 127, so
  // bits(t) << 23 is the float 2^k itself (MAGIC's own bits shift out): one instruction. For
  // x >= EXP_MIN, k >= -127, and k = -127 gives the bits of +0: e^x flushes to 0 below about -87.7
  // (|error| < 1.2e-38) with no compare. Callers keep x <= 88.
  static final float LOG2E = 1.4426950216293335f;
  static final float LN2_HI = 0.693359375f;
  static final float LN2_LO = -2.1219444170128554e-4f;
  static final float EXP_MAGIC = 12583039f;
  static final float EXP_MIN = -88f;
  // e^r = 1 + r + r^2 (C2 + C3 r + ... + C6 r^4) on |r| <= ln2/2: near-minimax, relative error
  // 3.1e-9 with the float coefficients (fitted in double by Lawson's iteration on 3000 Chebyshev
  // nodes against mpmath, rounded to float one coefficient at a time and the rest refitted).
  static final float EXP_C2 = 0.49999994f;
  static final float EXP_C3 = 0.16666521f;
  static final float EXP_C4 = 0.041668277f;
  static final float EXP_C5 = 0.008368687f;
  static final float EXP_C6 = 0.0013819826f;
  // (e^r - 1 - r)/r^2 on |r| <= ln2/2: near-minimax degree-5 fit, relative error 2.7e-9, so
  // e^r - 1 has relative error < 1e-9 before float rounding (tanh and gumbellu need e^r - 1 with
  // relative accuracy near r = 0).
  static final float EXP_Q0 = 0.5f;
  static final float EXP_Q1 = 0.1666666716337204f;
  static final float EXP_Q2 = 0.04166646674275398f;
  static final float EXP_Q3 = 0.008333360776305199f;
  static final float EXP_Q4 = 0.0013933642767369747f;
  static final float EXP_Q5 = 0.00019857811275869608f;

  /** e^r - 1 for |r| <= ln2/2, relative error < 1e-9 plus float rounding. */
  private static FloatVector expm1Reduced(FloatVector r) {
    FloatVector q = r.fma(EXP_Q5, EXP_Q4);
    q = q.fma(r, bc(EXP_Q3));
    q = q.fma(r, bc(EXP_Q2));
    q = q.fma(r, bc(EXP_Q1));
    q = q.fma(r, bc(EXP_Q0));
    return r.mul(r).fma(q, r);
  }

  /** e^r for |r| <= ln2/2 (six FMAs, Horner). */
  private static FloatVector expReduced(FloatVector r) {
    FloatVector p = r.fma(EXP_C6, EXP_C5);
    p = p.fma(r, bc(EXP_C4));
    p = p.fma(r, bc(EXP_C3));
    p = p.fma(r, bc(EXP_C2));
    p = p.fma(r, bc(1f));
    return p.fma(r, bc(1f));
  }

  /** e^-r for |r| <= ln2/2: expReduced with the odd coefficients negated (saves negating r). */
  private static FloatVector expNegReduced(FloatVector r) {
    FloatVector p = r.fma(EXP_C6, -EXP_C5);
    p = p.fma(r, bc(EXP_C4));
    p = p.fma(r, bc(-EXP_C3));
    p = p.fma(r, bc(EXP_C2));
    p = p.fma(r, bc(-1f));
    return p.fma(r, bc(1f));
  }

  /** 2^k as a float, from t = x*log2e + EXP_MAGIC (k in [-127, 127]; k = -127 gives 0). */
  private static FloatVector pow2(FloatVector t) {
    return t.reinterpretAsInts().lanewise(LSHL, 23).reinterpretAsFloats();
  }

  /** e^x for x <= 88; 0 below about -87.7. NaN in, NaN out (the scale multiplies). */
  private static FloatVector exp(FloatVector x) {
    FloatVector h = atLeast(x, EXP_MIN);
    FloatVector t = h.fma(LOG2E, EXP_MAGIC);
    FloatVector k = t.sub(EXP_MAGIC);
    FloatVector r = k.fma(bc(-LN2_HI), h);
    r = k.fma(bc(-LN2_LO), r);
    return expReduced(r).mul(pow2(t));
  }

  /**
   * e^(hi+lo) for hi <= 88 and |lo| <= ulp(hi) (lo carries the rounding error of hi);
   * 0 below about -87.7. NaN in, NaN out.
   */
  private static FloatVector expPair(FloatVector hi, FloatVector lo) {
    FloatVector h = atLeast(hi, EXP_MIN);
    FloatVector t = h.fma(LOG2E, EXP_MAGIC);
    FloatVector k = t.sub(EXP_MAGIC);
    FloatVector r = k.fma(bc(-LN2_HI), h);
    r = k.fma(bc(-LN2_LO), r).add(lo);
    return expReduced(r).mul(pow2(t));
  }

  /**
   * e^(a c) for c = cHi + cLo (a float pair, cLog2e = cHi*LOG2E) and a with a*cHi in [EXP_MIN, 0]
   * (the caller's clamp). The product a*c is never rounded on its own: the reduction
   * r = (a cHi - k LN2_HI) + (a cLo - k LN2_LO) rounds twice at the size of r (one FMA each;
   * k LN2_HI is exact), under 3e-8 in all, where rounding u = a c first would cost |u| half-ulps.
   */
  private static FloatVector expScaled(FloatVector a, float cHi, float cLo, float cLog2e) {
    FloatVector t = a.fma(cLog2e, EXP_MAGIC);
    FloatVector k = t.sub(EXP_MAGIC);
    FloatVector r = a.fma(bc(cHi), k.mul(-LN2_HI));
    r = r.add(k.fma(bc(-LN2_LO), a.mul(cLo)));
    return expReduced(r).mul(pow2(t));
  }

  // Base-2 reduction (the gated kernels): y = a·(cHi + cLo) with y in [-127, 0], where the caller
  // has folded log2e (and 1/T) into the float pair cHi + cLo in double. tt = a cHi + EXP_MAGIC holds
  // k = round(y) (pow2(tt) = 2^k), kn = EXP_MAGIC - tt = -k exactly, r = fma(a, cHi, kn) is a cHi - k
  // rounded once at the size of r, then fma(a, cLo, r): |error of r| < 6e-8, so 2^r is right to
  // 4e-8 before its polynomial's own error, whatever the size of y. Four instructions, where the
  // reduction by ln2 = LN2_HI + LN2_LO of a product a c costs seven.
  // 2^r = 1 + r (P1 + r (P2 + ... + r P5)) on |r| <= 1/2: relative error 1.1e-7 with the float
  // coefficients (fitted like the others with the constant term fixed at 1, so that 2^0 = 1
  // exactly and a saturated gate is exactly 1: z = Float.MAX_VALUE times it stays finite).
  static final float EXP2_P1 = 0.6931470036506653f;
  static final float EXP2_P2 = 0.24022242426872253f;
  static final float EXP2_P3 = 0.05550733581185341f;
  static final float EXP2_P4 = 0.009671512991189957f;
  static final float EXP2_P5 = 0.001326472731307149f;
  // 2^r - 1 = r (M1 + r (M2 + ... + r M6)) on |r| <= 1/2: relative error 1.1e-8, so that 2^r - 1
  // keeps its relative accuracy near r = 0 (gumbellu's inner exponential).
  static final float EXP2M1_M1 = 0.6931471824645996f;
  static final float EXP2M1_M2 = 0.24022649228572845f;
  static final float EXP2M1_M3 = 0.05550357326865196f;
  static final float EXP2M1_M4 = 0.009618237614631653f;
  static final float EXP2M1_M5 = 0.0013390735257416964f;
  static final float EXP2M1_M6 = 0.00015403512225020677f;
  // log2e = LOG2E + LOG2E_LO (LOG2E the float nearest).
  static final float LOG2E_LO = 1.925963033500011e-08f;

  /** 2^r for |r| <= 1/2 (five FMAs, Horner). */
  private static FloatVector exp2Reduced(FloatVector rr) {
    FloatVector e2 = rr.fma(EXP2_P5, EXP2_P4);
    e2 = e2.fma(rr, bc(EXP2_P3));
    e2 = e2.fma(rr, bc(EXP2_P2));
    e2 = e2.fma(rr, bc(EXP2_P1));
    return e2.fma(rr, bc(1f));
  }

  // 2^r = 1 + r (Q1 + r (Q2 + ... + r Q6)) on |r| <= 1/2: relative error 1.9e-9 (gelu's
  // derivative Φ + u φ cancels near u = -0.75 and needs e^{-w²} more accurately).
  static final float EXP2_Q1 = 0.6931471824645996f;
  static final float EXP2_Q2 = 0.24022646248340607f;
  static final float EXP2_Q3 = 0.05550328642129898f;
  static final float EXP2_Q4 = 0.009618489071726799f;
  static final float EXP2_Q5 = 0.0013399930903688073f;
  static final float EXP2_Q6 = 0.0001534581242594868f;

  /** 2^r for |r| <= 1/2, relative error 1.9e-9 (six FMAs, Horner). */
  private static FloatVector exp2Reduced6(FloatVector rr) {
    FloatVector e6 = rr.fma(EXP2_Q6, EXP2_Q5);
    e6 = e6.fma(rr, bc(EXP2_Q4));
    e6 = e6.fma(rr, bc(EXP2_Q3));
    e6 = e6.fma(rr, bc(EXP2_Q2));
    e6 = e6.fma(rr, bc(EXP2_Q1));
    return e6.fma(rr, bc(1f));
  }

  /** 2^r - 1 for |r| <= 1/2, relative error 1.1e-8 plus float rounding. */
  private static FloatVector exp2m1Reduced(FloatVector rr) {
    FloatVector m2 = rr.fma(EXP2M1_M6, EXP2M1_M5);
    m2 = m2.fma(rr, bc(EXP2M1_M4));
    m2 = m2.fma(rr, bc(EXP2M1_M3));
    m2 = m2.fma(rr, bc(EXP2M1_M2));
    m2 = m2.fma(rr, bc(EXP2M1_M1));
    return m2.mul(rr);
  }

  /**
   * x with values above hi >= 0 replaced by hi, in one integer min on the bits (non-negative floats
   * order like their bits, negative ones have negative bits): NaN becomes hi, so only where the
   * caller's result keeps NaN another way (the product with the unclamped z).
   */
  private static FloatVector atMostBits(FloatVector x, float hi) {
    return x.reinterpretAsInts().min(Float.floatToRawIntBits(hi)).reinterpretAsFloats();
  }

  /**
   * x <= -0 (a negAbs) with values below lo < 0 replaced by lo, in one integer min on the bits
   * (the bits of non-positive floats, as signed integers, grow with |x|): NaN becomes lo, as in
   * atMostBits.
   */
  private static FloatVector atLeastNegBits(FloatVector x, float lo) {
    return x.reinterpretAsInts().min(Float.floatToRawIntBits(lo)).reinterpretAsFloats();
  }

  // ---------------------------------------------------------------------------------------
  // Polynomial fits (near-minimax, relative error, fitted in double with Lawson's iteration on
  // 4000 Chebyshev nodes against 30-digit mpmath; coefficients rounded to float).
  // ---------------------------------------------------------------------------------------

  // sin r = r + r^3 Q(r^2) on |r| <= pi/2: degree 4 in r^2, relative error 7e-11.
  static final float SIN_Q0 = -0.1666666716337204f;
  static final float SIN_Q1 = 0.00833333283662796f;
  static final float SIN_Q2 = -0.00019841080938931555f;
  static final float SIN_Q3 = 2.7536118523130426e-06f;
  static final float SIN_Q4 = -2.4072999593727218e-08f;
  // pi = PI_A + PI_B + PI_C (each the float nearest the remainder): with FMA, x - k*PI_A is exact
  // for |k| < 2^22 and the reduced argument is correct to < 1 ulp for |x| < 2^22.
  static final float PI_A = 3.1415927410125732f;
  static final float PI_B = -8.742277657347586e-08f;
  static final float PI_C = -3.4302490200117637e-15f;
  static final float INV_PI = 0.31830987334251404f;

  // atan t = t + t^3 Q(t^2) on [0, 1]: degree 9 in t^2, relative error 2.3e-9 (atan's poles at
  // ±i limit a polynomial on [-1, 1] to convergence 1/(1+√2) per degree; one division would be
  // the alternative, this is cheaper).
  static final float ATAN_Q0 = -0.3333333432674408f;
  static final float ATAN_Q1 = 0.19999952614307404f;
  static final float ATAN_Q2 = -0.1428409367799759f;
  static final float ATAN_Q3 = 0.11089152842760086f;
  static final float ATAN_Q4 = -0.08936289697885513f;
  static final float ATAN_Q5 = 0.07044530659914017f;
  static final float ATAN_Q6 = -0.049170754849910736f;
  static final float ATAN_Q7 = 0.0265097264200449f;
  static final float ATAN_Q8 = -0.009252361953258514f;
  static final float ATAN_Q9 = 0.001512353541329503f;

  // The formula kernels' erf (VectorMath): erf x = x P(x^2) on |x| <= 0.6 (degree 5, relative
  // error 2.6e-10); beyond, 1 - erfc(x), where
  // erfc's absolute error 3e-7·erfc(0.6) stays below 2e-7 of erf(0.6).
  static final float ERF_SMALL = 0.6f;
  static final float ERF_P0 = 1.128379225730896f;
  static final float ERF_P1 = -0.37612634897232056f;
  static final float ERF_P2 = 0.11283653974533081f;
  static final float ERF_P3 = -0.026852214708924294f;
  static final float ERF_P4 = 0.005159629974514246f;
  static final float ERF_P5 = -0.000715597765520215f;
  // erf x = x P(x²)/Q(x²) on |x| <= 4.02 (the erf kernel; see erfV).
  static final float ERF_RP0 = 1.1283791065216064f;
  static final float ERF_RP1 = 0.19437485933303833f;
  static final float ERF_RP2 = 0.053197745233774185f;
  static final float ERF_RP3 = 0.003914976492524147f;
  static final float ERF_RP4 = 0.0002845929702743888f;
  static final float ERF_RP5 = 1.9715707821887918e-06f;
  static final float ERF_RQ1 = 0.5055927634239197f;
  static final float ERF_RQ2 = 0.11568044871091843f;
  static final float ERF_RQ3 = 0.015271400101482868f;
  static final float ERF_RQ4 = 0.0011919494718313217f;
  static final float ERF_RQ5 = 3.726363502210006e-05f;
  // erfc w = exp(-w^2) 2R(t), t = 1/(1 + w/2), w in [0, 9.5] (erfc 9.5 = 7e-41; the kernels clamp
  // there): R(t) = erfcx(w)/2 as a degree-9 polynomial in t, relative error 3.2e-8 (1.4e-7 when
  // evaluated in float); fitted on t >= 1/(1 + 9.5/2) so that no clamp of t is needed. One
  // division, no branches.
  static final float ERFCX_R0 = -3.899784587702015e-06f;
  static final float ERFCX_R1 = 0.1411297768354416f;
  static final float ERFCX_R2 = 0.14037655293941498f;
  static final float ERFCX_R3 = 0.12576627731323242f;
  static final float ERFCX_R4 = 0.08793291449546814f;
  static final float ERFCX_R5 = 0.013865696266293526f;
  static final float ERFCX_R6 = 0.10383959859609604f;
  static final float ERFCX_R7 = -0.21542774140834808f;
  static final float ERFCX_R8 = 0.12959638237953186f;
  static final float ERFCX_R9 = -0.027075573801994324f;

  // log1p t = 2 atanh s, s = t/(2+t) in [0, 1/3] for t in [0, 1]: 2s(1 + s^2 Q(s^2)), degree 4,
  // relative error 4e-10. Relative accuracy for tiny t (softplus far left) comes for free.
  static final float ATANH_Q0 = 0.3333333432674408f;
  static final float ATANH_Q1 = 0.19999851286411285f;
  static final float ATANH_Q2 = 0.14296264946460724f;
  static final float ATANH_Q3 = 0.10851984471082687f;
  static final float ATANH_Q4 = 0.11618306487798691f;

  // gudermanlu: (2/π) atan t = t P(t²)/Q(t²) on [0, 1], degrees (2, 3), relative error 2.0e-8.
  static final float GD_P0 = 0.6366197466850281f;
  static final float GD_P1 = 0.5719369649887085f;
  static final float GD_P2 = 0.08760707825422287f;
  static final float GD_Q1 = 1.2317277193069458f;
  static final float GD_Q2 = 0.34822210669517517f;
  static final float GD_Q3 = 0.012377772480249405f;

  static final float TWO_OVER_PI = 0.6366197466850281f;
  static final float FOUR_OVER_PI = 1.2732394933700562f;
  static final float TWO_OVER_SQRT_PI = 1.128379225730896f;
  // gelu-tanh: 2v = u (C1 + C3 u^2) with C1 = 2 sqrt(2/pi), C3 = C1 * 0.044715.
  static final float GT_C1 = 1.5957691669464111f;
  static final float GT_C3 = 0.07135481387376785f;

  private static FloatVector atan01(FloatVector t) {
    FloatVector t2 = t.mul(t);
    FloatVector q = t2.fma(ATAN_Q9, ATAN_Q8);
    q = q.fma(t2, bc(ATAN_Q7));
    q = q.fma(t2, bc(ATAN_Q6));
    q = q.fma(t2, bc(ATAN_Q5));
    q = q.fma(t2, bc(ATAN_Q4));
    q = q.fma(t2, bc(ATAN_Q3));
    q = q.fma(t2, bc(ATAN_Q2));
    q = q.fma(t2, bc(ATAN_Q1));
    q = q.fma(t2, bc(ATAN_Q0));
    return t2.mul(t).fma(q, t);
  }

  /** erfcx(w)/2 = e^{w²} erfc(w)/2 from t = 1/(1 + w/2), 0 <= w <= 9.5. */
  private static FloatVector halfErfcx(FloatVector t) {
    FloatVector r = t.fma(ERFCX_R9, ERFCX_R8);
    r = r.fma(t, bc(ERFCX_R7));
    r = r.fma(t, bc(ERFCX_R6));
    r = r.fma(t, bc(ERFCX_R5));
    r = r.fma(t, bc(ERFCX_R4));
    r = r.fma(t, bc(ERFCX_R3));
    r = r.fma(t, bc(ERFCX_R2));
    r = r.fma(t, bc(ERFCX_R1));
    return r.fma(t, bc(ERFCX_R0));
  }

  /** sin(x - shift*pi) for |x| < 2^22, shift 0 (sin) or 0.5 (cos, with the sign flipped). */
  private static FloatVector sinV(FloatVector x, boolean cos) {
    FloatVector t;
    FloatVector k;
    if (cos) {
      // cos x = -sin(x - (n + 1/2) pi) (-1)^n ... with n = round(x/pi - 1/2)
      t = x.fma(INV_PI, -0.5f).add(MAGIC);
      k = t.sub(MAGIC).add(0.5f);
    } else {
      t = x.fma(INV_PI, MAGIC);
      k = t.sub(MAGIC);
    }
    FloatVector r = k.fma(bc(-PI_A), x);
    r = k.fma(bc(-PI_B), r);
    r = k.fma(bc(-PI_C), r);
    FloatVector r2 = r.mul(r);
    FloatVector q = r2.fma(SIN_Q4, SIN_Q3);
    q = q.fma(r2, bc(SIN_Q2));
    q = q.fma(r2, bc(SIN_Q1));
    q = q.fma(r2, bc(SIN_Q0));
    FloatVector s = r2.mul(r).fma(q, r);
    IntVector odd = t.reinterpretAsInts().lanewise(LSHL, 31);
    if (cos) {
      odd = odd.lanewise(jdk.incubator.vector.VectorOperators.XOR, 0x80000000);
    }
    return s.reinterpretAsInts().lanewise(jdk.incubator.vector.VectorOperators.XOR, odd)
        .reinterpretAsFloats();
  }

  // ---------------------------------------------------------------------------------------
  // Kernels. Each: a vector loop, then one masked vector for the tail.
  // ---------------------------------------------------------------------------------------

  static void linear(float[] z, int zo, float[] out, int oo, int n) {
    System.arraycopy(z, zo, out, oo, n);
  }

  static void fill(float v, float[] out, int oo, int n) {
    java.util.Arrays.fill(out, oo, oo + n, v);
  }

  static void relu(float[] z, int zo, float[] out, int oo, int n) {
    int i = 0;
    for (int bound = F.loopBound(n); i < bound; i += LANES) {
      FloatVector x = FloatVector.fromArray(F, z, zo + i);
      // max(x, 0) with Math.max's semantics (NaN stays, -0 gives 0) as a compare and a blend:
      // the lane-wise max is a sequence of instructions (docs/performance.md, One input)
      x.blend(0f, x.compare(LE, 0f)).intoArray(out, oo + i);
    }
    if (i < n) {
      reluTail(z, zo, out, oo, n, i);
    }
  }

  // The masked tail in its own method (own C2 compilation unit, called with arrays and scalars only,
  // so not inlining it costs a call, not boxing): the loop above then stays within C2's node budget
  // for inlining (NodeCountInliningCutoff); a kernel that exceeds it boxes every vector (~30x slower).
  private static void reluTail(float[] z, int zo, float[] out, int oo, int n, int i) {
    VectorMask<Float> m = F.indexInRange(i, n);
    FloatVector x = FloatVector.fromArray(F, z, zo + i, m);
    x.blend(0f, x.compare(LE, 0f)).intoArray(out, oo + i, m);
  }

  /** Step {@code z > 0 ? above : below} (the left-hand limit at 0); NaN gives NaN. */
  static void step(float[] z, int zo, float[] out, int oo, int n, float below, float above) {
    int i = 0;
    for (int bound = F.loopBound(n); i < bound; i += LANES) {
      FloatVector x = FloatVector.fromArray(F, z, zo + i);
      stepV(x, below, above).intoArray(out, oo + i);
    }
    if (i < n) {
      stepTail(z, zo, out, oo, n, i, below, above);
    }
  }

  private static void stepTail(float[] z, int zo, float[] out, int oo, int n, int i, float below, float above) {
    VectorMask<Float> m = F.indexInRange(i, n);
    FloatVector x = FloatVector.fromArray(F, z, zo + i, m);
    stepV(x, below, above).intoArray(out, oo + i, m);
  }

  private static FloatVector stepV(FloatVector x, float below, float above) {
    // NaN fails both comparisons and stays x.
    return x.blend(below, x.compare(jdk.incubator.vector.VectorOperators.LE, 0f))
        .blend(above, x.compare(GT, 0f));
  }

  /** Leaky ReLU {@code z >= 0 ? z : a z} (z = -0 gives a*-0). */
  static void leaky(float[] z, int zo, float[] out, int oo, int n, float a) {
    int i = 0;
    for (int bound = F.loopBound(n); i < bound; i += LANES) {
      FloatVector x = FloatVector.fromArray(F, z, zo + i);
      x.mul(a).blend(x, x.compare(GT, 0f)).intoArray(out, oo + i);
    }
    if (i < n) {
      leakyTail(z, zo, out, oo, n, i, a);
    }
  }

  private static void leakyTail(float[] z, int zo, float[] out, int oo, int n, int i, float a) {
    VectorMask<Float> m = F.indexInRange(i, n);
    FloatVector x = FloatVector.fromArray(F, z, zo + i, m);
    x.mul(a).blend(x, x.compare(GT, 0f)).intoArray(out, oo + i, m);
  }

  /** {@code scale * z^p} for integer p >= 1 (exact products up to p = 4, else the POW operator). */
  static void power(float[] z, int zo, float[] out, int oo, int n, int p, float scale) {
    int i = 0;
    for (int bound = F.loopBound(n); i < bound; i += LANES) {
      FloatVector x = FloatVector.fromArray(F, z, zo + i);
      ipow(x, p).mul(scale).intoArray(out, oo + i);
    }
    if (i < n) {
      powerTail(z, zo, out, oo, n, i, p, scale);
    }
  }

  private static void powerTail(float[] z, int zo, float[] out, int oo, int n, int i, int p, float scale) {
    VectorMask<Float> m = F.indexInRange(i, n);
    FloatVector x = FloatVector.fromArray(F, z, zo + i, m);
    ipow(x, p).mul(scale).intoArray(out, oo + i, m);
  }

  // Double vectors of the same size as F (half its lanes): F2D of part 0 / 1 widens the low / high
  // half of a float vector; D2F to part 0 / -1 narrows back into the low / high half.
  private static final VectorSpecies<Double> DH = VectorShapes.DOUBLE;
  private static final float SQRT2F = 1.4142135f;
  private static final double LOG2E_D = 1.4426950408889634;
  // 2^k in double from the bits of t = y + EXP_MAGIC_D: (k + 1023) << 52, as for floats.
  private static final double EXP_MAGIC_D = 0x1.8p52 + 1023;
  private static final double LN2_D = 0.6931471805599453;
  // 2^f = e^{f ln2} for |f| <= 1/2: the float exp polynomial with its coefficients times ln2^i.
  private static final double EXP2_C1 = LN2_D;
  private static final double EXP2_C2 = EXP_C2 * LN2_D * LN2_D;
  private static final double EXP2_C3 = EXP_C3 * LN2_D * LN2_D * LN2_D;
  private static final double EXP2_C4 = EXP_C4 * LN2_D * LN2_D * LN2_D * LN2_D;
  private static final double EXP2_C5 = EXP_C5 * LN2_D * LN2_D * LN2_D * LN2_D * LN2_D;
  private static final double EXP2_C6 = EXP_C6 * LN2_D * LN2_D * LN2_D * LN2_D * LN2_D * LN2_D;
  /**
   * Largest exponent for {@link #repuReal}: above it the float logarithm's error (about 6e-8
   * absolute in log2 x, times p) would approach the 1e-6 bound; larger p take the exact path.
   */
  static final double POW_FAST_MAX = 8;

  /**
   * x^p for x >= 0 and p > 0 (NaN stays NaN) as 2^(p log2 x): x = 2^e m, m in [√½, √2) from the
   * float bits, ln m = 2 atanh((m-1)/(m+1)) in float (the log1p polynomial), then y = p (e + log2 m)
   * and 2^y in double, where y's size costs nothing (about 60 instructions per 8 lanes in all; the
   * Vector API's double LOG and EXP are calls). Relative error about p·4e-8 plus float rounding, so
   * only for p <= POW_FAST_MAX (else {@link #powRealExact}). Zero and subnormal x give values below 2^(-126 p)
   * instead of 0 (the callers blend x <= 0 to 0).
   */
  private static FloatVector powReal(FloatVector x, double p) {
    IntVector bits = x.reinterpretAsInts();
    FloatVector m = bits.and(0x007FFFFF).or(0x3F800000).reinterpretAsFloats();
    VectorMask<Float> big = m.compare(GT, SQRT2F);
    m = m.blend(m.mul(0.5f), big);
    FloatVector e = ((FloatVector) bits.lanewise(LSHR, 23).convert(I2F, 0)).sub(127f);
    e = e.blend(e.add(1f), big);
    FloatVector s = m.sub(1f).div(m.add(1f));
    FloatVector s2 = s.mul(s);
    FloatVector q = s2.fma(ATANH_Q4, ATANH_Q3);
    q = q.fma(s2, bc(ATANH_Q2));
    q = q.fma(s2, bc(ATANH_Q1));
    q = q.fma(s2, bc(ATANH_Q0));
    FloatVector s2x = s.add(s);
    FloatVector ln = s2.mul(s2x).fma(q, s2x);
    FloatVector r = exp2Half(ln, e, p, 0).add(exp2Half(ln, e, p, 1));
    // NaN and +∞ (whose bits read as 2^128 m) are their own powers for p > 0
    return x.blend(r, x.test(IS_FINITE));
  }

  /** 2^(p (e + ln/ln2)) for one half of the lanes (part 0 or 1), in that half of a float vector. */
  private static FloatVector exp2Half(FloatVector ln, FloatVector e, double p, int part) {
    DoubleVector l = (DoubleVector) ln.convertShape(F2D, DH, part);
    DoubleVector ed = (DoubleVector) e.convertShape(F2D, DH, part);
    DoubleVector y = l.fma(DoubleVector.broadcast(DH, p * LOG2E_D), ed.mul(p));
    // |y| <= 1000: 2^y is 0 or ∞ in float beyond, and 2^k stays a normal double
    y = y.blend(-1000.0, y.compare(LT, -1000.0)).blend(1000.0, y.compare(GT, 1000.0));
    DoubleVector t = y.add(EXP_MAGIC_D);
    DoubleVector f = y.sub(t.sub(EXP_MAGIC_D));
    DoubleVector c = f.fma(EXP2_C6, EXP2_C5);
    c = c.fma(f, DoubleVector.broadcast(DH, EXP2_C4));
    c = c.fma(f, DoubleVector.broadcast(DH, EXP2_C3));
    c = c.fma(f, DoubleVector.broadcast(DH, EXP2_C2));
    c = c.fma(f, DoubleVector.broadcast(DH, EXP2_C1));
    c = c.fma(f, DoubleVector.broadcast(DH, 1.0));
    DoubleVector scale = t.reinterpretAsLongs().lanewise(LSHL, 52).reinterpretAsDoubles();
    return (FloatVector) c.mul(scale).convertShape(D2F, F, part == 0 ? 0 : -1);
  }

  /** x^p via the Vector API's double LOG and EXP (exact to float rounding for any p; slower). */
  private static FloatVector powRealExact(FloatVector x, double p) {
    DoubleVector a = (DoubleVector) x.convertShape(F2D, DH, 0);
    DoubleVector b = (DoubleVector) x.convertShape(F2D, DH, 1);
    a = a.lanewise(LOG).mul(p).lanewise(EXP);
    b = b.lanewise(LOG).mul(p).lanewise(EXP);
    FloatVector lo = (FloatVector) a.convertShape(D2F, F, 0);
    FloatVector hi = (FloatVector) b.convertShape(D2F, F, -1);
    return lo.add(hi);
  }

  private static FloatVector ipow(FloatVector x, int p) {
    return switch (p) {
      case 0 -> bc(1f).blend(x, x.test(jdk.incubator.vector.VectorOperators.IS_NAN));
      case 1 -> x;
      case 2 -> x.mul(x);
      case 3 -> x.mul(x).mul(x);
      case 4 -> {
        FloatVector x2 = x.mul(x);
        yield x2.mul(x2);
      }
      default -> {
        // integer p > 4: |x|^p, negated for odd p and x < 0 (the log needs x >= 0)
        FloatVector r = powRealExact(x.abs(), p);
        yield (p & 1) == 1 ? r.blend(r.neg(), x.compare(LT, 0f)) : r;
      }
    };
  }

  /**
   * {@code z > 0 ? scale z^p : 0} (RePU and its derivative), real p >= 0: exact products for
   * integer p <= 4, else the POW operator (within 1 ulp of Math.pow).
   */
  static void repu(float[] z, int zo, float[] out, int oo, int n, double p, boolean integral, float scale) {
    int i = 0;
    for (int bound = F.loopBound(n); i < bound; i += LANES) {
      FloatVector x = FloatVector.fromArray(F, z, zo + i);
      repuV(x, p, integral, scale).intoArray(out, oo + i);
    }
    if (i < n) {
      repuTail(z, zo, out, oo, n, i, p, integral, scale);
    }
  }

  private static void repuTail(float[] z, int zo, float[] out, int oo, int n, int i, double p, boolean integral, float scale) {
    VectorMask<Float> m = F.indexInRange(i, n);
    FloatVector x = FloatVector.fromArray(F, z, zo + i, m);
    repuV(x, p, integral, scale).intoArray(out, oo + i, m);
  }

  private static FloatVector repuV(FloatVector x, double p, boolean integral, float scale) {
    // max(x, 0) as compare + blend (Java's max costs five instructions); NaN stays NaN
    FloatVector w = x.blend(0f, x.compare(LT, 0f));
    FloatVector y = integral && p <= 4 ? ipow(w, (int) p) : powRealExact(w, p);
    // z <= 0 gives 0 (also for p = 0, where 0^0 = 1); NaN stays NaN.
    return y.mul(scale).blend(0f, x.compare(jdk.incubator.vector.VectorOperators.LE, 0f));
  }
  /**
   * {@code z > 0 ? scale z^p : 0} for real 0 < p <= POW_FAST_MAX through the polynomial
   * powReal of the template (written out in place by the generator).
   */
  static void repuReal(float[] z, int zo, float[] out, int oo, int n, double p, float scale) {
    int i = 0;
    for (int bound = F.loopBound(n); i < bound; i += LANES) {
      FloatVector x = FloatVector.fromArray(F, z, zo + i);
      repuRealV(x, p, scale).intoArray(out, oo + i);
    }
    if (i < n) {
      repuRealTail(z, zo, out, oo, n, i, p, scale);
    }
  }

  private static void repuRealTail(float[] z, int zo, float[] out, int oo, int n, int i, double p,
      float scale) {
    VectorMask<Float> m = F.indexInRange(i, n);
    FloatVector x = FloatVector.fromArray(F, z, zo + i, m);
    repuRealV(x, p, scale).intoArray(out, oo + i, m);
  }

  private static FloatVector repuRealV(FloatVector x, double p, float scale) {
    FloatVector y = powReal(atLeast(x, 0f), p).mul(scale);
    return y.blend(0f, x.compare(jdk.incubator.vector.VectorOperators.LE, 0f));
  }


  /**
   * MRePU {@code z max(0, z+c)^q} (value) or its derivative {@code (z+c)^(q-1) ((z+c) + q z)}, with
   * {@code c = cHi + cLo}.
   */
  static void mrepu(float[] z, int zo, float[] out, int oo, int n, float cHi, float cLo, double q,
      boolean integral, boolean derivative) {
    int i = 0;
    for (int bound = F.loopBound(n); i < bound; i += LANES) {
      FloatVector x = FloatVector.fromArray(F, z, zo + i);
      mrepuV(x, cHi, cLo, q, integral, derivative).intoArray(out, oo + i);
    }
    if (i < n) {
      mrepuTail(z, zo, out, oo, n, i, cHi, cLo, q, integral, derivative);
    }
  }

  private static void mrepuTail(float[] z, int zo, float[] out, int oo, int n, int i, float cHi, float cLo, double q,
      boolean integral, boolean derivative) {
    VectorMask<Float> m = F.indexInRange(i, n);
    FloatVector x = FloatVector.fromArray(F, z, zo + i, m);
    mrepuV(x, cHi, cLo, q, integral, derivative).intoArray(out, oo + i, m);
  }

  private static FloatVector mrepuV(FloatVector x, float cHi, float cLo, double q, boolean integral,
      boolean derivative) {
    FloatVector w = x.add(cHi).add(cLo);
    VectorMask<Float> off = w.compare(jdk.incubator.vector.VectorOperators.LE, 0f);
    FloatVector wp = w.blend(0f, w.compare(LT, 0f));
    FloatVector y;
    if (derivative) {
      double e = q - 1;
      FloatVector pw = integral && e <= 4 ? ipow(wp, (int) e) : powRealExact(wp, e);
      y = pw.mul(x.fma(bc((float) q), w));
    } else {
      FloatVector pw = integral && q <= 4 ? ipow(wp, (int) q) : powRealExact(wp, q);
      y = pw.mul(x);
    }
    return y.blend(0f, off);
  }

  static void tanh(float[] z, int zo, float[] out, int oo, int n) {
    int i = 0;
    for (int bound = F.loopBound(n); i < bound; i += LANES) {
      FloatVector x = FloatVector.fromArray(F, z, zo + i);
      tanhV(x).intoArray(out, oo + i);
    }
    if (i < n) {
      tanhTail(z, zo, out, oo, n, i);
    }
  }

  private static void tanhTail(float[] z, int zo, float[] out, int oo, int n, int i) {
    VectorMask<Float> m = F.indexInRange(i, n);
    FloatVector x = FloatVector.fromArray(F, z, zo + i, m);
    tanhV(x).intoArray(out, oo + i, m);
  }

  // tanh x = -e/(2+e), e = expm1(-2x) in (-1, e^20]: one formula with full relative accuracy for
  // either sign (expm1 has it near 0, 2+e > 1 never cancels), so no |x| and no copy of the sign.
  // -e = (1 - 2^k) - 2^k p with e = 2^k (1+p) - 1, p = expm1(r): tanh(±0) = +0.
  // x is clamped to [-10, 10], where tanh is ±1 in float.
  private static FloatVector tanhV(FloatVector x) {
    FloatVector y = atMost(atLeast(x, -10f), 10f).mul(-2f);
    FloatVector t = y.fma(LOG2E, EXP_MAGIC);
    FloatVector k = t.sub(EXP_MAGIC);
    FloatVector r = k.fma(bc(-LN2_HI), y);
    r = k.fma(bc(-LN2_LO), r);
    FloatVector p = expm1Reduced(r);
    FloatVector s = pow2(t);
    FloatVector ne = s.neg().fma(p, bc(1f).sub(s));
    return ne.div(bc(2f).sub(ne));
  }


  static void tanhDerivative(float[] z, int zo, float[] out, int oo, int n) {
    int i = 0;
    for (int bound = F.loopBound(n); i < bound; i += LANES) {
      FloatVector x = FloatVector.fromArray(F, z, zo + i);
      sech2V(x).intoArray(out, oo + i);
    }
    if (i < n) {
      tanhDerivativeTail(z, zo, out, oo, n, i);
    }
  }

  private static void tanhDerivativeTail(float[] z, int zo, float[] out, int oo, int n, int i) {
    VectorMask<Float> m = F.indexInRange(i, n);
    FloatVector x = FloatVector.fromArray(F, z, zo + i, m);
    sech2V(x).intoArray(out, oo + i, m);
  }

  // 1 - tanh^2 cancels for large |x|; sech^2 x = 4t/(1+t)^2 with t = e^{-2|x|} does not.
  private static FloatVector sech2V(FloatVector x) {
    FloatVector v = negAbs(x);
    FloatVector t = exp(v.add(v));
    FloatVector d = t.add(1f);
    return t.mul(4f).div(d.mul(d));
  }

  static void sin(float[] z, int zo, float[] out, int oo, int n) {
    int i = 0;
    for (int bound = F.loopBound(n); i < bound; i += LANES) {
      FloatVector x = FloatVector.fromArray(F, z, zo + i);
      sinV(x, false).intoArray(out, oo + i);
    }
    if (i < n) {
      sinTail(z, zo, out, oo, n, i);
    }
  }

  private static void sinTail(float[] z, int zo, float[] out, int oo, int n, int i) {
    VectorMask<Float> m = F.indexInRange(i, n);
    FloatVector x = FloatVector.fromArray(F, z, zo + i, m);
    sinV(x, false).intoArray(out, oo + i, m);
  }

  static void cos(float[] z, int zo, float[] out, int oo, int n) {
    int i = 0;
    for (int bound = F.loopBound(n); i < bound; i += LANES) {
      FloatVector x = FloatVector.fromArray(F, z, zo + i);
      sinV(x, true).intoArray(out, oo + i);
    }
    if (i < n) {
      cosTail(z, zo, out, oo, n, i);
    }
  }

  private static void cosTail(float[] z, int zo, float[] out, int oo, int n, int i) {
    VectorMask<Float> m = F.indexInRange(i, n);
    FloatVector x = FloatVector.fromArray(F, z, zo + i, m);
    sinV(x, true).intoArray(out, oo + i, m);
  }


  /** erf(a z) with a = aHi + aLo > 0; |z| clamped at zmax = 4/a, where erf is ±1 in float. */
  static void erf(float[] z, int zo, float[] out, int oo, int n, float zmax, float aHi, float aLo) {
    int i = 0;
    for (int bound = F.loopBound(n); i < bound; i += LANES) {
      FloatVector x = FloatVector.fromArray(F, z, zo + i);
      erfV(x, zmax, aHi, aLo).intoArray(out, oo + i);
    }
    if (i < n) {
      erfTail(z, zo, out, oo, n, i, zmax, aHi, aLo);
    }
  }

  private static void erfTail(float[] z, int zo, float[] out, int oo, int n, int i, float zmax, float aHi, float aLo) {
    VectorMask<Float> m = F.indexInRange(i, n);
    FloatVector x = FloatVector.fromArray(F, z, zo + i, m);
    erfV(x, zmax, aHi, aLo).intoArray(out, oo + i, m);
  }

  // erf x = x P(s)/Q(s), s = x², on |x| <= 4.02 (z is clamped at zmax = 4/a, where erf(4) = 1 - 1.5e-8
  // is 1 in float): one rational of degree (5, 5) in s, relative error 2.6e-8 in double (fitted
  // like the others: linearised least squares, then Lawson's iteration, on 1500 Chebyshev nodes
  // against mpmath; coefficients rounded to float), no exponential, no branch. x = z (aHi + aLo)
  // is rounded once (one FMA); erf's log-derivative x erf'(x)/erf(x) <= 1 passes that on unamplified.
  private static FloatVector erfV(FloatVector z, float zmax, float aHi, float aLo) {
    FloatVector zc = atMost(atLeast(z, -zmax), zmax);
    FloatVector xa = zc.fma(bc(aHi), zc.mul(aLo));
    FloatVector s = xa.mul(xa);
    FloatVector p = s.fma(ERF_RP5, ERF_RP4);
    FloatVector q = s.fma(ERF_RQ5, ERF_RQ4);
    p = p.fma(s, bc(ERF_RP3));
    q = q.fma(s, bc(ERF_RQ3));
    p = p.fma(s, bc(ERF_RP2));
    q = q.fma(s, bc(ERF_RQ2));
    p = p.fma(s, bc(ERF_RP1));
    q = q.fma(s, bc(ERF_RQ1));
    p = p.fma(s, bc(ERF_RP0));
    q = q.fma(s, bc(1f));
    return xa.mul(p).div(q);
  }


  /** d/dz erf(a z) = a (2/√π) exp(-(a z)²); {@code scale} = a·2/√π. */
  static void erfDerivative(float[] z, int zo, float[] out, int oo, int n, float zmax, float aHi, float aLo,
      float scale) {
    int i = 0;
    for (int bound = F.loopBound(n); i < bound; i += LANES) {
      FloatVector x = FloatVector.fromArray(F, z, zo + i);
      erfDV(x, zmax, aHi, aLo, scale).intoArray(out, oo + i);
    }
    if (i < n) {
      erfDerivativeTail(z, zo, out, oo, n, i, zmax, aHi, aLo, scale);
    }
  }

  private static void erfDerivativeTail(float[] z, int zo, float[] out, int oo, int n, int i, float zmax, float aHi, float aLo,
      float scale) {
    VectorMask<Float> m = F.indexInRange(i, n);
    FloatVector x = FloatVector.fromArray(F, z, zo + i, m);
    erfDV(x, zmax, aHi, aLo, scale).intoArray(out, oo + i, m);
  }

  private static FloatVector erfDV(FloatVector z, float zmax, float aHi, float aLo, float scale) {
    FloatVector zc = atMost(atLeast(z, -zmax), zmax);
    FloatVector xh = zc.mul(aHi);
    FloatVector xl = zc.fma(bc(aLo), zc.fma(bc(aHi), xh.neg()));
    FloatVector te = xh.mul(xh).fma(-LOG2E, EXP_MAGIC);
    FloatVector ke = te.sub(EXP_MAGIC);
    FloatVector re = xh.fma(xh, ke.mul(LN2_HI));
    re = re.add(ke.fma(bc(LN2_LO), xh.mul(2f).mul(xl)));
    return expNegReduced(re).mul(pow2(te)).mul(scale);
  }


  /** Logistic sigmoid 1/(1+e^{-z}) (derivative false) or its derivative t/(1+t)², t = e^{-|z|}. */
  static void sigmoid(float[] z, int zo, float[] out, int oo, int n) {
    int i = 0;
    for (int bound = F.loopBound(n); i < bound; i += LANES) {
      FloatVector x = FloatVector.fromArray(F, z, zo + i);
      sigmoidV(x, false).intoArray(out, oo + i);
    }
    if (i < n) {
      sigmoidTail(z, zo, out, oo, n, i);
    }
  }

  private static void sigmoidTail(float[] z, int zo, float[] out, int oo, int n, int i) {
    VectorMask<Float> m = F.indexInRange(i, n);
    FloatVector x = FloatVector.fromArray(F, z, zo + i, m);
    sigmoidV(x, false).intoArray(out, oo + i, m);
  }

  static void sigmoidDerivative(float[] z, int zo, float[] out, int oo, int n) {
    int i = 0;
    for (int bound = F.loopBound(n); i < bound; i += LANES) {
      FloatVector x = FloatVector.fromArray(F, z, zo + i);
      sigmoidV(x, true).intoArray(out, oo + i);
    }
    if (i < n) {
      sigmoidDerivativeTail(z, zo, out, oo, n, i);
    }
  }

  private static void sigmoidDerivativeTail(float[] z, int zo, float[] out, int oo, int n, int i) {
    VectorMask<Float> m = F.indexInRange(i, n);
    FloatVector x = FloatVector.fromArray(F, z, zo + i, m);
    sigmoidV(x, true).intoArray(out, oo + i, m);
  }


  private static FloatVector sigmoidV(FloatVector x, boolean derivative) {
    FloatVector t = exp(negAbs(x));
    FloatVector d = t.add(1f);
    if (derivative) {
      return t.div(d.mul(d));
    }
    // x >= 0: 1/(1+t); x < 0: t/(1+t). NaN takes the second branch: t is NaN.
    return t.blend(1f, x.compare(GE, 0f)).div(d);
  }

  /** softplus log(1 + e^z) = max(z, 0) + log1p(e^{-|z|}). */
  static void softplus(float[] z, int zo, float[] out, int oo, int n) {
    int i = 0;
    for (int bound = F.loopBound(n); i < bound; i += LANES) {
      FloatVector x = FloatVector.fromArray(F, z, zo + i);
      softplusV(x).intoArray(out, oo + i);
    }
    if (i < n) {
      softplusTail(z, zo, out, oo, n, i);
    }
  }

  private static void softplusTail(float[] z, int zo, float[] out, int oo, int n, int i) {
    VectorMask<Float> m = F.indexInRange(i, n);
    FloatVector x = FloatVector.fromArray(F, z, zo + i, m);
    softplusV(x).intoArray(out, oo + i, m);
  }

  private static FloatVector softplusV(FloatVector x) {
    FloatVector t = exp(negAbs(x));
    FloatVector s = t.div(t.add(2f));
    FloatVector s2 = s.mul(s);
    FloatVector q = s2.fma(ATANH_Q4, ATANH_Q3);
    q = q.fma(s2, bc(ATANH_Q2));
    q = q.fma(s2, bc(ATANH_Q1));
    q = q.fma(s2, bc(ATANH_Q0));
    FloatVector s2x = s.mul(2f);
    FloatVector log1p = s2.mul(s2x).fma(q, s2x);
    return atLeast(x, 0f).add(log1p);
  }

  /**
   * Gated activations z·g(z/T) and their derivatives: swish here, then gelu-tanh, gudermanlu,
   * gumbellu, algebraiclu and gelu, one value and one derivative kernel each. The exponential
   * gates take the product of log2e and a power of 1/T as a float pair (hi + lo, computed in double
   * by the caller) and reduce in base 2 (see exp2Reduced); zmax clamps z so that the gate saturates
   * (exp flushes) without overflow.
   */
  static void swish(float[] z, int zo, float[] out, int oo, int n, float zmax, float kHi, float kLo, float c) {
    int i = 0;
    for (int bound = F.loopBound(n); i < bound; i += LANES) {
      FloatVector x = FloatVector.fromArray(F, z, zo + i);
      swishV(x, zmax, kHi, kLo, c, false).intoArray(out, oo + i);
    }
    if (i < n) {
      swishTail(z, zo, out, oo, n, i, zmax, kHi, kLo, c);
    }
  }

  private static void swishTail(float[] z, int zo, float[] out, int oo, int n, int i, float zmax, float kHi, float kLo, float c) {
    VectorMask<Float> m = F.indexInRange(i, n);
    FloatVector x = FloatVector.fromArray(F, z, zo + i, m);
    swishV(x, zmax, kHi, kLo, c, false).intoArray(out, oo + i, m);
  }

  static void swishDerivative(float[] z, int zo, float[] out, int oo, int n, float zmax, float kHi, float kLo, float c) {
    int i = 0;
    for (int bound = F.loopBound(n); i < bound; i += LANES) {
      FloatVector x = FloatVector.fromArray(F, z, zo + i);
      swishV(x, zmax, kHi, kLo, c, true).intoArray(out, oo + i);
    }
    if (i < n) {
      swishDerivativeTail(z, zo, out, oo, n, i, zmax, kHi, kLo, c);
    }
  }

  private static void swishDerivativeTail(float[] z, int zo, float[] out, int oo, int n, int i, float zmax, float kHi, float kLo, float c) {
    VectorMask<Float> m = F.indexInRange(i, n);
    FloatVector x = FloatVector.fromArray(F, z, zo + i, m);
    swishV(x, zmax, kHi, kLo, c, true).intoArray(out, oo + i, m);
  }


  // swish z·s(u) = z/(1 + E), E = e^{-u} = 2^{z K}, K = -log2e/T = kHi + kLo (reduced like exp2),
  // one formula for both signs (for u < 0, E is large and 1/(1 + E) keeps its relative accuracy).
  // z is clamped below only for the product (-∞ gets the limit 0, not ∞·0) and to |u| <= 87 for E.
  // Derivative s + u s(1-s) = s (1 + u E s), E s <= 1 (no overflow for large E); c = 1/T.
  private static FloatVector swishV(FloatVector z, float zmax, float kHi, float kLo, float c,
      boolean derivative) {
    FloatVector zl = atLeast(z, -zmax);
    FloatVector zc = atMostBits(zl, zmax);
    FloatVector tt = zc.fma(kHi, EXP_MAGIC);
    FloatVector kn = bc(EXP_MAGIC).sub(tt);
    FloatVector r = zc.fma(bc(kHi), kn);
    r = zc.fma(bc(kLo), r);
    FloatVector pe = exp2Reduced(r);
    FloatVector sk = pow2(tt);
    FloatVector d = pe.fma(sk, bc(1f));
    if (derivative) {
      FloatVector sg = bc(1f).div(d);
      FloatVector es = pe.mul(sk).mul(sg);
      return atMost(zl, zmax).mul(c).fma(es, bc(1f)).mul(sg);
    }
    return zl.div(d);
  }


  static void geluTanh(float[] z, int zo, float[] out, int oo, int n, float zmax, float d1Hi, float d1Lo, float d3, float e1, float e3) {
    int i = 0;
    for (int bound = F.loopBound(n); i < bound; i += LANES) {
      FloatVector x = FloatVector.fromArray(F, z, zo + i);
      geluTanhV(x, zmax, d1Hi, d1Lo, d3, e1, e3, false).intoArray(out, oo + i);
    }
    if (i < n) {
      geluTanhTail(z, zo, out, oo, n, i, zmax, d1Hi, d1Lo, d3, e1, e3);
    }
  }

  private static void geluTanhTail(float[] z, int zo, float[] out, int oo, int n, int i, float zmax, float d1Hi, float d1Lo, float d3, float e1, float e3) {
    VectorMask<Float> m = F.indexInRange(i, n);
    FloatVector x = FloatVector.fromArray(F, z, zo + i, m);
    geluTanhV(x, zmax, d1Hi, d1Lo, d3, e1, e3, false).intoArray(out, oo + i, m);
  }

  static void geluTanhDerivative(float[] z, int zo, float[] out, int oo, int n, float zmax, float d1Hi, float d1Lo, float d3, float e1, float e3) {
    int i = 0;
    for (int bound = F.loopBound(n); i < bound; i += LANES) {
      FloatVector x = FloatVector.fromArray(F, z, zo + i);
      geluTanhV(x, zmax, d1Hi, d1Lo, d3, e1, e3, true).intoArray(out, oo + i);
    }
    if (i < n) {
      geluTanhDerivativeTail(z, zo, out, oo, n, i, zmax, d1Hi, d1Lo, d3, e1, e3);
    }
  }

  private static void geluTanhDerivativeTail(float[] z, int zo, float[] out, int oo, int n, int i, float zmax, float d1Hi, float d1Lo, float d3, float e1, float e3) {
    VectorMask<Float> m = F.indexInRange(i, n);
    FloatVector x = FloatVector.fromArray(F, z, zo + i, m);
    geluTanhV(x, zmax, d1Hi, d1Lo, d3, e1, e3, true).intoArray(out, oo + i, m);
  }


  // ½z(1 + tanh v) = z·sigmoid(2v) = z/(1 + E), E = e^{-2v}, 2v = u(C1 + C3 u²), u = z/T, in base 2
  // and in z itself: E = 2^y, y = -z (D1 + D3 z²), D1 = C1 log2e/T = d1Hi + d1Lo, D3 = C3 log2e/T³
  // (the caller's constants), so z enters exactly, the D1 part is reduced like exp2 (one rounding at
  // the size of r) and only the cubic part's two products round (relative 1.2e-7 of that part).
  // One formula for both signs: for v < 0, E is large and 1/(1 + E) keeps E's relative accuracy.
  // |u| <= 10 (zmax) keeps |y| <= 126.
  private static FloatVector geluTanhV(FloatVector z, float zmax, float d1Hi, float d1Lo, float d3,
      float e1, float e3, boolean derivative) {
    FloatVector zl = atLeast(z, -zmax);
    FloatVector zc = atMostBits(zl, zmax);
    FloatVector zz = zc.mul(zc);
    FloatVector tt = zc.fma(zz.fma(-d3, -d1Hi), bc(EXP_MAGIC));
    FloatVector kn = bc(EXP_MAGIC).sub(tt);
    FloatVector r = zc.fma(bc(-d1Hi), kn);
    r = zc.fma(bc(-d1Lo), r);
    r = zc.mul(zz).fma(bc(-d3), r);
    FloatVector pe = exp2Reduced(r);
    FloatVector sk = pow2(tt);
    FloatVector d = pe.fma(sk, bc(1f));
    if (derivative) {
      // S + u S(1-S) y'(u) = S (1 + z (E1 + E3 z²) E S), S = 1/d (E S <= 1: no overflow for large E),
      // u y'(u) = z (E1 + E3 z²), E1 = C1/T = e1, E3 = 3 C3/T³ = e3; z clamped (NaN kept)
      FloatVector zd = atMost(zl, zmax);
      FloatVector sg = bc(1f).div(d);
      FloatVector es = pe.mul(sk).mul(sg);
      return zd.mul(zz.fma(e3, e1)).fma(es, bc(1f)).mul(sg);
    }
    return zl.div(d);
  }


  static void gudermanlu(float[] z, int zo, float[] out, int oo, int n, float zmax, float gHi, float gLo, float c4) {
    int i = 0;
    for (int bound = F.loopBound(n); i < bound; i += LANES) {
      FloatVector x = FloatVector.fromArray(F, z, zo + i);
      gudermanluV(x, zmax, gHi, gLo, c4, false).intoArray(out, oo + i);
    }
    if (i < n) {
      gudermanluTail(z, zo, out, oo, n, i, zmax, gHi, gLo, c4);
    }
  }

  private static void gudermanluTail(float[] z, int zo, float[] out, int oo, int n, int i, float zmax, float gHi, float gLo, float c4) {
    VectorMask<Float> m = F.indexInRange(i, n);
    FloatVector x = FloatVector.fromArray(F, z, zo + i, m);
    gudermanluV(x, zmax, gHi, gLo, c4, false).intoArray(out, oo + i, m);
  }

  static void gudermanluDerivative(float[] z, int zo, float[] out, int oo, int n, float zmax, float gHi, float gLo, float c4) {
    int i = 0;
    for (int bound = F.loopBound(n); i < bound; i += LANES) {
      FloatVector x = FloatVector.fromArray(F, z, zo + i);
      gudermanluV(x, zmax, gHi, gLo, c4, true).intoArray(out, oo + i);
    }
    if (i < n) {
      gudermanluDerivativeTail(z, zo, out, oo, n, i, zmax, gHi, gLo, c4);
    }
  }

  private static void gudermanluDerivativeTail(float[] z, int zo, float[] out, int oo, int n, int i, float zmax, float gHi, float gLo, float c4) {
    VectorMask<Float> m = F.indexInRange(i, n);
    FloatVector x = FloatVector.fromArray(F, z, zo + i, m);
    gudermanluV(x, zmax, gHi, gLo, c4, true).intoArray(out, oo + i, m);
  }


  // ½ + (2/π) atan(tanh u) = (2/π) atan(e^{2u}) (tan addition formula): no cancellation for u → -∞.
  // With t = e^{-2|u|} = 2^{-|z| G} <= 1, G = 2 log2e/T = gHi + gLo (reduced like exp2):
  // (2/π) atan t = t P(t²)/Q(t²), so gate = t P/Q for u < 0 and (Q - t P)/Q for u >= 0, one division;
  // gate' = (4/π) t/(1+t²), and gate + u gate' over one division as well. c4 = (4/π)/T.
  private static FloatVector gudermanluV(FloatVector z, float zmax, float gHi, float gLo, float c4,
      boolean derivative) {
    FloatVector zl = atLeast(z, -zmax);
    VectorMask<Float> pos = zl.compare(GE, 0f);
    // |u| <= 43.5 (zmax): |z| G <= 125.6
    FloatVector na = atLeastNegBits(negAbs(zl), -zmax);
    FloatVector tt = na.fma(gHi, EXP_MAGIC);
    FloatVector kn = bc(EXP_MAGIC).sub(tt);
    FloatVector r = na.fma(bc(gHi), kn);
    r = na.fma(bc(gLo), r);
    FloatVector t = exp2Reduced(r).mul(pow2(tt));
    FloatVector s = t.mul(t);
    FloatVector p = s.fma(GD_P2, GD_P1);
    FloatVector q = s.fma(GD_Q3, GD_Q2);
    p = p.fma(s, bc(GD_P0));
    q = q.fma(s, bc(GD_Q1));
    q = q.fma(s, bc(1f));
    FloatVector tp = t.mul(p);
    FloatVector num = tp.blend(q.sub(tp), pos);
    if (derivative) {
      // (num (1+s) + u (4/π) t q) / (q (1+s))
      FloatVector s1 = s.add(1f);
      return atMost(zl, zmax).mul(c4).mul(t).fma(q, num.mul(s1)).div(q.mul(s1));
    }
    return zl.mul(num).div(q);
  }


  static void gumbellu(float[] z, int zo, float[] out, int oo, int n, float zlo, float zhi, float kHi, float kLo, float c) {
    int i = 0;
    for (int bound = F.loopBound(n); i < bound; i += LANES) {
      FloatVector x = FloatVector.fromArray(F, z, zo + i);
      gumbelluV(x, zlo, zhi, kHi, kLo, c, false).intoArray(out, oo + i);
    }
    if (i < n) {
      gumbelluTail(z, zo, out, oo, n, i, zlo, zhi, kHi, kLo, c);
    }
  }

  private static void gumbelluTail(float[] z, int zo, float[] out, int oo, int n, int i, float zlo, float zhi, float kHi, float kLo, float c) {
    VectorMask<Float> m = F.indexInRange(i, n);
    FloatVector x = FloatVector.fromArray(F, z, zo + i, m);
    gumbelluV(x, zlo, zhi, kHi, kLo, c, false).intoArray(out, oo + i, m);
  }

  static void gumbelluDerivative(float[] z, int zo, float[] out, int oo, int n, float zlo, float zhi, float kHi, float kLo, float c) {
    int i = 0;
    for (int bound = F.loopBound(n); i < bound; i += LANES) {
      FloatVector x = FloatVector.fromArray(F, z, zo + i);
      gumbelluV(x, zlo, zhi, kHi, kLo, c, true).intoArray(out, oo + i);
    }
    if (i < n) {
      gumbelluDerivativeTail(z, zo, out, oo, n, i, zlo, zhi, kHi, kLo, c);
    }
  }

  private static void gumbelluDerivativeTail(float[] z, int zo, float[] out, int oo, int n, int i, float zlo, float zhi, float kHi, float kLo, float c) {
    VectorMask<Float> m = F.indexInRange(i, n);
    FloatVector x = FloatVector.fromArray(F, z, zo + i, m);
    gumbelluV(x, zlo, zhi, kHi, kLo, c, true).intoArray(out, oo + i, m);
  }


  // z exp(-E), E = e^{-u} = 2^{z K}, K = -log2e/T = kHi + kLo (reduced like exp2). The relative error
  // of E is multiplied by E in the gate, so E = s (1 + p) (s = 2^k, p = 2^r - 1 with relative
  // accuracy) is kept as the exact pair e + el (Fast2Sum of s + s p; s p is exact) and reduced as
  // -E log2e = -e LOG2E - e LOG2E_LO - el LOG2E, the first product exact inside its FMA.
  // zlo = 4.45 T: below, the gate e^{-E} (E >= 85.6) is below 1e-37 (2^-k2 stays a normal float);
  // zhi = 87 T: above, E = e^{-u} is below 1.7e-38 and the gate 1. c = 1/T (derivative).
  private static FloatVector gumbelluV(FloatVector z, float zlo, float zhi, float kHi, float kLo,
      float c, boolean derivative) {
    FloatVector zl = atLeast(z, -zlo);
    FloatVector zc = atMostBits(zl, zhi);
    FloatVector tt = zc.fma(kHi, EXP_MAGIC);
    FloatVector kn = bc(EXP_MAGIC).sub(tt);
    FloatVector r = zc.fma(bc(kHi), kn);
    r = zc.fma(bc(kLo), r);
    FloatVector s = pow2(tt);
    FloatVector sp = exp2m1Reduced(r).mul(s);
    FloatVector e = s.add(sp);
    FloatVector el = s.sub(e).add(sp);
    // gate = 2^{-E log2e}: k2 = round(-E log2e) >= -124
    FloatVector te = e.fma(-LOG2E, EXP_MAGIC);
    FloatVector ke = bc(EXP_MAGIC).sub(te);
    FloatVector re = e.fma(bc(-LOG2E), ke);
    re = e.fma(bc(-LOG2E_LO), re);
    re = el.fma(bc(-LOG2E), re);
    FloatVector gate = exp2Reduced(re).mul(pow2(te));
    if (derivative) {
      // gate + u E gate
      return atMost(zl, zhi).mul(c).mul(e).fma(gate, gate);
    }
    return zl.mul(gate);
  }


  static void algebraiclu(float[] z, int zo, float[] out, int oo, int n, float zmax, float c) {
    int i = 0;
    for (int bound = F.loopBound(n); i < bound; i += LANES) {
      FloatVector x = FloatVector.fromArray(F, z, zo + i);
      algebraicluV(x, zmax, c, false).intoArray(out, oo + i);
    }
    if (i < n) {
      algebraicluTail(z, zo, out, oo, n, i, zmax, c);
    }
  }

  private static void algebraicluTail(float[] z, int zo, float[] out, int oo, int n, int i, float zmax, float c) {
    VectorMask<Float> m = F.indexInRange(i, n);
    FloatVector x = FloatVector.fromArray(F, z, zo + i, m);
    algebraicluV(x, zmax, c, false).intoArray(out, oo + i, m);
  }

  static void algebraicluDerivative(float[] z, int zo, float[] out, int oo, int n, float zmax, float c) {
    int i = 0;
    for (int bound = F.loopBound(n); i < bound; i += LANES) {
      FloatVector x = FloatVector.fromArray(F, z, zo + i);
      algebraicluV(x, zmax, c, true).intoArray(out, oo + i);
    }
    if (i < n) {
      algebraicluDerivativeTail(z, zo, out, oo, n, i, zmax, c);
    }
  }

  private static void algebraicluDerivativeTail(float[] z, int zo, float[] out, int oo, int n, int i, float zmax, float c) {
    VectorMask<Float> m = F.indexInRange(i, n);
    FloatVector x = FloatVector.fromArray(F, z, zo + i, m);
    algebraicluV(x, zmax, c, true).intoArray(out, oo + i, m);
  }


  // gate 1 + u/s, s = √(1+u²), m = s + |u|: u >= 0 → m/s; u < 0 → 1/(m s) (= (s-|u|)/s without the
  // cancellation). Derivative ½(gate + u/(s q)), q = 1+u², over one division. The algebraic gate
  // does not amplify the rounding of u (d log g/d log u ∈ [-2, 1]), so u is a single float.
  private static FloatVector algebraicluV(FloatVector z, float zmax, float c, boolean derivative) {
    FloatVector zl = atLeast(z, -zmax);
    FloatVector u = atMost(zl, zmax).mul(c);
    FloatVector q = u.fma(u, bc(1f));
    FloatVector s = q.sqrt();
    FloatVector m = s.add(u.abs());
    VectorMask<Float> pos = u.compare(GE, 0f);
    if (derivative) {
      FloatVector num = q.add(u.mul(m)).blend(m.fma(q, u), pos);
      FloatVector den = s.mul(q);
      den = den.mul(m).blend(den, pos);
      return num.div(den.mul(2f));
    }
    FloatVector num = bc(1f).blend(m, pos);
    FloatVector den = m.mul(s).blend(s, pos);
    return zl.mul(0.5f).mul(num.div(den));
  }


  static void gelu(float[] z, int zo, float[] out, int oo, int n, float zmax, float gHi, float gLo, float hc,
      float dScale) {
    int i = 0;
    for (int bound = F.loopBound(n); i < bound; i += LANES) {
      FloatVector x = FloatVector.fromArray(F, z, zo + i);
      geluV(x, zmax, gHi, gLo, hc, dScale, false).intoArray(out, oo + i);
    }
    if (i < n) {
      geluTail(z, zo, out, oo, n, i, zmax, gHi, gLo, hc, dScale);
    }
  }

  private static void geluTail(float[] z, int zo, float[] out, int oo, int n, int i, float zmax, float gHi, float gLo, float hc,
      float dScale) {
    VectorMask<Float> m = F.indexInRange(i, n);
    FloatVector x = FloatVector.fromArray(F, z, zo + i, m);
    geluV(x, zmax, gHi, gLo, hc, dScale, false).intoArray(out, oo + i, m);
  }

  static void geluDerivative(float[] z, int zo, float[] out, int oo, int n, float zmax, float gHi, float gLo, float hc,
      float dScale) {
    int i = 0;
    for (int bound = F.loopBound(n); i < bound; i += LANES) {
      FloatVector x = FloatVector.fromArray(F, z, zo + i);
      geluV(x, zmax, gHi, gLo, hc, dScale, true).intoArray(out, oo + i);
    }
    if (i < n) {
      geluDerivativeTail(z, zo, out, oo, n, i, zmax, gHi, gLo, hc, dScale);
    }
  }

  private static void geluDerivativeTail(float[] z, int zo, float[] out, int oo, int n, int i, float zmax, float gHi, float gLo, float hc,
      float dScale) {
    VectorMask<Float> m = F.indexInRange(i, n);
    FloatVector x = FloatVector.fromArray(F, z, zo + i, m);
    geluV(x, zmax, gHi, gLo, hc, dScale, true).intoArray(out, oo + i, m);
  }


  // z Φ(u), Φ(u) = 1 - ½erfc(w) for u >= 0, ½erfc(w) for u < 0, w = |u|/√2 = |z| c, c = 1/(T√2).
  // ½erfc(w) = e^{-w²} erfcx(w)/2 with e^{-w²} = 2^{-z² G}, G = c² log2e = gHi + gLo, z² = zz + zzl
  // exactly (one FMA), reduced like exp2 (the products never rounded on their own); erfcx from
  // t = 1/(1 + w/2), hc = -c/2. Derivative Φ(u) + u φ(u) = Φ + z e^{-w²}/(T√(2π)) shares e^{-w²};
  // dScale = 1/(T√(2π)). zmax = 9.37√2 T: e^{-w²} is flushed there (z² G <= 126.7).
  private static FloatVector geluV(FloatVector z, float zmax, float gHi, float gLo, float hc,
      float dScale, boolean derivative) {
    FloatVector zl = atLeast(z, -zmax);
    VectorMask<Float> pos = zl.compare(GE, 0f);
    FloatVector na = atLeastNegBits(negAbs(zl), -zmax);
    FloatVector zz = na.mul(na);
    FloatVector tt = zz.fma(-gHi, EXP_MAGIC);
    FloatVector kn = bc(EXP_MAGIC).sub(tt);
    FloatVector r = zz.fma(bc(-gHi), kn);
    r = zz.fma(bc(-gLo), r);
    FloatVector e;
    if (derivative) {
      e = exp2Reduced6(r).mul(pow2(tt));
    } else {
      e = exp2Reduced(r).mul(pow2(tt));
    }
    FloatVector h = e.mul(halfErfcx(bc(1f).div(na.fma(hc, 1f))));
    FloatVector phi = h.blend(bc(1f).sub(h), pos);
    if (derivative) {
      return atMost(zl, zmax).mul(dScale).fma(e, phi);
    }
    return zl.mul(phi);
  }

  /**
   * Exponential units (elu, selu, celu): {@code z > 0 ? s z : sa (e^{cz} − 1)}, derivative
   * {@code z > 0 ? s : sa e^{cz}} with sa = s·a·c (the left-hand limit at 0). With cz clamped to
   * [−88, 0] and reduced like exp: e^{cz} = 2^k (1 + p), e^{cz} − 1 = 2^k p + (2^k − 1), p = e^r − 1,
   * so both keep relative accuracy (near 0 and in the tail); −∞ gives −sa, the limit.
   */
  static void expUnit(float[] z, int zo, float[] out, int oo, int n, float s, float sa, float c) {
    int i = 0;
    for (int bound = F.loopBound(n); i < bound; i += LANES) {
      FloatVector x = FloatVector.fromArray(F, z, zo + i);
      expUnitV(x, s, sa, c, false).intoArray(out, oo + i);
    }
    if (i < n) {
      expUnitTail(z, zo, out, oo, n, i, s, sa, c);
    }
  }

  private static void expUnitTail(float[] z, int zo, float[] out, int oo, int n, int i, float s, float sa, float c) {
    VectorMask<Float> m = F.indexInRange(i, n);
    FloatVector x = FloatVector.fromArray(F, z, zo + i, m);
    expUnitV(x, s, sa, c, false).intoArray(out, oo + i, m);
  }

  static void expUnitDerivative(float[] z, int zo, float[] out, int oo, int n, float s, float sa, float c) {
    int i = 0;
    for (int bound = F.loopBound(n); i < bound; i += LANES) {
      FloatVector x = FloatVector.fromArray(F, z, zo + i);
      expUnitV(x, s, sa, c, true).intoArray(out, oo + i);
    }
    if (i < n) {
      expUnitDerivativeTail(z, zo, out, oo, n, i, s, sa, c);
    }
  }

  private static void expUnitDerivativeTail(float[] z, int zo, float[] out, int oo, int n, int i, float s, float sa, float c) {
    VectorMask<Float> m = F.indexInRange(i, n);
    FloatVector x = FloatVector.fromArray(F, z, zo + i, m);
    expUnitV(x, s, sa, c, true).intoArray(out, oo + i, m);
  }

  private static FloatVector expUnitV(FloatVector z, float s, float sa, float c, boolean derivative) {
    FloatVector y = atMost(atLeast(z.mul(c), EXP_MIN), 0f);
    FloatVector t = y.fma(LOG2E, EXP_MAGIC);
    FloatVector k = t.sub(EXP_MAGIC);
    FloatVector r = k.fma(bc(-LN2_HI), y);
    r = k.fma(bc(-LN2_LO), r);
    FloatVector p = expm1Reduced(r);
    FloatVector q = pow2(t);
    VectorMask<Float> pos = z.compare(GT, 0f);
    if (derivative) {
      return q.fma(p, q).mul(sa).blend(s, pos);
    }
    return q.fma(p, q.sub(1f)).mul(sa).blend(z.mul(s), pos);
  }

  /**
   * Mish z·g, g = tanh(softplus z) = n/(n + 2), n = w(w + 2), w = e^z (z ≤ 0), and
   * g = (1 + 2u)/(1 + 2u + 2u²), u = e^{−z} (z &gt; 0): one exponential e = e^{−|z|} for both sides.
   * Derivative g + z g' with g' = 4w(w + 1)/(n + 2)² (z ≤ 0), 4u²(1 + u)/(1 + 2u + 2u²)² (z &gt; 0).
   * z is clamped to ±100 for the products, where g is 0 or 1 and g' is 0 in float (limits at ±∞).
   */
  static void mish(float[] z, int zo, float[] out, int oo, int n) {
    int i = 0;
    for (int bound = F.loopBound(n); i < bound; i += LANES) {
      FloatVector x = FloatVector.fromArray(F, z, zo + i);
      mishV(x, false).intoArray(out, oo + i);
    }
    if (i < n) {
      mishTail(z, zo, out, oo, n, i);
    }
  }

  private static void mishTail(float[] z, int zo, float[] out, int oo, int n, int i) {
    VectorMask<Float> m = F.indexInRange(i, n);
    FloatVector x = FloatVector.fromArray(F, z, zo + i, m);
    mishV(x, false).intoArray(out, oo + i, m);
  }

  static void mishDerivative(float[] z, int zo, float[] out, int oo, int n) {
    int i = 0;
    for (int bound = F.loopBound(n); i < bound; i += LANES) {
      FloatVector x = FloatVector.fromArray(F, z, zo + i);
      mishV(x, true).intoArray(out, oo + i);
    }
    if (i < n) {
      mishDerivativeTail(z, zo, out, oo, n, i);
    }
  }

  private static void mishDerivativeTail(float[] z, int zo, float[] out, int oo, int n, int i) {
    VectorMask<Float> m = F.indexInRange(i, n);
    FloatVector x = FloatVector.fromArray(F, z, zo + i, m);
    mishV(x, true).intoArray(out, oo + i, m);
  }

  private static FloatVector mishV(FloatVector z, boolean derivative) {
    FloatVector e = exp(negAbs(z));
    VectorMask<Float> pos = z.compare(GT, 0f);
    FloatVector e2 = e.mul(e);
    FloatVector nn = e.fma(e, e.add(e));
    FloatVector num = nn.blend(e.fma(2f, 1f), pos);
    FloatVector den = nn.add(2f).blend(e2.fma(2f, 1f).add(e.add(e)), pos);
    FloatVector g = num.div(den);
    FloatVector zc = atMost(atLeast(z, -100f), 100f);
    if (derivative) {
      FloatVector g1 = e.blend(e2, pos).mul(e.add(1f)).mul(4f).div(den.mul(den));
      return zc.fma(g1, g);
    }
    return atLeast(z, -100f).mul(g);
  }

  /** Softsign z/(1 + |z|) (z clamped to ±1e30, where it is ±1 in float) and 1/(1 + |z|)². */
  static void softsign(float[] z, int zo, float[] out, int oo, int n) {
    int i = 0;
    for (int bound = F.loopBound(n); i < bound; i += LANES) {
      FloatVector x = FloatVector.fromArray(F, z, zo + i);
      softsignV(x, false).intoArray(out, oo + i);
    }
    if (i < n) {
      softsignTail(z, zo, out, oo, n, i);
    }
  }

  private static void softsignTail(float[] z, int zo, float[] out, int oo, int n, int i) {
    VectorMask<Float> m = F.indexInRange(i, n);
    FloatVector x = FloatVector.fromArray(F, z, zo + i, m);
    softsignV(x, false).intoArray(out, oo + i, m);
  }

  static void softsignDerivative(float[] z, int zo, float[] out, int oo, int n) {
    int i = 0;
    for (int bound = F.loopBound(n); i < bound; i += LANES) {
      FloatVector x = FloatVector.fromArray(F, z, zo + i);
      softsignV(x, true).intoArray(out, oo + i);
    }
    if (i < n) {
      softsignDerivativeTail(z, zo, out, oo, n, i);
    }
  }

  private static void softsignDerivativeTail(float[] z, int zo, float[] out, int oo, int n, int i) {
    VectorMask<Float> m = F.indexInRange(i, n);
    FloatVector x = FloatVector.fromArray(F, z, zo + i, m);
    softsignV(x, true).intoArray(out, oo + i, m);
  }

  private static FloatVector softsignV(FloatVector z, boolean derivative) {
    FloatVector zc = atMost(atLeast(z, -1e30f), 1e30f);
    FloatVector d = zc.abs().add(1f);
    if (derivative) {
      return bc(1f).div(d.mul(d));
    }
    return zc.div(d);
  }

  /** Hard tanh max(−1, min(1, z)) and its derivative 1 on (−1, 1], 0 elsewhere (NaN stays NaN). */
  static void hardtanh(float[] z, int zo, float[] out, int oo, int n) {
    int i = 0;
    for (int bound = F.loopBound(n); i < bound; i += LANES) {
      FloatVector x = FloatVector.fromArray(F, z, zo + i);
      hardtanhV(x, false).intoArray(out, oo + i);
    }
    if (i < n) {
      hardtanhTail(z, zo, out, oo, n, i);
    }
  }

  private static void hardtanhTail(float[] z, int zo, float[] out, int oo, int n, int i) {
    VectorMask<Float> m = F.indexInRange(i, n);
    FloatVector x = FloatVector.fromArray(F, z, zo + i, m);
    hardtanhV(x, false).intoArray(out, oo + i, m);
  }

  static void hardtanhDerivative(float[] z, int zo, float[] out, int oo, int n) {
    int i = 0;
    for (int bound = F.loopBound(n); i < bound; i += LANES) {
      FloatVector x = FloatVector.fromArray(F, z, zo + i);
      hardtanhV(x, true).intoArray(out, oo + i);
    }
    if (i < n) {
      hardtanhDerivativeTail(z, zo, out, oo, n, i);
    }
  }

  private static void hardtanhDerivativeTail(float[] z, int zo, float[] out, int oo, int n, int i) {
    VectorMask<Float> m = F.indexInRange(i, n);
    FloatVector x = FloatVector.fromArray(F, z, zo + i, m);
    hardtanhV(x, true).intoArray(out, oo + i, m);
  }

  private static FloatVector hardtanhV(FloatVector z, boolean derivative) {
    if (derivative) {
      VectorMask<Float> inside = z.compare(GT, -1f).and(z.compare(jdk.incubator.vector.VectorOperators.LE, 1f));
      // NaN fails every comparison and stays z
      return z.blend(0f, z.compare(jdk.incubator.vector.VectorOperators.LE, -1f))
          .blend(0f, z.compare(GT, 1f)).blend(1f, inside);
    }
    return atMost(atLeast(z, -1f), 1f);
  }

  /** Hard swish: 0 (z ≤ −3), z(z + 3)/6, z (z ≥ 3); derivative 0, (2z + 3)/6, 1 (z &gt; 3). */
  static void hardswish(float[] z, int zo, float[] out, int oo, int n) {
    int i = 0;
    for (int bound = F.loopBound(n); i < bound; i += LANES) {
      FloatVector x = FloatVector.fromArray(F, z, zo + i);
      hardswishV(x, false).intoArray(out, oo + i);
    }
    if (i < n) {
      hardswishTail(z, zo, out, oo, n, i);
    }
  }

  private static void hardswishTail(float[] z, int zo, float[] out, int oo, int n, int i) {
    VectorMask<Float> m = F.indexInRange(i, n);
    FloatVector x = FloatVector.fromArray(F, z, zo + i, m);
    hardswishV(x, false).intoArray(out, oo + i, m);
  }

  static void hardswishDerivative(float[] z, int zo, float[] out, int oo, int n) {
    int i = 0;
    for (int bound = F.loopBound(n); i < bound; i += LANES) {
      FloatVector x = FloatVector.fromArray(F, z, zo + i);
      hardswishV(x, true).intoArray(out, oo + i);
    }
    if (i < n) {
      hardswishDerivativeTail(z, zo, out, oo, n, i);
    }
  }

  private static void hardswishDerivativeTail(float[] z, int zo, float[] out, int oo, int n, int i) {
    VectorMask<Float> m = F.indexInRange(i, n);
    FloatVector x = FloatVector.fromArray(F, z, zo + i, m);
    hardswishV(x, true).intoArray(out, oo + i, m);
  }

  private static FloatVector hardswishV(FloatVector z, boolean derivative) {
    VectorMask<Float> off = z.compare(jdk.incubator.vector.VectorOperators.LE, -3f);
    if (derivative) {
      return z.fma(2f, 3f).div(6f).blend(1f, z.compare(GT, 3f)).blend(0f, off);
    }
    // z + 3 is exact for z in [−6, −1.5] (Sterbenz), so no cancellation near −3
    return z.mul(z.add(3f)).div(6f).blend(z, z.compare(GE, 3f)).blend(0f, off);
  }
}
