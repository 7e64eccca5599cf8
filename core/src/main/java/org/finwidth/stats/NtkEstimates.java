package org.finwidth.stats;

import org.finwidth.vector.PairIndex;

/**
 * Estimates with standard errors of the NTK statistics of one layer (docs/theory.md §11.8), from
 * the exact sums ({@link NtkSums}) of N networks. With n' = n_{ℓ−1} the fan-in, m_x the sample mean
 * of component x of {@link NtkLayout} over the networks:
 * <pre>
 *   E[Ĥ_{ii;p}]  = h_p + m_hd_p
 *   D_{pq}      = n' [m_xd − m_hd_p m_u_q + (m_hu − m_hd_p m_u_q)/(N−1)]     p = (a1a2), q = (a3a4)
 *   A_{pq}      = n' [m_xa − m_hd_p m_hd_q + (m_hh − m_hd_p m_hd_q)/(N−1)]
 *   F_t = n' m_xf_t,   B_t = n' m_xb_t
 *   same neuron: n' Cov(Ĥ_ii;p, Ĥ_ii;q) = n' [m_sh − m_hd_p m_hd_q + (m_hh − m_hd_p m_hd_q)/(N−1)]  (→ A + B + B)
 *                n' Cov(Ĥ_ii;p, z_i z_i;q) = n' [m_sd − m_hd_p m_u_q + (m_hu − m_hd_p m_u_q)/(N−1)]  (→ D + F + F)
 * </pre>
 * The last term of D, A and the same-neuron covariances removes the O(1/N) bias of the product of
 * two means (it is the unbiased U-statistic: E[m_x m_y] = E[x]E[y] + Cov(x, y)/N), so every
 * estimator is unbiased for the finite-width quantity n'·(covariance) it names, at any N ≥ 2. They
 * approach the leading-order D, F, A, B of the theory as n → ∞ (with O(1/n) remainders that are
 * large in deep narrow networks: compare after extrapolation in 1/n). Standard errors: the delta
 * method over the components each estimator uses (their sample covariances from the kept
 * products), as {@link LayerEstimates}. Undefined (NaN) where the data cannot define them: N &lt; 2,
 * fewer than two covered neurons (A, B, F), width 1 (D).
 */
public final class NtkEstimates {
  private final NtkLayout layout;
  private final PairIndex pairs;
  private final NtkSums sums;
  private final int layer;
  private final long networks;
  private final double count;
  private final int fanIn;
  private final double[] mean;
  private final double[] hReference;
  private final boolean pairsDefined;
  private final boolean distinctDefined;

  private NtkEstimates(NtkSums sums, int layer, double[] hReference, int fanIn, int width, int neurons) {
    this.sums = sums;
    this.layout = sums.layout();
    this.pairs = layout.pairIndex();
    this.layer = layer;
    this.networks = sums.count();
    this.count = networks;
    this.fanIn = fanIn;
    this.hReference = hReference.clone();
    this.pairsDefined = networks >= 2 && Math.min(neurons, width) >= 2;
    this.distinctDefined = networks >= 2 && width >= 2;
    if (networks >= 1) {
      mean = new double[layout.dimension()];
      for (int i = 0; i < mean.length; i++) {
        mean[i] = sums.sum(layer, i).doubleValue() / count;
      }
    } else {
      mean = null;
    }
  }

  /**
   * Estimates of layer ℓ.
   *
   * @param hReference the NTK reference h^(ℓ)_p the sums were shifted by
   * @param fanIn n_{ℓ−1}
   * @param width n_ℓ
   * @param neurons s, the output neurons per layer the sampler covered
   * @throws IllegalArgumentException for a layer outside 1..L or inconsistent sizes
   */
  public static NtkEstimates compute(NtkSums sums, int layer, double[] hReference, int fanIn, int width, int neurons) {
    if (layer < 1 || layer > sums.depth()) {
      throw new IllegalArgumentException("layer must be in 1.." + sums.depth() + ", got " + layer);
    }
    if (hReference.length != sums.layout().pairIndex().pairs()) {
      throw new IllegalArgumentException("the NTK reference needs " + sums.layout().pairIndex().pairs() + " entries");
    }
    if (fanIn < 1 || width < 1 || neurons < 1) {
      throw new IllegalArgumentException("fan-in, width and neurons must be >= 1, got " + fanIn + ", " + width + ", " + neurons);
    }
    return new NtkEstimates(sums, layer, hReference, fanIn, width, neurons);
  }

  /** The layer ℓ. */
  public int layer() {
    return layer;
  }

  /** Number of networks N. */
  public long networks() {
    return networks;
  }

  /** Number of inputs d. */
  public int inputs() {
    return layout.inputs();
  }

  private double cov(int i, int j) {
    int k = layout.crossIndex(i, j);
    if (k < 0) {
      throw new IllegalStateException("internal: product of NTK components " + i + " and " + j + " is not accumulated");
    }
    double sxy = sums.crossSum(layer, k).doubleValue();
    double sx = sums.sum(layer, i).doubleValue();
    double sy = sums.sum(layer, j).doubleValue();
    return (sxy - sx * (sy / count)) / (count - 1);
  }

  private double deltaSe(int[] components, double[] gradient) {
    double var = 0;
    for (int i = 0; i < components.length; i++) {
      for (int j = 0; j < components.length; j++) {
        var += gradient[i] * gradient[j] * cov(components[i], components[j]);
      }
    }
    return Math.sqrt(Math.max(var, 0) / count);
  }

