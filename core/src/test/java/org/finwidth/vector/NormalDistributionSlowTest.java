package org.finwidth.vector;

import org.finwidth.random.RandomStreams;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** The checks of {@link NormalDistributionTest} over 2^26 samples (opt-in: 6-8 s per implementation). */
@Tag("slow")
class NormalDistributionSlowTest {

  @Test
  void twoToThe26NormalsAreStandardNormal() {
    int n = 1 << 26;
    float[] z = new float[n];
    KernelProvider.getInstance().normalKernels().fill(314159, 2718, 1, RandomStreams.WEIGHTS, 0, z, 0, n);
    NormalStatistics.assertStandardNormal(z);
  }
}
