package org.finwidth.network;

import org.finwidth.random.BoxMuller;
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
  /** The factor of the layer just sampled. */
  private float[] chol;

  /**
   * A conditional sampler of this network with these kernels.
   *
   * @throws IllegalArgumentException if a layer needs more than 2<sup>34</sup> normals or the
   *     depth exceeds the stream layout
   */
  public ConditionalSampler(NetworkSpec spec, KernelProvider kernels) {
    super(spec, kernels);
    for (int l = 1; l <= depth; l++) {
      if (d * LayerKernels.conditionalStride(width[l]) > BoxMuller.MAX_INDEX) {
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

  /**
   * |z_{i;a}| ≤ Σ_b |L_ab| max|g| with max|g| ≤ {@link BoxMuller#TAIL_CAP} (the generator's cap;
   * the factor 1.001 covers its polynomial errors, below 1e-6, and the float rounding of the d
   * terms): when that bound is within {@link #MAX_ABS_PREACTIVATION} (always, unless the network
   * is about to diverge) z need not be scanned. A NaN or infinite factor fails the test and z is
   * scanned.
   */
  @Override
  boolean withinBound(int n) {
    double worst = 0;
    for (int a = 0; a < d; a++) {
      double row = 0;
      for (int b = 0; b <= a; b++) {
        row += Math.abs(chol[a * d + b]);
      }
      worst = Math.max(worst, row);
    }
    if (worst * (BoxMuller.TAIL_CAP * 1.001) <= MAX_ABS_PREACTIVATION) {
      return true;
    }
    return super.withinBound(n);
  }

  @Override
  public SamplerKind kind() {
    return SamplerKind.CONDITIONAL;
  }

  @Override
  boolean sampleLayer(long seed, long network, int l) {
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
