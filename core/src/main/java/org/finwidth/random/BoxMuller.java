package org.finwidth.random;

/**
 * The engine's standard normals: the Box–Muller transform (G. E. P. Box and M. E. Muller, "A note
 * on the generation of random normal deviates", Ann. Math. Statist. 29 (1958) 610–611) evaluated
 * in float arithmetic with hand-written polynomials, on 32-bit words of xoshiro128++ lanes seeded
 * by Philox4x32-10. This class is the scalar definition; the SIMD kernels reproduce it bit for bit
 * (every step is an IEEE-754 operation with one rounding: {@code +}, {@code *}, fused
 * multiply-add, square root, int-to-float conversion, bit operations), in the same order.
 *
 * <h2>Stream of normals</h2>
 * The normals of a stream {@code (seed, network, layer, purpose)} are indexed by
 * {@code i} in [0, 2<sup>34</sup>) and cut into <em>segments</em> of {@value #SEGMENT}:
 * <pre>
 *   segment s = i &gt;&gt;&gt; 10,  pair j = (i &gt;&gt;&gt; 5) &amp; 31,  half h = (i &gt;&gt;&gt; 4) &amp; 1,  lane l = i &amp; 15.
 * </pre>
 * Lane {@code l} of segment {@code s} is a {@link Xoshiro128PlusPlus xoshiro128++} generator whose
 * state is the Philox4x32-10 block {@code 16 s + l} of the stream ({@link RandomStreams} keys it;
 * the all-zero block, probability 2<sup>-128</sup>, is repaired by
 * {@link Xoshiro128PlusPlus#seedWord0}). Its outputs {@code o_0, o_1, ...} are used in order:
 * pair {@code j} takes the radius word {@code a = o_2j} and the angle word {@code b = o_2j+1}, and
 * gives normal {@code i} with {@code h = 0} ({@code z_c}) and {@code i + 16} ({@code z_s}). So
 * sixteen consecutive normals come from sixteen lanes, which SIMD code stores without shuffles, and
 * normal {@code i} is a pure function of (seed, network, layer, purpose, i): any chunking of a range
 * gives the same numbers. Computing normal {@code i} costs 16 Philox blocks per segment plus
 * {@code 2 j + 2} steps per lane: ranges that start at a segment boundary cost least.
 *
 * <h2>Why this uniform source</h2>
 * Philox4x32-10 (Salmon, Moraes, Dror and Shaw, SC'11, doi:10.1145/2063384.2063405) is
 * counter-based and passes BigCrush, but its 32x32&rarr;64-bit products need 64-bit vector lanes
 * ({@code vpmuludq}): on AVX2 it costs about 6 vector instructions per 32-bit word, more than the
 * whole Box–Muller transform per normal (measured: bench/README.md). Salmon et al. (§4, Table 2)
 * find 7 rounds the fewest that pass TestU01's Crush batteries, which would save only 30 %.
 * xoshiro128++ needs about 1.8 instructions per word (adds, xors, shifts) and passes BigCrush
 * without systematic failures (Blackman and Vigna 2021, §10; unlike xoshiro128+, whose low bits
 * fail linearity tests, the ++ scrambler leaves no weak bit, and every bit is used here). It is a
 * sequential generator, so it is keyed here by position: each lane of each segment starts from an
 * independent 128-bit state drawn from the counter-based Philox4x32-10 (a different counter for
 * every lane, segment, purpose, layer and network), runs only 64 steps, and two lanes' runs overlap
 * in the period 2<sup>128</sup> - 1 with probability below 2<sup>-120</sup> per pair. Every
 * random word thus comes from a BigCrush-quality generator started from a BigCrush-quality seed,
 * and the Philox keying (and its known-answer tests) still defines every number. The tests check
 * the moments, tails and a Kolmogorov–Smirnov distance of the normals, and correlations between
 * lanes, pairs, segments and streams.
 *
 * <h2>Transform</h2>
 * A radius word {@code a} and an angle word {@code b} give the pair
 * <pre>
 *   R = sqrt(-2 ln U),  U = (a&gt;&gt;&gt;1 + 1/2) 2^-31 in (0, 1),
 *   phi = pi/4 + (pi/2) x,  x = (b &gt;&gt; 8) 2^-24 in [-1/2, 1/2),
 *   (z_c, z_s) = (&plusmn;R cos phi, &plusmn;R sin phi),
 * </pre>
 * with the sign of {@code z_c} from bit 0 of {@code a} and that of {@code z_s} from bit 0 of
 * {@code b} (set: negative). Reflecting the quarter circle phi in [0, pi/2) by two independent
 * signs gives a uniform angle on the whole circle, with no quadrant logic. {@code ln U} is computed
 * as {@code k ln 2 + log1p(x)} with {@code U = 2^k (1 + x)}, {@code 1 + x} in [sqrt(1/2),
 * sqrt(2)), and a degree-9 polynomial for {@code log1p} evaluated by Estrin's scheme
 * ({@link #radiusSquared}). {@code cos phi} and {@code sin phi} are
 * {@code sqrt(1/2) (cos(pi x/2) -+ sin(pi x/2))}, i.e. {@code C(x) -+ x P(x<sup>2</sup>)} with
 * the minimax polynomials {@code C} (even, degree 6) and {@code x P} (odd, degree 7) of
 * {@code sqrt(1/2) cos(pi x/2)} and {@code sqrt(1/2) sin(pi x/2)} on [-1/2, 1/2], each combined by
 * one fused multiply-add ({@link #cosPart}, {@link #sinPart}).
 *
 * <h2>Accuracy</h2>
 * Measured against {@code Math.log}, {@code Math.sin} and {@code Math.cos} in double
 * ({@code BoxMullerExhaustiveTest}, opt-in, over every input; {@code BoxMullerTest} checks the same
 * bounds on 2<sup>21</sup> random and all extreme inputs):
 * <ul>
 * <li>{@link #radiusSquared}: relative error at most 1.07e-7 (0.9 float ulps) against -2 ln U for
 *     U as rounded to float. (U itself is rounded to 24 bits above 2<sup>-7</sup>; near U = 1,
 *     where R is below 3e-4, this rounding dominates.)</li>
 * <li>{@link #cosPart}, {@link #sinPart} over all 2<sup>24</sup> angles: absolute error at most
 *     1.17e-7 against cos and sin of phi (the polynomials alone: 2.1e-8 and 2.2e-9).</li>
 * </ul>
 * Together: |z - R cos theta| &le; 3e-7 R against the exact transform of U as rounded to float.
 *
 * <h2>Tail</h2>
 * The smallest U is 2<sup>-32</sup>, so |z| &le; sqrt(64 ln 2) = 6.6604 ({@link #TAIL_CAP}
 * holds the float value): the missing mass is P(|Z| &gt; 6.6604) = 2.73e-11. Below the cap the
 * radius is exact in distribution up to the discreteness of U: P(R &ge; r) is a multiple of
 * 2<sup>-31</sup>, exact at the atoms, so the far tail is resolved down to probabilities of
 * 2<sup>-31</sup> (above U = 2<sup>-7</sup>, i.e. R &lt; 3.1, U is rounded to 24 bits). The angle
 * takes 2<sup>26</sup> values (2<sup>24</sup> per quadrant).
 */
