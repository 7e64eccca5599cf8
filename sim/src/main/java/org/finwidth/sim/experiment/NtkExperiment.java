package org.finwidth.sim.experiment;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.finwidth.activation.Activation;
import org.finwidth.ensemble.EnsembleResult;
import org.finwidth.ensemble.NtkOptions;
import org.finwidth.network.LearningRates;
import org.finwidth.stats.Estimate;
import org.finwidth.stats.NtkEstimates;
import org.finwidth.stats.PolynomialFit;
import org.finwidth.theory.NtkLayer;
import org.finwidth.theory.NtkPrediction;
import org.knowm.xchart.XYChart;

/**
 * {@code ntk}: the neural tangent kernel at finite width (docs/theory.md §11). For tanh and ReLU
 * at criticality and tanh off criticality (C_W = 1.5), one input with K^(1) = 1 and λ_b = λ_W = 1:
 * the mean NTK H against the depth ℓ from the leading-order recursion (a power law at
 * criticality, an exponential approach off it), the relative fluctuations A/(nH²) and B/(nH²)
 * against ℓ/n, and Monte Carlo ensembles of explicit networks at several equal widths whose
 * measured H, H1, D, F, A, B and the same-neuron combinations A + 2B, D + 2F are extrapolated in
 * 1/n by a weighted fit and set beside the recursion, layer by layer.
 *
 * <p>{@link #compute} runs everything into a {@link Result}; {@link #render} draws and writes it,
 * every statement of the text derived from the numbers.
 */
final class NtkExperiment implements Experiment<NtkExperiment.Result> {
  static final int[] WIDTHS = {16, 24, 32, 48, 64, 96, 128};
  static final int[] QUICK_WIDTHS = {16, 24, 32, 48, 64};
  static final int DEPTH = 5;
  static final int QUICK_DEPTH = 3;
  static final long NETWORKS = 200_000;
  static final long QUICK_NETWORKS = 8_000;
  /** Depth of the theory curves (the recursion is cheap for one input). */
  static final int THEORY_DEPTH = 100;
  static final int QUICK_THEORY_DEPTH = 40;
  /** Output neurons per network and layer whose NTK rows the Monte Carlo computes. */
  static final int NEURONS = NtkOptions.DEFAULT_NEURONS;
  /** The measured quantities, in the order of the CSV and the tables. */
  static final List<String> QUANTITIES = List.of("H", "H1", "D", "F", "A", "B", "A+2B", "D+2F");

  @Override
  public String name() {
    return "ntk";
  }

  @Override
  public String title() {
    return "The NTK at finite width: H along depth, A/(nH²) and B/(nH²) against ℓ/n, D and F; theory beside"
        + " Monte Carlo extrapolated in 1/n";
  }

  /** tanh (C_W = 1) and ReLU (C_W = 2) at criticality, tanh at C_W = 1.5 off it; K^(1) = 1, C_b = 0. */
  static List<Initialisation> initialisations() {
    return List.of(new Initialisation(Activation.parse("tanh"), 0, 1, 1),
        new Initialisation(Activation.parse("relu"), 0, 2, 1),
        new Initialisation(Activation.parse("tanh"), 0, 1.5, 1));
  }

  /**
   * The leading-order theory of one network along depth, single input.
   *
   * @param h H^(ℓ) at index ℓ − 1 (likewise the others)
   * @param kernel K^(ℓ)
   * @param chiPerp χ_⊥ at K^(ℓ)
   * @param a A^(ℓ)
   * @param b B^(ℓ)
   * @param d D^(ℓ)
   * @param f F^(ℓ)
   */
  record Depth(double[] h, double[] kernel, double[] chiPerp, double[] a, double[] b, double[] d, double[] f) {
    int layers() {
      return h.length;
    }
  }

  /**
   * One quantity at one layer over the widths, and its fit in 1/n.
   *
   * @param layer ℓ
   * @param quantity one of {@link #QUANTITIES}
   * @param theory the leading-order value
   * @param measured by increasing width
   * @param fit the weighted fit y∞ + b/n (+ c/n²); its intercept is the extrapolated value
   */
  record Fit(int layer, String quantity, double theory, List<Estimate> measured, PolynomialFit fit) {
    Fit {
      measured = List.copyOf(measured);
    }

