package org.finwidth.sim.experiment;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.finwidth.activation.Activation;
import org.finwidth.activation.Swish;
import org.finwidth.ensemble.EnsembleResult;
import org.finwidth.network.NetworkSpec;
import org.finwidth.stats.Estimate;
import org.finwidth.theory.Criticality;
import org.finwidth.theory.CriticalitySolver;
import org.finwidth.theory.LayerPrediction;
import org.finwidth.theory.Prediction;
import org.knowm.xchart.XYChart;

/**
 * {@code controlled-swish}: σ_T(z) = z·sigmoid(z/T) at its critical initialisation for T from 1
 * down to 0.01 (docs/theory.md §7.2): the critical (C_b(T), C_W(T), K*(T)) computed by the solver for
 * every T, the kernel flow and V/K² against depth at criticality, against ReLU's, theory and Monte
 * Carlo, and what happens as T → 0.
 *
 * <p>Two starting points per T: K^(1) = K*(T), where the dimensionless statistics do not depend on T
 * at all (σ_T(z) = T σ_1(z/T) makes the critical network at T a rescaled copy of the one at T = 1),
 * and a fixed input scale K^(1) = 1, where σ_T sees K/T² and tends to ReLU as T → 0 — but at the
 * critical C_W(T) = C_W(1) ≈ 1.988, not ReLU's 2.
 *
 * <p>{@link #compute} runs everything into a {@link Result}; {@link #render} draws and writes it.
 */
final class ControlledSwishExperiment implements Experiment<ControlledSwishExperiment.Result> {
  static final double[] TEMPERATURES = {1, 0.5, 0.2, 0.1, 0.05, 0.02, 0.01};
  static final double[] QUICK_TEMPERATURES = {1, 0.1, 0.01};

  /**
   * Sizes of a run.
   *
   * @param temperatures the T values
   * @param width n of the Monte Carlo networks
   * @param depth L of the Monte Carlo networks
   * @param networks ensemble size
   * @param flowDepth depth of the theory-only kernel flow
   */
  record Sizes(double[] temperatures, int width, int depth, long networks, int flowDepth) {
    static Sizes of(boolean quick) {
      return quick ? new Sizes(QUICK_TEMPERATURES, 32, 5, 5_000, 60)
          : new Sizes(TEMPERATURES, 128, 10, 200_000, 1000);
    }
  }

  @Override
  public String name() {
    return "controlled-swish";
  }

  @Override
  public String title() {
    return "Controlled SWISH σ_T(z) = z·sigmoid(z/T) at criticality, T = 1 … 0.01, against ReLU";
  }

  /**
   * The solver's result for one temperature.
   *
   * @param t T
   * @param init the critical (C_b, C_W), started at K* (K^(1) = K*)
   * @param point the critical point (curvature, approach, other fixed points)
   */
  record Critical(double t, Initialisation init, Criticality.CriticalPoint point) {
    double kstar() {
      return init.kernel1();
    }

    /** The attractive non-critical fixed point just above K* (SWISH: 14.593 T²), or NaN. */
    double otherFixedPoint() {
      return point.otherFixedPoints().isEmpty() ? Double.NaN : point.otherFixedPoints().get(0).k();
    }
  }

  /** The critical point of σ_T computed by {@link CriticalitySolver}. */
  static Critical critical(double t) {
    Activation sigma = new Swish(t);
    Criticality.CriticalPoint p = Initialisation.criticalPoint(sigma);
    return new Critical(t, new Initialisation(sigma, p.cb(), p.cw(), p.kstar().getAsDouble()), p);
  }

  /** An ensemble of one network beside its prediction ({@link Series}), labelled and seeded as the experiment does. */
  static Series measure(ExperimentContext ctx, Initialisation init, Sizes sizes, int seedOffset) {
    NetworkSpec spec = init.spec(sizes.depth(), sizes.width());
    EnsembleResult run = ctx.ensemble(init.activation().spec() + " " + init.text(), spec, sizes.networks(),
        ctx.seed(seedOffset));
    return Series.of(init.activation().spec(), init.text(), Prediction.of(spec), run);
  }