public final class BoxMuller {

  /** Lanes per segment: sixteen consecutive normals come from sixteen lanes. */
  public static final int LANES = 16;
  /** Normals per run: one pair index across the lanes ({@code z_c} of 16 lanes, then their {@code z_s}). */
  public static final int RUN = 2 * LANES;
  /** Pairs (two xoshiro128++ steps each) per lane and segment. */
  public static final int PAIRS = 32;
  /** Normals per segment: 1024 (16 Philox blocks seed a segment). */
  public static final int SEGMENT = RUN * PAIRS;
  /** Two runs: a range that starts and ends on multiples of 64 is stored by the SIMD kernel
   *  without masks (the seeding unit is the {@link #SEGMENT}). */
  public static final int GROUP = 2 * RUN;
  /** Number of normals in one stream: 2<sup>34</sup> (indices 0 .. 2<sup>34</sup> - 1). */
  public static final long MAX_INDEX = 1L << 34;

  // ---- radius: V = 2^31 U = float(a >>> 1) + 1/2 ---------------------------------------------
  /** Bits of sqrt(1/2) as a float: splits U into 2^k (1 + x) with 1 + x in [sqrt(1/2), sqrt(2)). */
  public static final int SQRT_HALF_BITS = 0x3f3504f3;
  /** {@link #SQRT_HALF_BITS} with the exponent raised by 31: splits V = 2^31 U the same way, so
   *  that the 2^-31 scaling of U costs nothing. */
  public static final int SQRT_HALF_BITS_31 = SQRT_HALF_BITS + (31 << 23);
  /** Mantissa bits of a float. */
  public static final int MANTISSA_MASK = 0x007fffff;
  /**
   * Coefficients of -2 log1p(x) = t + t<sup>2</sup> (M0 + M1 t + ... + M7 t<sup>7</sup>) in
   * {@code t = -2x} (computed exactly as {@code 2 - 2(1 + x)}): the minimax-relative fit
   * log1p(x) = x + x<sup>2</sup> Q(x) on [sqrt(1/2) - 1, sqrt(2) - 1] (Lawson's iteration on 4000
   * Chebyshev nodes, coefficients q<sub>k</sub> rounded to float) rescaled exactly:
   * M<sub>k</sub> = -2 q<sub>k</sub> (-1/2)<sup>k</sup> / 4.
   */
  public static final float M0 = -2f * -0.4999999f / 4;
  /** See {@link #M0}. */
  public static final float M1 = -2f * 0.3333395f / -8;
  /** See {@link #M0}. */
  public static final float M2 = -2f * -0.25001755f / 16;
  /** See {@link #M0}. */
  public static final float M3 = -2f * 0.19962072f / -32;
  /** See {@link #M0}. */
  public static final float M4 = -2f * -0.16570508f / 64;
  /** See {@link #M0}. */
  public static final float M5 = -2f * 0.14917974f / -128;
  /** See {@link #M0}. */
  public static final float M6 = -2f * -0.14307518f / 256;
  /** See {@link #M0}. */
  public static final float M7 = -2f * 0.087348364f / -512;
  /** -2 ln 2 rounded to float (relative error 2.7e-9: one constant is enough). */
  public static final float NEG_TWO_LN2 = (float) -1.3862943611198906;

