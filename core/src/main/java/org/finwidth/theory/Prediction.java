package org.finwidth.theory;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.finwidth.activation.Activation;
import org.finwidth.gauss.GaussianProducts;
import org.finwidth.network.NetworkSpec;
import org.finwidth.vector.PairIndex;

/**
 * The effective-theory prediction for every layer of a {@link NetworkSpec} with any number d of
 * inputs: kernel, NLO kernel, four-point vertex (every component), susceptibilities, and exact
 * moments where the oracle applies (docs/theory.md §2–§6). This is what the Monte Carlo is
 * compared with, layer by layer.
 *
 * <p><b>Recursions</b> (docs/theory.md §5, leading order in 1/n; all averages at K = K^(ℓ), with
 * r_ℓ = n_ℓ/n_{ℓ−1}, sums over ordered input indices, ⟨∂_a∂_b f⟩ = ⟨f (y_a y_b − K^{ab})⟩ and
 * ⟨∂_a∂_b∂_c∂_d f⟩ = ⟨f H_abcd⟩ derivative-free, y = K^{-1}z, docs/theory.md §1.2):
 * <pre>
 *   K^(1) = C_b + C_W·Gram,  V^(1) = 0,  K1^(1) = 0
 *   K^(ℓ+1)_{α1α2} = C_b + C_W ⟨σ_{α1}σ_{α2}⟩                     (§2; PDLT (4.8), (4.37), (4.41))
 *   V^(ℓ+1)_{(α1α2)(α3α4)} = C_W² [⟨σ_{α1}σ_{α2}σ_{α3}σ_{α4}⟩ − ⟨σ_{α1}σ_{α2}⟩⟨σ_{α3}σ_{α4}⟩]
 *       + (C_W²/4) r_ℓ Σ V^(ℓ)_{(ab)(cd)} ⟨∂_a∂_b(σ_{α1}σ_{α2})⟩ ⟨∂_c∂_d(σ_{α3}σ_{α4})⟩   (§5.1)
 *   K1^(ℓ+1)_{α1α2} = r_ℓ C_W [ ½ Σ K1^(ℓ)_{ab} ⟨∂_a∂_b(σ_{α1}σ_{α2})⟩
 *       + ⅛ Σ V^(ℓ)_{(ab)(cd)} ⟨∂_a∂_b∂_c∂_d(σ_{α1}σ_{α2})⟩ ]                          (§5.3)
 * </pre>
 * The derivative terms vanish unless a, b, c, d ∈ {α1, α2}, so they live on the 2×2 marginal of
 * the pair (one vector-valued two-dimensional quadrature per pair and layer, {@link Averages}, or
 * the single-input averages for α1 = α2); ⟨σσσσ⟩ needs up to four dimensions
 * ({@link org.finwidth.gauss.GaussianProducts}: three dimensions per triple of inputs, four per
 * quadruple, on the range of the marginal, so a rank-deficient kernel is fine there). Per layer:
 * d single-input, d(d−1)/2 two-, d(d−1)(d−2)/6 three- and d(d−1)(d−2)(d−3)/24 four-dimensional
 * averages; the sums cost O(d⁴). Single input: V' = C_W²(⟨σ⁴⟩ − ⟨σ²⟩²) + χ_∥² r V and
 * K1' = r[χ_∥ K1 + (C_W/8)⟨(σ²)''''⟩ V].
 *
 * <p><b>Limits.</b> Inputs with identical Gram rows are computed once and replicated (exact);
 * with C_b = 0 so are inputs of zero variance when σ(0) = 0 (they stay 0) and, for σ positively
 * homogeneous of degree p, inputs whose Gram row is c &gt; 0 times another's (z_b = c^(p^(ℓ−1))
 * z_a at layer ℓ; docs/theory.md §5.5), so collinear inputs of ReLU are computed.
 * Layer 1 needs no derivative terms (V^(1) = K1^(1) = 0), so any positive semidefinite Gram is
 * predicted to layer 2. From there on the derivative terms in their Hermite form need the inverse
 * of every 2×2 marginal of K^(ℓ): their relative error grows like 1e-13/(1 − ρ²)² (measured
 * against the ReLU closed forms ⟨σ_0''σ_1''⟩ = 1/(2π√det K) and the symmetry of tanh: 1e-11 at
 * 1 − ρ² = 1e-3, 2e-8 at 1e-4, 2e-6 at 1e-5, 3e-2 at 1e-6). Where 1 − ρ² of a pair falls below
 * {@value #MIN_DECORRELATION} at a layer with V ≠ 0, a smooth σ (no kinks) takes the derivative
 * forms, which need no inverse ({@link Averages#pairDerivativeForms}); a kinked σ (critical ReLU
 * beyond depth ≈ 900, where θ_ℓ ≈ 3π/ℓ; two inputs a hair apart), and any σ with an input of
 * zero variance that is not such a copy, stops there with a {@link Breakdown} that names the pair and the rank. Overflow (e.g. RePU,
 * whose kernel grows like K^{p^ℓ}) and quadrature failure also stop it, naming the layer, instead
 * of producing NaN or Infinity.
 *
 * <p><b>Symmetry.</b> Every quadrature runs in an orientation and variable order fixed by the
 * kernel alone, so permuting the inputs permutes every output (to the rounding of the O(d⁴) sums).
 */
