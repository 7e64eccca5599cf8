package org.finwidth.theory;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.finwidth.activation.Activation;
import org.finwidth.network.NetworkSpec;

/**
 * The exact law of the single-input stochastic metric Ĝ^(ℓ), ℓ = 1..L, at finite width, for any
 * activation, computed deterministically (no sampling; docs/theory.md §6.5).
 *
 * <p>Given Ĝ^(ℓ) = k the next metric is Ĝ^(ℓ+1) = C_b + (C_W/n_ℓ) Σ_{i ≤ n_ℓ} X_i with
 * X_i = σ(√k ε_i)² i.i.d. (docs/theory.md §1.4): a Markov chain in one number. Its law is carried
 * in v = log(Ĝ − C_b) as a discrete measure on a uniform lattice (plus a point mass at Ĝ = C_b,
 * the "atom"), and each source node's transition — the law of log Σ X_i — is built from a
 * quadrature rule for one term by n-fold convolution in logarithmic variables (binary powering;
 * the sum of two independent positive terms at log-values u, u' lies at max(u, u') +
 * log(1 + e^{−|u−u'|})). Point masses are spread onto the lattice with Lagrange weights of order r,
 * so every step integrates smooth functions of v to O(h^r). The first step (from the deterministic
 * K^(1)) is exact, and the moments of layer ℓ + 1 are taken from the law of layer ℓ and the exact
 * conditional moments E[Ĝ'|k] = C_b + C_W E[X], Var(Ĝ'|k) = C_W² Var(X)/n, so E[Ĝ^(2)] and
 * E[(Ĝ^(2))²] carry no lattice error at all.
 *
 * <p><b>Tails.</b> Lattice nodes whose share of the total mass (lower end) or of E[Ĝ²] (upper end)
 * is below {@link Options#tailTolerance} are removed after each layer: the lower ones join the
 * atom (their Ĝ − C_b is below e^{v} of the cut), the upper ones are recorded with their mass and
 * first two moments, and their contribution to every later E[Ĝ^p] is bounded by
 * m_p(k) ≤ Γ_p k^p + A_p with Γ_p, A_p sampled from the exact conditional moments; the bound is
 * reported per layer ({@link Layer#tailBound}). For activations growing faster than linearly
 * (RePU, monomials of degree ≥ 2) no such Γ exists: the bound is +∞ wherever mass was removed.
 *
 * <p>Immutable after construction.
 */
public final class ExactLaw {
  /** Quantile levels reported per layer. */
  public static final double[] QUANTILE_LEVELS = {0.001, 0.01, 0.1, 0.5, 0.9, 0.99, 0.999};

  /**
   * Numerical settings.
   *
   * @param spacing the lattice spacing h in log(Ĝ − C_b) (&gt; 0); 0 selects it automatically
   *     ({@link #DEFAULT})
   * @param order the Lagrange stencil r (even, 2..40)
   * @param tailTolerance the relative share of mass or of E[Ĝ²] below which lattice tails are
   *     removed (&gt; 0)
   * @param resolve whether the lattice must resolve the law of every layer (needed for accurate
   *     quantiles; moments do not need it)
   */
  public record Options(double spacing, int order, double tailTolerance, boolean resolve) {
    /**
     * Options of the computation.
     *
     * @throws IllegalArgumentException for a value outside its domain
     */
    public Options {
      if (!(spacing >= 0) || Double.isInfinite(spacing)) {
        throw new IllegalArgumentException("spacing must be >= 0, got " + spacing);
      }
      if (order < 2 || order > 40 || order % 2 != 0) {
        throw new IllegalArgumentException("order must be even in 2..40, got " + order);
      }
      if (!(tailTolerance > 0 && tailTolerance < 1)) {
        throw new IllegalArgumentException("tailTolerance must be in (0, 1), got " + tailTolerance);
      }
    }

    /** Automatic spacing, order 12, tails below 1e-18, quantiles resolved. */
    public static final Options DEFAULT = new Options(0, 12, 1e-18, true);

    /** Moments only: a coarse lattice (quantiles are reported but not resolved). */
    public static final Options MOMENTS = new Options(0, 12, 1e-18, false);
  }