  /**
   * Everything the report shows.
   *
   * @param sizes the sizes
   * @param critical the critical point of every T
   * @param slopes the per-layer slope of V/K² started at K*(T) (theory, depth 3), per T
   * @param atKstar Monte Carlo started at K^(1) = K*(T), per T
   * @param atOne Monte Carlo started at K^(1) = 1, per T
   * @param relu ReLU at (0, 2) from K^(1) = 1
   * @param flows the theory flow from K^(1) = 1 to {@link Sizes#flowDepth()}, per T
   */
  record Result(Sizes sizes, List<Critical> critical, List<Double> slopes, List<Series> atKstar, List<Series> atOne,
      Series relu, List<Flow> flows) {}

  @Override
  public Result compute(ExperimentContext ctx) {
    Sizes sizes = Sizes.of(ctx.quick());
    List<Critical> critical = new ArrayList<>();
    List<Double> slopes = new ArrayList<>();
    for (double t : sizes.temperatures()) {
      Critical c = critical(t);
      critical.add(c);
      slopes.add(vertexSlope(Prediction.of(c.init().spec(3, 1000))));
    }
    Initialisation relu = new Initialisation(Activation.parse("relu"), 0, 2, 1);
    List<Series> atKstar = new ArrayList<>();
    List<Series> atOne = new ArrayList<>();
    int seed = 0;
    for (Critical c : critical) {
      atKstar.add(measure(ctx, c.init(), sizes, seed++));
      atOne.add(measure(ctx, c.init().startingAt(1), sizes, seed++));
    }
    Series reluRun = measure(ctx, relu, sizes, seed);
    List<Flow> flows = new ArrayList<>();
    for (Critical c : critical) {
      flows.add(Flow.of(Prediction.of(c.init().startingAt(1).spec(sizes.flowDepth(), sizes.width()))));
    }
    return new Result(sizes, critical, slopes, atKstar, atOne, reluRun, flows);
  }

