package org.finwidth.ensemble;

import org.finwidth.network.NetworkSpec;
import org.finwidth.vector.PairIndex;

/**
 * The exact finite-width two-point function and four-point vertex of a linear network (σ(z) = z)
 * for any number of inputs, an outside anchor for the Monte Carlo of d inputs. Given layer ℓ, the
 * rows {@code z_j} of layer ℓ are i.i.d. N(0, Ĝ^(ℓ)), and
 * {@code Ĝ^(ℓ+1) = C_b + (C_W/n_ℓ) Σ_j z_j z_jᵀ}, so (Isserlis for the conditional covariance,
 * the law of total covariance for the rest), with {@code G = E[Ĝ]} and
 * {@code V^(ℓ) = n_{ℓ−1} Cov(Ĝ^(ℓ), Ĝ^(ℓ))}:
 * <pre>
 *   G^(ℓ+1)_ab = C_b + C_W G^(ℓ)_ab,   G^(1) = C_b + C_W·gram
 *   V^(ℓ+1)_(ab)(cd) = C_W² [G_ac G_bd + G_ad G_bc + (V^(ℓ)_(ac)(bd) + V^(ℓ)_(ad)(bc)) / n_{ℓ−1}]
 *                      + C_W² (n_ℓ / n_{ℓ−1}) V^(ℓ)_(ab)(cd),   V^(1) = 0
 * </pre>
 * exactly, at every width: what G, Gmetric, V and Vmetric estimate (docs/theory.md §9.4). For one
 * input, {@code E[z⁴]/(3E[z²]²) = E[Ĝ²]/E[Ĝ]² = 1 + V_(aa)(aa)/(n_{ℓ−1} G_aa²)} exactly, and so
 * is the distinct-neuron ratio.
 */
public final class LinearNetworkMoments {
  private final PairIndex index;
  /** g[l][p] = G^(l)_p and v[l][r] = V^(l)_r for l = 1..L (index 0 unused). */
  private final double[][] g;
  private final double[][] v;

  /**
   * The moments of a linear network.
   *
   * @throws IllegalArgumentException if the activation is not linear
   */
  public LinearNetworkMoments(NetworkSpec spec) {
    if (!spec.activation().spec().equals("linear")) {
      throw new IllegalArgumentException("a linear network, not " + spec.activation().spec());
    }
    int d = spec.inputCount();
    index = PairIndex.of(d);
    int depth = spec.depth();
    double cb = spec.cb();
    double cw = spec.cw();
    g = new double[depth + 1][index.pairs()];
    v = new double[depth + 1][index.pairPairs()];
    double[][] k1 = spec.kernel1();
    for (int p = 0; p < index.pairs(); p++) {
      g[1][p] = k1[index.first(p)][index.second(p)];
    }
    for (int l = 1; l < depth; l++) {
      double fanIn = spec.width(l - 1);
      double ratio = spec.width(l) / fanIn;
      for (int p = 0; p < index.pairs(); p++) {
        g[l + 1][p] = cb + cw * g[l][p];
      }
      for (int r = 0; r < index.pairPairs(); r++) {
        int p = index.pairPairFirst(r);
        int q = index.pairPairSecond(r);
        int a = index.first(p);
        int b = index.second(p);
        int c = index.first(q);
        int e = index.second(q);
        double isserlis = gg(l, a, c) * gg(l, b, e) + gg(l, a, e) * gg(l, b, c)
            + (v[l][index.component(a, c, b, e)] + v[l][index.component(a, e, b, c)]) / fanIn;
        v[l + 1][r] = cw * cw * isserlis + cw * cw * ratio * v[l][r];
      }
    }
  }

  private double gg(int l, int a, int b) {
    return g[l][index.pair(a, b)];
  }

  /** E[Ĝ^(ℓ)_ab] = E[z_a z_b] at layer ℓ. */
  public double twoPoint(int layer, int a, int b) {
    return gg(layer, a, b);
  }

  /** n_{ℓ−1} Cov(Ĝ^(ℓ)_p, Ĝ^(ℓ)_q) for pair of pairs r ({@link PairIndex} order). */
  public double vertex(int layer, int r) {
    return v[layer][r];
  }

  /** E[z⁴]/(3E[z²]²) = E[z_i²z_j²]/E[z²]² of input a at layer ℓ with fan-in n_{ℓ−1}. */
  public double ratio(int layer, int a, int fanIn) {
    double k = gg(layer, a, a);
    return 1 + v[layer][index.component(a, a, a, a)] / (fanIn * k * k);
  }
}