public final class Prediction {
  /**
   * Largest {@link ExactMoments#cost} at which exact moments are attached automatically (about
   * 0.5 s; {@link ExactMoments#compute} itself accepts up to {@link ExactMoments#MAX_COST}).
   */
  public static final long EXACT_COST_LIMIT = 1_000_000;

  /**
   * Relative tolerance (of ⟨|f|⟩, on the quadrature's error estimate) of the three- and
   * four-dimensional averages ⟨σσσσ⟩. The estimate is conservative by orders of magnitude: against
   * the same recursion at 1e-11, every V component with five random inputs to depth 10 agrees to
   * 1e-11 (tanh at (0, 1)) and 3.4e-10 (GELU at (0.3, 1.7)) of its Cauchy–Schwarz scale
   * (docs/theory.md §5.5), far inside the accuracy goals, at a third of the thread CPU time of
   * 1e-10 (tanh, eight inputs, depth 10: 23.7 s against 78.4 s on a loaded machine). Kinked σ
   * (ReLU) not yet compared this way (docs/theory.md §5.5).
   */
  public static final double PRODUCT_TOLERANCE = 1e-8;

  /** Smallest 1 − ρ² of a two-input kernel at which V and K1 are propagated. */
  public static final double MIN_DECORRELATION = 1e-4;

  /** √{@link Double#MIN_NORMAL}: the smallest K whose square (the scale of V) is a normal double. */
  private static final double SQRT_MIN_NORMAL = Math.sqrt(Double.MIN_NORMAL);

  /**
   * Why the prediction stops before the last layer.
   *
   * @param layer the first layer that could not be predicted
   * @param reason one line
   */
  public record Breakdown(int layer, String reason) {}

  private final NetworkSpec spec;
  private final List<LayerPrediction> layers;
  private final Breakdown breakdown;
  private final String exactLawNote;

  private Prediction(NetworkSpec spec, List<LayerPrediction> layers, Breakdown breakdown,
      String exactLawNote) {
    this.spec = spec;
    this.layers = List.copyOf(layers);
    this.breakdown = breakdown;
    this.exactLawNote = exactLawNote;
  }

  /**
   * {@link #of(NetworkSpec)}, and with {@code exactLaw} for one input also the exact law of every
   * layer (docs/theory.md §6.5; {@link LayerPrediction#exactLaw}). The law can take seconds
   * (about 5 s of CPU for SWISH at depth 100, width 64); if it cannot be computed (its lattice
   * budget, an overflow of σ²) the layers go without it and {@link #exactLawNote} says why.
   *
   * @throws IllegalArgumentException as {@link #of(NetworkSpec)}
   */
  public static Prediction of(NetworkSpec spec, boolean exactLaw) {
    Prediction p = of(spec);
    if (!exactLaw || spec.inputCount() != 1) {
      return p;
    }
    ExactLaw law;
    try {
      law = ExactLaw.compute(spec, ExactLaw.Options.DEFAULT);
    } catch (IllegalStateException e) {
      return new Prediction(spec, p.layers, p.breakdown, "no exact law: " + e.getMessage());
    }
    List<LayerPrediction> with = new ArrayList<>(p.layers.size());
    for (LayerPrediction lp : p.layers) {
      with.add(lp.withLaw(law.layer(lp.layer())));
    }
    return new Prediction(spec, with, p.breakdown, null);
  }