  @Override
  public void render(Result result, Report report) {
    Sizes sizes = result.sizes();
    List<Critical> critical = result.critical();
    List<Flow> flows = result.flows();
    List<Series> atKstar = result.atKstar();
    List<Series> atOne = result.atOne();
    Series reluRun = result.relu();
    List<Row> rows = new ArrayList<>();
    for (Critical c : critical) {
      rows.addAll(criticalRows(c));
    }
    for (Flow flow : flows) {
      rows.addAll(flowRows(flow));
    }
    List<Series> all = new ArrayList<>(atKstar);
    all.addAll(atOne);
    all.add(reluRun);
    for (Series m : all) {
      rows.addAll(measuredRows(m));
    }
    report.rows(rows);

    report.heading("The critical point as T → 0");
    report.table("Critical initialisation of σ_T (CriticalitySolver, nothing looked up)", List.of("T", "C_b",
        "C_W", "K*", "C_b/T²", "K*/T²", "f''(K*)·T²", "approach", "other fixed point/T² (χ_∥)",
        "V/K² per layer at K*"), criticalTable(critical, result.slopes()));
    Critical first = critical.get(0);
    Critical last = critical.get(critical.size() - 1);
    report.figure("critical-points", criticalPointFigure(critical), String.format(Locale.ROOT,
        "The critical point of σ_T against T (log-log), computed by the solver for every T: K*(T) and"
        + " C_b(T) against T²·K*(1) = %s T² and T²·C_b(1) = %s T² (lines; largest relative"
        + " deviation of the computed points %s), and C_W(T) %s, against ReLU's"
        + " C_W = 2. The reason is exact: σ_T(z) = T·σ_1(z/T), so ⟨σ_T²⟩_K ="
        + " T²⟨σ_1²⟩_{K/T²} and ⟨σ_T'²⟩_K = ⟨σ_1'²⟩_{K/T²} (docs/theory.md §7.2).",
        Fmt.num(first.kstar() / (first.t() * first.t())), Fmt.num(first.init().cb() / (first.t() * first.t())),
        Fmt.num(maxScalingDeviation(critical), 2), cwStatement(critical)));

    report.heading("Kernel flow at criticality");
    report.figure("flow", flowFigure(critical, flows, atOne, sizes), flowText(critical, flows, sizes));
    report.figure("kernel-vs-relu", kernelFigure(critical, flows, atOne, reluRun, sizes),
        kernelText(first, last, flows, sizes));

    report.heading("Fluctuations: V/K² against depth");
    report.figure("vertex-at-kstar", vertexFigure(critical, atKstar, reluRun, sizes, true),
        vertexText(critical, atKstar, reluRun, sizes, true));
    report.figure("vertex-fixed-scale", vertexFigure(critical, atOne, reluRun, sizes, false),
        vertexText(critical, atOne, reluRun, sizes, false));

    report.heading("Monte Carlo against theory");
    report.paragraph(String.format(Locale.ROOT, "%,d networks per ensemble, width n = %d, depth L = %d,"
        + " conditional sampler. ", sizes.networks(), sizes.width(), sizes.depth())
        + Agreement.describe(rows, "G", "K + K1/n (leading order)", 3) + " "
        + Agreement.describe(rows, "V", "the leading-order V", 3) + " Layer 2 is exact at any width"
        + " (V^(2) and K^(2) do not depend on n); beyond it the measured V = n·Var(Ĝ) carries the"
        + " O(1/n) corrections of relative size about ℓ/n that the leading-order recursion leaves"
        + " out. " + excessSentence(all.subList(0, atKstar.size() + atOne.size()), reluRun));
    report.summary(String.format(Locale.ROOT, "C_W(T) = %s for every T; K*(T)/T² = %s; at K* V/K² grows by"
        + " %s per layer (ReLU: 5) for every T", Fmt.num(first.init().cw()),
        Fmt.num(first.kstar() / (first.t() * first.t())), Fmt.num(result.slopes().get(0))));
  }

  /** "= 1.988004678 for every T (relative spread 2e-16)" or "from a to b" over the temperatures. */
  private static String cwStatement(List<Critical> critical) {
    double lo = critical.stream().mapToDouble(c -> c.init().cw()).min().orElse(Double.NaN);
    double hi = critical.stream().mapToDouble(c -> c.init().cw()).max().orElse(Double.NaN);
    return (hi - lo) <= 1e-12 * hi
        ? "= " + Fmt.num(hi, 10) + " for every T (relative spread " + Fmt.num((hi - lo) / hi, 2) + ")"
        : "from " + Fmt.num(lo, 10) + " to " + Fmt.num(hi, 10);
  }

  /**
   * How far the measured V lies above (or below) its leading order at the deepest layer, on
   * average over the SWISH ensembles, beside how far ReLU's exact finite-width V lies above its
   * 5(ℓ−1)K²: both are the O(ℓ/n) correction.
   */
  static String excessSentence(List<Series> swish, Series relu) {
    int depth = relu.depth();
    double sum = 0;
    int count = 0;
    int above = 0;
    for (Series s : swish) {
      Series.Layer l = s.layer(depth);
      double rel = l.vMetric().mean() / l.vertex() - 1;
      sum += rel;
      count++;
      above += l.vMetric().mean() > l.vertex() ? 1 : 0;
    }
    Series.Layer r = relu.layer(depth);
    double reluExcess = r.fanIn() * r.exactRelativeVariance() / r.vertexOverKernelSquared() - 1;
    return String.format(Locale.ROOT, "At ℓ = %d the measured SWISH V lies above its leading order in %d of %d"
        + " ensembles, by %s%% on average; ReLU's exact finite-width V exceeds its 5(ℓ−1)K² by %s%% at the same"
        + " depth and width.", depth, above, count, Fmt.num(100 * sum / count, 2), Fmt.num(100 * reluExcess, 2));
  }

