package org.finwidth.sim.experiment;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.finwidth.activation.Activation;
import org.finwidth.ensemble.EnsembleResult;
import org.finwidth.network.NetworkSpec;
import org.finwidth.stats.Estimate;
import org.finwidth.stats.LayerEstimates;
import org.finwidth.theory.Criticality;
import org.finwidth.theory.CriticalitySolver;
import org.finwidth.theory.ExactMoments;
import org.finwidth.theory.LayerPrediction;
import org.finwidth.theory.Prediction;
import org.finwidth.theory.Susceptibility;
import org.knowm.xchart.XYChart;

/**
 * {@code repu}: RePU σ(z) = max(0, z)^p, p = 2, 3, against ReLU (p = 1). No criticality:
 * χ_⊥/χ_∥ = p/(2p−1) at every K (docs/theory.md §4.4); the explosion of the fluctuations with depth,
 * E[z⁴]/(3E[z²]²) − 1 from the exact finite-width oracle (§6.4), from Monte Carlo and from the
 * leading 1/n order; and MRePU z·max(0, z + c)^q (§7.4), whose only candidate critical point K* = 0
 * is repulsive.
 *
 * <p>{@link #compute} runs everything into a {@link Result}; {@link #render} draws and writes it.
 */
final class RepuExperiment implements Experiment<RepuExperiment.Result> {
  static final String[] ACTIVATIONS = {"relu", "repu:p=2", "repu:p=3"};
  static final String MREPU = "mrepu";

  /**
   * Sizes of a run.
   *
   * @param width n
   * @param depth L of the RePU networks
   * @param networks ensemble size
   * @param mrepuDepth L of the MRePU/tanh Monte Carlo
   * @param flowDepth depth of the MRePU/tanh theory flow
   */
  record Sizes(int width, int depth, long networks, int mrepuDepth, int flowDepth) {
    static Sizes of(boolean quick) {
      return quick ? new Sizes(32, 4, 20_000, 6, 12) : new Sizes(64, 6, 1_000_000, 6, 12);
    }
  }

  /** K^(1) of the MRePU and tanh flows: small, to show K* = 0 repelling (MRePU) or attracting (tanh). */
  static final double SMALL_K = 0.01;

  @Override
  public String name() {
    return "repu";
  }

  @Override
  public String title() {
    return "RePU (p = 2, 3) against ReLU: no criticality, exploding fluctuations; MRePU";
  }

  /**
   * The RePU network: C_b = 0 and C_W = 1/⟨σ²⟩_{K=1}, so that K^(1) = 1 is the infinite-width fixed
   * point (unstable for p &gt; 1: χ_∥ = p there); with C_b = 0 the ratio E[z⁴]/(3E[z²]²) does not
   * depend on C_W or on the input scale (homogeneity, docs/theory.md §6.4), so this choice only keeps
   * the numbers finite.
   */
  static Initialisation repuInit(String activation) {
    Activation sigma = Activation.parse(activation);
    double sigma2 = Prediction.of(NetworkSpec.ofGram(sigma, 0, 1, 1, new int[] {1, 1}, new double[][] {{1}}))
        .layer(2).kernel(0, 0);
    return new Initialisation(sigma, 0, 1 / sigma2, 1);
  }

  /**
   * Theory, exact oracle and Monte Carlo of one RePU network.
   *
   * @param init the network
   * @param series the ensemble beside the leading-order theory
   * @param exactRelativeVariance exact Var(Ĝ)/E[Ĝ]² per layer (index ℓ − 1; +Infinity beyond the
   *     double range), empty if the oracle is too costly
   * @param exactLog10 log₁₀ of it, from the exact moments (finite beyond the double range), empty likewise
   * @param exactDecimal the same exact values in decimal ({@link #relativeVariance}), empty likewise
   */
  record RepuRun(Initialisation init, Series series, double[] exactRelativeVariance, double[] exactLog10,
      java.math.BigDecimal[] exactDecimal) {
    boolean hasExact() {
      return exactRelativeVariance.length > 0;
    }
  }

