package org.finwidth.stats;

import java.util.Arrays;

/**
 * Estimates with standard errors of the observables of one layer ℓ, computed from the exact
 * ensemble sums ({@link MomentSums}) of N networks. Notation: {@code n = n_ℓ} the layer's width,
 * {@code n' = n_{ℓ−1}} its fan-in, per-network statistics {@code A_p}, {@code Ĝ_p}, {@code D_r},
 * {@code Q_r} and the reference {@code c} as in {@link ObservableLayout}; {@code m_x} is the
 * sample mean of a component over the networks and {@code S_xy} the unbiased sample covariance of
 * two components across networks, {@code S_xy = (Σ x y − Σx Σy / N)/(N − 1)}.
 *
 * <h2>Estimators</h2>
 * <pre>
 *   G_p      = c_p + m_u                    E[z_{i;a} z_{i;b}] from the neurons: unbiased
 *   Gmetric_p = c_p + m_g                   E[Ĝ_p], the same quantity (docs/theory.md §1.4) from the metric
 *                                           that generated the layer: unbiased, never larger variance
 *   V_r      = n' [ S_{u_p u_q} + m_D ]      the connected four-point function between distinct
 *            = n' [ N/(N−1) (m_w − m_{u_p} m_{u_q}) + c_D + m_e ]    neurons, times n' (docs/theory.md §9):
 *                                           E[z_{ia}z_{ib}z_{jc}z_{jd}]_{i≠j} − G_p G_q = Cov(A_p,A_q) + E[D_r]
 *   Vmetric_r = n' S_{g_p g_q}              n' Cov(Ĝ_p, Ĝ_q), the definition of V (docs/theory.md §1.4):
 *                                           the same quantity, Rao–Blackwellised (the neurons'
 *                                           sampling noise given Ĝ averaged out)
 *   ratio4_a  = E[Q_aaaa] / (3 μ²)           E[z⁴]/(3E[z²]²) for input a, with
 *              E[Q] = m_w + 2c m_u + c² − (n−1)(c_D + m_e)     (Q = A² − (n−1)D, A² = w + 2cu + c²)
 *              μ² = (c + m_u)² − S_uu / N    the unbiased estimate of E[A]² (a U-statistic)
 *   pairRatio_a = E[A² + D] / μ²             E[z_i² z_j²]/(E[z_i²]E[z_j²]), i ≠ j:
 *              numerator m_w + 2c m_u + c² + c_D + m_e
 * </pre>
 * G, Gmetric, V and Vmetric are unbiased for every N ≥ 2 (sample means, and the unbiased sample
 * covariance, which is the U-statistic of the product of two means). V estimates the exact
 * finite-width {@code n' Cov(Ĝ_p, Ĝ_q)}, whose large-width limit is the vertex of docs/theory.md §5;
 * "V" is the direct measurement from the neurons, "Vmetric" needs the sampler's Ĝ and has lower
 * variance (docs/theory.md §9.4); both are reported so that they check each other.
 *
 * <h2>Standard errors</h2>
 * Every estimator is a smooth function f of the component means; its standard error is the delta
 * method {@code SE² = ∇f^T S ∇f / N} with the sample covariance S of the components involved
 * (hence the products kept by {@link ObservableLayout}). For means this is the usual
 * {@code √(S_xx/N)}; for the covariance-type V it is the leading term of the exact variance of a
 * sample covariance (the O(1/N²) terms are dropped).
 *
 * <h2>Known biases</h2>
 * The ratios ratio4 and pairRatio are ratios of unbiased estimators, hence biased at O(1/N):
 * about {@code (R S_den,den − S_num,den)/(N μ_den²)} per network-level covariance, of either sign.
 * It shrinks like 1/N while the SE shrinks like 1/√N, so it is negligible against the SE for
 * well-behaved statistics and large N;
 * and their delta-method SE assumes that the per-network statistics have finite fourth moments
 * and that N is large enough for the central limit theorem. For deep, narrow scale-invariant or
 * super-linear networks Ĝ is very heavy-tailed (docs/theory.md §6.2, §6.4): then the estimates converge
 * slowly, typically from below, and the SE is optimistic; compare at moderate depth/width ratios.
 * {@link #tailShare()} flags such layers: the largest share a single network has in a sum of
 * squares that a standard error rests on.
 */
public final class LayerEstimates {
  private final ObservableLayout layout;
  private final int layer;
  private final long networks;
  private final Estimate[] g;
  private final Estimate[] gMetric;
  private final Estimate[] v;
  private final Estimate[] vMetric;
  private final Estimate[] ratio4;
  private final Estimate[] pairRatio;

