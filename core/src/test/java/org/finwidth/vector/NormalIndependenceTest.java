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

  @Test
  void neighboursWithinAStreamAreUncorrelated() {
    float[] z = stream(11, 22, 3, RandomStreams.WEIGHTS);
    // Layout: index i = 64 g + 16 j + l (group, row, lane). Partners: next lane (next block),
    // next row (cos vs sin of one pair: same radius), row + 2 (the block's other pair), next group.
    int[] lags = {1, 16, 32, 64};
    for (int lag : lags) {
      int m = N / 2;
      float[] a = new float[m];
      float[] b = new float[m];
      for (int i = 0, t = 0; t < m; i++) {
        if (lag == 16 && (i & 16) != 0 || lag == 32 && (i & 32) != 0) {
          continue; // pair row 0 with 1 (2 with 3), and rows 0,1 with 2,3, inside one group
        }
        a[t] = z[i];
        b[t] = z[i + lag];
        t++;
      }
      assertUncorrelated("lag " + lag, a, b);
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
    // Shifted by one group inside the same stream: index i vs i + 64.
    float[] shifted = new float[N];
    KERNELS.fill(1000, 5, 2, RandomStreams.WEIGHTS, 64, shifted, 0, N);
    assertUncorrelated("index +64", base, shifted);
  }
}