  /**
   * A row of the χ table.
   *
   * @param activation the spec
   * @param ratios χ_⊥/χ_∥ at {@link #CHI_TABLE_K}
   * @param degree the degree p of homogeneity, NaN if none
   * @param universalityClass the solver's class label
   * @param fixedCw C_W of the C_b = 1/2 fixed point with χ_∥ = 1 (p &gt; 1), NaN otherwise
   * @param fixedK its K* = C_b p/(p − 1)
   * @param fixedChiParallel χ_∥ there
   * @param fixedChiPerp χ_⊥ there
   */
  record ChiRow(String activation, double[] ratios, double degree, String universalityClass, double fixedCw,
      double fixedK, double fixedChiParallel, double fixedChiPerp) {}

  /**
   * (χ_∥ − χ_⊥)/(χ_∥ + χ_⊥) over a log grid of K.
   *
   * @param activation the spec
   * @param k the grid
   * @param y the values
   */
  record ChiCurve(String activation, double[] k, double[] y) {}

  /**
   * Everything the report shows.
   *
   * @param sizes the sizes
   * @param repu ReLU, RePU p = 2, p = 3
   * @param mrepu the solver's result for MRePU
   * @param tanhA1 a_1 of tanh (the solver's)
   * @param mrepuInit MRePU's (0, 1/σ_1²) from K^(1) = {@link #SMALL_K}
   * @param flows Monte Carlo of MRePU and tanh from {@link #SMALL_K}
   * @param longFlows their theory flows to {@link Sizes#flowDepth()}
   * @param chiTable the χ table
   * @param chiCurves the χ-difference curves
   */
  record Result(Sizes sizes, List<RepuRun> repu, Criticality mrepu, double tanhA1, Initialisation mrepuInit,
      List<Series> flows, List<Flow> longFlows, List<ChiRow> chiTable, List<ChiCurve> chiCurves) {}

  static RepuRun measure(ExperimentContext ctx, Initialisation init, int depth, int width, long networks,
      int seedOffset) {
    NetworkSpec spec = init.spec(depth, width);
    double[] rel = new double[0];
    double[] log = new double[0];
    java.math.BigDecimal[] dec = new java.math.BigDecimal[0];
    if (ExactMoments.supports(init.activation())
        && ExactMoments.cost(init.activation(), spec.widths()) <= ExactMoments.MAX_COST) {
      List<ExactMoments.LayerMoments> exact = ExactMoments.compute(spec);
      rel = new double[exact.size()];
      log = new double[exact.size()];
      dec = new java.math.BigDecimal[exact.size()];
      for (int j = 0; j < exact.size(); j++) {
        rel[j] = exact.get(j).relativeVariance();
        log[j] = log10(exact.get(j));
        dec[j] = relativeVariance(exact.get(j));
      }
    }
    EnsembleResult run = ctx.ensemble(init.activation().spec() + " " + init.text(), spec, networks,
        ctx.seed(seedOffset));
    return new RepuRun(init, Series.of(init.activation().spec(), init.text(), Prediction.of(spec), run), rel, log, dec);
  }