    Estimate intercept() {
      return fit.intercept();
    }

    double z() {
      return fit.intercept().zScore(theory);
    }
  }

  /**
   * The measurement of one network.
   *
   * @param init the network
   * @param depth the theory along {@link Result#theoryDepth()} layers
   * @param runs per width (by increasing width), per layer 1..L, the estimates in the order of
   *     {@link #QUANTITIES}, with their leading-order theory
   * @param theory per layer 1..L the leading-order values in the order of {@link #QUANTITIES}
   * @param fits layers 2..L (layer 1 is deterministic), every quantity
   * @param seeds the ensembles' seeds, by width
   */
  record Measurement(Initialisation init, Depth depth, List<Estimate[][]> runs, double[][] theory, List<Fit> fits,
      long[] seeds) {}

  /**
   * Everything the report shows.
   *
   * @param widths the widths n of the Monte Carlo
   * @param depth L of the Monte Carlo
   * @param networks networks per width
   * @param theoryDepth layers of the theory curves
   * @param all one measurement per network of {@link #initialisations()}
   */
  record Result(int[] widths, int depth, long networks, int theoryDepth, List<Measurement> all) {}

  @Override
  public Result compute(ExperimentContext ctx) {
    int[] widths = ctx.quick() ? QUICK_WIDTHS : WIDTHS;
    int depth = ctx.quick() ? QUICK_DEPTH : DEPTH;
    long networks = ctx.quick() ? QUICK_NETWORKS : NETWORKS;
    int theoryDepth = ctx.quick() ? QUICK_THEORY_DEPTH : THEORY_DEPTH;
    List<Measurement> all = new ArrayList<>();
    int seedOffset = 0;
    for (Initialisation init : initialisations()) {
      all.add(measure(ctx, init, widths, depth, networks, theoryDepth, seedOffset));
      seedOffset += widths.length;
    }
    return new Result(widths, depth, networks, theoryDepth, all);
  }

  /** The theory of one network along {@code layers} layers (equal widths: the leading order does not depend on n). */
  static Depth theory(Initialisation init, int layers) {
    NtkPrediction p = NtkPrediction.of(init.spec(layers, 64), LearningRates.constant(1, 1, layers));
    if (!p.isComplete()) {
      throw new IllegalStateException(init.activation().spec() + " (" + init.text() + "): the NTK recursion stops at "
          + p.breakdown().orElseThrow().reason());
    }
    double[] h = new double[layers];
    double[] k = new double[layers];
    double[] chi = new double[layers];
    double[] a = new double[layers];
    double[] b = new double[layers];
    double[] d = new double[layers];
    double[] f = new double[layers];
    for (int l = 1; l <= layers; l++) {
      NtkLayer x = p.layer(l);
      h[l - 1] = x.h(0, 0);
      k[l - 1] = p.prediction().layer(l).kernel(0, 0);
      chi[l - 1] = p.prediction().layer(l).chiPerp(0);
      a[l - 1] = x.a(0, 0, 0, 0);
      b[l - 1] = x.b(0, 0, 0, 0);
      d[l - 1] = x.d(0, 0, 0, 0);
      f[l - 1] = x.f(0, 0, 0, 0);
    }
    return new Depth(h, k, chi, a, b, d, f);
  }

  /** The leading-order values of layer ℓ in the order of {@link #QUANTITIES}. */
  static double[] theoryValues(NtkLayer x) {
    return new double[] {x.h(0, 0), x.h1(0, 0), x.d(0, 0, 0, 0), x.f(0, 0, 0, 0), x.a(0, 0, 0, 0), x.b(0, 0, 0, 0),
        x.sameNeuronA(0, 0, 0, 0), x.sameNeuronD(0, 0, 0, 0)};
  }

  /** The measured values of one layer in the order of {@link #QUANTITIES} (H1 as n'(E[Ĥ_ii] − H)). */
  static Estimate[] measuredValues(NtkEstimates e, double theoryH) {
    return new Estimate[] {e.h(0, 0), e.h1(0, 0, theoryH), e.d(0, 0, 0, 0), e.f(0, 0, 0, 0), e.a(0, 0, 0, 0),
        e.b(0, 0, 0, 0), e.sameNeuronA(0, 0, 0, 0), e.sameNeuronD(0, 0, 0, 0)};
  }

