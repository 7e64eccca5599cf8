package org.finwidth.random;

/**
 * The engine's standard normals: the Box–Muller transform (G. E. P. Box and M. E. Muller, "A note
 * on the generation of random normal deviates", Ann. Math. Statist. 29 (1958) 610–611) evaluated
 * in float arithmetic with hand-written polynomials, on the words of a {@link RandomStreams}
 * stream. This class is the scalar definition; the SIMD kernels reproduce it bit for bit (every
 * step is an IEEE-754 operation with one rounding: {@code +}, {@code *}, fused multiply-add,
 * square root, int-to-float conversion, bit operations), in the same order.
 *
 * <h2>Transform</h2>
 * A radius word {@code a} and an angle word {@code b} (two 32-bit words) give the pair
 * <pre>
 *   R = sqrt(-2 ln U),  U = (a&gt;&gt;&gt;1 + 1/2) 2<sup>-31</sup> in (0, 1),   theta = 2 pi b / 2<sup>32</sup>,
 *   (z<sub>c</sub>, z<sub>s</sub>) = (R cos theta, R sin theta).
 * </pre>
 * {@code ln} is computed as {@code k ln 2 + log1p(x)} with {@code U = 2^k (1 + x)},
 * {@code 1 + x} in [sqrt(1/2), sqrt(2)), and a degree-9 polynomial for {@code log1p}
 * ({@link #radiusSquared}). The angle is split exactly in integer arithmetic into a quadrant and
 * a remainder {@code x} in [-1, 1) (theta = q pi/2 + x pi/4); {@code sin(x pi/4)} and
 * {@code cos(x pi/4)} are odd degree-7 and even degree-8 minimax polynomials, and the quadrant
 * rotation is a swap and sign flips ({@link #cosTurn}, {@link #sinTurn}).
 *
 * <h2>Accuracy</h2>
 * Measured exhaustively against {@code Math.log}, {@code Math.sin} and {@code Math.cos} in
 * double ({@code BoxMullerExhaustiveTest}, opt-in; {@code BoxMullerTest} checks the bounds on
 * 2<sup>21</sup> random and all extreme inputs):
 * <ul>
 * <li>{@link #radiusSquared} over all 2<sup>31</sup> radius inputs: relative error at most
 *     9.5e-8 (1.6 float ulps) against -2 ln U for U as rounded to float. (U itself is rounded to
 *     24 bits above 2<sup>-7</sup>; near U = 1, where R is below 3e-4, this rounding dominates.)
 *     The log1p polynomial alone: relative error 3.0e-8 in exact arithmetic.</li>
 * <li>{@link #cosTurn}, {@link #sinTurn} over all 2<sup>32</sup> angle words: absolute error at
 *     most 1.01e-7 against cos and sin of 2 pi b / 2<sup>32</sup>. The polynomials alone, over
 *     all floats x in [2<sup>-29</sup>, 1]: relative error 1.3e-7 (sin) and 8.5e-8 (cos);
 *     3.2e-9 and 6.4e-11 in exact arithmetic.</li>
 * </ul>
 * Together: |z - R cos theta| &le; 2e-7 R against the exact transform of U as rounded to float
 * (1.8e-7 R measured over 5e7 random word pairs).
 *
 * <h2>Tail</h2>
 * The smallest U is 2<sup>-32</sup>, so |z| &le; sqrt(64 ln 2) = 6.6604 ({@link #TAIL_CAP}
 * holds the float value): the missing mass is P(|Z| &gt; 6.6604) = 2.73e-11. Below the cap the
 * radius is exact in distribution up to the discreteness of U: P(R &ge; r) is a multiple of
 * 2<sup>-31</sup>, exact at the atoms, so the far tail is resolved down to probabilities of
 * 2<sup>-31</sup> (above U = 2<sup>-7</sup>, i.e. R &lt; 3.1, U is rounded to 24 bits).
 *
 * <h2>Layout of the normals of a stream</h2>
 * Normals are grouped by {@value #GROUP}: normal {@code i} (0 &le; i &lt; 2<sup>34</sup>) has
 * group {@code g = i >>> 6}, row {@code j = (i >>> 4) & 3} and lane {@code l = i & 15}. It comes
 * from block {@code 16 g + l} of the stream (words w0..w3): rows 0 and 1 are z<sub>c</sub> and
 * z<sub>s</sub> of the pair (radius w0, angle w1), rows 2 and 3 those of (w2, w3). So sixteen
 * consecutive normals come from sixteen consecutive blocks, which is what lets SIMD lanes store
 * them without shuffles. Normal {@code i} is a pure function of (seed, network, layer, purpose,
 * i): any chunking of a range gives the same numbers.
 */
public final class BoxMuller {

