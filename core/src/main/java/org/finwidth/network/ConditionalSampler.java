package org.finwidth.network;

import org.finwidth.vector.KernelProvider;
import org.finwidth.vector.LayerKernels;

/**
 * The exact conditional sampler (THEORY.md §1.4, DESIGN.md invariant 3): given layer l − 1, the
 * vectors {@code (z^(l)_{i;a})_a} are i.i.d. N(0, Ĝ^(l)), so each layer is
 * {@code z_i = L g_i} with the lower Cholesky factor L of the d×d metric (computed in double,
 * rounded to float) and the standard normals {@code g} of {@link LayerKernels#conditionalLayer}
 * (stream layer l, purpose CONDITIONAL, row b at {@code b·⌈n_l/32⌉·32}). Layer 1 uses
 * {@code Ĝ^(1) = G^(1) = C_b + C_W·gram} ({@link NetworkSpec#kernel1()}).
 *
 * <p>Ĝ is positive semi-definite, and singular whenever the σ(z_j) span fewer than d dimensions
 * (identical inputs, n_{l-1} &lt; d with C_b = 0, ReLU with every unit off: Ĝ = C_b 11^T):
 * {@link PsdCholesky} drops pivots below its relative tolerance (the variance they carry is below
 * float resolution of z), so the factor exists for every PSD metric. A metric that is not finite
 * ends the network as diverged at that layer.
 *
 * <p>Cost per network: Σ_l d·n_l normals and O(d² n_l) arithmetic. Not thread-safe: one
 * instance per thread.
 */
public final class ConditionalSampler extends LayerwiseSampler {

  private final double[] cholD;
  private final float[] cholF;
  private final float[] chol1;
  private final float[] work;

  /**
   * A conditional sampler of this network with these kernels.
   *
   * @throws IllegalArgumentException if a layer needs more than 2<sup>34</sup> normals or the
   *     depth exceeds the stream layout
   */
  public ConditionalSampler(NetworkSpec spec, KernelProvider kernels) {
    super(spec, kernels);
    for (int l = 1; l <= depth; l++) {
      if (d * LayerKernels.conditionalStride(width[l]) > org.finwidth.random.BoxMuller.MAX_INDEX) {
        throw new IllegalArgumentException("layer " + l + " needs more normals than one random stream holds (2^34)");
      }
    }
    int workLength = 0;
    for (int l = 1; l <= depth; l++) {
      workLength = Math.max(workLength, LayerKernels.conditionalWorkLength(d, width[l]));
    }
    work = new float[workLength];
    cholD = new double[d * d];
    cholF = new float[d * d];
    chol1 = new float[d * d];
    double[][] k1 = spec.kernel1();
    double[] g1 = new double[d * d];
    for (int a = 0; a < d; a++) {
      for (int b = 0; b < d; b++) {
        g1[a * d + b] = k1[a][b];
      }
    }
    PsdCholesky.factor(g1, d, cholD);
    for (int k = 0; k < d * d; k++) {
      chol1[k] = (float) cholD[k];
    }
  }

  @Override
  public SamplerKind kind() {
    return SamplerKind.CONDITIONAL;
  }

  @Override
  boolean sampleLayer(long seed, long network, int l) {
    float[] chol;
    if (l == 1) {
      chol = chol1;
    } else {
      for (double g : metric) {
        if (!Double.isFinite(g)) {
          return false;
        }
      }
      PsdCholesky.factor(metric, d, cholD);
      for (int k = 0; k < cholF.length; k++) {
        cholF[k] = (float) cholD[k];
      }
      chol = cholF;
    }
    layers.conditionalLayer(seed, network, l, chol, d, z, width[l], work);
    return true;
  }
}
