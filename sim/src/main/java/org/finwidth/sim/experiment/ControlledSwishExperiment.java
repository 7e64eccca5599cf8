package org.finwidth.sim.experiment;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.finwidth.activation.Activation;
import org.finwidth.activation.Swish;
import org.finwidth.ensemble.EnsembleResult;
import org.finwidth.stats.Estimate;
import org.finwidth.stats.LayerEstimates;
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
 */
final class ControlledSwishExperiment implements Experiment {
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

  /**
   * Monte Carlo and theory of one network.
   *
   * @param init the network's (C_b, C_W, K^(1))
   * @param theory the prediction at the Monte Carlo width
   * @param run the ensemble
   */
  record Measured(Initialisation init, Prediction theory, EnsembleResult run) {}

  static Measured measure(ExperimentContext ctx, Initialisation init, Sizes sizes, int seedOffset) {
    var spec = init.spec(sizes.depth(), sizes.width());
    EnsembleResult run = ctx.ensemble(init.activation().spec() + " " + init.text(), spec, sizes.networks(),
        ctx.seed(seedOffset));
    return new Measured(init, Prediction.of(spec), run);
  }

  @Override
  public void run(ExperimentContext ctx, Report report) {
    Sizes sizes = Sizes.of(ctx.quick());
    List<Critical> critical = new ArrayList<>();
    for (double t : sizes.temperatures()) {
      critical.add(critical(t));
    }
    Initialisation relu = new Initialisation(Activation.parse("relu"), 0, 2, 1);
    List<Measured> atKstar = new ArrayList<>();
    List<Measured> atOne = new ArrayList<>();
    int seed = 0;
    for (Critical c : critical) {
      atKstar.add(measure(ctx, c.init(), sizes, seed++));
      atOne.add(measure(ctx, c.init().startingAt(1), sizes, seed++));
    }
    Measured reluRun = measure(ctx, relu, sizes, seed);
    List<Prediction> flows = new ArrayList<>();
    for (Critical c : critical) {
      flows.add(Prediction.of(c.init().startingAt(1).spec(sizes.flowDepth(), sizes.width())));
    }

    List<Row> rows = new ArrayList<>();
    for (Critical c : critical) {
      rows.addAll(criticalRows(c));
    }
    for (Prediction flow : flows) {
      rows.addAll(flowRows(flow));
    }
    List<Measured> all = new ArrayList<>(atKstar);
    all.addAll(atOne);
    all.add(reluRun);
    for (Measured m : all) {
      rows.addAll(measuredRows(m));
    }
    report.rows(rows);

    report.heading("The critical point as T → 0");
    report.table("Critical initialisation of σ_T (CriticalitySolver, nothing looked up)", List.of("T", "C_b",
        "C_W", "K*", "C_b/T²", "K*/T²", "f''(K*)·T²", "approach", "other fixed point/T² (χ_∥)",
        "V/K² per layer at K*"), criticalTable(critical));
    Critical first = critical.get(0);
    Critical last = critical.get(critical.size() - 1);
    report.figure("critical-points", criticalPointFigure(critical), String.format(Locale.ROOT,
        "The critical point of σ_T against T (log-log), computed by the solver for every T: K*(T) and"
        + " C_b(T) fall exactly like T² (lines: T²·K*(1) = %s T² and T²·C_b(1) = %s T²; largest relative"
        + " deviation of the computed points %s), while C_W(T) stays at %s for every T — it does not"
        + " tend to ReLU's C_W = 2. The reason is exact: σ_T(z) = T·σ_1(z/T), so ⟨σ_T²⟩_K ="
        + " T²⟨σ_1²⟩_{K/T²} and ⟨σ_T'²⟩_K = ⟨σ_1'²⟩_{K/T²} (docs/theory.md §7.2).",
        Fmt.num(first.kstar() / (first.t() * first.t())), Fmt.num(first.init().cb() / (first.t() * first.t())),
        Fmt.num(maxScalingDeviation(critical), 2), Fmt.num(first.init().cw())));

    report.heading("Kernel flow at criticality");
    report.figure("flow", flowFigure(critical, flows, atOne, sizes), flowText(critical, flows, sizes));
    report.figure("kernel-vs-relu", kernelFigure(critical, flows, atOne, reluRun, sizes),
        kernelText(first, last, flows, sizes));

    report.heading("Fluctuations: V/K² against depth");
    report.figure("vertex-at-kstar", vertexFigure(atKstar, reluRun, sizes, true),
        vertexText(atKstar, reluRun, sizes, true));
    report.figure("vertex-fixed-scale", vertexFigure(atOne, reluRun, sizes, false),
        vertexText(atOne, reluRun, sizes, false));

    report.heading("Monte Carlo against theory");
    report.paragraph(String.format(Locale.ROOT, "%,d networks per ensemble, width n = %d, depth L = %d,"
        + " conditional sampler. ", sizes.networks(), sizes.width(), sizes.depth())
        + Agreement.describe(rows, "G", "K + K1/n (leading order)", 3) + " "
        + Agreement.describe(rows, "V", "the leading-order V", 3) + " Layer 2 is exact at any width"
        + " (V^(2) and K^(2) do not depend on n); beyond it the measured V = n·Var(Ĝ) carries the"
        + " O(1/n) corrections of relative size about ℓ/n that the leading-order recursion leaves"
        + " out: for ReLU the exact finite-width n·((1 + 5/n)^(ℓ−1) − 1)·K² exceeds 5(ℓ−1)K² by the"
        + " same amount, and the SWISH points follow it.");
    report.summary(String.format(Locale.ROOT, "C_W(T) = %s for every T; K*(T)/T² = %s; at K* V/K² grows by"
        + " %s per layer (ReLU: 5) for every T", Fmt.num(first.init().cw()),
        Fmt.num(first.kstar() / (first.t() * first.t())), Fmt.num(vertexSlope(atKstar.get(0).theory()))));
  }

