package org.finwidth.network;

import org.finwidth.random.BoxMuller;
import org.finwidth.vector.KernelProvider;
import org.finwidth.vector.LayerKernels;

/**
 * The network as it is (docs/design.md invariant 3, docs/theory.md §1.1):
 * <pre>
 *   z^(1)_{i;a} = b^(1)_i + Σ_j W^(1)_{ij} x_{j;a},   z^(l)_{i;a} = b^(l)_i + Σ_j W^(l)_{ij} σ(z^(l-1)_{j;a})
 *   W^(l)_{ij} = sqrt(C_W/n_{l-1}) g^(l)_{ij},   b^(l)_i ~ N(0, C_b)
 * </pre>
 * with the normals of {@link LayerKernels} (stream layer l: weights at {@code i·n_{l-1} + j},
 * biases at {@code i}), generated a chunk of rows at a time and used once for all d inputs
 * ({@link LayerKernels#weightsLayer}); the forward pass runs in float, with
 * {@code sqrt(C_W/n_{l-1})} and {@code sqrt(C_b)} rounded to float. The inputs are
 * {@link NetworkSpec#inputs()} rounded to float (explicit, or synthesised from the Gram matrix:
 * then {@code n_0·n_1} normals are still drawn for layer 1). The metric reported for layer 1 is
 * {@link NetworkSpec#kernel1()}; for later layers the one the samplers share (see {@link Sampler}).
 *
 * <p>Cost per network: Σ_l n_l n_{l-1} normals (the bound: docs/performance.md) and d times as many
 * multiply-adds. Not thread-safe: one instance per thread.
 */
public final class WeightsSampler extends LayerwiseSampler {

  private final float[][] inputs;
  /** sqrt(C_W / n_{l-1}) for l = 1..L (index l). */
  private final float[] weightScale;
  private final float biasScale;
  private final float[] work;

  /**
   * A weights sampler of this network with these kernels.
   *
   * @throws IllegalArgumentException if a layer has more than 2<sup>34</sup> weights or the depth
   *     exceeds the stream layout
   */
  public WeightsSampler(NetworkSpec spec, KernelProvider kernels) {
    super(spec, kernels);
    double[][] x = spec.inputs();
    inputs = new float[d][width[0]];
    for (int a = 0; a < d; a++) {
      for (int j = 0; j < width[0]; j++) {
        inputs[a][j] = (float) x[a][j];
      }
    }
    weightScale = new float[depth + 1];
    int workLength = 0;
    for (int l = 1; l <= depth; l++) {
      if ((long) width[l] * width[l - 1] > BoxMuller.MAX_INDEX) {
        throw new IllegalArgumentException("layer " + l + " has n_l*n_{l-1} = " + (long) width[l] * width[l - 1]
            + " weights, more than one random stream holds (2^34)");
      }
      weightScale[l] = (float) Math.sqrt(cw / width[l - 1]);
      workLength = Math.max(workLength, LayerKernels.weightsWorkLength(d, width[l - 1], width[l]));
    }
    biasScale = (float) Math.sqrt(cb);
    work = new float[workLength];
  }

  @Override
  public SamplerKind kind() {
    return SamplerKind.WEIGHTS;
  }

  @Override
  boolean sampleLayer(long seed, long network, int l) {
    layers.weightsLayer(seed, network, l, l == 1 ? inputs : h, d, width[l - 1], weightScale[l], biasScale,
        z, width[l], work);
    return true;
  }
}