  /** Counter blocks per group of normals. */
  public static final int GROUP_BLOCKS = 16;
  /** Normals per group: each block gives four. */
  public static final int GROUP = 4 * GROUP_BLOCKS;
  /** Number of normals in one stream: 2<sup>34</sup> (indices 0 .. 2<sup>34</sup> - 1). */
  public static final long MAX_INDEX = GROUP_BLOCKS * 4L * (RandomStreams.BLOCKS_PER_STREAM / GROUP_BLOCKS);

  // ---- radius: U = fma(float(a >>> 1), 2^-31, 2^-32) --------------------------------------
  /** Scale of the 31-bit radius integer. */
  public static final float U_SCALE = 0x1p-31f;
  /** Half a step of the radius integer: keeps U away from 0 (and the log finite). */
  public static final float U_OFFSET = 0x1p-32f;
  /** Bits of sqrt(1/2) as a float: splits U into 2^k (1 + x) with 1 + x in [sqrt(1/2), sqrt(2)). */
  public static final int SQRT_HALF_BITS = 0x3f3504f3;
  /** Mantissa bits of a float. */
  public static final int MANTISSA_MASK = 0x007fffff;
  /** Coefficients of -2 log1p(x) = -2x + x^2 (L0 + L1 x + ... + L7 x^7): -2 times (an exact
   *  scaling) the minimax-relative fit log1p(x) = x + x^2 Q(x) on [sqrt(1/2) - 1, sqrt(2) - 1]
   *  (Lawson's iteration on 4000 Chebyshev nodes, coefficients rounded to float). */
  public static final float L0 = -2f * -0.4999999f;
  /** See {@link #L0}. */
  public static final float L1 = -2f * 0.3333395f;
  /** See {@link #L0}. */
  public static final float L2 = -2f * -0.25001755f;
  /** See {@link #L0}. */
  public static final float L3 = -2f * 0.19962072f;
  /** See {@link #L0}. */
  public static final float L4 = -2f * -0.16570508f;
  /** See {@link #L0}. */
  public static final float L5 = -2f * 0.14917974f;
  /** See {@link #L0}. */
  public static final float L6 = -2f * -0.14307518f;
  /** See {@link #L0}. */
  public static final float L7 = -2f * 0.087348364f;
  /** -2 ln 2 rounded to float (high part). */
  public static final float NEG_TWO_LN2_HI = -1.3862944f;
  /** -2 ln 2 minus {@link #NEG_TWO_LN2_HI}, rounded to float (low part). */
  public static final float NEG_TWO_LN2_LO = (float) (-1.3862943611198906 - (double) NEG_TWO_LN2_HI);

  // ---- angle: theta = q pi/2 + x pi/4 ---------------------------------------------------
  /** Half a quadrant in angle units (2^32 per turn): rounds the quadrant to nearest. */
  public static final int HALF_QUADRANT = 0x2000_0000;
  /** Scale of the 30-bit signed remainder to x in [-1, 1). */
  public static final float X_SCALE = 0x1p-29f;
  /** sin(pi x/4) = x (S1 + S3 x^2 + S5 x^4 + S7 x^6), minimax relative on [-1, 1]. */
  public static final float S1 = 0.7853982f;
  /** See {@link #S1}. */
  public static final float S3 = -0.080745436f;
  /** See {@link #S1}. */
  public static final float S5 = 0.002490001f;
  /** See {@link #S1}. */
  public static final float S7 = -3.5950477e-05f;
  /** cos(pi x/4) = 1 + x^2 (C2 + C4 x^2 + C6 x^4 + C8 x^6), minimax relative on [-1, 1]. */
  public static final float C2 = -0.30842513f;
  /** See {@link #C2}. */
  public static final float C4 = 0.015854327f;
  /** See {@link #C2}. */
  public static final float C6 = -0.00032594008f;
  /** See {@link #C2}. */
  public static final float C8 = 3.530338e-06f;

  /** The largest |z| this construction can produce: {@code radius(0)} = sqrt(64 ln 2) ≈ 6.6604. */
  public static final float TAIL_CAP = radius(0);

  private BoxMuller() {
  }

