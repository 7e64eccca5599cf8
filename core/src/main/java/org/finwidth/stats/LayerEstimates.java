package org.finwidth.stats;

import java.util.Arrays;
import org.finwidth.stats.ObservableLayout.Sum;
import org.finwidth.vector.PairIndex;

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
 * variance (docs/theory.md §9.4); both are reported so that they check each other. G, V, ratio4
 * and pairRatio need the distinct-neuron statistics ({@link ObservableLayout#distinctNeurons()}); without
 * them they are {@link Estimate#UNDEFINED}.
 *
 * <h2>Standard errors</h2>
 * Every estimator is a smooth function f of the component means; its standard error is the delta
 * method {@code SE² = ∇f^T S ∇f / N} with the sample covariance S of the components involved
 * (hence the sums kept by {@link ObservableLayout}). For means this is the usual
 * {@code √(S_xx/N)}; for the covariance-type V it is the leading term of the exact variance of a
 * sample covariance (the O(1/N²) terms are dropped): {@code Var(y − m_q x_p − m_p x_q)/N} times
 * {@code (n' N/(N−1))²}, with {@code y = g_p g_q} for Vmetric and {@code y = t_r = u_p u_q + e_r}
 * for V (the weight of e, n' instead of n' N/(N−1), differs at O(1/N), like the terms dropped).
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
  /** The layer's sums rounded to double ({@link ObservableLayout} order). */
  private final double[] s;

  private LayerEstimates(MomentSums sums, int layer, double[] reference, int fanIn, int width) {
    this.sums = sums;
    this.layout = sums.layout();
    this.layer = layer;
    this.networks = sums.count();
    this.count = networks;
    PairIndex index = layout.index();
    int d = layout.inputs();
    int pairs = layout.pairs();
    int pairPairs = layout.pairPairs();
    boolean neurons = layout.distinctNeurons();
    g = new Estimate[pairs];
    gMetric = new Estimate[pairs];
    v = new Estimate[pairPairs];
    vMetric = new Estimate[pairPairs];
    ratio4 = new Estimate[d];
    pairRatio = new Estimate[d];
    Arrays.fill(g, Estimate.UNDEFINED);
    Arrays.fill(v, Estimate.UNDEFINED);
    Arrays.fill(ratio4, Estimate.UNDEFINED);
    Arrays.fill(pairRatio, Estimate.UNDEFINED);
    if (networks < 2) {
      s = null;
      Arrays.fill(gMetric, Estimate.UNDEFINED);
      Arrays.fill(vMetric, Estimate.UNDEFINED);
      return;
    }
    s = new double[layout.sumCount()];
    for (int i = 0; i < s.length; i++) {
      s[i] = sums.value(layer, i);
    }
    int g1 = layout.offset(Sum.G1);
    int v1 = layout.offset(Sum.V1);
    int v2 = layout.offset(Sum.V2);
    int v3a = layout.offset(Sum.V3A);
    int v3b = layout.offset(Sum.V3B);
    double nn = count / (count - 1); // N/(N−1)
    for (int p = 0; p < pairs; p++) {
      int pp = index.pairPair(p, p);
      gMetric[p] = new Estimate(reference[p] + s[g1 + p] / count,
          Math.sqrt(Math.max(cov(v1 + pp, g1 + p, g1 + p), 0) / count));
    }
    for (int r = 0; r < pairPairs; r++) {
      int p = index.pairPairFirst(r);
      int q = index.pairPairSecond(r);
      // Vmetric_r = n' S_{g_p g_q}: the linear influence a (v − m_q g_p − m_p g_q), a = n' N/(N−1),
      // over the covariance of (v_r, g_p, g_q).
      double mp = s[g1 + p] / count;
      double mq = s[g1 + q] / count;
      double a = fanIn * nn;
      double value = fanIn * cov(v1 + r, g1 + p, g1 + q);
      double var = linearVariance(
          cov(v2 + r, v1 + r, v1 + r), cov(v3a + r, v1 + r, g1 + p), cov(v3b + r, v1 + r, g1 + q),
          cov(v1 + index.pairPair(p, p), g1 + p, g1 + p), cov(v1 + index.pairPair(q, q), g1 + q, g1 + q),
          cov(v1 + r, g1 + p, g1 + q), mp, mq);
      vMetric[r] = new Estimate(value, a * Math.sqrt(Math.max(var, 0) / count));
    }
    if (!neurons) {
      return;
    }
    int u1 = layout.offset(Sum.U1);
    int u2 = layout.offset(Sum.U2);
    for (int p = 0; p < pairs; p++) {
      g[p] = new Estimate(reference[p] + s[u1 + p] / count, Math.sqrt(Math.max(cov(u2 + p, u1 + p, u1 + p), 0) / count));
    }
    int w1 = layout.offset(Sum.W1);
    int e1 = layout.offset(Sum.E1);
    int t2 = layout.offset(Sum.T2);
    int ta = layout.offset(Sum.TA);
    int tb = layout.offset(Sum.TB);
    if (width > 1) {
      for (int r = 0; r < pairPairs; r++) {
        int p = index.pairPairFirst(r);
        int q = index.pairPairSecond(r);
        // V_r = n' [S_{u_p u_q} + m_D]: S from W1 (= Σ u_p u_q), m_D = c_D + m_e. Its SE: the
        // influence n' N/(N−1) (t − m_q u_p − m_p u_q), t = u_p u_q + e, over the covariance of
        // (t, u_p, u_q) (e's own weight n' differs from n' N/(N−1) at O(1/N), below the delta
        // method's own O(1/N) accuracy).
        double cD = layout.gaussianD(reference, r, width);
        double mp = s[u1 + p] / count;
        double mq = s[u1 + q] / count;
        double value = fanIn * (cov(w1 + r, u1 + p, u1 + q) + cD + s[e1 + r] / count);
        double tSum = s[w1 + r] + s[e1 + r];
        double var = linearVariance(
            covSums(s[t2 + r], tSum, tSum), covSums(s[ta + r], tSum, s[u1 + p]), covSums(s[tb + r], tSum, s[u1 + q]),
            cov(u2 + p, u1 + p, u1 + p), cov(u2 + q, u1 + q, u1 + q), cov(w1 + r, u1 + p, u1 + q), mp, mq);
        v[r] = new Estimate(value, fanIn * nn * Math.sqrt(Math.max(var, 0) / count));
      }
    }
    int u4 = layout.offset(Sum.U4);
    int u3 = layout.offset(Sum.U3);
    int we = layout.offset(Sum.WE);
    int ue = layout.offset(Sum.UE);
    int ee = layout.offset(Sum.EE);
    for (int a = 0; a < d; a++) {
      int p = layout.diagonalPair(a);
      int r = layout.diagonalPairPair(a);
      // Components (w, u, e) = (u_p², u_p, e_r) and their covariance matrix.
      double sw = s[u2 + p];
      double su = s[u1 + p];
      double se = s[e1 + r];
      double[][] cv = {
        {covSums(s[u4 + p], sw, sw), covSums(s[u3 + a], sw, su), covSums(s[we + a], sw, se)},
        {0, covSums(s[u2 + p], su, su), covSums(s[ue + a], su, se)},
        {0, 0, covSums(s[ee + a], se, se)},
      };
      double mw = sw / count;
      double mu0 = su / count;
      double me = se / count;
      double c = reference[p];
      double cD = layout.gaussianD(reference, r, width);
      double mu = c + mu0;
      double muSquared = mu * mu - cv[1][1] / count; // unbiased for E[A]^2
      double ea2 = mw + 2 * c * mu0 + c * c;
      double ed = cD + me;
      double eq = ea2 - (width - 1) * ed;
      // ratio4 = EQ / (3 μ²): gradient over (m_w, m_u, m_e)
      double r4 = eq / (3 * muSquared);
      double se4 = deltaSe(cv, new double[] {
          1 / (3 * muSquared), 2 * c / (3 * muSquared) - eq * 2 * mu / (3 * muSquared * muSquared),
          -(width - 1) / (3 * muSquared)});
      ratio4[a] = new Estimate(r4, se4);
      if (width > 1) {
        double num = ea2 + ed;
        double pr = num / muSquared;
        double sep = deltaSe(cv, new double[] {
            1 / muSquared, 2 * c / muSquared - num * 2 * mu / (muSquared * muSquared), 1 / muSquared});
        pairRatio[a] = new Estimate(pr, sep);
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
   * @throws IllegalArgumentException if the layer, the reference's length or a width is out of range
   */
  public static LayerEstimates compute(MomentSums sums, int layer, double[] reference, int fanIn, int width) {
    return compute(sums, layer, reference, fanIn, width, 0);
  }

  /**
   * Estimates of layer ℓ from sums held in units of {@code 4^unit} for the second moments
   * (the samplers' float units, {@link org.finwidth.network.FloatScale}): G and Gmetric are
   * multiplied by {@code 4^unit}, V and Vmetric by {@code 16^unit}, the ratios are unit-free. A
   * value that the multiplication takes out of double's normal range is undefined (NaN), never a
   * rounded-away number.
   *
   * @param reference the reference in the same units as the sums
   * @param unit the exponent (0: the sums are in true units)
   */
  public static LayerEstimates compute(MomentSums sums, int layer, double[] reference, int fanIn, int width,
      int unit) {
    if (layer < 1 || layer > sums.depth()) {
      throw new IllegalArgumentException("layer must be in 1.." + sums.depth() + ", got " + layer);
    }
    if (reference.length != sums.layout().pairs()) {
      throw new IllegalArgumentException("the reference needs " + sums.layout().pairs() + " entries, got " + reference.length);
    }
    if (fanIn < 1 || width < 1) {
      throw new IllegalArgumentException("widths must be >= 1, got fan-in " + fanIn + " and width " + width);
    }
    LayerEstimates e = new LayerEstimates(sums, layer, reference, fanIn, width);
    if (unit != 0) {
      e.rescale(e.g, 2 * unit);
      e.rescale(e.gMetric, 2 * unit);
      e.rescale(e.v, 4 * unit);
      e.rescale(e.vMetric, 4 * unit);
    }
    return e;
  }

  /** Multiplies every estimate by 2^k; one the product takes out of the normal range becomes undefined. */
  private void rescale(Estimate[] estimates, int k) {
    for (int i = 0; i < estimates.length; i++) {
      Estimate x = estimates[i];
      double m = Math.scalb(x.mean(), k);
      double se = Math.scalb(x.standardError(), k);
      boolean lost = x.mean() != 0 && !(Math.abs(m) >= Double.MIN_NORMAL && Double.isFinite(m))
          || x.standardError() != 0 && !(Math.abs(se) >= Double.MIN_NORMAL && Double.isFinite(se));
      estimates[i] = lost ? Estimate.UNDEFINED : new Estimate(m, se);
    }
  }

  /** Unbiased sample covariance {@code (Σxy − Σx Σy/N)/(N−1)} of two components from their sums. */
  private double covSums(double sxy, double sx, double sy) {
    return (sxy - sx * (sy / count)) / (count - 1);
  }

  /** {@link #covSums} of the layer's sums at positions {@code xy}, {@code x}, {@code y}. */
  private double cov(int xy, int x, int y) {
    return covSums(s[xy], s[x], s[y]);
  }

  /**
   * {@code Var(y − m_q x_p − m_p x_q)} from the covariances of {@code (y, x_p, x_q)}: the variance
   * of the influence of a sample covariance {@code S_{x_p x_q}} (with {@code y = x_p x_q}, or
   * {@code t}).
   */
  private static double linearVariance(double syy, double syp, double syq, double spp, double sqq, double spq,
      double mp, double mq) {
    return syy + mq * mq * spp + mp * mp * sqq - 2 * mq * syp - 2 * mp * syq + 2 * mp * mq * spq;
  }

  /** Delta-method standard error √(∇f^T S ∇f / N) with S given by its upper triangle. */
  private double deltaSe(double[][] upper, double[] gradient) {
    double var = 0;
    for (int i = 0; i < gradient.length; i++) {
      for (int j = 0; j < gradient.length; j++) {
        double c = i <= j ? upper[i][j] : upper[j][i];
        var += gradient[i] * gradient[j] * c;
      }
    }
    return Math.sqrt(Math.max(var, 0) / count);
  }

  /**
   * Heavy-tail diagnostic: {@code max_x (max_k x_k²) / Σ_k x_k²} over the per-network components
   * x ∈ {g_p, g_p²} and, with the distinct-neuron statistics, {u_p, u_p²} (ObservableLayout),
   * i.e. the largest fraction of a sum of squares
   * that one network holds; 1/share is an effective number of networks behind the worst SE. The
   * squares make it a fourth-moment quantity: for light tails it falls like (log N)²/N (about 1e-3
   * for Gaussian u at N = 10^5); above {@link #TAIL_SHARE_WARNING} the variance behind some SE
   * is carried by a handful of networks, so that SE is unreliable (deep, narrow ReLU networks:
   * ReLU, n = 4, layer 6 is far above it at N = 10^5, docs/theory.md §6.2). NaN without networks.
   */
  public double tailShare() {
    if (networks < 1) {
      return Double.NaN;
    }
    int pairs = layout.pairs();
    int v1 = layout.offset(Sum.V1);
    int v2 = layout.offset(Sum.V2);
    double share = 0;
    for (int p = 0; p < pairs; p++) {
      int pp = layout.index().pairPair(p, p);
      double mg = sums.maxAbs(layer, p);
      share = Math.max(share, share(mg * mg, sums.value(layer, v1 + pp)));
      share = Math.max(share, share(mg * mg * mg * mg, sums.value(layer, v2 + pp)));
      if (layout.distinctNeurons()) {
        double mu = sums.maxAbs(layer, pairs + p);
        share = Math.max(share, share(mu * mu, sums.value(layer, layout.offset(Sum.U2) + p)));
        share = Math.max(share, share(mu * mu * mu * mu, sums.value(layer, layout.offset(Sum.U4) + p)));
      }
    }
    return share;
  }

  private static double share(double largest, double sumOfSquares) {
    return sumOfSquares > 0 ? largest / sumOfSquares : 0;
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

  /**
   * {@code E[z_{i;a} z_{i;b}]} measured from the neurons; {@link Estimate#UNDEFINED} without the
   * distinct-neuron statistics.
   */
  public Estimate g(int a, int b) {
    return g[layout.index().pair(a, b)];
  }

  /** {@code E[Ĝ_ab]} (the same quantity, Rao–Blackwellised through the sampler's metric). */
  public Estimate gMetric(int a, int b) {
    return gMetric[layout.index().pair(a, b)];
  }

  /**
   * V component r (layout order, key {@link PairIndex#key}) measured from distinct neurons;
   * {@link Estimate#UNDEFINED} without the distinct-neuron statistics or for a width of 1.
   */
  public Estimate v(int r) {
    return v[r];
  }

  /** V component r from the metric: {@code n_{ℓ−1} Cov(Ĝ_p, Ĝ_q)} (Rao–Blackwellised). */
  public Estimate vMetric(int r) {
    return vMetric[r];
  }

  /** V component {@code (ab)(cd)} (see {@link #v(int)}). */
  public Estimate v(int a, int b, int c, int d) {
    return v[layout.index().component(a, b, c, d)];
  }

  /** Vmetric component {@code (ab)(cd)}. */
  public Estimate vMetric(int a, int b, int c, int d) {
    return vMetric[layout.index().component(a, b, c, d)];
  }

  /** Whether the distinct-neuron estimators (V, ratio4, pairRatio) were measured. */
  public boolean hasDistinctNeurons() {
    return layout.distinctNeurons();
  }

  /**
   * {@code E[z⁴]/(3E[z²]²)} of input a (same neuron); {@link Estimate#UNDEFINED} without the
   * distinct-neuron statistics.
   */
  public Estimate ratio4(int a) {
    return ratio4[a];
  }

  /**
   * {@code E[z_i² z_j²]/(E[z_i²]E[z_j²])}, i ≠ j, of input a; {@link Estimate#UNDEFINED} without
   * the distinct-neuron statistics or for a width of 1.
   */
  public Estimate pairRatio(int a) {
    return pairRatio[a];
  }
}