  /** Why the exact law was requested but is missing; empty otherwise. */
  public Optional<String> exactLawNote() {
    return Optional.ofNullable(exactLawNote);
  }

  /**
   * Computes the prediction for every layer of the network (or up to a {@link Breakdown}).
   * Exact moments are attached for one input and a positively homogeneous σ of integer degree
   * when {@link ExactMoments#cost} is within {@link #EXACT_COST_LIMIT}. Cost: for smooth σ at
   * d = 4 about a second per layer on one core (dominated by the four-dimensional averages).
   */
  public static Prediction of(NetworkSpec spec) {
    return of(spec, PRODUCT_TOLERANCE);
  }

  /** {@link #of(NetworkSpec)} with another tolerance of the three- and four-dimensional averages (tests). */
  static Prediction of(NetworkSpec spec, double productTolerance) {
    Objects.requireNonNull(spec, "spec");
    int d = spec.inputCount();
    double[][] gram = spec.gram();
    // Inputs with identical Gram rows are the same input (z_a = z_b at every layer): compute the
    // distinct ones and replicate, which is exact. With C_b = 0 more inputs are exact copies up to
    // a factor (docs/theory.md §5.5): an input of zero variance stays 0 when σ(0) = 0, and for σ
    // positively homogeneous of degree p an input whose Gram row is c > 0 times another's has
    // z_b = c^(p^(ℓ−1)) z_a at layer ℓ (σ(cz) = c^p σ(z)).
    Activation sigma = spec.activation();
    boolean zeroStays = spec.cb() == 0 && sigma.value(0) == 0;
    double degree = spec.cb() == 0 && sigma.homogeneity().isPresent() ? sigma.homogeneity().getAsDouble() : 0;
    int[] representative = new int[d];
    double[] factor = new double[d];
    int distinct = 0;
    int[] distinctIndex = new int[d];
    boolean anyNonzero = false;
    for (int a = 0; a < d; a++) {
      anyNonzero |= gram[a][a] > 0;
    }
    for (int a = 0; a < d; a++) {
      representative[a] = -1;
      factor[a] = 1;
      for (int b = 0; b < a && representative[a] < 0; b++) {
        if (java.util.Arrays.equals(gram[a], gram[b])) {
          representative[a] = representative[b];
          factor[a] = factor[b];
        }
      }
      if (representative[a] < 0 && zeroStays && anyNonzero && gram[a][a] == 0) {
        representative[a] = -2; // identically zero: attached to a nonzero input below
        factor[a] = 0;
      }
      for (int t = 0; t < distinct && representative[a] == -1 && degree > 0; t++) {
        double c = proportional(gram, distinctIndex[t], a);
        if (c > 0) {
          representative[a] = t;
          factor[a] = c;
        }
      }
      if (representative[a] == -1) {
        representative[a] = distinct;
        distinctIndex[distinct++] = a;
      }
    }
    int firstNonzero = 0;
    while (gram[distinctIndex[firstNonzero]][distinctIndex[firstNonzero]] == 0 && firstNonzero < distinct - 1) {
      firstNonzero++;
    }
    for (int a = 0; a < d; a++) {
      if (representative[a] == -2) {
        representative[a] = firstNonzero;
      }
    }
    NetworkSpec reduced = spec;
    if (distinct < d) {
      double[][] g = new double[distinct][distinct];
      for (int a = 0; a < distinct; a++) {
        for (int b = 0; b < distinct; b++) {
          g[a][b] = gram[distinctIndex[a]][distinctIndex[b]];
        }
      }
      reduced = NetworkSpec.ofGram(spec.activation(), spec.cb(), spec.cw(), spec.inputDim(), spec.widths(), g);
    }
    Builder b = new Builder(reduced, productTolerance);
    if (distinct == 1) {
      b.single();
    } else {
      b.multi();
    }
    List<LayerPrediction> layers = b.layers;
    if (distinct < d) {
      List<LayerPrediction> expanded = new ArrayList<>(layers.size());
      double[] f = factor.clone();
      Averages scaled = new Averages(sigma);
      for (LayerPrediction lp : layers) {
        double[] par = new double[d];
        double[] perp = new double[d];
        for (int a = 0; a < d; a++) {
          int x = representative[a];
          par[a] = lp.chiParallel(x);
          perp[a] = lp.chiPerp(x);
          if (f[a] != 1) {
            double kaa = f[a] * f[a] * lp.kernel(x, x);
            if (kaa > 0 || degree > 0) {
              Averages.Single one = scaled.single(kaa);
              par[a] = spec.cw() * one.chiParallel();
              perp[a] = spec.cw() * one.chiPerp();
            } else {
              // K → 0 for a σ smooth at 0: χ_∥ and χ_⊥ both tend to C_W σ'(0)².
              par[a] = perp[a] = spec.cw() * sigma.d1(0) * sigma.d1(0);
            }
          }
        }
        expanded.add(lp.expand(representative, f, par, perp));
        for (int a = 0; a < d; a++) {
          f[a] = f[a] == 0 || f[a] == 1 ? f[a] : Math.pow(f[a], degree);
        }
      }
      layers = expanded;
    }
    if (d == 1 && ExactMoments.supports(spec.activation())
        && ExactMoments.cost(spec.activation(), spec.widths()) <= EXACT_COST_LIMIT) {
      List<ExactMoments.LayerMoments> exact = ExactMoments.compute(spec);
      List<LayerPrediction> with = new ArrayList<>(layers.size());
      for (LayerPrediction lp : layers) {
        with.add(lp.withExact(exact.get(lp.layer() - 1)));
      }
      layers = with;
    }
    return new Prediction(spec, layers, b.breakdown, null);
  }