  /**
   * The law of one layer, summarised.
   *
   * @param layer ℓ (1-based)
   * @param fanIn n_{ℓ−1}
   * @param mean E[Ĝ^(ℓ)] = E[z²]
   * @param second E[(Ĝ^(ℓ))²] = E[z_i² z_j²] (i ≠ j) = E[z⁴]/3
   * @param variance Var(Ĝ^(ℓ)), computed without the cancellation of second − mean²
   * @param atom P(Ĝ^(ℓ) = C_b) (ReLU-type activations; also the removed lower tail)
   * @param quantiles Ĝ^(ℓ) at the levels {@link #QUANTILE_LEVELS}
   * @param accuracy estimated relative error of mean and second (numerical estimate plus tail
   *     bound); +∞ if no bound could be given
   * @param tailBound upper bound on the part of E[(Ĝ^(ℓ))²] lost with removed upper tails,
   *     relative to second (0 when nothing was removed)
   */
  public record Layer(int layer, int fanIn, double mean, double second, double variance,
      double atom, double[] quantiles, double accuracy, double tailBound) {
    /** A layer's summary; the quantiles are copied. */
    public Layer {
      quantiles = quantiles.clone();
    }

    /** Ĝ^(ℓ) at the levels {@link #QUANTILE_LEVELS} (a copy). */
    @Override
    public double[] quantiles() {
      return quantiles.clone();
    }

    /** E[z²]. */
    public double ez2() {
      return mean;
    }

    /** E[z⁴] = 3E[Ĝ²]. */
    public double ez4() {
      return 3 * second;
    }

    /** E[z_i² z_j²] (i ≠ j) = E[Ĝ²]. */
    public double ezizj() {
      return second;
    }

    /** The exact vertex n_{ℓ−1}·Var(Ĝ^(ℓ)) (docs/theory.md §1.4). */
    public double vertex() {
      return fanIn * variance;
    }

    /** The exact NLO kernel n_{ℓ−1}·(E[Ĝ^(ℓ)] − K^(ℓ)) for the given infinite-width K^(ℓ). */
    public double nloKernel(double kernel) {
      return fanIn * (mean - kernel);
    }
  }

  private final List<Layer> layers;
  private final double spacing;

  private ExactLaw(List<Layer> layers, double spacing) {
    this.layers = List.copyOf(layers);
    this.spacing = spacing;
  }

  /** The layers 1..L. */
  public List<Layer> layers() {
    return layers;
  }

  /** Layer ℓ (1-based). */
  public Layer layer(int l) {
    return layers.get(l - 1);
  }

  /** The lattice spacing used. */
  public double spacing() {
    return spacing;
  }

  /**
   * The law for a single-input network.
   *
   * @throws IllegalArgumentException if the network has more than one input
   * @throws IllegalStateException if σ(z)² overflows the double range on the way, or E[Ĝ] underflows it
   */
  public static ExactLaw compute(NetworkSpec spec, Options options) {
    if (spec.inputCount() != 1) {
      throw new IllegalArgumentException("the exact law needs a single input, got d=" + spec.inputCount());
    }
    return compute(spec.activation(), spec.cb(), spec.cw(), spec.gram()[0][0], spec.widths(), options);
  }

  /**
   * The law for σ, C_b ≥ 0, C_W &gt; 0, the input's (1/n_0)|x|² and widths n_1..n_L (n_L does not
   * enter).
   *
   * @throws IllegalArgumentException for a bad parameter (named with its value)
   * @throws IllegalStateException if σ(z)² overflows the double range on the way, or E[Ĝ] underflows it
   */
  public static ExactLaw compute(Activation sigma, double cb, double cw, double gram, int[] widths,
      Options options) {
    return chain(sigma, cb, cw, gram, widths, options).run();
  }

  /** The parameters checked, a chain before layer 1. */
  private static Chain chain(Activation sigma, double cb, double cw, double gram, int[] widths,
      Options options) {
    Objects.requireNonNull(sigma, "activation");
    Objects.requireNonNull(options, "options");
    if (!(cb >= 0) || Double.isInfinite(cb)) {
      throw new IllegalArgumentException("C_b must be a finite number >= 0, got cb=" + cb);
    }
    if (!(cw > 0) || Double.isInfinite(cw)) {
      throw new IllegalArgumentException("C_W must be a finite number > 0, got cw=" + cw);
    }
    if (!(gram >= 0) || Double.isInfinite(gram)) {
      throw new IllegalArgumentException("gram must be a finite number >= 0, got " + gram);
    }
    if (widths.length < 1) {
      throw new IllegalArgumentException("the depth L must be >= 1, got depth=" + widths.length);
    }
    for (int l = 0; l < widths.length; l++) {
      if (widths[l] < 1) {
        throw new IllegalArgumentException("every width must be >= 1, got n_" + (l + 1) + "=" + widths[l]);
      }
    }
    checkScale(sigma, 1, cb + cw * gram);
    return new Chain(sigma, cb, cw, gram, widths, options);
  }

