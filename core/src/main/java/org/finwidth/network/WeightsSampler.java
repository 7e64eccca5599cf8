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
 * Inputs, weight and bias scales are held in the units of {@link FloatScale} (all 1 for ordinary
 * networks); a layer whose weight scale is not a normal float even so ends the network there.
 *
 * <p>Cost per network: Σ_l n_l n_{l-1} normals (the bound: docs/performance.md) and d times as many
 * multiply-adds. Not thread-safe: one instance per thread.
 */
public final class WeightsSampler extends LayerwiseSampler {

  private final float[][] inputs;
  /** sqrt(C_W / n_{l-1}) for l = 1..L (index l). */
  private final float[] weightScale;
  /** sqrt(C_b) in the units of layer l (index l). */
  private final float[] biasScale;
  /** Whether layer l's weight scale is a normal float (else its preactivations cannot be computed in float). */
  private final boolean[] floatRange;
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
        inputs[a][j] = (float) Math.scalb(x[a][j], -unit[0]);
      }
    }
    weightScale = new float[depth + 1];
    biasScale = new float[depth + 1];
    floatRange = new boolean[depth + 1];
    int workLength = 0;
    for (int l = 1; l <= depth; l++) {
      if ((long) width[l] * width[l - 1] > BoxMuller.MAX_INDEX) {
        throw new IllegalArgumentException("layer " + l + " has n_l*n_{l-1} = " + (long) width[l] * width[l - 1]
            + " weights, more than one random stream holds (2^34)");
      }
      // in units: z'(l) = sqrt(C_W/n_{l-1}) 2^(e[l-1]-e[l]) W h'(l-1) + sqrt(C_b) 2^-e[l] b
      weightScale[l] = (float) (Math.sqrt(cw / width[l - 1]) * Math.scalb(1.0, unit[l - 1] - unit[l]));
      biasScale[l] = (float) (Math.sqrt(cb) * Math.scalb(1.0, -unit[l]));
      float ws = weightScale[l];
      floatRange[l] = Float.isFinite(ws) && ws >= Float.MIN_NORMAL && Float.isFinite(biasScale[l]);
      workLength = Math.max(workLength, LayerKernels.weightsWorkLength(d, width[l - 1], width[l]));
    }
    work = new float[workLength];
  }

  @Override
  public SamplerKind kind() {
    return SamplerKind.WEIGHTS;
  }

  @Override
  boolean sampleLayer(long seed, long network, int l) {
    if (!floatRange[l]) {
      return false;
    }
    layers.weightsLayer(seed, network, l, l == 1 ? inputs : h, d, width[l - 1], weightScale[l], biasScale[l],
        z, width[l], work);
    return true;
  }
}
