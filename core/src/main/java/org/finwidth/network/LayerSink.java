package org.finwidth.network;

/**
 * Receives the layers of one sampled network from a {@link Sampler}, in order {@code l = 1..L}.
 */
@FunctionalInterface
public interface LayerSink {

  /**
   * One layer of the network being sampled.
   *
   * @param l the layer, 1..L
   * @param z {@code z[a][i] = z^(l)_{i;a}} for input {@code a < d} and neuron {@code i < width};
   *     rows may be longer than {@code width}. The arrays are reused: copy what you keep, and do
   *     not modify them (the sampler computes the next layer from them).
   * @param width {@code n_l}
   * @param metric the d×d conditional covariance Ĝ^(l) (row-major, length d·d) that generated
   *     this layer: {@code G^(1) = C_b + C_W·gram} for {@code l = 1}, and
   *     {@code C_b + (C_W/n_{l-1}) Σ_j σ(z^(l-1)_j)σ(z^(l-1)_j)^T} for {@code l ≥ 2}, computed in
   *     double by both samplers (docs/theory.md §1.4). Reused as well.
   */
  void layer(int l, float[][] z, int width, double[] metric);

  /**
   * {@link #layer(int, float[][], int, double[])} of a one-input network with the sums over its
   * neurons that the sampler computed in its own pass over z: {@code sums[0] = Σ_i z_i²} and
   * {@code sums[1] = Σ_i z_i⁴} over the {@code width} neurons of {@code z[0]}, bit for bit what
   * {@link org.finwidth.vector.LayerKernels#moments LayerKernels.moments} gives (null where the
   * sampler has none). A sink that needs them saves a pass over the layer; the default ignores
   * them.
   */
  default void layer(int l, float[][] z, int width, double[] metric, double[] sums) {
    layer(l, z, width, metric);
  }
}
