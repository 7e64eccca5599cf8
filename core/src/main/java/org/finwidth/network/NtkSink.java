package org.finwidth.network;

/**
 * Receives the neural tangent kernel of one sampled network from an {@link NtkSampler}, layer by
 * layer in order {@code l = 1..L}, after the network's preactivations went to its {@link LayerSink}.
 */
@FunctionalInterface
public interface NtkSink {

  /**
   * The NTK of layer l restricted to its first {@code neurons} output neurons.
   *
   * @param l the layer, 1..L
   * @param ntk {@code ntk[(i·d + a)·(neurons·d) + k·d + b] = Ĥ^(l)_{ik;ab}} for neurons
   *     {@code i, k < neurons} and inputs {@code a, b < d}, in double (docs/theory.md §11.7); reused
   *     by the next call
   * @param neurons the number s_l = min(s, n_l) of output neurons covered
   * @param z the layer's preactivations {@code z[a][i]} for every neuron {@code i < width} (as
   *     {@link LayerSink#layer} gave them); reused
   * @param width {@code n_l}
   */
  void layer(int l, double[] ntk, int neurons, float[][] z, int width);
}