  /** Runs the ensembles of one network at every width and fits every quantity of layers 2..L in 1/n. */
  static Measurement measure(ExperimentContext ctx, Initialisation init, int[] widths, int depth, long networks,
      int theoryDepth, int seedOffset) {
    NtkOptions options = new NtkOptions(LearningRates.constant(1, 1, depth), NEURONS);
    NtkPrediction leading = NtkPrediction.of(init.spec(depth, widths[0]), options.rates());
    double[][] theory = new double[depth][];
    for (int l = 1; l <= depth; l++) {
      theory[l - 1] = theoryValues(leading.layer(l));
    }
    List<Estimate[][]> runs = new ArrayList<>();
    long[] seeds = new long[widths.length];
    for (int i = 0; i < widths.length; i++) {
      seeds[i] = ctx.seed(seedOffset + i);
      String label = init.activation().spec() + " C_W=" + Fmt.num(init.cw()) + " n=" + widths[i];
      EnsembleResult r = ctx.ntkEnsemble(label, init.spec(depth, widths[i]), networks, seeds[i], options);
      Estimate[][] perLayer = new Estimate[depth][];
      for (int l = 1; l <= depth; l++) {
        perLayer[l - 1] = measuredValues(r.ntkEstimates(l), theory[l - 1][0]);
      }
      runs.add(perLayer);
    }
    List<Fit> fits = new ArrayList<>();
    for (int l = 2; l <= depth; l++) {
      for (int q = 0; q < QUANTITIES.size(); q++) {
        double[] x = new double[widths.length];
        double[] y = new double[widths.length];
        double[] se = new double[widths.length];
        List<Estimate> measured = new ArrayList<>();
        for (int i = 0; i < widths.length; i++) {
          Estimate e = runs.get(i)[l - 1][q];
          measured.add(e);
          x[i] = 1.0 / widths[i];
          y[i] = e.mean();
          se[i] = e.standardError();
        }
        // H1 is itself the 1/n coefficient: n'(E[Ĥ] − H) = H1 + O(1/n), a straight line; the
        // others carry O(1/n) and O(1/n²) remainders (docs/theory.md §11.8)
        int degree = QUANTITIES.get(q).equals("H1") || widths.length < 4 ? 1 : 2;
        fits.add(new Fit(l, QUANTITIES.get(q), theory[l - 1][q], measured, PolynomialFit.fit(degree, x, y, se)));
      }
    }
    return new Measurement(init, theory(init, theoryDepth), runs, theory, fits, seeds);
  }