  /** √{@link Double#MIN_NORMAL}: below it E[Ĝ]², the scale of the fourth moment, underflows. */
  private static final double SQRT_MIN_NORMAL = Math.sqrt(Double.MIN_NORMAL);

  /**
   * Refuses a layer whose mean E[Ĝ] is nonzero but below √MIN_NORMAL: its fourth moment (of order
   * E[Ĝ]²) is no longer a normal double, and the lattice of log Ĝ would need ever more nodes.
   */
  private static void checkScale(Activation sigma, int layer, double mean) {
    if (mean != 0 && Math.abs(mean) < SQRT_MIN_NORMAL) {
      throw new IllegalStateException("the exact law of " + sigma.spec() + " underflows the double range at layer "
          + layer + " (E[G] = " + mean + ", below 1.5e-154 where its square is no longer a normal double)");
    }
  }

  /**
   * A chain positioned at layer 1 of a single-input network, to be stepped one layer at a time
   * (what {@link #compute(NetworkSpec, Options)} does L − 1 times).
   *
   * @throws IllegalArgumentException as {@link #compute(NetworkSpec, Options)}
   * @throws IllegalStateException as {@link #compute(NetworkSpec, Options)} (a superlinear
   *     activation beyond its resolvable depth)
   */
  public static Stepper stepper(NetworkSpec spec, Options options) {
    if (spec.inputCount() != 1) {
      throw new IllegalArgumentException("the exact law needs a single input, got d=" + spec.inputCount());
    }
    Chain c = chain(spec.activation(), spec.cb(), spec.cw(), spec.gram()[0][0], spec.widths(), options);
    return new Stepper(c, c.first());
  }

  /**
   * The law computed one layer at a time: {@link #next} is one layer's transition, from the law of
   * Ĝ^(ℓ) to that of Ĝ^(ℓ+1). The transitions of lattice sources are cached across layers, as in
   * {@link #compute}; {@link #copy} gives a stepper at the same layer with or without that cache,
   * so that a layer's transition can be repeated (benchmarks). The layers are those of
   * {@link #compute}, except that for activations growing faster than linearly the accuracy is the
   * lattice's own estimate ({@link #compute} replaces it by the distance to the exact moment
   * recursion). Not thread-safe; a copy that shares the cache is confined to the same thread.
   */
  public static final class Stepper {
    private final Chain chain;
    private Layer current;

    private Stepper(Chain chain, Layer current) {
      this.chain = chain;
      this.current = current;
    }

    /** The law of the current layer. */
    public Layer current() {
      return current;
    }

    /** Whether a layer follows the current one (ℓ &lt; L). */
    public boolean hasNext() {
      return current.layer() < chain.widths.length;
    }

    /**
     * One layer's transition: the law of the next layer, which becomes the current one.
     *
     * @throws java.util.NoSuchElementException at the last layer
     * @throws IllegalStateException as {@link ExactLaw#compute(NetworkSpec, Options)} (the
     *     lattice budget, an overflow of σ²)
     */
    public Layer next() {
      if (!hasNext()) {
        throw new java.util.NoSuchElementException("the network has " + chain.widths.length + " layers");
      }
      current = chain.step();
      return current;
    }

    /**
     * A stepper at the same layer with the same law. With {@code shareTransitions} it uses (and
     * adds to) this stepper's cache of source transitions; without, its next step computes every
     * source's transition anew.
     */
    public Stepper copy(boolean shareTransitions) {
      return new Stepper(chain.copy(shareTransitions), current);
    }
  }

  /** A source's transition: the next layer's law on the chain lattice, and exact moments. */
  private record Column(int lo, double[] w, double nil, double m1, double m2, double defect) {}

  /** The computation. */
  private static final class Chain {
    final Activation sigma;
    final double cb;
    final double cw;
    final double gram;
    final int[] widths;
    final Options options;
    final int r;
    final double h;
    final double[] zBreaks;
    final boolean[] zeroPieces;
    final double degree; // homogeneity degree or NaN
    /** The per-source transitions computed so far (shared by {@link #copy} with its copies). */
    Transitions transitions = new Transitions();
    final double steep;
    final double coarse;
    double gamma1;
    double gammaA;
    double gammaB;
    double a1;
    double aa;
    double ab;

