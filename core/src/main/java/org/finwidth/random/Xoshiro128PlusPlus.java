package org.finwidth.random;

/**
 * The xoshiro128++ generator of D. Blackman and S. Vigna, "Scrambled linear pseudorandom number
 * generators", ACM Trans. Math. Softw. 47(4), article 36 (2021), doi:10.1145/3460772: a 128-bit
 * state {@code (s0, s1, s2, s3)} of 32-bit words, period 2<sup>128</sup> - 1, one 32-bit output
 * per step, using only 32-bit additions, xors, shifts and rotations (so that SIMD lanes can run it
 * with 32-bit integer instructions: no multiplication, no 64-bit lanes). One step:
 * <pre>
 *   output = rotl(s0 + s3, 7) + s0
 *   t = s1 &lt;&lt; 9;  s2 ^= s0;  s3 ^= s1;  s1 ^= s2;  s0 ^= s3;  s2 ^= t;  s3 = rotl(s3, 11)
 * </pre>
 * The output sequence equals Commons RNG 1.7's {@code XoShiRo128PlusPlus} seeded with the same
 * four words (see the tests). The engine runs it on lanes seeded by Philox4x32-10
 * ({@link BoxMuller} says how); this class holds the scalar step for the reference code. A state
 * must not be all zero (it would stay zero): {@link #seedWord0} repairs that case.
 */
public final class Xoshiro128PlusPlus {

  /** Rotation of the ++ scrambler. */
  public static final int ROT_OUT = 7;
  /** Shift of the linear engine. */
  public static final int SHIFT = 9;
  /** Rotation of the linear engine. */
  public static final int ROT_STATE = 11;

  private Xoshiro128PlusPlus() {
  }

  /**
   * Word 0 of a state seeded with {@code (w0, w1, w2, w3)}: {@code w0}, except 1 if all four words
   * are zero (the one state xoshiro cannot leave; a Philox block is all zero with probability
   * 2<sup>-128</sup>).
   */
  public static int seedWord0(int w0, int w1, int w2, int w3) {
    return (w0 | w1 | w2 | w3) == 0 ? 1 : w0;
  }

  /**
   * Runs {@code steps} steps on {@code state} (4 words, updated in place) and returns the last
   * output (0 if {@code steps} is 0).
   *
   * @throws IllegalArgumentException if {@code steps < 0}
   */
  public static int advance(int[] state, int steps) {
    if (steps < 0) {
      throw new IllegalArgumentException("steps must be >= 0, got " + steps);
    }
    int s0 = state[0];
    int s1 = state[1];
    int s2 = state[2];
    int s3 = state[3];
    int out = 0;
    for (int i = 0; i < steps; i++) {
      out = Integer.rotateLeft(s0 + s3, ROT_OUT) + s0;
      int t = s1 << SHIFT;
      s2 ^= s0;
      s3 ^= s1;
      s1 ^= s2;
      s0 ^= s3;
      s2 ^= t;
      s3 = Integer.rotateLeft(s3, ROT_STATE);
    }
    state[0] = s0;
    state[1] = s1;
    state[2] = s2;
    state[3] = s3;
    return out;
  }
}