  /** Theory-only rows of the critical point (layer 0: not a layer quantity). */
  static List<Row> criticalRows(Critical c) {
    String act = c.init().activation().spec();
    String init = "critical";
    List<Row> rows = new ArrayList<>();
    rows.add(Row.theory(act, init, 0, 0, "cb", c.init().cb()));
    rows.add(Row.theory(act, init, 0, 0, "cw", c.init().cw()));
    rows.add(Row.theory(act, init, 0, 0, "K*", c.kstar()));
    rows.add(Row.theory(act, init, 0, 0, "f''(K*)", c.point().curvature()));
    rows.add(Row.theory(act, init, 0, 0, "other fixed point", c.otherFixedPoint()));
    return rows;
  }

  /** Theory-only rows K and V/K2 of a (long) flow. */
  static List<Row> flowRows(Prediction p) {
    String act = p.spec().activation().spec();
    String init = Fmt.init(p.layer(1).kernel(0, 0), p.spec().cb(), p.spec().cw());
    List<Row> rows = new ArrayList<>();
    for (LayerPrediction lp : p.layers()) {
      rows.add(Row.theory(act, init, 0, lp.layer(), "K", lp.kernel(0, 0)));
      rows.add(Row.theory(act, init, 0, lp.layer(), "V/K2", lp.vertexOverKernelSquared(0)));
    }
    return rows;
  }

  /** Measured rows G (theory K + K1/n) and V = n·Var(Ĝ) (theory V); ReLU also its exact V. */
  static List<Row> measuredRows(Measured m) {
    String act = m.init().activation().spec();
    String init = m.init().text();
    List<Row> rows = new ArrayList<>(MeasuredRows.kernel(act, init, m.theory(), m.run()));
    rows.addAll(MeasuredRows.vertex(act, init, m.theory(), m.run()));
    int n = m.run().spec().width(1);
    for (LayerPrediction lp : m.theory().layers()) {
      if (lp.layer() >= 2 && lp.exact().isPresent()) {
        double ez2 = lp.exact().get().ez2Double();
        rows.add(Row.theory(act, init, n, lp.layer(), "V exact",
            lp.fanIn() * lp.exact().get().relativeVariance() * ez2 * ez2));
      }
    }
    return rows;
  }