    Chain(Activation sigma, double cb, double cw, double gram, int[] widths, Options options) {
      this.sigma = sigma;
      this.cb = cb;
      this.cw = cw;
      this.gram = gram;
      this.widths = widths.clone();
      this.options = options;
      this.r = options.order();
      this.zBreaks = SummandQuadrature.breaks(sigma);
      this.zeroPieces = SummandQuadrature.zeroPieces(sigma, zBreaks);
      this.degree = sigma.homogeneity().isPresent() ? sigma.homogeneity().getAsDouble() : Double.NaN;
      // Superlinear homogeneous σ (RePU, monomials): E[Ĝ_L²] seen from layer ℓ is a moment of
      // order 2p^(L−ℓ), so the lattice must resolve e^{2p^(L−2) v}: finer by that factor (capped).
      this.steep = !Double.isNaN(degree) && degree > 1
          ? Math.min(Math.pow(degree, Math.max(widths.length - 2, 0)), MAX_STEEP) : 1;
      if (!Double.isNaN(degree) && degree > 1
          && Math.pow(degree, Math.max(widths.length - 2, 0)) > MAX_STEEP) {
        throw new IllegalStateException("the exact law of " + sigma.spec() + " (growing like |z|^"
            + degree + ") is computed to depth " + (2 + (int) Math.floor(Math.log(MAX_STEEP)
            / Math.log(degree))) + ": deeper, E[G^2] is a moment of order 2p^(L-2) of layer 2");
      }
      this.coarse = COARSE / steep;
      this.h = options.spacing() > 0 ? options.spacing() : autoSpacing() / steep;
    }

    double autoSpacing() {
      double coarse = 0.05;
      if (!options.resolve() || widths.length < 2) {
        return coarse;
      }
      // The narrowest law is that of layer 2 (or a later one with a larger fan-in); its width in
      // v is about the relative standard deviation of Ĝ' given K^(1): sd(X)/(√n E[X]).
      double k1 = cb + cw * gram;
      SummandQuadrature q = SummandQuadrature.of(sigma, zBreaks, zeroPieces, k1);
      int maxN = 1;
      for (int l = 0; l < widths.length - 1; l++) {
        maxN = Math.max(maxN, widths[l]);
      }
      double rel = q.mean > 0 ? Math.sqrt(q.variance) / q.mean : 1;
      double relG = cw * q.mean > 0 ? rel * cw * q.mean / (cb + cw * q.mean) : 1;
      double sd = Math.max(relG / Math.sqrt(maxN), 1e-4);
      return Math.min(coarse, sd / 4);
    }

    SummandQuadrature rule(double k) {
      if (!Double.isNaN(degree) && k > 0) {
        if (transitions.baseRule == null) {
          transitions.baseRule = SummandQuadrature.of(sigma, zBreaks, zeroPieces, 1);
        }
        return transitions.baseRule;
      }
      return SummandQuadrature.of(sigma, zBreaks, zeroPieces, k);
    }

    /** E[X] and Var(X) at k (homogeneous σ: scaled from k = 1). */
    double[] xMoments(double k) {
      if (!Double.isNaN(degree) && k > 0) {
        SummandQuadrature q = rule(k);
        double s = Math.pow(k, degree);
        return new double[] {q.mean * s, q.variance * s * s};
      }
      SummandQuadrature q = rule(k);
      return new double[] {q.mean, q.variance};
    }

    /**
     * The lattice spacing for a law of width sd in u: the largest h·2^j not above
     * max(h, min({@value #COARSE}, sd/4)), so that every stage resolves its own law (the final
     * one on the chain's lattice) without paying the chain's resolution for the wide early ones.
     */
    double stageSpacing(double sd) {
      double target = Math.max(h, Math.min(coarse, sd / 4));
      double s = h;
      while (2 * s <= target) {
        s *= 2;
      }
      return s;
    }

    static LatticeLaw toSpacing(LatticeLaw law, double spacing) {
      int factor = (int) Math.round(law.h / spacing);
      return factor <= 1 ? law : law.refine(factor);
    }