  // ---- angle: phi = pi/4 + (pi/2) x -----------------------------------------------------------
  /** Scale of the 24-bit signed angle integer {@code b >> 8} to x in [-1/2, 1/2). */
  public static final float X_SCALE = 0x1p-24f;
  /** sqrt(1/2) sin(pi x/2) = x (T1 + T3 x^2 + T5 x^4 + T7 x^6): minimax absolute on [-1/2, 1/2]
   *  (Lawson's iteration, coefficients rounded to float one at a time and the rest refitted). */
  public static final float T1 = 1.1107208f;
  /** See {@link #T1}. */
  public static final float T3 = -0.4567657f;
  /** See {@link #T1}. */
  public static final float T5 = 0.056346223f;
  /** See {@link #T1}. */
  public static final float T7 = -0.0032620004f;
  /** sqrt(1/2) cos(pi x/2) = D0 + D2 x^2 + D4 x^4 + D6 x^6: minimax absolute on [-1/2, 1/2] with
   *  D0 = sqrt(1/2) rounded to float (fitted as {@link #T1}). */
  public static final float D0 = 0.70710677f;
  /** See {@link #D0}. */
  public static final float D2 = -0.87235576f;
  /** See {@link #D0}. */
  public static final float D4 = 0.17932315f;
  /** See {@link #D0}. */
  public static final float D6 = -0.014434947f;

  /** The largest |z| this construction can produce: {@code radius(0)} = sqrt(64 ln 2) ≈ 6.6604. */
  public static final float TAIL_CAP = radius(0);

  private BoxMuller() {
  }

  /**
   * R<sup>2</sup> = -2 ln U of a radius word, U = (a&gt;&gt;&gt;1 + 1/2) 2<sup>-31</sup> rounded to
   * float. Result in [0, 44.37].
   */
  public static float radiusSquared(int a) {
    float v = (float) (a >>> 1) + 0.5f; // 2^31 U, rounded as U would be
    // V = 2^(k+31) (1 + x): subtracting the bits of sqrt(1/2) makes the exponent field round at sqrt(2).
    int ix = Float.floatToRawIntBits(v) - SQRT_HALF_BITS_31;
    float kf = ix >> 23;
    float t = Math.fma(Float.intBitsToFloat((ix & MANTISSA_MASK) + SQRT_HALF_BITS), -2f, 2f); // -2x, exact
    float t2 = t * t;
    // Estrin's scheme: a shorter dependency chain than Horner's for the SIMD kernels.
    float e0 = Math.fma(t, M1, M0);
    float e1 = Math.fma(t, M3, M2);
    float e2 = Math.fma(t, M5, M4);
    float e3 = Math.fma(t, M7, M6);
    float t4 = t2 * t2;
    e0 = Math.fma(t2, e1, e0);
    e2 = Math.fma(t2, e3, e2);
    float q = Math.fma(t4, e2, e0);
    return Math.fma(kf, NEG_TWO_LN2, Math.fma(t2, q, t)); // -2 (k ln 2 + log1p(x))
  }

  /** R = sqrt(-2 ln U) of a radius word (see {@link #radiusSquared}). */
  public static float radius(int a) {
    return (float) Math.sqrt(radiusSquared(a));
  }

  /** The angle variable x in [-1/2, 1/2) of an angle word: phi = pi/4 + (pi/2) x. */
  public static float angleX(int b) {
    return (float) (b >> 8) * X_SCALE;
  }