  /** V^(L)/(K*²(L−1)): the per-layer slope of V/K² started at a fixed point. */
  static double vertexSlope(Prediction p) {
    LayerPrediction last = p.layer(p.layers().size());
    return last.vertexOverKernelSquared(0) / (last.layer() - 1);
  }

  private static List<List<String>> criticalTable(List<Critical> critical) {
    List<List<String>> out = new ArrayList<>();
    for (Critical c : critical) {
      double t2 = c.t() * c.t();
      Prediction p = Prediction.of(c.init().spec(3, 1000));
      String other = Double.isNaN(c.otherFixedPoint()) ? "–"
          : Fmt.num(c.otherFixedPoint() / t2) + " (" + Fmt.num(c.point().otherFixedPoints().get(0).chiParallel(), 8) + ")";
      out.add(List.of(Fmt.num(c.t()), Fmt.num(c.init().cb(), 8), Fmt.num(c.init().cw(), 10),
          Fmt.num(c.kstar(), 8), Fmt.num(c.init().cb() / t2, 10), Fmt.num(c.kstar() / t2, 10),
          Fmt.num(c.point().curvature() * t2, 4), c.point().approach().map(a -> "from " + a.label()).orElse("–"),
          other, Fmt.num(vertexSlope(p), 8)));
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

  private static XYChart flowFigure(List<Critical> critical, List<Prediction> flows, List<Measured> atOne,
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
      Prediction p = flows.get(i);
      double[] x = new double[p.layers().size()];
      double[] y = new double[x.length];
      for (LayerPrediction lp : p.layers()) {
        x[lp.layer() - 1] = lp.layer();
        y[lp.layer() - 1] = lp.kernel(0, 0) / tt;
      }
      Plots.line(c, "T = " + Fmt.num(critical.get(i).t()), x, y, tColor(i));
      addMeasured(c, atOne.get(i), "T = " + Fmt.num(critical.get(i).t()) + " Monte Carlo", 1 / tt,
          tColor(i), Plots.marker(i), true);
    }
    return c;
  }

  /** The colour of the i-th temperature (black, the 7th palette colour, is ReLU's). */
  private static java.awt.Color tColor(int i) {
    return Plots.color(i >= 6 ? i + 1 : i);
  }

  /** Monte Carlo G (or V/K²) points of one ensemble, scaled. */
  private static void addMeasured(XYChart c, Measured m, String name, double scale, java.awt.Color color,
      org.knowm.xchart.style.markers.Marker marker, boolean kernel) {
    int depth = m.run().spec().depth();
    int from = kernel ? 1 : 2;
    double[] x = new double[depth - from + 1];
    double[] y = new double[x.length];
    double[] se = new double[x.length];
    for (int l = from; l <= depth; l++) {
      LayerEstimates e = m.run().estimates(l);
      Estimate est = kernel ? e.gMetric(0, 0) : e.vMetric(0);
      double s = kernel ? scale : 1 / Math.pow(m.theory().layer(l).kernel(0, 0), 2);
      x[l - from] = l;
      y[l - from] = est.mean() * s;
      se[l - from] = est.standardError() * s;
    }
    Plots.points(c, name, x, y, se, color, marker);
  }

  private static String flowText(List<Critical> critical, List<Prediction> flows, Sizes sizes) {
    Critical ref = critical.get(0);
    double t2 = ref.t() * ref.t();
    StringBuilder ends = new StringBuilder();
    for (int i = 0; i < critical.size(); i++) {
      double tt = critical.get(i).t() * critical.get(i).t();
      Prediction p = flows.get(i);
      ends.append(i == 0 ? "" : ", ").append("T = ").append(Fmt.num(critical.get(i).t())).append(": ")
          .append(Fmt.num(1 / tt, 4)).append(" → ")
          .append(Fmt.num(p.layer(p.layers().size()).kernel(0, 0) / tt, 5));
    }
    return String.format(Locale.ROOT, "The infinite-width kernel flow at the critical (C_b(T), C_W) started"
        + " from the same input, K^(1) = 1, in units of T² (log-log; lines: theory to depth %d; points:"
        + " Monte Carlo E[Ĝ]/T² at width %d, ± one SE, mostly smaller than the markers). In these units every"
        + " T follows one and the same map, started at K^(1)/T² = 1/T². The critical point K*/T² = %s is"
        + " half-stable: f(K) = C_b + C_W⟨σ²⟩_K − K has a double zero there with f''(K*)·T² = %s > 0, so"
        + " the flow creeps up to K* from below (T = 1 starts below it) and leaves it upwards — where it"
        + " meets the attractive but non-critical fixed point %s (χ_∥ = %s) just %s%% above K*. Started"
        + " above (small T), the kernel therefore decays towards %s, not to K*. K^(ℓ)/T² at ℓ = 1 → %d: %s.",
        sizes.flowDepth(), sizes.width(), Fmt.num(ref.kstar() / t2), Fmt.num(ref.point().curvature() * t2, 4),
        Fmt.num(ref.otherFixedPoint() / t2), Fmt.num(ref.point().otherFixedPoints().get(0).chiParallel(), 8),
        Fmt.num(100 * (ref.otherFixedPoint() / ref.kstar() - 1), 3), Fmt.num(ref.otherFixedPoint() / t2),
        sizes.flowDepth(), ends);
  }

  private static XYChart kernelFigure(List<Critical> critical, List<Prediction> flows, List<Measured> atOne,
      Measured relu, Sizes sizes) {
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
      Prediction p = flows.get(i);
      double[] y = new double[depth];
      for (int l = 1; l <= depth; l++) {
        y[l - 1] = p.layer(l).kernel(0, 0) / p.layer(1).kernel(0, 0);
      }
      java.awt.Color col = tColor(i);
      Plots.line(c, "T = " + Fmt.num(critical.get(i).t()), x, y, col);
      addMeasured(c, atOne.get(i), "T = " + Fmt.num(critical.get(i).t()) + " Monte Carlo",
          1 / p.layer(1).kernel(0, 0), col, Plots.marker(i), true);
    }
    return c;
  }