    /** The law of log Σ_{i ≤ n} X_i for the rule q, on the chain lattice h. */
    LatticeLaw sumLaw(SummandQuadrature q, int n) {
      double mean = q.mean;
      double logMean = Math.log(mean);
      double cut = logMean - LOW_CUT;
      // Width of log X (non-nil part) for the first stage's spacing.
      double m0 = 0;
      double m1 = 0;
      double m2 = 0;
      for (int i = 0; i < q.x.length; i++) {
        if (q.x[i] > 0) {
          double u = Math.log(q.x[i]);
          if (u >= cut) {
            m0 += q.weight[i];
            m1 += q.weight[i] * u;
            m2 += q.weight[i] * u * u;
          }
        }
      }
      double sdX = m0 > 0 ? Math.sqrt(Math.max(m2 / m0 - (m1 / m0) * (m1 / m0), 0)) : 0;
      double hx = stageSpacing(sdX);
      LatticeLaw.Builder b = new LatticeLaw.Builder(hx, r, -16, 16);
      b.addNil(q.atom);
      for (int i = 0; i < q.x.length; i++) {
        double x = q.x[i];
        if (x > 0) {
          double u = Math.log(x);
          if (u >= cut) {
            b.add(u / hx, q.weight[i]);
            continue;
          }
        }
        b.addNil(q.weight[i]);
      }
      LatticeLaw x = b.build((int) Math.floor(cut / hx));
      if (mean == 0 || n == 1) {
        return toSpacing(x, h);
      }
      LatticeLaw result = null;
      int resultCount = 0;
      LatticeLaw base = x;
      int baseCount = 1;
      for (int bits = n; bits > 0; bits >>= 1) {
        if ((bits & 1) != 0) {
          if (result == null) {
            result = base;
          } else {
            // The last sum is done on the chain's lattice, so that the law is resolved there.
            double sp = (bits >> 1) == 0 ? h : Math.min(Math.min(result.h, base.h),
                stageSpacing(Math.min(result.logSd(), base.logSd()) / Math.sqrt(2)));
            int count = resultCount + baseCount;
            result = LatticeLaw.sum(toSpacing(result, sp), toSpacing(base, sp),
                (int) Math.floor((logMean + Math.log(count) - LOW_CUT) / sp));
          }
          resultCount += baseCount;
        }
        if (bits > 1) {
          double sp = (bits >> 1) == 1 && result == null ? h
              : Math.min(base.h, stageSpacing(base.logSd() / Math.sqrt(2)));
          LatticeLaw bb = toSpacing(base, sp);
          baseCount *= 2;
          base = LatticeLaw.sum(bb, bb, (int) Math.floor((logMean + Math.log(baseCount) - LOW_CUT) / sp));
        }
      }
      return toSpacing(result, h);
    }

    /** The column of a source at k (k ≥ C_b) for fan-in n. */
    Column column(double k, int n) {
      double[] xm = xMoments(k);
      double m1 = cb + cw * xm[0];
      double m2 = m1 * m1 + cw * cw * xm[1] / n;
      LatticeLaw law;
      double shift; // in lattice units, chain position = law index + shift
      if (!Double.isNaN(degree) && k > 0) {
        law = transitions.baseLaws.computeIfAbsent(n, nn -> sumLaw(rule(1), nn));
        shift = (degree * Math.log(k) + Math.log(cw / n)) / h;
      } else {
        law = sumLaw(rule(k), n);
        shift = Math.log(cw / n) / h;
      }
      double f = Math.floor(shift);
      double[] lw = new double[r];
      LatticeLaw.lagrange(shift - f, r, lw);
      int off = (int) f - r / 2 + 1;
      double[] w = new double[law.w.length + r - 1];
      for (int i = 0; i < law.w.length; i++) {
        double wi = law.w[i];
        if (wi != 0) {
          for (int s = 0; s < r; s++) {
            w[i + s] += wi * lw[s];
          }
        }
      }
      int lo = law.lo + off;
      // Defect of the second moment of Ĝ' − C_b against the exact value (lattice error).
      double exact2 = cw * cw * (xm[0] * xm[0] + xm[1] / n);
      double got2 = 0;
      double top = (lo + w.length) * h;
      for (int i = 0; i < w.length; i++) {
        got2 += w[i] * Math.exp(2 * ((lo + i) * h - top));
      }
      double defect = exact2 > 0 ? Math.abs(got2 / (exact2 * Math.exp(-2 * top)) - 1) : 0;
      if (!Double.isFinite(defect)) {
        defect = 0;
      }
      return new Column(lo, w, law.nil, m1, m2, defect);
    }