  @Override
  public void render(Result result, Report report) {
    for (Measurement m : result.all()) {
      report.rows(rows(result, m));
    }
    report.paragraph(String.format(Locale.ROOT, "The neural tangent kernel Ĥ_{ik} = Σ_μ λ_μ ∂z_i/∂θ_μ ∂z_k/∂θ_μ"
        + " of random networks with one input (K^(1) = 1, C_b = 0), learning rates λ_b = 1 for the biases and"
        + " λ_W/n_{ℓ−1} with λ_W = 1 for the weights (docs/theory.md §11.1). Its mean is H + H1/n, its"
        + " correlation with the preactivations D and F and its fluctuations A and B, all at leading order in 1/n;"
        + " the same-neuron combinations n·Var(Ĥ_ii) → A + 2B and n·Cov(Ĥ_ii, z_i²) → D + 2F are consistency"
        + " checks. Theory: the recursions of docs/theory.md §11.2-§11.4 to depth %d. Monte Carlo: explicit"
        + " networks (weights sampler) of depth %d at equal widths n = %s, %,d networks per width, the NTK of"
        + " %d output neurons per layer by the backward layer sum (docs/theory.md §11.7); every quantity is"
        + " extrapolated to n → ∞ by a weighted fit in 1/n (y∞ + b/n + c/n²; H1 = n(E[Ĥ_ii] − H) by y∞ + b/n).",
        result.theoryDepth(), result.depth(), join(result.widths()), result.networks(), NEURONS));
    meanFigure(report, result);
    fluctuationFigure(report, result, true);
    fluctuationFigure(report, result, false);
    correlationFigure(report, result);
    int compared = 0;
    int beyond3 = 0;
    Fit worst = null;
    for (Measurement m : result.all()) {
      report.table(m.init().activation().spec() + " (" + m.init().text() + "): Monte Carlo extrapolated in 1/n"
          + " against the leading-order recursion",
          List.of("layer", "quantity", "theory", "fit (n → ∞)", "z", "chi2/dof", "smallest n", "largest n"),
          tableRows(m));
      for (Fit f : m.fits()) {
        compared++;
        if (Math.abs(f.z()) > 3) {
          beyond3++;
        }
        if (worst == null || Math.abs(f.z()) > Math.abs(worst.z())) {
          worst = f;
        }
      }
      report.summary(summary(m));
    }
    if (worst != null) {
      report.paragraph(String.format(Locale.ROOT, "Of the %d extrapolated values, %d lie more than 3 standard errors"
          + " from the recursion (about %.1f expected by chance with Gaussian errors); the largest deviation is"
          + " %s at layer %d: %s against %s (z = %.2f).", compared, beyond3, 0.0027 * compared, worst.quantity(),
          worst.layer(), FiniteWidthExperiment.pm(worst.intercept()), Fmt.num(worst.theory()), worst.z()));
    }
  }

  /** The terminal line of one network: the growth of H, of A/H², and the agreement at the last layer. */
  private static String summary(Measurement m) {
    Depth d = m.depth();
    int last = d.layers();
    double maxZ = 0;
    int n = 0;
    int lastMc = 0;
    for (Fit f : m.fits()) {
      lastMc = Math.max(lastMc, f.layer());
    }
    for (Fit f : m.fits()) {
      if (f.layer() == lastMc) {
        maxZ = Math.max(maxZ, Math.abs(f.z()));
        n++;
      }
    }
    return String.format(Locale.ROOT, "%-5s C_W=%-4s %s; A/H² = %s at ℓ=%d; layer %d: %d quantities, largest |z| %.2f",
        m.init().activation().spec(), Fmt.num(m.init().cw()), growth(d), Fmt.num(d.a()[last - 1]
            / (d.h()[last - 1] * d.h()[last - 1]), 3), last, lastMc, n, maxZ);
  }

  /**
   * How H grows at the end of the theory curve, in words: the ratio q of its last two increments
   * (1 for a power law, the factor per layer for an exponential) and its local power d ln H/d ln ℓ.
   */
  static String growth(Depth d) {
    int l = d.layers();
    double[] h = d.h();
    double q = (h[l - 1] - h[l - 2]) / (h[l - 2] - h[l - 3]);
    double p = Math.log(h[l - 1] / h[l - 2]) / Math.log((double) l / (l - 1));
    if (Math.abs(1 - q) < 0.02) {
      return String.format(Locale.ROOT, "H grows like a power of ℓ (local exponent d ln H/d ln ℓ = %.3f at ℓ = %d,"
          + " successive increments in the ratio %.4f)", p, l, q);
    }
    if (q < 1) {
      double limit = h[l - 1] + (h[l - 1] - h[l - 2]) * q / (1 - q);
      return String.format(Locale.ROOT, "H approaches %s exponentially (its increments shrink by a factor %.4f per"
          + " layer; χ_⊥ = %.4f at ℓ = %d)", Fmt.num(limit, 5), q, d.chiPerp()[l - 1], l);
    }
    return String.format(Locale.ROOT, "H grows exponentially (its increments grow by a factor %.4f per layer;"
        + " χ_⊥ = %.4f at ℓ = %d)", q, d.chiPerp()[l - 1], l);
  }