  private static String kernelText(Critical first, Critical last, List<Prediction> flows, Sizes sizes) {
    int depth = Math.min(sizes.flowDepth(), 100);
    Prediction pl = flows.get(flows.size() - 1);
    double cw = first.init().cw();
    return String.format(Locale.ROOT, "The same flows in ReLU's units, K^(ℓ)/K^(1) for ℓ ≤ %d, with ReLU at"
        + " its critical (0, 2) (constant: every K is a fixed point). As T → 0 at a fixed input scale"
        + " σ_T sees K/T² → ∞, where it is ReLU plus a vanishing correction, so the flow tends to that of"
        + " ReLU with the critical C_W(T) = %s: K^(ℓ) = (C_W/2)^(ℓ−1) K^(1) (dashed), a decay of %s%% per"
        + " layer, not ReLU's line of fixed points. At T = %s the flow is at %s of K^(1) at ℓ = %d against"
        + " the limit's %s. So SWISH_T at its own criticality does not become critical ReLU as T → 0: its"
        + " critical point shrinks to K* = %s T² → 0, and at any fixed input scale it is a slightly"
        + " subcritical ReLU until the kernel has decayed to O(T²).", depth, Fmt.num(cw),
        Fmt.num(100 * (1 - cw / 2), 3), Fmt.num(last.t()), Fmt.num(pl.layer(depth).kernel(0, 0)
            / pl.layer(1).kernel(0, 0), 5), depth, Fmt.num(Math.pow(cw / 2, depth - 1), 5),
        Fmt.num(first.kstar() / (first.t() * first.t())));
  }