  @Override
  public Result compute(ExperimentContext ctx) {
    Sizes sizes = Sizes.of(ctx.quick());
    List<RepuRun> repu = new ArrayList<>();
    int seed = 0;
    for (String a : ACTIVATIONS) {
      repu.add(measure(ctx, repuInit(a), sizes.depth(), sizes.width(), sizes.networks(), seed++));
    }
    Activation mrepu = Activation.parse(MREPU);
    Criticality mrepuCriticality = CriticalitySolver.solve(mrepu);
    double[] taylor = mrepuCriticality.evidence().derivativesAtZero();
    Initialisation mrepuInit = new Initialisation(mrepu, 0, 1 / (taylor[1] * taylor[1]), SMALL_K);
    Initialisation tanhInit = new Initialisation(Activation.parse("tanh"), 0, 1, SMALL_K);
    List<Series> flows = new ArrayList<>();
    List<Flow> longFlows = new ArrayList<>();
    for (Initialisation init : List.of(mrepuInit, tanhInit)) {
      NetworkSpec spec = init.spec(sizes.mrepuDepth(), sizes.width());
      EnsembleResult run = ctx.ensemble(init.activation().spec() + " " + init.text(), spec, sizes.networks(),
          ctx.seed(seed++));
      flows.add(Series.of(init.activation().spec(), init.text(), Prediction.of(spec), run));
      longFlows.add(Flow.of(Prediction.of(init.spec(sizes.flowDepth(), sizes.width()))));
    }
    double tanhA1 = CriticalitySolver.solve(tanhInit.activation()).a1();
    return new Result(sizes, repu, mrepuCriticality, tanhA1, mrepuInit, flows, longFlows, chiTable(), chiCurves());
  }

  @Override
  public void render(Result result, Report report) {
    Sizes sizes = result.sizes();
    List<RepuRun> repu = result.repu();
    Criticality mrepuCriticality = result.mrepu();
    List<Row> rows = new ArrayList<>();
    for (RepuRun m : repu) {
      rows.addAll(repuRows(m));
    }
    List<Row> flowRows = new ArrayList<>();
    for (Series m : result.flows()) {
      flowRows.addAll(m.kernelRows());
    }
    rows.addAll(flowRows);
    for (Flow f : result.longFlows()) {
      for (int l = 1; l <= f.depth(); l++) {
        rows.add(Row.theory(f.activation(), f.setup(), 0, l, "K", f.kernel(l)));
      }
    }
    for (ChiRow c : result.chiTable()) {
      for (int i = 0; i < CHI_TABLE_K.length; i++) {
        rows.add(Row.theory(c.activation(), Setup.none(""), "K=" + CHI_TABLE_K[i], "chiPerp/chiPar", c.ratios()[i]));
      }
    }
    report.rows(rows);

    report.heading("No criticality");
    report.table("χ_⊥/χ_∥ computed at several K (adaptive quadrature), and the C_b > 0 fixed point with χ_∥ = 1",
        List.of("activation", "χ_⊥/χ_∥ at K = 0.01, 1, 100", "p/(2p−1)", "class (solver)",
            "χ_∥, χ_⊥ at K* = C_b p/(p−1), C_b = 1/2"), chiTableRows(result.chiTable()));
    report.figure("chi-difference", chiFigure(result.chiCurves()), "(χ_∥ − χ_⊥)/(χ_∥ + χ_⊥) against K (log K axis),"
        + " computed by adaptive quadrature for every activation (it does not depend on C_W). Criticality needs"
        + " χ_∥ = χ_⊥ = 1 at a fixed point, so this must vanish at K*. Over K = "
        + Fmt.num(result.chiCurves().getFirst().k()[0]) + " … "
        + Fmt.num(result.chiCurves().getFirst().k()[result.chiCurves().getFirst().k().length - 1]) + ": "
        + chiStatements(result.chiCurves(), result.chiTable()) + " For a homogeneous σ of degree p, χ_⊥/χ_∥ ="
        + " p/(2p−1) at every K (docs/theory.md §4.4), i.e. (p − 1)/(3p − 1) here: no critical point for any"
        + " (C_b, C_W).");
    report.paragraph("MRePU, solver's verdict: class " + mrepuCriticality.universalityClass().label() + ". "
        + mrepuCriticality.reason() + ".");

    report.heading("Fluctuations explode with depth");
    report.figure("explosion", explosionFigure(repu, sizes), explosionText(repu, rows, sizes));

    report.heading("MRePU: the fixed point K* = 0 repels");
    report.figure("mrepu-flow", mrepuFigure(result.flows(), result.longFlows()), mrepuText(result, flowRows));
    for (RepuRun m : repu) {
      Series.Layer lp = m.series().layer(sizes.depth());
      report.summary(String.format(Locale.ROOT, "%-9s L=%d n=%d: ratio4-1 exact %s, leading order %s, Monte Carlo %s",
          m.init().activation().spec(), sizes.depth(), sizes.width(),
          m.hasExact() ? Fmt.num(m.exactRelativeVariance()[sizes.depth() - 1], 4) : "n/a",
          Fmt.num(lp.vertexOverWidthKernelSquared(), 4),
          Fmt.pm(lp.ratio4().mean() - 1, lp.ratio4().standardError())));
    }
  }