  /**
   * c &gt; 0 if Gram row b is c times row a (to 1e-13 of each entry's scale √(G_bb G_jj)), else 0.
   */
  private static double proportional(double[][] gram, int a, int b) {
    if (!(gram[a][a] > 0 && gram[b][b] > 0)) {
      return 0;
    }
    double c = Math.sqrt(gram[b][b] / gram[a][a]);
    for (int j = 0; j < gram.length; j++) {
      double scale = Math.sqrt(gram[b][b] * gram[j][j]);
      if (!(Math.abs(gram[b][j] - c * gram[a][j]) <= 1e-13 * scale)) {
        return 0;
      }
    }
    return c;
  }

  /** The network. */
  public NetworkSpec spec() {
    return spec;
  }

  /** The predicted layers 1..m in order (m = depth unless there is a {@link #breakdown()}). */
  public List<LayerPrediction> layers() {
    return layers;
  }

  /**
   * Layer ℓ.
   *
   * @throws IndexOutOfBoundsException if ℓ is not a predicted layer
   */
  public LayerPrediction layer(int l) {
    if (l < 1 || l > layers.size()) {
      throw new IndexOutOfBoundsException("layer " + l + " not in 1.." + layers.size()
          + (breakdown == null ? "" : " (" + breakdown.reason() + ")"));
    }
    return layers.get(l - 1);
  }

  /** Where and why the prediction stopped early; empty if every layer was predicted. */
  public Optional<Breakdown> breakdown() {
    return Optional.ofNullable(breakdown);
  }

  /** True if every layer was predicted. */
  public boolean isComplete() {
    return breakdown == null;
  }

  /** The recursion state machine. */
  private static final class Builder {
    final NetworkSpec spec;
    final Activation sigma;
    final double cb;
    final double cw;
    final Averages averages;
    final GaussianProducts products;
    final List<LayerPrediction> layers = new ArrayList<>();
    Breakdown breakdown;

    Builder(NetworkSpec spec, double productTolerance) {
      this.spec = spec;
      this.sigma = spec.activation();
      this.cb = spec.cb();
      this.cw = spec.cw();
      this.averages = new Averages(sigma);
      this.products = new GaussianProducts(sigma, productTolerance, GaussianProducts.DEFAULT_MAX_EVALUATIONS);
    }