  /** Theory-only rows of the critical point (layer 0: not a layer quantity). */
  static List<Row> criticalRows(Critical c) {
    String act = c.init().activation().spec();
    Setup init = Setup.of("critical", c.init().cb(), c.init().cw());
    List<Row> rows = new ArrayList<>();
    rows.add(Row.theory(act, init, 0, 0, "cb", c.init().cb()));
    rows.add(Row.theory(act, init, 0, 0, "cw", c.init().cw()));
    rows.add(Row.theory(act, init, 0, 0, "K*", c.kstar()));
    rows.add(Row.theory(act, init, 0, 0, "f''(K*)", c.point().curvature()));
    rows.add(Row.theory(act, init, 0, 0, "other fixed point", c.otherFixedPoint()));
    return rows;
  }

  /** Theory-only rows K and V/K2 of a (long) flow. */
  static List<Row> flowRows(Flow f) {
    List<Row> rows = new ArrayList<>();
    for (int l = 1; l <= f.depth(); l++) {
      rows.add(Row.theory(f.activation(), f.setup(), 0, l, "K", f.kernel(l)));
      rows.add(Row.theory(f.activation(), f.setup(), 0, l, "V/K2", f.vertexOverKernelSquared()[l - 1]));
    }
    return rows;
  }

  /** Measured rows G (theory K + K1/n) and V = n·Var(Ĝ) (theory V); ReLU also its exact V. */
  static List<Row> measuredRows(Series m) {
    List<Row> rows = new ArrayList<>(m.kernelRows());
    rows.addAll(m.vertexRows());
    for (Series.Layer l : m.layers()) {
      if (l.layer() >= 2 && Double.isFinite(l.exactRelativeVariance())) {
        double ez2 = l.exactEz2();
        rows.add(Row.theory(m.activation(), m.setup(), m.width(), l.layer(), "V exact",
            l.fanIn() * l.exactRelativeVariance() * ez2 * ez2));
      }
    }
    return rows;
  }

  /** V^(L)/(K*²(L−1)): the per-layer slope of V/K² started at a fixed point. */
  static double vertexSlope(Prediction p) {
    LayerPrediction last = p.layer(p.layers().size());
    return last.vertexOverKernelSquared(0) / (last.layer() - 1);
  }

  private static List<List<String>> criticalTable(List<Critical> critical, List<Double> slopes) {
    List<List<String>> out = new ArrayList<>();
    for (int i = 0; i < critical.size(); i++) {
      Critical c = critical.get(i);
      double t2 = c.t() * c.t();
      String other = Double.isNaN(c.otherFixedPoint()) ? "–"
          : Fmt.num(c.otherFixedPoint() / t2) + " (" + Fmt.num(c.point().otherFixedPoints().get(0).chiParallel(), 8) + ")";
      out.add(List.of(Fmt.num(c.t()), Fmt.num(c.init().cb(), 8), Fmt.num(c.init().cw(), 10),
          Fmt.num(c.kstar(), 8), Fmt.num(c.init().cb() / t2, 10), Fmt.num(c.kstar() / t2, 10),
          Fmt.num(c.point().curvature() * t2, 4), c.point().approach().map(a -> "from " + a.label()).orElse("–"),
          other, Fmt.num(slopes.get(i), 8)));
    }
    return out;
  }