  /** E[Ĥ_{ii;ab}], the mean NTK of a neuron (at this finite width). */
  public Estimate h(int a, int b) {
    if (networks < 2) {
      return Estimate.UNDEFINED;
    }
    int p = pairs.pair(Math.min(a, b), Math.max(a, b));
    int c = layout.hd(p);
    return new Estimate(hReference[p] + mean[c], Math.sqrt(cov(c, c) / count));
  }

  /**
   * H1_ab measured as n'(E[Ĥ_{ii;ab}] − H_ab) given the leading-order H_ab of the theory: the
   * 1/n correction plus O(1/n) (extrapolate in 1/n to compare with the theory's H1).
   */
  public Estimate h1(int a, int b, double theoryH) {
    Estimate e = h(a, b);
    return new Estimate(fanIn * (e.mean() - theoryH), fanIn * e.standardError());
  }

  /** The product-of-means estimator n'[m_x − m_y m_z + (m_yz − m_y m_z)/(N−1)] and its delta SE. */
  private Estimate covariance(int x, int y, int z, int yz) {
    double nn = count / (count - 1);
    double value = fanIn * (mean[x] - mean[y] * mean[z] + (mean[yz] - mean[y] * mean[z]) / (count - 1));
    double se = deltaSe(new int[] {x, y, z, yz},
        new double[] {fanIn, -fanIn * nn * mean[z], -fanIn * nn * mean[y], fanIn / (count - 1)});
    return new Estimate(value, se);
  }

  private int pair(int a, int b) {
    return pairs.pair(Math.min(a, b), Math.max(a, b));
  }

  /** D_{a1a2a3a4}: n' Cov(Ĥ_{ii;a1a2}, z_{k;a3}z_{k;a4}), i ≠ k. */
  public Estimate d(int a1, int a2, int a3, int a4) {
    if (!distinctDefined) {
      return Estimate.UNDEFINED;
    }
    int p = pair(a1, a2);
    int q = pair(a3, a4);
    return covariance(layout.xd(p, q), layout.hd(p), layout.u(q), layout.hu(p, q));
  }

  /** A_{(a1a2)(a3a4)}: n' Cov(Ĥ_{ii;a1a2}, Ĥ_{kk;a3a4}), i ≠ k. */
  public Estimate a(int a1, int a2, int a3, int a4) {
    if (!pairsDefined) {
      return Estimate.UNDEFINED;
    }
    int p = pair(a1, a2);
    int q = pair(a3, a4);
    int t = pairs.pairPair(Math.min(p, q), Math.max(p, q));
    return covariance(layout.xa(t), layout.hd(p), layout.hd(q), layout.hh(t));
  }

  /** F_{a1a3a2a4} (stored order f(a1, a3, a2, a4)): n' E[Ĥ_{ik;a1a2} z_{i;a3} z_{k;a4}], i ≠ k. */
  public Estimate f(int a1, int a3, int a2, int a4) {
    if (!pairsDefined) {
      return Estimate.UNDEFINED;
    }
    int c = layout.xf(layout.fClass(a1, a3, a2, a4));
    return new Estimate(fanIn * mean[c], fanIn * Math.sqrt(cov(c, c) / count));
  }

  /** B_{a1a3a2a4} (stored order b(a1, a3, a2, a4)): n' E[Ĥ_{ik;a1a2} Ĥ_{ik;a3a4}], i ≠ k. */
  public Estimate b(int a1, int a3, int a2, int a4) {
    if (!pairsDefined) {
      return Estimate.UNDEFINED;
    }
    int c = layout.xb(layout.bClass(a1, a3, a2, a4));
    return new Estimate(fanIn * mean[c], fanIn * Math.sqrt(cov(c, c) / count));
  }

  /** n' Cov(Ĥ_{ii;a1a2}, Ĥ_{ii;a3a4}), the same neuron (→ A + B_{a1a3a2a4} + B_{a1a4a2a3}). */
  public Estimate sameNeuronA(int a1, int a2, int a3, int a4) {
    if (networks < 2) {
      return Estimate.UNDEFINED;
    }
    int p = pair(a1, a2);
    int q = pair(a3, a4);
    int t = pairs.pairPair(Math.min(p, q), Math.max(p, q));
    return covariance(layout.sh(t), layout.hd(p), layout.hd(q), layout.hh(t));
  }

  /** n' Cov(Ĥ_{ii;a1a2}, z_{i;a3}z_{i;a4}), the same neuron (→ D + F_{a1a3a2a4} + F_{a1a4a2a3}). */
  public Estimate sameNeuronD(int a1, int a2, int a3, int a4) {
    if (networks < 2) {
      return Estimate.UNDEFINED;
    }
    int p = pair(a1, a2);
    int q = pair(a3, a4);
    return covariance(layout.sd(p, q), layout.hd(p), layout.u(q), layout.hu(p, q));
  }

  /**
   * Heavy-tail diagnostic, as {@link LayerEstimates#tailShare()}: the largest share one network has
   * in a sum of squares behind these standard errors (1/share is an effective number of networks);
   * above {@link LayerEstimates#TAIL_SHARE_WARNING} the SEs are unreliable. NaN without networks.
   */
  public double tailShare() {
    if (networks < 1) {
      return Double.NaN;
    }
    double share = 0;
    for (int i = 0; i < layout.dimension(); i++) {
      double ss = sums.crossSum(layer, layout.crossIndex(i, i)).doubleValue();
      double m = sums.maxAbs(layer, i);
      if (ss > 0) {
        share = Math.max(share, m * m / ss);
      }
    }
    return share;
  }
}