    /** One input. */
    void single() {
      int depth = spec.depth();
      double k = spec.kernel1()[0][0];
      double v = 0;
      double k1 = 0;
      if (k != 0 && k < Double.MIN_NORMAL) {
        breakdown = new Breakdown(1, "layer 1: K^(1) = " + k + " is below the normal double range (its digits are lost)");
        return;
      }
      boolean vLost = false; // V (and K1) below the normal range on the way: undefined (NaN) from there on
      boolean k1Lost = false;
      for (int l = 1; l <= depth; l++) {
        Averages.Single a;
        try {
          a = averages.single(k);
        } catch (IllegalStateException e) {
          breakdown = new Breakdown(l, "layer " + l + ": " + e.getMessage());
          return;
        }
        double chiPar = cw * a.chiParallel();
        double chiPerp = cw * a.chiPerp();
        int d = 1;
        double[][] kk = new double[d][d];
        double[][] kk1 = new double[d][d];
        for (double[] row : kk) {
          java.util.Arrays.fill(row, k);
        }
        for (double[] row : kk1) {
          java.util.Arrays.fill(row, k1Lost ? Double.NaN : k1);
        }
        int pairs = org.finwidth.vector.PairIndex.pairCount(d);
        double[][] vv = new double[pairs][pairs];
        for (double[] row : vv) {
          java.util.Arrays.fill(row, vLost ? Double.NaN : v);
        }
        double[] chiParArray = new double[d];
        double[] chiPerpArray = new double[d];
        java.util.Arrays.fill(chiParArray, chiPar);
        java.util.Arrays.fill(chiPerpArray, chiPerp);
        layers.add(new LayerPrediction(l, spec.width(l - 1), kk, kk1, new FourPointVertex(d, vv),
            chiParArray, chiPerpArray, null));
        if (l == depth) {
          return;
        }
        double ratio = (double) spec.width(l) / spec.width(l - 1);
        double kNext = cb + cw * a.sigma2();
        double vNext = cw * cw * (a.sigma4() - a.sigma2() * a.sigma2()) + chiPar * chiPar * ratio * v;
        double k1Next = v == 0 ? ratio * chiPar * k1
            : ratio * (chiPar * k1 + cw / 8 * a.k1Source() * v);
        if (!(Double.isFinite(kNext) && Double.isFinite(vNext) && Double.isFinite(k1Next))) {
          String which = (Double.isFinite(kNext) ? "" : "K ") + (Double.isFinite(vNext) ? "" : "V ")
              + (Double.isFinite(k1Next) ? "" : "K1 ");
          breakdown = new Breakdown(l + 1, "layer " + (l + 1) + ": the recursion overflows the"
              + " double range (" + which.strip().replace(" ", ", ") + " beyond " + Double.MAX_VALUE
              + ", from K^(" + l + ") = " + k + ")");
          return;
        }
        String under = underflow(l, k, kNext);
        if (under != null) {
          breakdown = new Breakdown(l + 1, under);
          return;
        }
        k1Lost |= vLost && a.k1Source() != 0; // K1's source term used the lost V (it vanishes for ReLU)
        vLost |= vertexUnderflows(k, kNext, vNext);
        k = kNext;
        v = vNext;
        k1 = k1Next;
      }
    }