  /** max over T of |K*(T)/(T² K*(1)) − 1| and the same for C_b. */
  static double maxScalingDeviation(List<Critical> critical) {
    Critical ref = critical.get(0);
    double k0 = ref.kstar() / (ref.t() * ref.t());
    double c0 = ref.init().cb() / (ref.t() * ref.t());
    double worst = 0;
    for (Critical c : critical) {
      double t2 = c.t() * c.t();
      worst = Math.max(worst, Math.abs(c.kstar() / (t2 * k0) - 1));
      worst = Math.max(worst, Math.abs(c.init().cb() / (t2 * c0) - 1));
    }
    return worst;
  }

  private static XYChart criticalPointFigure(List<Critical> critical) {
    XYChart c = Plots.logY(Plots.logX(Plots.chart("Critical point of σ_T against T", "temperature T",
        "K*, C_b, C_W")));
    int m = critical.size();
    double[] t = new double[m];
    double[] k = new double[m];
    double[] cb = new double[m];
    double[] cw = new double[m];
    double[] kLine = new double[m];
    double[] cbLine = new double[m];
    double[] two = new double[m];
    Critical ref = critical.get(0);
    for (int i = 0; i < m; i++) {
      Critical x = critical.get(i);
      t[i] = x.t();
      k[i] = x.kstar();
      cb[i] = x.init().cb();
      cw[i] = x.init().cw();
      kLine[i] = ref.kstar() * t[i] * t[i] / (ref.t() * ref.t());
      cbLine[i] = ref.init().cb() * t[i] * t[i] / (ref.t() * ref.t());
      two[i] = 2;
    }
    double[] zero = new double[m];
    Plots.line(c, "K*(1)·T²", t, kLine, Plots.color(0));
    Plots.points(c, "K*(T) (solver)", t, k, zero, Plots.color(0), Plots.marker(0));
    Plots.line(c, "C_b(1)·T²", t, cbLine, Plots.color(1));
    Plots.points(c, "C_b(T) (solver)", t, cb, zero, Plots.color(1), Plots.marker(1));
    Plots.dashed(c, "ReLU's C_W = 2", t, two, Plots.color(6));
    Plots.points(c, "C_W(T) (solver)", t, cw, zero, Plots.color(2), Plots.marker(2));
    return c;
  }

  private static XYChart flowFigure(List<Critical> critical, List<Flow> flows, List<Series> atOne,
      Sizes sizes) {
    XYChart c = Plots.logY(Plots.logX(Plots.chart("Kernel flow of σ_T at criticality from K^(1) = 1, in units"
        + " of T²", "layer ℓ", "K^(ℓ)/T²")));
    int depth = sizes.flowDepth();
    double[] ells = new double[depth];
    for (int l = 1; l <= depth; l++) {
      ells[l - 1] = l;
    }
    Critical ref = critical.get(0);
    double t2 = ref.t() * ref.t();
    double[] kstar = new double[depth];
    double[] other = new double[depth];
    java.util.Arrays.fill(kstar, ref.kstar() / t2);
    java.util.Arrays.fill(other, ref.otherFixedPoint() / t2);
    Plots.line(c, "K*/T² (critical, half-stable)", ells, kstar, Plots.color(6));
    Plots.dashed(c, "attractive fixed point/T² (not critical)", ells, other, Plots.color(6));
    for (int i = 0; i < critical.size(); i++) {
      double tt = critical.get(i).t() * critical.get(i).t();
      Flow p = flows.get(i);
      double[] x = p.layers();
      double[] y = new double[x.length];
      for (int l = 1; l <= p.depth(); l++) {
        y[l - 1] = p.kernel(l) / tt;
      }
      Plots.line(c, "T = " + Fmt.num(critical.get(i).t()), x, y, tColor(i));
      Plots.unlisted(addMeasured(c, atOne.get(i), "T = " + Fmt.num(critical.get(i).t()) + " Monte Carlo", 1 / tt,
          tColor(i), Plots.marker(0), true));
    }
    keys(c, atOne.getFirst().width(), true);
    return c;
  }