  static final double[] CHI_TABLE_K = {0.01, 1, 100};

  /** Rows of a RePU network: G, ratio4-1 (theory: leading order), ratio4-1 exact, tail share. */
  static List<Row> repuRows(RepuRun m) {
    Series s = m.series();
    List<Row> rows = new ArrayList<>(s.kernelRows());
    for (Series.Layer lp : s.layers()) {
      int l = lp.layer();
      if (l < 2) {
        continue;
      }
      Estimate q = lp.ratio4();
      rows.add(new Row(s.activation(), s.setup(), s.width(), l, "ratio4-1", q.mean() - 1, q.standardError(),
          lp.vertexOverWidthKernelSquared(), s.networks(), s.seed()));
      if (m.hasExact() && Double.isFinite(m.exactRelativeVariance()[l - 1])) {
        rows.add(Row.theory(s.activation(), s.setup(), s.width(), l, "ratio4-1 exact", m.exactRelativeVariance()[l - 1]));
      } else if (m.hasExact() && m.exactDecimal()[l - 1].signum() > 0) {
        // beyond the double range: the decimal in exact_text
        rows.add(Row.exactBeyondDouble(s.activation(), s.setup(), s.width(), l, "ratio4-1 exact",
            m.exactDecimal()[l - 1]));
      }
      rows.add(new Row(s.activation(), s.setup(), s.width(), l, "tail share", lp.tailShare(), Double.NaN, Double.NaN,
          s.networks(), s.seed()));
    }
    return rows;
  }

  /** The χ table, computed. */
  private static List<ChiRow> chiTable() {
    List<ChiRow> out = new ArrayList<>();
    for (String a : new String[] {"relu", "repu:p=2", "repu:p=3", MREPU}) {
      Activation sigma = Activation.parse(a);
      double[] ratios = new double[CHI_TABLE_K.length];
      for (int i = 0; i < CHI_TABLE_K.length; i++) {
        Susceptibility.Pair chi = Susceptibility.at(sigma, 1, CHI_TABLE_K[i]);
        ratios[i] = chi.chiPerp() / chi.chiParallel();
      }
      double p = sigma.homogeneity().orElse(Double.NaN);
      double cw = Double.NaN;
      double kstar = Double.NaN;
      double chiPar = Double.NaN;
      double chiPerp = Double.NaN;
      if (p > 1) {
        // docs/theory.md §4.4: K* = C_b p/(p−1) with C_W = 1/(p ⟨σ²⟩_1 K*^(p−1)) has χ_∥ = 1.
        double cb = 0.5;
        kstar = cb * p / (p - 1);
        double sigma2 = Prediction.of(NetworkSpec.ofGram(sigma, 0, 1, 1, new int[] {1, 1}, new double[][] {{1}}))
            .layer(2).kernel(0, 0);
        cw = 1 / (p * sigma2 * Math.pow(kstar, p - 1));
        Susceptibility.Pair chi = Susceptibility.at(sigma, cw, kstar);
        chiPar = chi.chiParallel();
        chiPerp = chi.chiPerp();
      }
      out.add(new ChiRow(a, ratios, p, CriticalitySolver.solve(sigma).universalityClass().label(), cw, kstar, chiPar,
          chiPerp));
    }
    return out;
  }