  private static XYChart vertexFigure(List<Measured> runs, Measured relu, Sizes sizes, boolean atKstar) {
    XYChart c = Plots.chart(atKstar ? "V/K² at criticality started at K*(T)" : "V/K² at criticality from"
        + " K^(1) = 1", "layer ℓ", "V/K²");
    int depth = sizes.depth();
    double[] x = new double[depth];
    double[] reluLine = new double[depth];
    double[] reluExact = new double[depth];
    for (int l = 1; l <= depth; l++) {
      x[l - 1] = l;
      LayerPrediction lp = relu.theory().layer(l);
      reluLine[l - 1] = lp.vertexOverKernelSquared(0);
      reluExact[l - 1] = lp.exact().map(e -> lp.fanIn() * e.relativeVariance()).orElse(Double.NaN);
    }
    Plots.line(c, "ReLU 5(ℓ−1) (leading order)", x, reluLine, Plots.color(6));
    Plots.dashed(c, "ReLU exact at n = " + sizes.width() + ": n((1+5/n)^(ℓ−1) − 1)", x, reluExact, Plots.color(6));
    addMeasured(c, relu, "ReLU Monte Carlo", 1, Plots.color(6), Plots.marker(5), false);
    for (int i = 0; i < runs.size(); i++) {
      Measured m = runs.get(i);
      double t = ((Swish) m.init().activation()).T();
      java.awt.Color col = tColor(i);
      double[] y = new double[depth];
      for (int l = 1; l <= depth; l++) {
        y[l - 1] = m.theory().layer(l).vertexOverKernelSquared(0);
      }
      Plots.line(c, "T = " + Fmt.num(t) + (atKstar ? " (all T coincide)" : ""), x, y, col);
      addMeasured(c, m, "T = " + Fmt.num(t) + " Monte Carlo", 1, col, Plots.marker(i), false);
    }
    return c;
  }

  private static String vertexText(List<Measured> runs, Measured relu, Sizes sizes,
      boolean atKstar) {
    int depth = sizes.depth();
    StringBuilder at = new StringBuilder();
    for (Measured m : runs) {
      double t = ((Swish) m.init().activation()).T();
      at.append(at.isEmpty() ? "" : ", ").append("T = ").append(Fmt.num(t)).append(": ")
          .append(Fmt.num(m.theory().layer(depth).vertexOverKernelSquared(0), 5));
    }
    String head = atKstar
        ? "Started at the fixed point K^(1) = K*(T), K stays at K* and χ_∥ = 1, so V/K² grows linearly,"
            + " with the same slope for every T (the network at T is the one at T = 1 rescaled):"
        : "Started at K^(1) = 1, the dimensionless V/K² depends on T through K/T²; as T → 0 it tends to"
            + " ReLU's 5(ℓ−1) (for any σ of degree 1, V/K² = c(ℓ−1) does not depend on C_W):";
    return String.format(Locale.ROOT, "%s V/K² at ℓ = %d is %s (theory, leading order), against ReLU's %s."
        + " Lines: leading-order theory; points: Monte Carlo n·Var(Ĝ)/K² at width n = %d (± one SE);"
        + " dashed: ReLU's exact finite-width value n·Var(Ĝ)/E[Ĝ]², which lies above 5(ℓ−1) by the"
        + " O(ℓ²/n) terms — the SWISH points lie above their leading-order lines by about as much: that is"
        + " the finite-width correction, not a failure of the theory.", head, depth, at,
        Fmt.num(relu.theory().layer(depth).vertexOverKernelSquared(0)), sizes.width());
  }
}