  private final MomentSums sums;
  private final double count;
  private final double[] mean;

  private LayerEstimates(MomentSums sums, int layer, double[] reference, int fanIn, int width) {
    this.sums = sums;
    this.layout = sums.layout();
    this.layer = layer;
    this.networks = sums.count();
    this.count = networks;
    int d = layout.inputs();
    int pairs = layout.pairs();
    int pairPairs = layout.pairPairs();
    g = new Estimate[pairs];
    gMetric = new Estimate[pairs];
    v = new Estimate[pairPairs];
    vMetric = new Estimate[pairPairs];
    ratio4 = new Estimate[d];
    pairRatio = new Estimate[d];
    if (networks < 2) {
      mean = null;
      Arrays.fill(g, Estimate.UNDEFINED);
      Arrays.fill(gMetric, Estimate.UNDEFINED);
      Arrays.fill(v, Estimate.UNDEFINED);
      Arrays.fill(vMetric, Estimate.UNDEFINED);
      Arrays.fill(ratio4, Estimate.UNDEFINED);
      Arrays.fill(pairRatio, Estimate.UNDEFINED);
      return;
    }
    mean = new double[layout.dimension()];
    for (int i = 0; i < mean.length; i++) {
      mean[i] = sums.sum(layer, i).doubleValue() / count;
    }
    double nn = count / (count - 1); // N/(N−1)
    for (int p = 0; p < pairs; p++) {
      int u = layout.u(p);
      int gg = layout.g(p);
      g[p] = new Estimate(reference[p] + mean[u], Math.sqrt(cov(u, u) / count));
      gMetric[p] = new Estimate(reference[p] + mean[gg], Math.sqrt(cov(gg, gg) / count));
    }
    for (int r = 0; r < pairPairs; r++) {
      int p = layout.index().pairPairFirst(r);
      int q = layout.index().pairPairSecond(r);
      int up = layout.u(p);
      int uq = layout.u(q);
      int w = layout.w(r);
      int e = layout.e(r);
      double cD = layout.gaussianD(reference, r, width);
      if (width > 1) {
        double value = fanIn * (nn * (mean[w] - mean[up] * mean[uq]) + cD + mean[e]);
        double se = deltaSe(new int[] {w, up, uq, e},
            new double[] {fanIn * nn, -fanIn * nn * mean[uq], -fanIn * nn * mean[up], fanIn});
        v[r] = new Estimate(value, se);
      } else {
        v[r] = Estimate.UNDEFINED; // no distinct neurons
      }
      int gp = layout.g(p);
      int gq = layout.g(q);
      int vv = layout.v(r);
      double value = fanIn * nn * (mean[vv] - mean[gp] * mean[gq]);
      double se = deltaSe(new int[] {vv, gp, gq},
          new double[] {fanIn * nn, -fanIn * nn * mean[gq], -fanIn * nn * mean[gp]});
      vMetric[r] = new Estimate(value, se);
    }
    for (int a = 0; a < d; a++) {
      int p = layout.index().pair(a, a);
      int r = layout.index().pairPair(p, p);
      int u = layout.u(p);
      int w = layout.w(r);
      int e = layout.e(r);
      double c = reference[p];
      double cD = layout.gaussianD(reference, r, width);
      double mu = c + mean[u];
      double muSquared = mu * mu - cov(u, u) / count; // unbiased for E[A]^2
      double ea2 = mean[w] + 2 * c * mean[u] + c * c;
      double ed = cD + mean[e];
      double eq = ea2 - (width - 1) * ed;
      // ratio4 = EQ / (3 μ²): gradient over (m_w, m_u, m_e)
      double r4 = eq / (3 * muSquared);
      double se4 = deltaSe(new int[] {w, u, e}, new double[] {
          1 / (3 * muSquared), 2 * c / (3 * muSquared) - eq * 2 * mu / (3 * muSquared * muSquared),
          -(width - 1) / (3 * muSquared)});
      ratio4[a] = new Estimate(r4, se4);
      if (width > 1) {
        double num = ea2 + ed;
        double pr = num / muSquared;
        double sep = deltaSe(new int[] {w, u, e}, new double[] {
            1 / muSquared, 2 * c / muSquared - num * 2 * mu / (muSquared * muSquared), 1 / muSquared});
        pairRatio[a] = new Estimate(pr, sep);
      } else {
        pairRatio[a] = Estimate.UNDEFINED;
      }
    }
  }

