package org.finwidth.vector;

import org.finwidth.random.RandomStreams;
import org.junit.jupiter.api.Test;

/**
 * Lanes and streams are uncorrelated: sample correlations of 2^20 pairs within
 * {@link NormalStatistics#K} = 5 standard errors (SE = 1/sqrt(n) for a correlation of
 * independent normals; sqrt(8/n) for the product of squares), false failure 5.7e-7 per check.
 */
class NormalIndependenceTest {

  private static final int N = 1 << 20;
  private static final NormalKernels KERNELS = KernelProvider.getInstance().normalKernels();

  private static float[] stream(long seed, long network, int layer, int purpose) {
    float[] z = new float[N];
    KERNELS.fill(seed, network, layer, purpose, 0, z, 0, N);
    return z;
  }

  private static void assertUncorrelated(String what, float[] a, float[] b) {
    NormalStatistics.assertWithin("corr(" + what + ")", NormalStatistics.correlation(a, b), 0, 1 / Math.sqrt(a.length));
  }

  private static float[] squares(float[] z) {
    float[] q = new float[z.length];
    for (int i = 0; i < z.length; i++) {
      q[i] = z[i] * z[i];
    }
    return q;
  }

  @Test
  void neighboursWithinAStreamAreUncorrelated() {
    float[] z = stream(11, 22, 3, RandomStreams.WEIGHTS);
    // Layout: index i = 1024 s + 32 j + 16 h + l (segment, pair, cos/sin, lane). Partners: next
    // lane, lane + 8 (the other vector half with AVX2), z_s of the same pair (same radius), the
    // lane's next pair (its next two xoshiro outputs), the same lane of the next segment.
    int[] lags = {1, 8, 16, 32, 1024};
    for (int lag : lags) {
      int m = N / 2;
      float[] a = new float[m];
      float[] b = new float[m];
      for (int i = 0, t = 0; t < m; i++) {
        if (lag == 16 && (i & 16) != 0) {
          continue; // pair z_c (h = 0) with z_s (h = 1) of the same pair
        }
        a[t] = z[i];
        b[t] = z[i + lag];
        t++;
      }
      assertUncorrelated("lag " + lag, a, b);
      // Squares too: a dependence through the radii (or any even function) has zero plain
      // correlation. For independent variables the SE of a sample correlation is 1/sqrt(n) whatever
      // their distribution (finite fourth moments).
      assertUncorrelated("squares, lag " + lag, squares(a), squares(b));
      if (lag == 16) {
        // z_c and z_s share R: E[z_c^2 z_s^2] = E[R^4] E[cos^2 sin^2] = 8 / 8 = 1 if independent.
        double s = 0;
        for (int t = 0; t < m; t++) {
          s += (double) a[t] * a[t] * b[t] * b[t];
        }
        NormalStatistics.assertWithin("E[z_c^2 z_s^2]", s / m, 1, Math.sqrt(8.0 / m));
      }
    }
  }

  @Test
  void adjacentStreamsAreUncorrelated() {
    float[] base = stream(1000, 5, 2, RandomStreams.WEIGHTS);
    assertUncorrelated("network +1", base, stream(1000, 6, 2, RandomStreams.WEIGHTS));
    assertUncorrelated("network +2^32", base, stream(1000, 5 + (1L << 32), 2, RandomStreams.WEIGHTS));
    assertUncorrelated("layer +1", base, stream(1000, 5, 3, RandomStreams.WEIGHTS));
    assertUncorrelated("purpose +1", base, stream(1000, 5, 2, RandomStreams.BIASES));
    assertUncorrelated("seed +1", base, stream(1001, 5, 2, RandomStreams.WEIGHTS));
    assertUncorrelated("seed +2^32", base, stream(1000 + (1L << 32), 5, 2, RandomStreams.WEIGHTS));
    // Shifted by one segment inside the same stream: index i vs i + 1024.
    float[] shifted = new float[N];
    KERNELS.fill(1000, 5, 2, RandomStreams.WEIGHTS, 1024, shifted, 0, N);
    assertUncorrelated("index +1024", base, shifted);
  }
}