  /**
   * R<sup>2</sup> = -2 ln U of a radius word, U = (a&gt;&gt;&gt;1 + 1/2) 2<sup>-31</sup> rounded to
   * float. Result in [0, 44.37].
   */
  public static float radiusSquared(int a) {
    float u = Math.fma((float) (a >>> 1), U_SCALE, U_OFFSET);
    // U = 2^k (1 + x): subtracting the bits of sqrt(1/2) makes the exponent field round at sqrt(2).
    int ix = Float.floatToRawIntBits(u) - SQRT_HALF_BITS;
    int k = ix >> 23;
    float x = Float.intBitsToFloat((ix & MANTISSA_MASK) + SQRT_HALF_BITS) - 1f; // exact (Sterbenz)
    float x2 = x * x;
    float q = Math.fma(x, L7, L6);
    q = Math.fma(x, q, L5);
    q = Math.fma(x, q, L4);
    q = Math.fma(x, q, L3);
    q = Math.fma(x, q, L2);
    q = Math.fma(x, q, L1);
    q = Math.fma(x, q, L0);
    float t = Math.fma(x2, q, -2f * x); // -2 log1p(x)
    float kf = k;
    // k ln 2 in two parts so that the cancellation against log1p(x) for k = -1 loses nothing.
    float r2 = Math.fma(kf, NEG_TWO_LN2_LO, t);
    return Math.fma(kf, NEG_TWO_LN2_HI, r2);
  }

  /** R = sqrt(-2 ln U) of a radius word (see {@link #radiusSquared}). */
  public static float radius(int a) {
    return (float) Math.sqrt(radiusSquared(a));
  }

  /** The remainder x in [-1, 1) of an angle word: theta = q pi/2 + x pi/4. */
  public static float angleRemainder(int b) {
    return (float) ((b << 2) >> 2) * X_SCALE;
  }

  /** sin(pi x / 4) for x in [-1, 1] (polynomial {@link #S1}). */
  public static float sinQuarterPi(float x) {
    float x2 = x * x;
    float p = Math.fma(x2, S7, S5);
    p = Math.fma(x2, p, S3);
    p = Math.fma(x2, p, S1);
    return x * p;
  }

  /** cos(pi x / 4) for x in [-1, 1] (polynomial {@link #C2}). */
  public static float cosQuarterPi(float x) {
    float x2 = x * x;
    float p = Math.fma(x2, C8, C6);
    p = Math.fma(x2, p, C4);
    p = Math.fma(x2, p, C2);
    return Math.fma(x2, p, 1f);
  }

  /** cos(2 pi b / 2<sup>32</sup>) of an angle word. */
  public static float cosTurn(int b) {
    float x = angleRemainder(b);
    int v = b + HALF_QUADRANT; // quadrant q = v >>> 30
    // q odd: cos(q pi/2 + phi) = -+sin(phi); negative for q = 1, 2, i.e. bit 31 of v + 2^30.
    float c = (v & 0x4000_0000) != 0 ? sinQuarterPi(x) : cosQuarterPi(x);
    return Float.intBitsToFloat(Float.floatToRawIntBits(c) ^ ((v + 0x4000_0000) & 0x8000_0000));
  }

  /** sin(2 pi b / 2<sup>32</sup>) of an angle word. */
  public static float sinTurn(int b) {
    float x = angleRemainder(b);
    int v = b + HALF_QUADRANT;
    // q odd: sin(q pi/2 + phi) = +-cos(phi); negative for q = 2, 3, i.e. bit 31 of v.
    float s = (v & 0x4000_0000) != 0 ? cosQuarterPi(x) : sinQuarterPi(x);
    return Float.intBitsToFloat(Float.floatToRawIntBits(s) ^ (v & 0x8000_0000));
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
   * Normal {@code index} of a stream, times {@code scale}: {@code (scale * R) * cos theta} or
   * {@code (scale * R) * sin theta} as the layout above says. This is the definition every
   * {@code NormalKernels} implementation reproduces bit for bit; it computes a whole Philox
   * block per call (use the kernels for ranges).
   *
   * @param index 0 &le; index &lt; 2<sup>34</sup>
   * @param scale standard deviation to apply (1 for a standard normal: multiplying by 1 is exact)
   * @throws IllegalArgumentException if layer, purpose or index is out of its domain
   */
  public static float normal(long seed, long network, int layer, int purpose, long index, float scale) {
    int c1 = RandomStreams.counter1(layer, purpose);
    checkRange(index, 1);
    long block = (index >>> 6 << 4) | (index & 15);
    int row = (int) (index >>> 4) & 3;
    int a = Philox4x32.word(RandomStreams.key0(seed), RandomStreams.key1(seed), (int) block, c1,
        RandomStreams.counter2(network), RandomStreams.counter3(network), row & 2);
    int b = Philox4x32.word(RandomStreams.key0(seed), RandomStreams.key1(seed), (int) block, c1,
        RandomStreams.counter2(network), RandomStreams.counter3(network), (row & 2) + 1);
    float r = scale * radius(a);
    return (row & 1) == 0 ? r * cosTurn(b) : r * sinTurn(b);
  }

  /** Standard normal {@code index} of a stream: {@link #normal(long, long, int, int, long, float)} with scale 1. */
  public static float normal(long seed, long network, int layer, int purpose, long index) {
    return normal(seed, network, layer, purpose, index, 1f);
  }
}