  /**
   * Estimates of layer ℓ.
   *
   * @param sums the exact ensemble sums
   * @param layer ℓ in 1..L
   * @param reference the reference {@code c_p} of this layer that the sums were shifted by
   * @param fanIn {@code n_{ℓ−1}} (the V normalisation)
   * @param width {@code n_ℓ}
   */
  public static LayerEstimates compute(MomentSums sums, int layer, double[] reference, int fanIn, int width) {
    if (layer < 1 || layer > sums.depth()) {
      throw new IllegalArgumentException("layer must be in 1.." + sums.depth() + ", got " + layer);
    }
    if (reference.length != sums.layout().pairs()) {
      throw new IllegalArgumentException("the reference needs " + sums.layout().pairs() + " entries, got " + reference.length);
    }
    if (fanIn < 1 || width < 1) {
      throw new IllegalArgumentException("widths must be >= 1, got fan-in " + fanIn + " and width " + width);
    }
    return new LayerEstimates(sums, layer, reference, fanIn, width);
  }

  /** Unbiased sample covariance of components i and j (the product must be kept). */
  private double cov(int i, int j) {
    int k = layout.crossIndex(i, j);
    if (k < 0) {
      throw new IllegalStateException("internal: product of components " + i + " and " + j + " is not accumulated");
    }
    double sxy = sums.crossSum(layer, k).doubleValue();
    double sx = sums.sum(layer, i).doubleValue();
    double sy = sums.sum(layer, j).doubleValue();
    return (sxy - sx * (sy / count)) / (count - 1);
  }

  /** Delta-method standard error √(∇f^T S ∇f / N) over the listed components (duplicates allowed). */
  private double deltaSe(int[] components, double[] gradient) {
    double var = 0;
    for (int i = 0; i < components.length; i++) {
      for (int j = 0; j < components.length; j++) {
        var += gradient[i] * gradient[j] * cov(components[i], components[j]);
      }
    }
    return Math.sqrt(Math.max(var, 0) / count);
  }

  /**
   * Heavy-tail diagnostic: {@code max_i (max_k x_{k,i}²) / Σ_k x_{k,i}²} over the components i of
   * the statistic vector (ObservableLayout), i.e. the largest fraction of a sum of squares that one
   * network holds; 1/share is an effective number of networks behind the worst SE. The squares
   * w = u² and v = g² make it a fourth-moment quantity: for light tails it falls like
   * (log N)²/N (about 1e-3 for Gaussian u at N = 10^5; measured 0.02 for tanh, n = 8, layer 3, where
   * the SEs are honest, CoverageTest); above {@link #TAIL_SHARE_WARNING} the variance behind some SE
   * is carried by a handful of networks, so that SE is unreliable (measured: ReLU, n = 16, layer
   * 5: 0.16; n = 4, layer 6: 0.46 at N = 10^5). NaN without networks.
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

  /** {@link #tailShare()} above this (10%: fewer than ten effective networks) is reported as a warning. */
  public static final double TAIL_SHARE_WARNING = 0.1;

  /** The layer ℓ. */
  public int layer() {
    return layer;
  }

  /** Number of networks N the estimates rest on. */
  public long networks() {
    return networks;
  }

  /** The statistics layout (pair and V component numbering). */
  public ObservableLayout layout() {
    return layout;
  }

  /** {@code E[z_{i;a} z_{i;b}]} measured from the neurons. */
  public Estimate g(int a, int b) {
    return g[layout.index().pair(a, b)];
  }

  /** {@code E[Ĝ_ab]} (the same quantity, Rao–Blackwellised through the sampler's metric). */
  public Estimate gMetric(int a, int b) {
    return gMetric[layout.index().pair(a, b)];
  }

  /** V component r (layout order, key {@link org.finwidth.vector.PairIndex#key}) measured from distinct neurons. */
  public Estimate v(int r) {
    return v[r];
  }

  /** V component r from the metric: {@code n_{ℓ−1} Cov(Ĝ_p, Ĝ_q)} (Rao–Blackwellised). */
  public Estimate vMetric(int r) {
    return vMetric[r];
  }

  /** V component {@code (ab)(cd)}. */
  public Estimate v(int a, int b, int c, int d) {
    return v[layout.index().pairPair(layout.index().pair(a, b), layout.index().pair(c, d))];
  }

  /** Vmetric component {@code (ab)(cd)}. */
  public Estimate vMetric(int a, int b, int c, int d) {
    return vMetric[layout.index().pairPair(layout.index().pair(a, b), layout.index().pair(c, d))];
  }

  /** {@code E[z⁴]/(3E[z²]²)} of input a (same neuron). */
  public Estimate ratio4(int a) {
    return ratio4[a];
  }

  /** {@code E[z_i² z_j²]/(E[z_i²]E[z_j²])}, i ≠ j, of input a. */
  public Estimate pairRatio(int a) {
    return pairRatio[a];
  }
}