  private static List<List<String>> chiTableRows(List<ChiRow> table) {
    List<List<String>> out = new ArrayList<>();
    for (ChiRow c : table) {
      StringBuilder ratios = new StringBuilder();
      for (double r : c.ratios()) {
        ratios.append(ratios.isEmpty() ? "" : ", ").append(Fmt.num(r, 10));
      }
      double p = c.degree();
      String formula = Double.isNaN(p) ? "–" : Fmt.num(p / (2 * p - 1), 10);
      String fixed = Double.isNaN(c.fixedCw()) ? "–" : "C_W = " + Fmt.num(c.fixedCw()) + ", K* = "
          + Fmt.num(c.fixedK()) + ": " + Fmt.num(c.fixedChiParallel(), 10) + ", " + Fmt.num(c.fixedChiPerp(), 10);
      out.add(List.of(c.activation(), ratios.toString(), formula, c.universalityClass(), fixed));
    }
    return out;
  }

  /** The χ-difference curves, computed. */
  private static List<ChiCurve> chiCurves() {
    String[] acts = {"relu", "repu:p=2", "repu:p=3", MREPU, "swish", "tanh"};
    int points = 49;
    List<ChiCurve> out = new ArrayList<>();
    for (String a : acts) {
      Activation sigma = Activation.parse(a);
      double[] k = new double[points];
      double[] y = new double[points];
      for (int i = 0; i < points; i++) {
        k[i] = Math.pow(10, -3 + 6.0 * i / (points - 1));
        Susceptibility.Pair chi = Susceptibility.at(sigma, 1, k[i]);
        y[i] = (chi.chiParallel() - chi.chiPerp()) / (chi.chiParallel() + chi.chiPerp());
      }
      out.add(new ChiCurve(a, k, y));
    }
    return out;
  }

  /** What each χ-difference curve does over its grid, in words. */
  static String chiStatements(List<ChiCurve> curves, List<ChiRow> table) {
    StringBuilder sb = new StringBuilder();
    for (ChiCurve c : curves) {
      double[] y = c.y();
      double lo = Double.POSITIVE_INFINITY;
      double hi = Double.NEGATIVE_INFINITY;
      List<String> crossings = new ArrayList<>();
      for (int i = 0; i < y.length; i++) {
        lo = Math.min(lo, y[i]);
        hi = Math.max(hi, y[i]);
        if (i > 0 && Math.signum(y[i]) * Math.signum(y[i - 1]) < 0) {
          // linear interpolation in log K
          double t = y[i - 1] / (y[i - 1] - y[i]);
          double k = Math.exp(Math.log(c.k()[i - 1]) + t * (Math.log(c.k()[i]) - Math.log(c.k()[i - 1])));
          crossings.add(Fmt.num(k, 3));
        }
      }
      double scale = Math.max(Math.abs(lo), Math.abs(hi));
      String what;
      if (scale < 1e-9) {
        what = "0 at every K";
      } else if (hi - lo < 1e-9 * scale) {
        what = "constant at " + Fmt.num(hi, 6);
      } else if (!crossings.isEmpty()) {
        what = "changes sign at K ≈ " + String.join(", ", crossings);
      } else {
        what = (lo > 0 ? "positive" : "negative") + " throughout, between " + Fmt.num(lo, 3) + " and "
            + Fmt.num(hi, 3) + " (nearest 0 at K = " + Fmt.num(c.k()[Math.abs(y[0]) < Math.abs(y[y.length - 1])
                ? 0 : y.length - 1], 3) + ")";
      }
      sb.append(sb.isEmpty() ? "" : "; ").append(c.activation()).append(' ').append(what);
    }
    return sb.append('.').toString();
  }

  private static XYChart chiFigure(List<ChiCurve> curves) {
    XYChart c = Plots.logX(Plots.chart("Distance from criticality: (χ_∥ − χ_⊥)/(χ_∥ + χ_⊥)", "K",
        "(χ_∥ − χ_⊥)/(χ_∥ + χ_⊥)"));
    for (int a = 0; a < curves.size(); a++) {
      Plots.line(c, curves.get(a).activation(), curves.get(a).k(), curves.get(a).y(), Plots.color(a));
    }
    return c;
  }