    /**
     * d ≥ 2 distinct inputs (no two with identical Gram rows): the general recursion of
     * docs/theory.md §5.1 and §5.3 over every pair, triple and quadruple of inputs.
     */
    void multi() {
      int depth = spec.depth();
      double[][] k = spec.kernel1();
      int d = k.length;
      int[][] pairs = FourPointVertex.pairs(d);
      PairIndex pairIndex = PairIndex.of(d);
      int np = pairs.length;
      double[][] v = new double[np][np];
      double[] k1 = new double[np];
      boolean vertexZero = true;
      MultiAverages avg = new MultiAverages(averages, products, d);
      boolean lost = false; // V (and with it K1) below the normal range on the way: NaN from there on
      for (int a = 0; a < d; a++) {
        if (k[a][a] != 0 && k[a][a] < Double.MIN_NORMAL) {
          breakdown = new Breakdown(1, "layer 1: K^(1)_" + a + a + " = " + k[a][a]
              + " is below the normal double range (its digits are lost)");
          return;
        }
      }
      for (int l = 1; l <= depth; l++) {
        double[] chiPar = new double[d];
        double[] chiPerp = new double[d];
        try {
          avg.singles(k);
          for (int a = 0; a < d; a++) {
            chiPar[a] = cw * avg.single[a].chiParallel();
            chiPerp[a] = cw * avg.single[a].chiPerp();
          }
        } catch (IllegalStateException e) {
          breakdown = new Breakdown(l, "layer " + l + ": " + e.getMessage());
          return;
        }
        layers.add(new LayerPrediction(l, spec.width(l - 1), k, square(lost ? nans(k1.length) : k1, d),
            new FourPointVertex(d, lost ? nanMatrix(np) : v), chiPar, chiPerp, null));
        if (l == depth) {
          return;
        }
        boolean derivatives = !vertexZero;
        if (derivatives) {
          String rank = avg.rankProblem(k);
          if (rank != null) {
            breakdown = new Breakdown(l + 1, "layer " + (l + 1) + ": " + rank + " at layer " + l
                + ": the vertex and NLO kernel recursion needs (K^(" + l + ") restricted to those"
                + " inputs)^-1 for " + sigma.spec() + " (docs/theory.md §1.2)");
            return;
          }
        }
        try {
          avg.pairs(k, derivatives);
          avg.triplesAndQuadruples(k);
        } catch (IllegalStateException e) {
          breakdown = new Breakdown(l + 1, "layer " + (l + 1) + ": " + e.getMessage());
          return;
        }
        double ratio = (double) spec.width(l) / spec.width(l - 1);
        double[] e2 = new double[np];
        for (int p = 0; p < np; p++) {
          e2[p] = avg.e2(pairs[p][0], pairs[p][1]);
        }
        double[][] vNext = new double[np][np];
        double[] k1Next = new double[np];
        for (int p = 0; p < np; p++) {
          for (int q = p; q < np; q++) {
            double e4 = avg.e4(pairs[p][0], pairs[p][1], pairs[q][0], pairs[q][1]);
            vNext[p][q] = cw * cw * (e4 - e2[p] * e2[q]);
          }
        }
        if (derivatives) {
          // ⟨∂_a∂_b(σ_α1 σ_α2)⟩ vanishes unless a, b ∈ {α1, α2}: per pair P at most three
          // unordered (ab), with multiplicity 2 for a ≠ b in the sum over ordered indices.
          int[][] index = new int[np][];
          double[][] coef = new double[np][];
          for (int p = 0; p < np; p++) {
            int a = pairs[p][0];
            int b = pairs[p][1];
            if (a == b) {
              index[p] = new int[] {p};
              coef[p] = new double[] {2 * avg.single[a].chiParallel()};
            } else {
              double[] d2 = avg.d2(a, b);
              index[p] = new int[] {pairIndex.pair(a, a), p, pairIndex.pair(b, b)};
              coef[p] = new double[] {d2[0], 2 * d2[1], d2[2]};
            }
          }
          // W[p][w] = Σ_u coef_p[u] V[u][w]
          double[][] w = new double[np][np];
          for (int p = 0; p < np; p++) {
            for (int t = 0; t < index[p].length; t++) {
              double c = coef[p][t];
              double[] row = v[index[p][t]];
              for (int x = 0; x < np; x++) {
                w[p][x] += c * row[x];
              }
            }
          }
          for (int p = 0; p < np; p++) {
            for (int q = p; q < np; q++) {
              double s = 0;
              for (int t = 0; t < index[q].length; t++) {
                s += coef[q][t] * w[p][index[q][t]];
              }
              vNext[p][q] += cw * cw / 4 * ratio * s;
            }
            // K1: ½ Σ K1_ab ⟨∂_a∂_b σσ⟩ + ⅛ Σ V_(ab)(cd) ⟨∂_a∂_b∂_c∂_d σσ⟩.
            double quadratic = 0;
            for (int t = 0; t < index[p].length; t++) {
              quadratic += coef[p][t] * k1[index[p][t]];
            }
            double quartic;
            int a = pairs[p][0];
            int b = pairs[p][1];
            if (a == b) {
              quartic = v[p][p] * avg.single[a].k1Source();
            } else {
              double[] d4 = avg.d4(a, b);
              int[] ones = {0, 1, 2};
              int[] mult = {1, 2, 1};
              quartic = 0;
              for (int x = 0; x < 3; x++) {
                for (int y = 0; y < 3; y++) {
                  quartic += mult[x] * mult[y] * v[index[p][x]][index[p][y]] * d4[ones[x] + ones[y]];
                }
              }
            }
            k1Next[p] = ratio * cw * (0.5 * quadratic + 0.125 * quartic);
          }
        }
        for (int p = 0; p < np; p++) {
          for (int q = 0; q < p; q++) {
            vNext[p][q] = vNext[q][p];
          }
        }
        double[][] kNext = new double[d][d];
        for (int p = 0; p < np; p++) {
          kNext[pairs[p][0]][pairs[p][1]] = kNext[pairs[p][1]][pairs[p][0]] = cb + cw * e2[p];
        }
        if (!finite(kNext) || !finite(vNext) || !finite(new double[][] {k1Next})) {
          breakdown = new Breakdown(l + 1, "layer " + (l + 1) + ": the recursion overflows the"
              + " double range (from K^(" + l + ") = " + java.util.Arrays.deepToString(k) + ")");
          return;
        }
        for (int a = 0; a < d; a++) {
          String under = underflow(l, k[a][a], kNext[a][a]);
          if (under != null) {
            breakdown = new Breakdown(l + 1, under);
            return;
          }
          lost |= vertexUnderflows(k[a][a], kNext[a][a], vNext[a][a]); // V_(aa)(aa) the largest of scale K_aa²
        }
        k = kNext;
        v = vNext;
        k1 = k1Next;
        vertexZero = false;
      }
    }