    Column lattice(int index, int n) {
      long key = ((long) n << 32) ^ (index & 0xffffffffL);
      if (!Double.isNaN(degree)) {
        return column(cb + Math.exp(index * h), n); // a shifted copy of one law: not cached
      }
      Column c = transitions.cache.get(key);
      if (c == null) {
        c = column(cb + Math.exp(index * h), n);
        transitions.cache.put(key, c);
        transitions.stored += c.w().length;
        if (transitions.stored > MAX_STORED) {
          throw new IllegalStateException("the exact law of " + sigma.spec() + " needs more than "
              + MAX_STORED + " lattice weights (spacing " + h + "): its tails span too many"
              + " decades at this depth and width");
        }
      }
      return c;
    }

    Column atomColumn(int n) {
      long key = ((long) n << 32) ^ 0x7fffffffL ^ (1L << 62);
      return transitions.cache.computeIfAbsent(key, kk -> column(cb, n));
    }

    /**
     * Γ and A with m1(k) ≤ Γ1 k + A1 and m2(k; n) ≤ (Γa + Γb/n) k² + Aa + Ab/n, sampled on a
     * geometric range of k (Γ for k above kSplit, A below); +∞ for activations growing faster
     * than linearly.
     */
    void growthBounds(double kSplit) {
      boolean superLinear = false;
      double prev1 = 0;
      double prevA = 0;
      for (int e = -8; e <= 48; e++) {
        double k = kSplit * Math.pow(2, e * 1.5);
        if (!Double.isFinite(k) || k > 1e300) {
          break;
        }
        double[] xm;
        try {
          xm = xMoments(k);
        } catch (IllegalStateException ex) {
          superLinear = true;
          break;
        }
        double m1 = cb + cw * xm[0];
        double va = m1 * m1;
        double vb = cw * cw * xm[1];
        if (!Double.isFinite(va) || !Double.isFinite(vb)) {
          superLinear = true;
          break;
        }
        if (k <= kSplit) {
          a1 = Math.max(a1, m1);
          aa = Math.max(aa, va);
          ab = Math.max(ab, vb);
        } else {
          double r1 = m1 / k;
          double ra = va / (k * k);
          if (e > 36 && (r1 > 1.01 * prev1 || ra > 1.01 * prevA)) {
            superLinear = true;
          }
          gamma1 = Math.max(gamma1, r1);
          gammaA = Math.max(gammaA, ra);
          gammaB = Math.max(gammaB, vb / (k * k));
          prev1 = r1;
          prevA = ra;
        }
      }
      if (superLinear) {
        gamma1 = Double.POSITIVE_INFINITY;
        gammaA = Double.POSITIVE_INFINITY;
      }
    }

    // The law of the current layer: lattice weights p from index pLo, and the atom at Ĝ = C_b.
    double[] p;
    int pLo;
    double atom;
    // Bounds on the removed upper tail: mass, E[Ĝ; removed], E[Ĝ²; removed] at the current layer.
    double c0;
    double c1;
    double c2;
    double numErr;
    /** The current layer ℓ (1 after {@link #first}). */
    int current;

    /** Layer 1 (deterministic: Ĝ^(1) = K^(1)); the chain is then at layer 1. */
    Layer first() {
      double k1 = cb + cw * gram;
      current = 1;
      if (widths.length > 1) {
        growthBounds(Math.max(k1, Math.max(cb, 1e-300)));
      }
      return new Layer(1, 0, k1, k1 * k1, 0, k1 == cb ? 1 : 0, constant(k1), 0, 0);
    }

    /**
     * The same chain at the same layer; with {@code shareTransitions} it shares (and fills) this
     * chain's cache of per-source transitions, else it starts without any.
     */
    Chain copy(boolean shareTransitions) {
      Chain c = new Chain(sigma, cb, cw, gram, widths, options);
      if (shareTransitions) {
        c.transitions = transitions;
      }
      c.gamma1 = gamma1;
      c.gammaA = gammaA;
      c.gammaB = gammaB;
      c.a1 = a1;
      c.aa = aa;
      c.ab = ab;
      c.p = p == null ? null : p.clone();
      c.pLo = pLo;
      c.atom = atom;
      c.c0 = c0;
      c.c1 = c1;
      c.c2 = c2;
      c.numErr = numErr;
      c.current = current;
      return c;
    }

