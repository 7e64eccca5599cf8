package org.finwidth.random;

/**
 * The Philox4x32-10 counter-based bijection of Salmon, Moraes, Dror and Shaw, "Parallel random
 * numbers: as easy as 1, 2, 3", SC'11 (doi:10.1145/2063384.2063405), §4.2: a 128-bit counter
 * {@code (c0, c1, c2, c3)} and a 64-bit key {@code (k0, k1)} map to four 32-bit output words.
 *
 * <p>One round multiplies {@code c0} and {@code c2} by the constants {@link #M0} and {@link #M1}
 * into 64-bit products and mixes their high and low halves with {@code c1}, {@code c3} and the
 * round key:
 * <pre>
 *   (hi0, lo0) = M0 * c0,  (hi1, lo1) = M1 * c2
 *   (c0, c1, c2, c3) &lt;- (hi1 ^ c1 ^ k0, lo1, hi0 ^ c3 ^ k1, lo0)
 * </pre>
 * after which the key is bumped by the Weyl constants {@code k0 += W0, k1 += W1}. Ten rounds.
 * The output equals Random123's {@code philox4x32_R(10, ctr, key)} (the known-answer vectors of
 * Random123's {@code examples/kat_vectors}) and the block Commons RNG 1.7's
 * {@code org.apache.commons.rng.core.source32.Philox4x32} produces for the same key and counter
 * (see the tests).
 *
 * <p>The engine keys the counter as {@link RandomStreams} documents; this class is the bare
 * bijection. All methods are pure and thread-safe.
 */
public final class Philox4x32 {

  /** Number of rounds: 10, the value Salmon et al. recommend (7 already pass BigCrush). */
  public static final int ROUNDS = 10;
  /** Multiplier of counter word 0: {@code 0xD2511F53}. */
  public static final int M0 = 0xD2511F53;
  /** Multiplier of counter word 2: {@code 0xCD9E8D57}. */
  public static final int M1 = 0xCD9E8D57;
  /** Weyl increment of key word 0: {@code 0x9E3779B9} (golden ratio). */
  public static final int W0 = 0x9E3779B9;
  /** Weyl increment of key word 1: {@code 0xBB67AE85} (sqrt(3) - 1). */
  public static final int W1 = 0xBB67AE85;

  private static final long MASK32 = 0xFFFF_FFFFL;

  private Philox4x32() {
  }

  /**
   * Computes the four output words of one counter block.
   *
   * @param k0 key word 0
   * @param k1 key word 1
   * @param c0 counter word 0
   * @param c1 counter word 1
   * @param c2 counter word 2
   * @param c3 counter word 3
   * @param out receives the words {@code out[off .. off+3]}
   * @param off first index written
   * @throws IndexOutOfBoundsException if {@code out} has no room for four words at {@code off}
   */
  public static void block(int k0, int k1, int c0, int c1, int c2, int c3, int[] out, int off) {
    java.util.Objects.checkFromIndexSize(off, 4, out.length);
    for (int r = 0; r < ROUNDS; r++) {
      // 32x32 -> 64-bit products on zero-extended words: the high half is the mixing term.
      long p0 = (c0 & MASK32) * (M0 & MASK32);
      long p1 = (c2 & MASK32) * (M1 & MASK32);
      int n0 = (int) (p1 >>> 32) ^ c1 ^ k0;
      int n2 = (int) (p0 >>> 32) ^ c3 ^ k1;
      c0 = n0;
      c1 = (int) p1;
      c2 = n2;
      c3 = (int) p0;
      k0 += W0;
      k1 += W1;
    }
    out[off] = c0;
    out[off + 1] = c1;
    out[off + 2] = c2;
    out[off + 3] = c3;
  }

  /**
   * One output word of one counter block: word {@code j} of {@link #block}.
   *
   * @param j word index, 0..3
   * @throws IllegalArgumentException if {@code j} is not in 0..3
   */
  public static int word(int k0, int k1, int c0, int c1, int c2, int c3, int j) {
    if (j < 0 || j > 3) {
      throw new IllegalArgumentException("word index j must be in 0..3, got " + j);
    }
    for (int r = 0; r < ROUNDS; r++) {
      long p0 = (c0 & MASK32) * (M0 & MASK32);
      long p1 = (c2 & MASK32) * (M1 & MASK32);
      int n0 = (int) (p1 >>> 32) ^ c1 ^ k0;
      int n2 = (int) (p0 >>> 32) ^ c3 ^ k1;
      c0 = n0;
      c1 = (int) p1;
      c2 = n2;
      c3 = (int) p0;
      k0 += W0;
      k1 += W1;
    }
    return switch (j) {
      case 0 -> c0;
      case 1 -> c1;
      case 2 -> c2;
      default -> c3;
    };
  }
}