    /**
     * Why layer ℓ + 1 cannot be predicted, or null: its K (a diagonal entry) below the normal double
     * range (a subnormal keeps few digits), or read as 0 although K^(ℓ) is not (a product that
     * underflowed). A wrong number is worse than none: the prediction stops there, as on overflow.
     */
    private static String underflow(int l, double k, double kNext) {
      if ((kNext != 0 && kNext < Double.MIN_NORMAL) || (kNext == 0 && k > 0)) {
        return "layer " + (l + 1) + ": the recursion underflows the double range (K^(" + (l + 1) + ") = " + kNext
            + " from K^(" + l + ") = " + k + ")";
      }
      return null;
    }

    /**
     * Whether V^(ℓ+1) is lost: its fresh term C_W²(⟨σ⁴⟩ − ⟨σ²⟩²) is of order K^(ℓ+1)² and is
     * computed from averages of order K^(ℓ)²; either below √MIN_NORMAL² ≈ (1.5e-154)² reads 0 or
     * keeps few digits; or V itself is subnormal. Once lost it
     * stays lost (the part carried by χ∥² never comes back), so V is undefined (NaN) from there on,
     * while K, which needs only ⟨σ²⟩, is still right.
     */
    private static boolean vertexUnderflows(double k, double kNext, double vNext) {
      return (k > 0 && k < SQRT_MIN_NORMAL) || (kNext > 0 && kNext < SQRT_MIN_NORMAL)
          || (vNext != 0 && Math.abs(vNext) < Double.MIN_NORMAL);
    }

    private static double[] nans(int n) {
      double[] x = new double[n];
      java.util.Arrays.fill(x, Double.NaN);
      return x;
    }

    private static double[][] nanMatrix(int n) {
      double[][] m = new double[n][];
      for (int i = 0; i < n; i++) {
        m[i] = nans(n);
      }
      return m;
    }

    private static double[][] square(double[] overPairs, int d) {
      double[][] m = new double[d][d];
      int u = 0;
      for (int a = 0; a < d; a++) {
        for (int b = a; b < d; b++) {
          m[a][b] = m[b][a] = overPairs[u++];
        }
      }
      return m;
    }

    private static boolean finite(double[][] m) {
      for (double[] row : m) {
        for (double x : row) {
          if (!Double.isFinite(x)) {
            return false;
          }
        }
      }
      return true;
    }
  }
}