    ExactLaw run() {
      int depth = widths.length;
      List<Layer> out = new ArrayList<>(depth);
      out.add(first());
      for (int l = 1; l < depth; l++) {
        out.add(step());
      }
      if (Double.isInfinite(gammaA)) {
        out = checkedAgainstOracle(out);
      }
      return new ExactLaw(out, h);
    }

    /** The transition from the current layer ℓ to ℓ + 1 (ℓ &lt; L); the chain is then at ℓ + 1. */
    Layer step() {
      int l = current;
      int n = widths[l - 1];
      // Sources of layer l: (k1) at l = 1, else lattice nodes plus the atom.
      double e1 = 0;
      double e2 = 0;
      double eVarCond = 0;
      int newLo = Integer.MAX_VALUE;
      int newHi = Integer.MIN_VALUE;
      List<Column> cols = new ArrayList<>();
      List<Double> masses = new ArrayList<>();
      double defectSum = 0;
      if (l == 1) {
        double k1 = cb + cw * gram;
        Column c = k1 > cb ? column(k1, n) : atomColumn(n);
        cols.add(c);
        masses.add(1.0);
      } else {
        if (atom != 0) {
          cols.add(atomColumn(n));
          masses.add(atom);
        }
        for (int i = 0; i < p.length; i++) {
          if (p[i] != 0) {
            cols.add(lattice(pLo + i, n));
            masses.add(p[i]);
          }
        }
      }
      for (int s = 0; s < cols.size(); s++) {
        Column c = cols.get(s);
        double m = masses.get(s);
        e1 += m * c.m1;
        e2 += m * c.m2;
        eVarCond += m * (c.m2 - c.m1 * c.m1);
        defectSum += Math.abs(m) * c.defect * c.m2;
        if (c.w.length > 0) {
          newLo = Math.min(newLo, c.lo);
          newHi = Math.max(newHi, c.lo + c.w.length - 1);
        }
      }
      // Var(Ĝ') = E[Var(Ĝ'|k)] + Var(m1(k)), centred at the mean (no cancellation of E[Ĝ'²] − E[Ĝ']²).
      double mu = e1 / sumOf(masses);
      double varM1 = 0;
      double dm = 0;
      for (int s = 0; s < cols.size(); s++) {
        double d = cols.get(s).m1 - mu;
        varM1 += masses.get(s) * d * d;
        dm += masses.get(s) * d;
      }
      double variance = eVarCond + varM1 - dm * dm;
      checkScale(sigma, l + 1, mu);
      // Propagate the law.
      double newAtom = 0;
      if (newLo <= newHi && (long) newHi - newLo + 1 > MAX_NODES) {
        throw new IllegalStateException("the exact law of " + sigma.spec() + " spans more than "
            + MAX_NODES + " lattice nodes at layer " + (l + 1) + " (spacing " + h + ")");
      }
      double[] q = newLo <= newHi ? new double[newHi - newLo + 1] : new double[0];
      for (int s = 0; s < cols.size(); s++) {
        Column c = cols.get(s);
        double m = masses.get(s);
        newAtom += m * c.nil;
        int o = c.lo - newLo;
        double[] w = c.w;
        for (int i = 0; i < w.length; i++) {
          q[o + i] += m * w[i];
        }
      }
      // Tail bound for this layer's moments: removed mass from earlier layers.
      double missing1 = c0 == 0 ? 0 : gamma1 * c1 + a1 * c0;
      double missing2 = c0 == 0 ? 0 : (gammaA + gammaB / n) * c2 + (aa + ab / n) * c0;
      c1 = missing1;
      c2 = missing2;
      numErr += defectSum / e2;
      // Remove tails of the new layer.
      int first = 0;
      int last = q.length - 1;
      double total = newAtom;
      for (double x : q) {
        total += x;
      }
      double tol = options.tailTolerance();
      double cum = 0;
      while (first <= last && cum + Math.abs(q[first]) < tol * Math.abs(total)) {
        cum += Math.abs(q[first]);
        newAtom += q[first];
        first++;
      }
      cum = 0;
      // Upper tails go only where their later contributions can be bounded (σ² of linear growth).
      while (last >= first && Double.isFinite(gammaA)) {
        double g = cb + Math.exp((newLo + last) * h);
        double share = Math.abs(q[last]) * g * g;
        if (cum + share >= tol * e2) {
          break;
        }
        cum += share;
        c0 += Math.abs(q[last]);
        c1 += Math.abs(q[last]) * g;
        c2 += share;
        last--;
      }
      double[] kept = first > last ? new double[0] : java.util.Arrays.copyOfRange(q, first, last + 1);
      int keptLo = newLo + first;
      double tailBound = Double.isFinite(missing2) ? missing2 / e2 : Double.POSITIVE_INFINITY;
      double accuracy = numErr + tailBound + 1e-14;
      p = kept;
      pLo = keptLo;
      atom = newAtom;
      current = l + 1;
      return new Layer(l + 1, n, e1, e2, variance, newAtom, quantiles(kept, keptLo, newAtom),
          accuracy, tailBound);
    }