  /**
   * The legend entries of the temperatures' Monte Carlo (one marker, the T's colour) and, in a
   * kernel figure, of their K + K1/n lines (dotted, the T's colour).
   */
  private static void keys(XYChart c, int width, boolean kernel) {
    Plots.key(c, "Monte Carlo at n = " + width + " (the T's colour)", java.awt.Color.GRAY, null, Plots.marker(0));
    if (kernel) {
      Plots.key(c, "K + K1/n at n = " + width + " (the T's colour)", java.awt.Color.GRAY, Plots.dash(1), null);
    }
  }

  /** The colour of the i-th temperature (black, the 7th palette colour, is ReLU's). */
  private static java.awt.Color tColor(int i) {
    return Plots.color(i >= 6 ? i + 1 : i);
  }

  /**
   * Monte Carlo G (or V/K²) points of one ensemble, scaled; for G also its theory K + K1/n (dotted,
   * out of the legend: {@link #keys}). Returns the points' series.
   */
  private static org.knowm.xchart.XYSeries addMeasured(XYChart c, Series m, String name, double scale,
      java.awt.Color color, org.knowm.xchart.style.markers.Marker marker, boolean kernel) {
    int depth = m.depth();
    int from = kernel ? 1 : 2;
    double[] x = new double[depth - from + 1];
    double[] y = new double[x.length];
    double[] se = new double[x.length];
    double[] nlo = new double[x.length];
    for (int l = from; l <= depth; l++) {
      Series.Layer e = m.layer(l);
      Estimate est = kernel ? e.gMetric() : e.vMetric();
      double s = kernel ? scale : 1 / Math.pow(e.kernel(), 2);
      x[l - from] = l;
      y[l - from] = est.mean() * s;
      se[l - from] = est.standardError() * s;
      nlo[l - from] = e.twoPoint() * s;
    }
    if (kernel) {
      Plots.unlisted(Plots.styled(c, name + " K + K1/n", x, nlo, color, Plots.dash(1)));
    }
    return Plots.points(c, name, x, y, se, color, marker);
  }

  private static String flowText(List<Critical> critical, List<Flow> flows, Sizes sizes) {
    Critical ref = critical.get(0);
    double t2 = ref.t() * ref.t();
    double kstar = ref.kstar() / t2;
    double other = ref.otherFixedPoint() / t2;
    StringBuilder ends = new StringBuilder();
    List<String> below = new ArrayList<>();
    List<String> above = new ArrayList<>();
    int nearOther = 0;
    for (int i = 0; i < critical.size(); i++) {
      double tt = critical.get(i).t() * critical.get(i).t();
      Flow p = flows.get(i);
      double start = p.kernel(1) / tt;
      double end = p.kernel(p.depth()) / tt;
      (start < kstar ? below : above).add(Fmt.num(critical.get(i).t()));
      if (start > kstar && Math.abs(end - other) < Math.abs(end - kstar)) {
        nearOther++;
      }
      ends.append(i == 0 ? "" : ", ").append("T = ").append(Fmt.num(critical.get(i).t())).append(": ")
          .append(Fmt.num(start, 4)).append(" → ").append(Fmt.num(end, 5));
    }
    String approach = ref.point().approach().map(a -> "from " + a.label()).orElse("from neither side");
    return String.format(Locale.ROOT, "The infinite-width kernel flow at the critical (C_b(T), C_W) started"
        + " from the same input, K^(1) = 1, in units of T² (log-log; lines: theory to depth %d; points:"
        + " Monte Carlo E[Ĝ]/T² at width %d, ± one SE). In these units every T follows one and the same map,"
        + " started at K^(1)/T² = 1/T². The critical point K*/T² = %s is half-stable: f(K) = C_b + C_W⟨σ²⟩_K − K"
        + " has a double zero there with f''(K*)·T² = %s, so the flow reaches K* %s only and leaves it on the"
        + " other side, where the critical map has another fixed point, %s (χ_∥ = %s), %s%% from K*. Started"
        + " below K* (T = %s) or above it (T = %s); of the flows started above, %d end nearer the other fixed"
        + " point than K*. K^(ℓ)/T² at ℓ = 1 → %d: %s.",
        sizes.flowDepth(), sizes.width(), Fmt.num(kstar), Fmt.num(ref.point().curvature() * t2, 4), approach,
        Fmt.num(other), Fmt.num(ref.point().otherFixedPoints().get(0).chiParallel(), 8),
        Fmt.num(100 * (other / kstar - 1), 3), below.isEmpty() ? "none" : String.join(", ", below),
        above.isEmpty() ? "none" : String.join(", ", above), nearOther, sizes.flowDepth(), ends);
  }

