package org.finwidth.vector;

import org.finwidth.random.RandomStreams;
import org.junit.jupiter.api.Test;

/**
 * The normals of the implementation under test are standard normal: moments, tails and a
 * Kolmogorov–Smirnov test over 2^22 samples (false-failure probabilities in
 * {@link NormalStatistics}; 8 checks per sample, so below 5e-6 per run). Fixed seeds.
 */
class NormalDistributionTest {

  private static final int N = 1 << 22;

  private static float[] sample(long seed, long network, int layer, int purpose, long first, int n) {
    float[] z = new float[n];
    NormalKernels k = KernelProvider.getInstance().normalKernels();
    // Rows of 1000 at a stride of 1024, as a weights sampler would ask for them.
    for (int r = 0, at = 0; at < n; r++) {
      int len = Math.min(1000, n - at);
      k.fill(seed, network, layer, purpose, first + 1024L * r, z, at, len);
      at += len;
    }
    return z;
  }

  @Test
  void oneStreamIsStandardNormal() {
    NormalStatistics.assertStandardNormal(sample(20260101L, 0, 1, RandomStreams.WEIGHTS, 0, N));
  }

  @Test
  void manySmallStreamsAreStandardNormal() {
    // 4096 networks x 1024 normals: the network index is the only difference between streams.
    float[] z = new float[N];
    NormalKernels k = KernelProvider.getInstance().normalKernels();
    for (int net = 0; net < N / 1024; net++) {
      k.fill(-7L, net, 3, RandomStreams.CONDITIONAL, 0, z, net * 1024, 1024);
    }
    NormalStatistics.assertStandardNormal(z);
  }
}