  /**
   * The fluctuations on a linear axis of log₁₀: they span hundreds of decades (RePU p = 3), more
   * than a logarithmic axis can label. Monte Carlo error bars by the delta method,
   * SE(log₁₀ y) = SE(y)/(y ln 10); points with y ≤ 0 are left out.
   */
  private static XYChart explosionFigure(List<RepuRun> repu, Sizes sizes) {
    XYChart c = Plots.chart("Fluctuations against depth at width n = " + sizes.width(), "layer ℓ",
        "log₁₀(E[z⁴]/(3E[z²]²) − 1)");
    for (int a = 0; a < repu.size(); a++) {
      RepuRun m = repu.get(a);
      String act = m.init().activation().spec();
      int depth = sizes.depth();
      double[] x = new double[depth - 1];
      double[] lead = new double[depth - 1];
      double[] exact = new double[depth - 1];
      double[] mc = new double[depth - 1];
      double[] se = new double[depth - 1];
      for (int l = 2; l <= depth; l++) {
        Series.Layer lp = m.series().layer(l);
        x[l - 2] = l;
        lead[l - 2] = Math.log10(lp.vertexOverWidthKernelSquared());
        exact[l - 2] = m.hasExact() ? m.exactLog10()[l - 1] : Double.NaN;
        Estimate q = lp.ratio4();
        double y = q.mean() - 1;
        mc[l - 2] = y > 0 ? Math.log10(y) : Double.NaN;
        se[l - 2] = y > 0 ? q.standardError() / (y * Math.log(10)) : Double.NaN;
      }
      Plots.line(c, act + " exact", x, exact, Plots.color(a));
      Plots.dashed(c, act + " leading order V/(nK²)", x, lead, Plots.color(a));
      Plots.points(c, act + " Monte Carlo", x, mc, se, Plots.color(a), Plots.marker(a));
    }
    return c;
  }

  /**
   * The exact Var(Ĝ)/E[Ĝ]² = E[z_i²z_j²]/E[z²]² − 1 in decimal, to 40 significant digits of the
   * quotient (the subtraction loses about log₁₀ of the ratio's inverse of them where it is small;
   * the double {@link ExactMoments.LayerMoments#relativeVariance} is the one to use there).
   */
  static java.math.BigDecimal relativeVariance(ExactMoments.LayerMoments e) {
    java.math.MathContext mc = new java.math.MathContext(40);
    return e.ezizj().divide(e.ez2().multiply(e.ez2(), mc), mc).subtract(java.math.BigDecimal.ONE, mc);
  }

  /** log₁₀ of the exact Var(Ĝ)/E[Ĝ]² = E[Ĝ²]/E[Ĝ]² − 1, from the BigDecimal moments beyond the double range. */
  static double log10(ExactMoments.LayerMoments e) {
    if (Double.isFinite(e.relativeVariance()) && e.relativeVariance() > 0) {
      return Math.log10(e.relativeVariance());
    }
    java.math.MathContext mc = new java.math.MathContext(40);
    java.math.BigDecimal ratio = e.ezizj().divide(e.ez2().multiply(e.ez2(), mc), mc).subtract(java.math.BigDecimal.ONE);
    if (ratio.signum() <= 0) {
      return Double.NaN;
    }
    int exponent = ratio.precision() - ratio.scale() - 1; // ratio = m·10^exponent, 1 ≤ m < 10
    return exponent + Math.log10(ratio.scaleByPowerOfTen(-exponent).doubleValue());
  }