  private static XYChart kernelFigure(List<Critical> critical, List<Flow> flows, List<Series> atOne,
      Series relu, Sizes sizes) {
    XYChart c = Plots.chart("Kernel flow from K^(1) = 1 against ReLU's", "layer ℓ", "K^(ℓ)/K^(1)");
    int depth = Math.min(sizes.flowDepth(), 100);
    double[] x = new double[depth];
    double[] one = new double[depth];
    double[] limit = new double[depth];
    double cw = critical.get(0).init().cw();
    for (int l = 1; l <= depth; l++) {
      x[l - 1] = l;
      one[l - 1] = 1;
      limit[l - 1] = Math.pow(cw / 2, l - 1);
    }
    Plots.line(c, "ReLU (0, 2): K constant", x, one, Plots.color(6));
    Plots.dashed(c, "T → 0 limit (C_W/2)^(ℓ−1)", x, limit, Plots.color(6));
    addMeasured(c, relu, "ReLU Monte Carlo", 1, Plots.color(6), Plots.marker(5), true);
    for (int i = 0; i < critical.size(); i++) {
      Flow p = flows.get(i);
      double[] y = new double[depth];
      for (int l = 1; l <= depth; l++) {
        y[l - 1] = p.kernel(l) / p.kernel(1);
      }
      java.awt.Color col = tColor(i);
      Plots.line(c, "T = " + Fmt.num(critical.get(i).t()), x, y, col);
      Plots.unlisted(addMeasured(c, atOne.get(i), "T = " + Fmt.num(critical.get(i).t()) + " Monte Carlo",
          1 / p.kernel(1), col, Plots.marker(0), true));
    }
    keys(c, relu.width(), true);
    return c;
  }

  private static String kernelText(Critical first, Critical last, List<Flow> flows, Sizes sizes) {
    int depth = Math.min(sizes.flowDepth(), 100);
    Flow pl = flows.get(flows.size() - 1);
    double cw = last.init().cw();
    double limit = Math.pow(cw / 2, depth - 1);
    double at = pl.kernel(depth) / pl.kernel(1);
    return String.format(Locale.ROOT, "The same flows in ReLU's units, K^(ℓ)/K^(1) for ℓ ≤ %d, with ReLU at"
        + " its critical (0, 2) (constant: every K is a fixed point). As T → 0 at a fixed input scale"
        + " σ_T sees K/T² → ∞, where it is ReLU plus a vanishing correction, so the flow tends to that of"
        + " ReLU with the critical C_W(T) = %s: K^(ℓ) = (C_W/2)^(ℓ−1) K^(1) (dashed), a change of %s%% per"
        + " layer. At T = %s the flow is at %s of K^(1) at ℓ = %d, against the limit's %s (relative difference"
        + " %s). Its critical point, meanwhile, is K* = %s T², which shrinks to 0 with T.", depth, Fmt.num(cw),
        Fmt.num(100 * (cw / 2 - 1), 3), Fmt.num(last.t()), Fmt.num(at, 5), depth, Fmt.num(limit, 5),
        Fmt.num(at / limit - 1, 2), Fmt.num(first.kstar() / (first.t() * first.t())));
  }