    /**
     * For activations growing faster than linearly, the lattice's own error estimate does not
     * see the moments of order 2p^(L−ℓ) that E[Ĝ_L²] takes from early layers; the accuracy is
     * then the measured distance to the exact moment recursion where it applies
     * ({@link ExactMoments}), and +∞ where it does not.
     */
    List<Layer> checkedAgainstOracle(List<Layer> layers) {
      List<ExactMoments.LayerMoments> exact = null;
      if (ExactMoments.supports(sigma)
          && ExactMoments.cost(sigma, widths) <= Prediction.EXACT_COST_LIMIT) {
        exact = ExactMoments.compute(sigma, cb, cw, gram, widths);
      }
      List<Layer> checked = new ArrayList<>(layers.size());
      for (Layer l : layers) {
        double acc = Double.POSITIVE_INFINITY;
        if (l.layer() == 1) {
          acc = 0;
        } else if (exact != null) {
          ExactMoments.LayerMoments e = exact.get(l.layer() - 1);
          acc = Math.max(l.accuracy(), Math.max(Math.abs(l.mean() / e.ez2Double() - 1),
              Math.abs(l.second() / e.ezizjDouble() - 1)));
          if (!Double.isFinite(acc)) {
            acc = Double.POSITIVE_INFINITY;
          }
        }
        checked.add(new Layer(l.layer(), l.fanIn(), l.mean(), l.second(), l.variance(), l.atom(),
            l.quantiles(), acc, l.tailBound()));
      }
      return checked;
    }

    double[] quantiles(double[] w, int lo, double atomMass) {
      double[] out = new double[QUANTILE_LEVELS.length];
      double total = atomMass;
      for (double x : w) {
        total += x;
      }
      for (int qi = 0; qi < QUANTILE_LEVELS.length; qi++) {
        double target = QUANTILE_LEVELS[qi] * total;
        if (atomMass >= target) {
          out[qi] = cb;
          continue;
        }
        double cum = atomMass;
        double v = Double.NaN;
        for (int i = 0; i < w.length; i++) {
          double next = cum + w[i];
          if (next >= target) {
            double frac = w[i] > 0 ? (target - cum) / w[i] : 0.5;
            v = (lo + i - 0.5 + frac) * h;
            break;
          }
          cum = next;
        }
        if (Double.isNaN(v)) {
          v = (lo + w.length - 0.5) * h;
        }
        out[qi] = cb + Math.exp(v);
      }
      return out;
    }
  }

  /** Cached per-source transitions of one chain (keyed by lattice index and fan-in). */
  private static final class Transitions {
    final Map<Long, Column> cache = new HashMap<>();
    long stored;
    final Map<Integer, LatticeLaw> baseLaws = new HashMap<>();
    SummandQuadrature baseRule;
  }

  /** Largest lattice spacing of an intermediate stage (Lagrange order 12: e^{2u} to ~2e-13). */
  static final double COARSE = 0.1;

  /** Largest number of cached transition weights (about 160 MB). */
  static final long MAX_STORED = 20_000_000;

  /** Largest number of lattice nodes of one layer. */
  static final long MAX_NODES = 2_000_000;

  /** Largest refinement of the lattice for superlinear activations. */
  static final double MAX_STEEP = 64;

  /** Terms more than e^LOW_CUT below the mean of a sum are treated as 0 (relative effect below 3e-20). */
  static final double LOW_CUT = 45;

  private static double sumOf(List<Double> xs) {
    double s = 0;
    for (double x : xs) {
      s += x;
    }
    return s;
  }

  private static double[] constant(double g) {
    double[] q = new double[QUANTILE_LEVELS.length];
    java.util.Arrays.fill(q, g);
    return q;
  }
}
