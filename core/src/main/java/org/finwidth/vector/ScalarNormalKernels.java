package org.finwidth.vector;

import java.util.Objects;

import org.finwidth.random.BoxMuller;
import org.finwidth.random.Philox4x32;
import org.finwidth.random.RandomStreams;
import org.finwidth.random.Xoshiro128PlusPlus;

/**
 * The scalar reference of {@link NormalKernels}: plain Java, one lane of one segment at a time
 * (Philox4x32-10 seed, then xoshiro128++ steps), the arithmetic of {@link BoxMuller} in the same
 * order (so that the Panama kernel can be compared bit for bit).
 */
public final class ScalarNormalKernels implements NormalKernels {

  private static final long MASK32 = 0xFFFF_FFFFL;

  /** The shared instance (the kernels are stateless). */
  public static final ScalarNormalKernels INSTANCE = new ScalarNormalKernels();

  /** Creates the (stateless) scalar kernels. */
  public ScalarNormalKernels() {
  }

  @Override
  public String name() {
    return "scalar";
  }

  @Override
  public void fill(long seed, long network, int layer, int purpose, long firstIndex, float scale,
          float[] out, int off, int len) {
    int c1 = RandomStreams.counter1(layer, purpose);
    BoxMuller.checkRange(firstIndex, len);
    Objects.checkFromIndexSize(off, len, out.length);
    if (len == 0) {
      return;
    }
    int k0 = RandomStreams.key0(seed);
    int k1 = RandomStreams.key1(seed);
    int c2 = RandomStreams.counter2(network);
    int c3 = RandomStreams.counter3(network);
    long end = firstIndex + len;
    for (long s = firstIndex >>> 10, sEnd = (end + BoxMuller.SEGMENT - 1) >>> 10; s < sEnd; s++) {
      long base = s << 10;
      // Pairs of this segment that hold a wanted normal: [j0, j1).
      int lo = (int) (Math.max(firstIndex, base) - base);
      int hi = (int) (Math.min(end, base + BoxMuller.SEGMENT) - base);
      int j0 = lo >>> 5;
      int j1 = (hi + BoxMuller.RUN - 1) >>> 5;
      for (int l = 0; l < BoxMuller.LANES; l++) {
        // Philox4x32-10 of counter (16 s + l, c1, c2, c3), inline so that nothing is allocated.
        int x0 = (int) ((s << 4) | l);
        int x1 = c1;
        int x2 = c2;
        int x3 = c3;
        int kk0 = k0;
        int kk1 = k1;
        for (int round = 0; round < Philox4x32.ROUNDS; round++) {
          long q0 = (x0 & MASK32) * (Philox4x32.M0 & MASK32);
          long q1 = (x2 & MASK32) * (Philox4x32.M1 & MASK32);
          x0 = (int) (q1 >>> 32) ^ x1 ^ kk0;
          x1 = (int) q1;
          x2 = (int) (q0 >>> 32) ^ x3 ^ kk1;
          x3 = (int) q0;
          kk0 += Philox4x32.W0;
          kk1 += Philox4x32.W1;
        }
        // xoshiro128++ state (s0, s1, s2, s3) = the block.
        int s0 = Xoshiro128PlusPlus.seedWord0(x0, x1, x2, x3);
        int s1 = x1;
        int s2 = x2;
        int s3 = x3;
        for (int j = 0; j < j1; j++) {
          int a = 0;
          int b = 0;
          for (int step = 0; step < 2; step++) {
            int o = Integer.rotateLeft(s0 + s3, Xoshiro128PlusPlus.ROT_OUT) + s0;
            int t = s1 << Xoshiro128PlusPlus.SHIFT;
            s2 ^= s0;
            s3 ^= s1;
            s1 ^= s2;
            s0 ^= s3;
            s2 ^= t;
            s3 = Integer.rotateLeft(s3, Xoshiro128PlusPlus.ROT_STATE);
            if (step == 0) {
              a = o;
            } else {
              b = o;
            }
          }
          if (j < j0) {
            continue;
          }
          int ic = (j << 5) | l;
          int is = ic + BoxMuller.LANES;
          boolean needC = ic >= lo && ic < hi;
          boolean needS = is >= lo && is < hi;
          if (needC) {
            out[off + (int) (base + ic - firstIndex)] = BoxMuller.pairNormal(a, b, scale, false);
          }
          if (needS) {
            out[off + (int) (base + is - firstIndex)] = BoxMuller.pairNormal(a, b, scale, true);
          }
        }
      }
    }
  }
}