  private static XYChart vertexFigure(List<Critical> critical, List<Series> runs, Series relu, Sizes sizes,
      boolean atKstar) {
    XYChart c = Plots.chart(atKstar ? "V/K² at criticality started at K*(T)" : "V/K² at criticality from"
        + " K^(1) = 1", "layer ℓ", "V/K²");
    int depth = sizes.depth();
    double[] x = new double[depth];
    double[] reluLine = new double[depth];
    double[] reluExact = new double[depth];
    for (int l = 1; l <= depth; l++) {
      x[l - 1] = l;
      Series.Layer lp = relu.layer(l);
      reluLine[l - 1] = lp.vertexOverKernelSquared();
      reluExact[l - 1] = lp.fanIn() * lp.exactRelativeVariance();
    }
    Plots.line(c, "ReLU 5(ℓ−1) (leading order)", x, reluLine, Plots.color(6));
    Plots.dashed(c, "ReLU exact at n = " + sizes.width() + ": n((1+5/n)^(ℓ−1) − 1)", x, reluExact, Plots.color(6));
    addMeasured(c, relu, "ReLU Monte Carlo", 1, Plots.color(6), Plots.marker(5), false);
    for (int i = 0; i < runs.size(); i++) {
      Series m = runs.get(i);
      double t = critical.get(i).t();
      java.awt.Color col = tColor(i);
      double[] y = new double[depth];
      for (int l = 1; l <= depth; l++) {
        y[l - 1] = m.layer(l).vertexOverKernelSquared();
      }
      Plots.line(c, "T = " + Fmt.num(t), x, y, col);
      Plots.unlisted(addMeasured(c, m, "T = " + Fmt.num(t) + " Monte Carlo", 1, col, Plots.marker(0), false));
    }
    keys(c, relu.width(), false);
    return c;
  }

  private static String vertexText(List<Critical> critical, List<Series> runs, Series relu, Sizes sizes,
      boolean atKstar) {
    int depth = sizes.depth();
    StringBuilder at = new StringBuilder();
    double lo = Double.POSITIVE_INFINITY;
    double hi = Double.NEGATIVE_INFINITY;
    for (int i = 0; i < runs.size(); i++) {
      double v = runs.get(i).layer(depth).vertexOverKernelSquared();
      lo = Math.min(lo, v);
      hi = Math.max(hi, v);
      at.append(at.isEmpty() ? "" : ", ").append("T = ").append(Fmt.num(critical.get(i).t())).append(": ")
          .append(Fmt.num(v, 5));
    }
    String head = atKstar
        ? "Started at the fixed point K^(1) = K*(T), K stays at K* and χ_∥ = 1, so V/K² grows linearly; the"
            + " network at T is the one at T = 1 rescaled, and the theory's V/K² differs between the T by at most "
            + Fmt.num((hi - lo) / Math.abs(hi), 2) + " (relative):"
        : "Started at K^(1) = 1, the dimensionless V/K² depends on T through K/T² (for any σ of degree 1,"
            + " V/K² = c(ℓ−1) does not depend on C_W, so the T → 0 limit is ReLU's 5(ℓ−1)):";
    Series.Layer r = relu.layer(depth);
    return String.format(Locale.ROOT, "%s V/K² at ℓ = %d is %s (theory, leading order), against ReLU's %s."
        + " Lines: leading-order theory; points: Monte Carlo n·Var(Ĝ)/K² at width n = %d (± one SE);"
        + " dashed: ReLU's exact finite-width value n·Var(Ĝ)/E[Ĝ]² (%s at ℓ = %d), above 5(ℓ−1) by the"
        + " O(ℓ²/n) terms. %s", head, depth, at, Fmt.num(r.vertexOverKernelSquared()), sizes.width(),
        Fmt.num(r.fanIn() * r.exactRelativeVariance(), 5), depth, excessSentence(runs, relu));
  }
}