  /** H against ℓ (log-log): the recursion to the theory depth, the extrapolated Monte Carlo at layers 1..L. */
  private static void meanFigure(Report report, Result result) {
    XYChart c = Plots.logY(Plots.logX(Plots.chart("The mean NTK H against depth", "layer ℓ", "H^(ℓ)",
        2 * result.all().size())));
    c.getStyler().setXAxisLogarithmicDecadeOnly(false);
    StringBuilder words = new StringBuilder();
    int i = 0;
    for (Measurement m : result.all()) {
      Depth d = m.depth();
      double[] l = new double[d.layers()];
      for (int j = 0; j < l.length; j++) {
        l[j] = j + 1;
      }
      String name = m.init().activation().spec() + " C_W=" + Fmt.num(m.init().cw());
      Plots.line(c, name + " theory", l, d.h(), Plots.color(i));
      int depth = result.depth();
      double[] x = new double[depth];
      double[] y = new double[depth];
      double[] se = new double[depth];
      x[0] = 1;
      y[0] = m.runs().get(0)[0][0].mean(); // layer 1 is deterministic
      se[0] = 0;
      for (Fit f : m.fits()) {
        if (f.quantity().equals("H")) {
          x[f.layer() - 1] = f.layer();
          y[f.layer() - 1] = f.intercept().mean();
          se[f.layer() - 1] = f.intercept().standardError();
        }
      }
      Plots.points(c, name + " Monte Carlo (n → ∞)", x, y, se, Plots.color(i), Plots.marker(i));
      words.append(words.isEmpty() ? "" : " ").append(m.init().activation().spec()).append(" at C_W = ")
          .append(Fmt.num(m.init().cw())).append(" (χ_⊥ = ").append(Fmt.num(d.chiPerp()[d.layers() - 1], 4))
          .append(" at ℓ = ").append(d.layers()).append("): ").append(growth(d)).append('.');
      i++;
    }
    report.figure("mean-ntk", c, "Log-log against the layer ℓ: lines are the mean NTK H^(ℓ) of the recursion"
        + " H' = λ_b + λ_W⟨σ²⟩ + χ_⊥ H (docs/theory.md §11.2), points the Monte Carlo's E[Ĥ_ii] extrapolated to"
        + " n → ∞ (± one SE; layer 1 is deterministic). The homogeneous part of the recursion is χ_⊥ H, so at"
        + " criticality (χ_⊥ = 1 at the fixed point) the contributions of all layers add up and H grows"
        + " like a power of ℓ, while off criticality they are forgotten (χ_⊥ < 1) or amplified (χ_⊥ > 1)"
        + " exponentially. " + words);
  }