  private static String explosionText(List<RepuRun> repu, List<Row> rows, Sizes sizes) {
    StringBuilder sb = new StringBuilder(String.format(Locale.ROOT, "log₁₀ of E[z⁴]/(3E[z²]²) − 1 = Var(Ĝ)/E[Ĝ]²"
        + " against the layer (a linear axis of log₁₀: the values span too many decades for a log axis), C_b = 0,"
        + " width n = %d, %,d networks: solid lines are the exact finite-width oracle (docs/theory.md §6.1,"
        + " 80-digit arithmetic), dashed the leading 1/n order V/(nK²), points the Monte Carlo (± one SE). The"
        + " exact value grows from layer %d to %d by a factor ", sizes.width(), sizes.networks(), sizes.depth() - 1,
        sizes.depth()));
    int depth = sizes.depth();
    for (int a = 0; a < repu.size(); a++) {
      RepuRun m = repu.get(a);
      double p = m.init().activation().homogeneity().orElse(Double.NaN);
      String factor = m.hasExact() ? Fmt.num(Math.pow(10, m.exactLog10()[depth - 1] - m.exactLog10()[depth - 2]), 3)
          : "n/a";
      sb.append(a == 0 ? "" : ", ").append(factor).append(" for ").append(m.init().activation().spec())
          .append(" (p² = ").append(Fmt.num(p * p)).append(')');
    }
    sb.append(": RePU's fluctuations are multiplied by about p² per layer (χ_∥ = p at the fixed point), so the 1/n"
        + " expansion parameter grows like p^(2ℓ)/n. ");
    for (int a = 0; a < repu.size(); a++) {
      RepuRun m = repu.get(a);
      Series.Layer lp = m.series().layer(depth);
      double exact = m.hasExact() ? m.exactRelativeVariance()[depth - 1] : Double.NaN;
      Estimate q = lp.ratio4();
      sb.append(String.format(Locale.ROOT, "%s%s at ℓ = %d: exact %s, leading order %s, Monte Carlo %s"
          + " (largest share of one network in a sum of squares: %s)", a == 0 ? "" : "; ",
          m.init().activation().spec(), depth, Fmt.num(exact, 4), Fmt.num(lp.vertexOverWidthKernelSquared(), 4),
          Fmt.pm(q.mean() - 1, q.standardError()), Fmt.num(lp.tailShare(), 2)));
    }
    sb.append(". Where the exact value exceeds the leading order the 1/n expansion has failed (its"
        + " parameter is no longer small). Where the Monte Carlo falls below the exact value by more"
        + " than its error bar, the cause is the heavy tail of Ĝ: a few networks with huge Ĝ carry most"
        + " of E[Ĝ²], a finite ensemble rarely contains them, and its SE is then optimistic (tail share"
        + " above " + Fmt.num(LayerEstimates.TAIL_SHARE_WARNING) + " flags it). ");
    sb.append(Agreement.describe(rowsOf(rows, "ratio4-1"), "ratio4-1", "the leading order", 3));
    sb.append(' ').append(exactComparison(repu, depth));
    return sb.toString();
  }

  private static List<Row> rowsOf(List<Row> rows, String quantity) {
    List<Row> out = new ArrayList<>();
    for (Row r : rows) {
      if (r.quantity().equals(quantity)) {
        out.add(r);
      }
    }
    return out;
  }

  /** The Monte Carlo against the exact oracle, in words: z-scores per activation and layer. */
  static String exactComparison(List<RepuRun> repu, int depth) {
    StringBuilder sb = new StringBuilder("Monte Carlo against the exact value, (MC − exact)/SE by layer 2.."
        + depth + ": ");
    for (int a = 0; a < repu.size(); a++) {
      RepuRun m = repu.get(a);
      if (!m.hasExact()) {
        continue;
      }
      sb.append(a == 0 ? "" : "; ").append(m.init().activation().spec()).append(' ');
      for (int l = 2; l <= depth; l++) {
        Estimate q = m.series().layer(l).ratio4();
        double z = (q.mean() - 1 - m.exactRelativeVariance()[l - 1]) / q.standardError();
        sb.append(l == 2 ? "" : ", ").append(Math.abs(z) < 1000 ? String.format(Locale.ROOT, "%+.1f", z)
            : String.format(Locale.ROOT, "%+.2g", z));
      }
    }
    return sb.append('.').toString();
  }