  /** cos phi of an angle word, phi in [0, pi/2): {@code fma(-x, P, C)}. */
  public static float cosPart(int b) {
    float x = angleX(b);
    float xn = (float) (b >> 8) * -X_SCALE;
    float y2 = x * x;
    return Math.fma(xn, sinPoly(y2), cosPoly(y2));
  }

  /** sin phi of an angle word, phi in [0, pi/2): {@code fma(x, P, C)}. */
  public static float sinPart(int b) {
    float x = angleX(b);
    float y2 = x * x;
    return Math.fma(x, sinPoly(y2), cosPoly(y2));
  }

  private static float sinPoly(float y2) {
    return Math.fma(y2, Math.fma(y2, Math.fma(y2, T7, T5), T3), T1);
  }

  private static float cosPoly(float y2) {
    return Math.fma(y2, Math.fma(y2, Math.fma(y2, D6, D4), D2), D0);
  }

  /**
   * One normal of the pair of words {@code (a, b)}, times {@code scale}: {@code z_c} (if
   * {@code sin} is false) = {@code cosPart(b) * (±scale R)}, sign from bit 0 of {@code a}, or
   * {@code z_s} = {@code sinPart(b) * (±scale R)}, sign from bit 0 of {@code b}.
   */
  public static float pairNormal(int a, int b, float scale, boolean sin) {
    int r = Float.floatToRawIntBits((float) Math.sqrt(radiusSquared(a)) * scale);
    return sin ? sinPart(b) * Float.intBitsToFloat(r ^ (b << 31))
        : cosPart(b) * Float.intBitsToFloat(r ^ (a << 31));
  }

  /**
   * Checks a range of normal indices of one stream.
   *
   * @throws IllegalArgumentException if {@code firstIndex < 0}, {@code len < 0} or
   *         {@code firstIndex + len > MAX_INDEX}
   */
  public static void checkRange(long firstIndex, int len) {
    if (firstIndex < 0 || firstIndex > MAX_INDEX) {
      throw new IllegalArgumentException("firstIndex must be in [0, 2^34], got " + firstIndex);
    }
    if (len < 0 || len > MAX_INDEX - firstIndex) {
      throw new IllegalArgumentException("len must be in [0, 2^34 - firstIndex], got " + len
          + " (firstIndex " + firstIndex + ")");
    }
  }

  /**
   * Normal {@code index} of a stream, times {@code scale}, as the layout above says. This is the
   * definition every {@code NormalKernels} implementation reproduces bit for bit; it seeds one
   * lane and runs it up to the pair (use the kernels for ranges). Allocates nothing.
   *
   * @param index 0 &le; index &lt; 2<sup>34</sup>
   * @param scale standard deviation to apply (1 for a standard normal: multiplying by 1 is exact)
   * @throws IllegalArgumentException if layer, purpose or index is out of its domain
   */
  public static float normal(long seed, long network, int layer, int purpose, long index, float scale) {
    int c1 = RandomStreams.counter1(layer, purpose);
    checkRange(index, 1);
    int k0 = RandomStreams.key0(seed);
    int k1 = RandomStreams.key1(seed);
    int c0 = (int) ((index >>> 10 << 4) | (index & 15)); // block 16 s + l
    int c2 = RandomStreams.counter2(network);
    int c3 = RandomStreams.counter3(network);
    int s1 = Philox4x32.word(k0, k1, c0, c1, c2, c3, 1);
    int s2 = Philox4x32.word(k0, k1, c0, c1, c2, c3, 2);
    int s3 = Philox4x32.word(k0, k1, c0, c1, c2, c3, 3);
    int s0 = Xoshiro128PlusPlus.seedWord0(Philox4x32.word(k0, k1, c0, c1, c2, c3, 0), s1, s2, s3);
    int a = 0;
    int b = 0;
    for (int step = 0, last = 2 * ((int) (index >>> 5) & 31) + 1; step <= last; step++) {
      // Xoshiro128PlusPlus, one step (inline, so that nothing is allocated)
      b = Integer.rotateLeft(s0 + s3, Xoshiro128PlusPlus.ROT_OUT) + s0;
      int t = s1 << Xoshiro128PlusPlus.SHIFT;
      s2 ^= s0;
      s3 ^= s1;
      s1 ^= s2;
      s0 ^= s3;
      s2 ^= t;
      s3 = Integer.rotateLeft(s3, Xoshiro128PlusPlus.ROT_STATE);
      if (step == last - 1) {
        a = b;
      }
    }
    return pairNormal(a, b, scale, (index & 16) != 0);
  }

  /** Standard normal {@code index} of a stream: {@link #normal(long, long, int, int, long, float)} with scale 1. */
  public static float normal(long seed, long network, int layer, int purpose, long index) {
    return normal(seed, network, layer, purpose, index, 1f);
  }
}