  /**
   * A/(nH²) (or B/(nH²)) against ℓ/n: the recursion at the smallest and the largest width, and the
   * Monte Carlo's finite-width n·Cov/(n E[Ĥ]²) at every width and layer.
   */
  private static void fluctuationFigure(Report report, Result result, boolean isA) {
    String q = isA ? "A" : "B";
    XYChart c = Plots.chart("Relative NTK fluctuations " + q + "/(nH²) against depth/width", "ℓ/n",
        q + "/(n H²)", 3 * result.all().size());
    int nMin = result.widths()[0];
    int nMax = result.widths()[result.widths().length - 1];
    double xMax = (double) result.depth() / nMin;
    StringBuilder slopes = new StringBuilder();
    int i = 0;
    for (Measurement m : result.all()) {
      Depth d = m.depth();
      String name = m.init().activation().spec() + " C_W=" + Fmt.num(m.init().cw());
      for (int n : new int[] {nMin, nMax}) {
        int layers = Math.min(d.layers(), (int) Math.floor(xMax * n));
        double[] x = new double[layers];
        double[] y = new double[layers];
        for (int l = 1; l <= layers; l++) {
          double h = d.h()[l - 1];
          x[l - 1] = (double) l / n;
          y[l - 1] = (isA ? d.a()[l - 1] : d.b()[l - 1]) / (n * h * h);
        }
        if (n == nMin) {
          Plots.line(c, name + " theory n=" + n, x, y, Plots.color(i));
        } else {
          Plots.dashed(c, name + " theory n=" + n, x, y, Plots.color(i));
        }
      }
      List<Double> px = new ArrayList<>();
      List<Double> py = new ArrayList<>();
      List<Double> ps = new ArrayList<>();
      int qi = QUANTITIES.indexOf(q);
      for (int w = 0; w < result.widths().length; w++) {
        int n = result.widths()[w];
        for (int l = 2; l <= result.depth(); l++) {
          Estimate v = m.runs().get(w)[l - 1][qi];
          Estimate h = m.runs().get(w)[l - 1][0];
          double scale = n * h.mean() * h.mean();
          px.add((double) l / n);
          py.add(v.mean() / scale);
          ps.add(v.standardError() / scale);
        }
      }
      Plots.points(c, name + " Monte Carlo", unbox(px), unbox(py), unbox(ps), Plots.color(i), Plots.marker(i));
      int l = d.layers();
      double rel = (isA ? d.a()[l - 1] : d.b()[l - 1]) / (d.h()[l - 1] * d.h()[l - 1]);
      double half = (isA ? d.a()[l / 2 - 1] : d.b()[l / 2 - 1]) / (d.h()[l / 2 - 1] * d.h()[l / 2 - 1]);
      slopes.append(String.format(Locale.ROOT, "%s%s at C_W = %s: %s/H² = %s at ℓ = %d and %s at ℓ = %d (ratio %.2f"
          + " for twice the depth; %s/(ℓH²) = %s at ℓ = %d)", slopes.isEmpty() ? "" : "; ",
          m.init().activation().spec(), Fmt.num(m.init().cw()), q, Fmt.num(half, 4), l / 2, Fmt.num(rel, 4), l,
          rel / half, q, Fmt.num(rel / l, 4), l));
      i++;
    }
    report.figure(isA ? "relative-a" : "relative-b", c, String.format(Locale.ROOT, "%s/(nH²) against ℓ/n: %s is"
        + " n times the covariance of the NTK of two different neurons (%s), so %s/(nH²) is a relative variance"
        + " of the NTK at width n. Lines: the leading-order recursion at n = %d (solid) and n = %d (dashed), to"
        + " ℓ/n = %s; points: the Monte Carlo's finite-width %s at every width and layer 2..%d over n E[Ĥ_ii]²"
        + " (± one SE). Where %s/H² grows in proportion to ℓ the two lines coincide and the relative"
        + " fluctuation is a function of depth/width alone. %s.", q, q,
        isA ? "A = n Cov(Ĥ_ii, Ĥ_kk), i ≠ k" : "B = n E[Ĥ_ik²], i ≠ k", q, nMin, nMax, Fmt.num(xMax, 3),
        isA ? "n Cov(Ĥ_ii, Ĥ_kk)" : "n E[Ĥ_ik²]", result.depth(), q, slopes));
  }

  /** D and F against ℓ: the recursion, and the Monte Carlo extrapolated in 1/n at layers 2..L. */
  private static void correlationFigure(Report report, Result result) {
    XYChart c = Plots.chart("NTK-preactivation correlations D and F", "layer ℓ", "D^(ℓ), F^(ℓ)",
        4 * result.all().size());
    int i = 0;
    StringBuilder words = new StringBuilder();
    for (Measurement m : result.all()) {
      String name = m.init().activation().spec() + " C_W=" + Fmt.num(m.init().cw());
      int depth = result.depth();
      double[] l = new double[depth];
      for (int j = 0; j < depth; j++) {
        l[j] = j + 1;
      }
      for (String q : List.of("D", "F")) {
        double[] theory = new double[depth];
        double[] y = new double[depth];
        double[] se = new double[depth];
        for (int j = 0; j < depth; j++) {
          theory[j] = q.equals("D") ? m.depth().d()[j] : m.depth().f()[j];
        }
        for (Fit f : m.fits()) {
          if (f.quantity().equals(q)) {
            y[f.layer() - 1] = f.intercept().mean();
            se[f.layer() - 1] = f.intercept().standardError();
          }
        }
        if (q.equals("D")) {
          Plots.line(c, name + " D theory", l, theory, Plots.color(i));
          Plots.points(c, name + " D Monte Carlo", l, y, se, Plots.color(i), Plots.marker(0));
        } else {
          Plots.dashed(c, name + " F theory", l, theory, Plots.color(i));
          Plots.points(c, name + " F Monte Carlo", l, y, se, Plots.color(i), Plots.marker(1));
        }
      }
      Depth d = m.depth();
      int last = d.layers();
      words.append(String.format(Locale.ROOT, "%s%s at C_W = %s: D/(KH) = %s and F/(KH) = %s at ℓ = %d",
          words.isEmpty() ? "" : "; ", m.init().activation().spec(), Fmt.num(m.init().cw()),
          Fmt.num(d.d()[last - 1] / (d.kernel()[last - 1] * d.h()[last - 1]), 4),
          Fmt.num(d.f()[last - 1] / (d.kernel()[last - 1] * d.h()[last - 1]), 4), last));
      i++;
    }
    report.figure("correlations", c, "D = n Cov(Ĥ_ii, z_k²) and F = n E[Ĥ_ik z_i z_k] (i ≠ k) against the layer:"
        + " lines the leading-order recursion (D solid, F dashed), points the Monte Carlo extrapolated to n → ∞"
        + " (± one SE; both vanish at layer 1). They are the 1/n correlations between the NTK and the"
        + " preactivations that the NTK's 1/n mean correction H1 is made of. Along the theory curves: " + words
        + ".");
  }