  private static XYChart mrepuFigure(List<Series> flows, List<Flow> longFlows) {
    XYChart c = Plots.logY(Plots.chart("Kernel flow from K^(1) = " + Fmt.num(SMALL_K) + " at (C_b, C_W) = (0, 1/σ_1²)",
        "layer ℓ", "K^(ℓ)"));
    for (int i = 0; i < longFlows.size(); i++) {
      Flow p = longFlows.get(i);
      Plots.line(c, p.activation() + " K (n = ∞)", p.layers(), p.kernel(), Plots.color(i + 3));
      Series m = flows.get(i);
      int depth = m.depth();
      double[] mx = new double[depth];
      double[] my = new double[depth];
      double[] ms = new double[depth];
      double[] nlo = new double[depth];
      for (int l = 1; l <= depth; l++) {
        Estimate g = m.layer(l).gMetric();
        mx[l - 1] = l;
        my[l - 1] = g.mean();
        ms[l - 1] = g.standardError();
        nlo[l - 1] = m.layer(l).twoPoint();
      }
      Plots.dashed(c, p.activation() + " K + K1/n (n = " + m.width() + ")", mx, nlo, Plots.color(i + 3));
      Plots.points(c, p.activation() + " Monte Carlo (n = " + m.width() + ")", mx, my, ms, Plots.color(i + 3),
          Plots.marker(i));
    }
    return c;
  }

  private static String mrepuText(Result result, List<Row> flowRows) {
    Criticality c = result.mrepu();
    Flow pm = result.longFlows().get(0);
    Flow pt = result.longFlows().get(1);
    String end = pm.breakdown().map(b -> "its kernel " + Words.kernelFlow(pm.kernel()) + ", and the recursion"
        + " stops at layer " + b.layer() + " (" + b.reason() + ")").orElse("its kernel " + Words.kernelFlow(pm.kernel()));
    long ahead = flowRows.stream().filter(r -> r.activation().equals(pm.activation()) && Agreement.z(r) > 3).count();
    long behind = flowRows.stream().filter(r -> r.activation().equals(pm.activation()) && Agreement.z(r) < -3).count();
    String verdict = c.universalityClass().label().equals("none") && c.a1() > 0
        ? " So, by PDLT's criterion, MRePU as defined here is not critical in the attractive sense; a paper"
            + " claiming a distinct MRePU universality class must use another definition or another criterion."
        : "";
    return String.format(Locale.ROOT, "MRePU (docs/theory.md §7.4, unconfirmed definition z·max(0, z + c)^q, c = 1,"
        + " q = 2) has σ(0) = 0 and σ_1 = %s, so (C_b, C_W) = (0, 1/σ_1² = %s) makes K* = 0 a fixed point with"
        + " χ_∥ = χ_⊥ = 1, the K* = 0 criterion of tanh; but a_1 = %s (tanh: %s), and K' = K + a_1 K² + …"
        + " pushes a small K away from 0 when a_1 > 0 and towards it when a_1 < 0."
        + " Started at K^(1) = %s, %s; tanh at its critical (0, 1): its kernel %s. Solid: K at n = ∞;"
        + " dashed: K + K1/n at the measured width; points: Monte Carlo E[Ĝ]"
        + " (± one SE). %s Of the MRePU points, %d lie more than 3 SE above the infinite-width flow and %d"
        + " below%s.%s",
        Fmt.num(c.evidence().derivativesAtZero()[1]), Fmt.num(result.mrepuInit().cw()), Fmt.num(c.a1()),
        Fmt.num(result.tanhA1()), Fmt.num(SMALL_K), end, Words.kernelFlow(pt.kernel()),
        Agreement.describe(flowRows, "G", "K + K1/n", 3), ahead, behind, ahead == 0 ? ""
            : " (above it: a finite-width effect of a super-linear σ, MRePU ≈ z³ for large z, where networks whose"
                + " Ĝ fluctuates upwards grow much faster than the rest and dominate E[Ĝ])", verdict);
  }
}
