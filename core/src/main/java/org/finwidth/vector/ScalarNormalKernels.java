package org.finwidth.vector;

import java.util.Objects;

import org.finwidth.random.BoxMuller;
import org.finwidth.random.Philox4x32;
import org.finwidth.random.RandomStreams;

/**
 * The scalar reference of {@link NormalKernels}: plain Java, one Philox block at a time, the
 * arithmetic of {@link BoxMuller} in the same order (so that the Panama kernel can be compared
 * bit for bit).
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
    for (long g = firstIndex >>> 6, gEnd = (end + 63) >>> 6; g < gEnd; g++) {
      long base = g << 6;
      for (int l = 0; l < BoxMuller.GROUP_BLOCKS; l++) {
        // The block's four normals sit at base + l + 16 j, j = 0..3.
        long p0 = base + l;
        long p3 = p0 + 48;
        if (p3 < firstIndex || p0 >= end) {
          continue;
        }
        // Philox4x32-10 of counter (16 g + l, c1, c2, c3), inline so that nothing is allocated.
        int x0 = (int) ((g << 4) | l);
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
        for (int pair = 0; pair < 2; pair++) {
          long pc = p0 + 32L * pair;
          long ps = pc + 16;
          boolean needC = pc >= firstIndex && pc < end;
          boolean needS = ps >= firstIndex && ps < end;
          if (!needC && !needS) {
            continue;
          }
          float r = scale * BoxMuller.radius(pair == 0 ? x0 : x2);
          int b = pair == 0 ? x1 : x3;
          if (needC) {
            out[off + (int) (pc - firstIndex)] = r * BoxMuller.cosTurn(b);
          }
          if (needS) {
            out[off + (int) (ps - firstIndex)] = r * BoxMuller.sinTurn(b);
          }
        }
      }
    }
  }
}