  /** CSV rows: per width and layer every measured quantity with its leading-order theory; the fits; the theory along depth. */
  static List<Row> rows(Result result, Measurement m) {
    List<Row> rows = new ArrayList<>();
    String act = m.init().activation().spec();
    String label = m.init().text();
    Setup init = Setup.of(label, m.init().spec(result.depth(), result.widths()[0]),
        org.finwidth.network.SamplerKind.WEIGHTS.cliName()); // ntkEnsemble: the weights sampler
    for (int w = 0; w < result.widths().length; w++) {
      for (int l = 1; l <= result.depth(); l++) {
        Estimate[] e = m.runs().get(w)[l - 1];
        for (int q = 0; q < QUANTITIES.size(); q++) {
          rows.add(new Row(act, init, result.widths()[w], l, QUANTITIES.get(q), e[q].mean(), e[q].standardError(),
              m.theory()[l - 1][q], result.networks(), m.seeds()[w]));
        }
      }
    }
    long total = result.networks() * result.widths().length;
    for (Fit f : m.fits()) {
      rows.add(new Row(act, init, 0, f.layer(), f.quantity() + " fit", f.intercept().mean(),
          f.intercept().standardError(), f.theory(), total, m.seeds()[0]));
    }
    Depth d = m.depth();
    Setup theory = Setup.of(label, m.init().spec(d.layers(), 1), "");
    for (int l = 1; l <= d.layers(); l++) {
      rows.add(Row.theory(act, theory, 0, l, "H theory", d.h()[l - 1]));
      rows.add(Row.theory(act, theory, 0, l, "A theory", d.a()[l - 1]));
      rows.add(Row.theory(act, theory, 0, l, "B theory", d.b()[l - 1]));
      rows.add(Row.theory(act, theory, 0, l, "D theory", d.d()[l - 1]));
      rows.add(Row.theory(act, theory, 0, l, "F theory", d.f()[l - 1]));
    }
    return rows;
  }

  private static List<List<String>> tableRows(Measurement m) {
    List<List<String>> out = new ArrayList<>();
    for (Fit f : m.fits()) {
      Estimate first = f.measured().get(0);
      Estimate last = f.measured().get(f.measured().size() - 1);
      out.add(List.of(Integer.toString(f.layer()), f.quantity(), Fmt.num(f.theory()),
          FiniteWidthExperiment.pm(f.intercept()), String.format(Locale.ROOT, "%+.2f", f.z()),
          String.format(Locale.ROOT, "%.2f/%d", f.fit().chiSquared(), f.fit().degreesOfFreedom()),
          Fmt.pm(first.mean(), first.standardError()), Fmt.pm(last.mean(), last.standardError())));
    }
    return out;
  }

  private static double[] unbox(List<Double> v) {
    double[] out = new double[v.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = v.get(i);
    }
    return out;
  }

  private static String join(int[] widths) {
    StringBuilder sb = new StringBuilder();
    for (int w : widths) {
      sb.append(sb.isEmpty() ? "" : ", ").append(w);
    }
    return sb.toString();
  }
}
