package org.finwidth.sim.experiment;

import java.awt.Color;
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
import org.finwidth.theory.Prediction;
import org.knowm.xchart.XYChart;

/**
 * {@code relu}: ReLU at criticality (C_b = 0, C_W = 2, computed by {@link CriticalitySolver}) in
 * four figures (docs/theory.md §4.1, §6.2):
 * <ol>
 *   <li>the line of fixed points: K^(ℓ) = K^(1) for every K^(1), measured for several;
 *   <li>the vertex V/K² = 5(ℓ − 1) against Monte Carlo n·Var(Ĝ)/K² at several widths, and the
 *       exact finite-width n[(1 + 5/n)^(ℓ−1) − 1];
 *   <li>the finite-width ratio E[z⁴]/(3E[z²]²): exact Π(1 + 5/n) = (1 + 5/n)^(ℓ−1), Monte Carlo,
 *       the leading 1/n theory 1 + 5(ℓ−1)/n and its large-n limit at fixed ℓ/n, e^{5ℓ/n}: where the
 *       expansion in 1/n fails as ℓ/n grows;
 *   <li>the two-input angle flow: cos θ^(ℓ) = K_01/K, theory (the arc-cosine map) against Monte
 *       Carlo, and the asymptote θ ≈ 3π/ℓ.
 * </ol>
 * CSV quantities: {@code G} (E[z²], theory K + K1/n), {@code V/K2} (n·Var(Ĝ)/K² from the metric,
 * theory: the exact finite-width value), {@code ratio4} (theory: exact), {@code cos-theta}
 * (Ĝ_01/K, theory (K_01 + K1_01/n)/K), {@code tailShare} (heavy-tail diagnostic, no SE);
 * theory-only rows {@code V/K2} (width 0: 5(ℓ−1)), {@code ratio4 leading} (1 + 5(ℓ−1)/n) and
 * {@code theta-deg} (width 0).
 *
 * <p>{@link #compute} runs everything into a {@link Result}; {@link #render} draws and writes it.
 */
public final class ReluExperiment implements Experiment<ReluExperiment.Result> {
  @Override
  public String name() {
    return "relu";
  }

  @Override
  public String title() {
    return "ReLU in action: the line of fixed points, V/K² = 5(ℓ−1), the exact finite-width ratio, the angle flow";
  }

  /** Sizes of one run. */
  record Sizes(int depth, int[] widths, double[] kernels, int fixedPointWidth, double[] angles, int angleWidth,
      int angleDepth, long networks) {}

  static Sizes sizes(boolean quick) {
    return quick
        ? new Sizes(16, new int[] {8, 16, 32}, new double[] {0.5, 2, 8}, 16, new double[] {90, 45, 15}, 16, 16, 20_000)
        : new Sizes(32, new int[] {8, 16, 32, 64, 128}, new double[] {0.25, 1, 4, 16}, 32, new double[] {90, 45, 15},
            64, 64, 1_000_000);
  }

  /**
   * One two-input ensemble of the angle flow.
   *
   * @param degrees θ^(1) in degrees
   * @param series the ensemble beside its theory (input pair (0, 1) included)
   */
  record AngleRun(double degrees, Series series) {}

  /**
   * Everything the report shows.
   *
   * @param sizes the sizes
   * @param cb the critical C_b the solver found
   * @param cw the critical C_W
   * @param fixedPoints one ensemble per K^(1) of {@link Sizes#kernels()}, at the fixed-point width
   * @param vertex one ensemble per width of {@link Sizes#widths()}, K^(1) = C_W, with the exact oracle
   * @param angles one two-input ensemble per angle of {@link Sizes#angles()}
   */
  record Result(Sizes sizes, double cb, double cw, List<Series> fixedPoints, List<Series> vertex,
      List<AngleRun> angles) {}

  @Override
  public Result compute(ExperimentContext ctx) {
    Sizes sz = sizes(ctx.quick());
    Activation relu = Activation.parse("relu");
    Criticality c = CriticalitySolver.solve(relu);
    double cb = c.critical().getFirst().cb();
    double cw = c.critical().getFirst().cw();
    int k = 0;
    List<Series> fixed = new ArrayList<>();
    for (double k1 : sz.kernels()) {
      NetworkSpec spec = spec(relu, cb, cw, sz.depth(), sz.fixedPointWidth(), new double[][] {{(k1 - cb) / cw}});
      EnsembleResult r = ctx.ensemble(String.format(Locale.ROOT, "relu K1=%s n=%d", Fmt.num(k1),
          sz.fixedPointWidth()), spec, sz.networks(), ctx.seed(k++));
      fixed.add(Series.of("relu", Fmt.init(k1, cb, cw), Prediction.of(spec), r));
    }
    List<Series> vertex = new ArrayList<>();
    for (int n : sz.widths()) {
      NetworkSpec spec = spec(relu, cb, cw, sz.depth(), n, new double[][] {{1}});
      Prediction p = Prediction.of(spec);
      if (p.layer(1).exact().isEmpty()) {
        throw new IllegalStateException("the exact oracle did not attach to " + spec.canonical());
      }
      EnsembleResult r = ctx.ensemble(String.format(Locale.ROOT, "relu n=%d L=%d", n, sz.depth()), spec,
          sz.networks(), ctx.seed(k++));
      vertex.add(Series.of("relu", Fmt.init(cw, cb, cw), p, r));
    }
    List<AngleRun> angles = new ArrayList<>();
    for (double deg : sz.angles()) {
      double rho = Math.cos(Math.toRadians(deg));
      NetworkSpec spec = spec(relu, cb, cw, sz.angleDepth(), sz.angleWidth(), new double[][] {{1, rho}, {rho, 1}});
      EnsembleResult r = ctx.ensemble(String.format(Locale.ROOT, "relu two inputs θ=%s° n=%d", Fmt.num(deg),
          sz.angleWidth()), spec, sz.networks(), ctx.seed(k++));
      String init = "K1=" + Fmt.num(cw) + ",theta1=" + Fmt.num(deg) + "deg,cb=" + Fmt.num(cb) + ",cw=" + Fmt.num(cw);
      angles.add(new AngleRun(deg, Series.of("relu", init, Prediction.of(spec), r)));
    }
    return new Result(sz, cb, cw, fixed, vertex, angles);
  }

  @Override
  public void render(Result result, Report report) {
    List<Row> rows = new ArrayList<>();
    report.paragraph(String.format(Locale.ROOT, "ReLU is scale-invariant: the criticality solver finds the line"
        + " C_b = %s, C_W = %s with every K a fixed point. Monte Carlo with the conditional sampler (exact in"
        + " distribution), %d networks per ensemble; error bars are ± 1 standard error.", Fmt.num(result.cb()),
        Fmt.num(result.cw()), result.sizes().networks()));
    fixedPoints(report, rows, result);
    vertex(report, rows, result);
    angles(report, rows, result);
    report.rows(rows);
  }

  private static NetworkSpec spec(Activation relu, double cb, double cw, int depth, int width, double[][] gram) {
    return NetworkSpec.ofGram(relu, cb, cw, gram.length, NetworkSpec.equalWidths(depth, width), gram);
  }

  private static double[] constant(int length, double value) {
    double[] a = new double[length];
    java.util.Arrays.fill(a, value);
    return a;
  }

  private static double[] layers(int depth) {
    double[] l = new double[depth];
    for (int j = 0; j < depth; j++) {
      l[j] = j + 1;
    }
    return l;
  }

  // ---- 1. the line of fixed points ----------------------------------------------------------

  private static void fixedPoints(Report report, List<Row> rows, Result result) {
    Sizes sz = result.sizes();
    int n = sz.fixedPointWidth();
    XYChart chart = Plots.chart("A line of fixed points: every K(1) is preserved", "layer ℓ",
        "E[z²]/K(1) (theory: 1 at every layer and width)");
    List<Row> mine = new ArrayList<>();
    double[] l = layers(sz.depth());
    Plots.line(chart, "theory: K(ℓ) = K(1)", l, constant(l.length, 1), Color.BLACK);
    double worstTheory = 0;
    for (int i = 0; i < result.fixedPoints().size(); i++) {
      Series s = result.fixedPoints().get(i);
      double k1 = s.layer(1).kernel();
      double[] x = new double[s.depth()];
      double[] g = new double[s.depth()];
      double[] se = new double[s.depth()];
      for (Series.Layer lp : s.layers()) {
        int j = lp.layer() - 1;
        Estimate e = lp.g();
        x[j] = lp.layer() + 0.15 * (i - (result.fixedPoints().size() - 1) / 2.0); // shifted sideways to be told apart
        g[j] = e.mean() / k1;
        se[j] = e.standardError() / k1;
        worstTheory = Math.max(worstTheory, Math.abs(lp.twoPoint() / k1 - 1));
        mine.add(new Row("relu", s.setup(), n, lp.layer(), "G", e.mean(), e.standardError(), lp.twoPoint(),
            s.networks(), s.seed()));
      }
      Plots.points(chart, "K(1) = " + Fmt.num(k1) + ", n = " + n, x, g, se, Plots.color(i), Plots.marker(i));
    }
    rows.addAll(mine);
    double seFirst = mine.getFirst().se();
    double seLast = mine.stream().filter(r -> r.layer() == sz.depth()).mapToDouble(Row::se).findFirst().orElse(Double.NaN);
    report.heading("The line of fixed points");
    report.figure("fixed-points", chart, "E[z²]/K(1) against the layer for several first-layer kernels K(1) at width"
        + " n = " + n + " (points shifted sideways a little to be told apart). For ReLU at C_W = 2, E[z²] = K(1)"
        + " at every layer and every width (E[σ(z)²] = E[z²]/2 for symmetric z): the theory K + K1/n differs from"
        + " K(1) by at most " + Fmt.num(worstTheory, 2) + " (relative) over every layer and K(1) shown, so each"
        + " K(1) is its own fixed point at finite width too, the hallmark of the scale-invariant class. The error"
        + " bar of the first K(1) grows from " + Fmt.num(seFirst, 2) + " at ℓ = 1 to " + Fmt.num(seLast, 2)
        + " at ℓ = " + sz.depth() + ", because the metric Ĝ fluctuates more with depth (next figure). "
        + Agreement.describe(mine, "G", "K(1)", 3));
  }

  // ---- 2 + 3. V/K² = 5(ℓ−1) and the exact finite-width ratio --------------------------------

  private static void vertex(Report report, List<Row> rows, Result result) {
    Sizes sz = result.sizes();
    int depth = sz.depth();
    double[] l = layers(depth);
    XYChart vk = Plots.logY(Plots.chart("The four-point vertex: V/K² = 5(ℓ − 1) at leading order",
        "layer ℓ", "V/K² = n·Var(Ĝ)/K²"));
    XYChart ratio = Plots.logY(Plots.chart("Where the 1/n expansion fails: E[z⁴]/(3E[z²]²) against ℓ/n",
        "depth-to-width ratio ℓ/n", "E[z⁴]/(3E[z²]²) = E[Ĝ²]/E[Ĝ]²"));
    double[] lead = new double[depth];
    Series first = result.vertex().getFirst();
    // the leading order of every width: the network's provenance without its width (theory rows)
    Setup init = first.setup();
    for (int j = 0; j < depth; j++) {
      lead[j] = first.layer(j + 1).vertexOverKernelSquared();
      rows.add(Row.theory("relu", init, 0, j + 1, "V/K2", lead[j]));
    }
    Plots.line(vk, "5(ℓ − 1) (leading order)", l, lead, Color.BLACK);
    List<Row> mine = new ArrayList<>();
    java.util.Set<String> heavy = new java.util.HashSet<>();
    double xMax = 0;
    report.summary("ReLU at ℓ = n/2: Monte Carlo against the exact finite-width V/K² and the leading order");
    for (int w = 0; w < result.vertex().size(); w++) {
      Series s = result.vertex().get(w);
      int n = s.width();
      double[] x = new double[depth];
      double[] v = new double[depth];
      double[] vSe = new double[depth];
      double[] vExact = new double[depth];
      double[] r4 = new double[depth];
      double[] r4Se = new double[depth];
      double[] r4Exact = new double[depth];
      double[] r4Lead = new double[depth];
      for (Series.Layer lp : s.layers()) {
        int j = lp.layer() - 1;
        double kk = lp.kernel(); // E[Ĝ] = K exactly for ReLU at C_b = 0 (see the first figure)
        x[j] = (double) lp.layer() / n;
        Estimate vm = lp.vMetric();
        v[j] = vm.mean() / (kk * kk);
        vSe[j] = vm.standardError() / (kk * kk);
        vExact[j] = n * lp.exactRelativeVariance();
        mine.add(new Row("relu", s.setup(), n, lp.layer(), "V/K2", v[j], vSe[j], vExact[j], s.networks(), s.seed(), true));
        Estimate q = lp.ratio4();
        r4[j] = q.mean();
        r4Se[j] = q.standardError();
        r4Exact[j] = lp.exactKurtosisRatio();
        r4Lead[j] = 1 + lp.vertexOverWidthKernelSquared();
        mine.add(new Row("relu", s.setup(), n, lp.layer(), "ratio4", r4[j], r4Se[j], r4Exact[j], s.networks(), s.seed(),
            true));
        rows.add(Row.theory("relu", s.setup(), n, lp.layer(), "ratio4 leading", r4Lead[j]));
        rows.add(new Row("relu", s.setup(), n, lp.layer(), "tailShare", lp.tailShare(), Double.NaN, Double.NaN,
            s.networks(), s.seed()));
        if (lp.tailShare() > LayerEstimates.TAIL_SHARE_WARNING) {
          heavy.add(n + ":" + lp.layer());
        }
        xMax = Math.max(xMax, x[j]);
      }
      int mid = Math.min(depth, n / 2) - 1;
      report.summary(String.format(Locale.ROOT, "n=%-4d ℓ=%-3d V/K² Monte Carlo %-18s exact %-9s leading 5(ℓ−1) = %s",
          n, mid + 1, Fmt.pm(v[mid], vSe[mid]), Fmt.num(vExact[mid], 4), Fmt.num(lead[mid], 4)));
      Color color = Plots.color(w);
      // a width: its colour, marker and dash (the exact curve); the ratio figure's leading order
      // solid in the width's colour, named once by a key
      Plots.styled(vk, "exact, n = " + n, l, vExact, color, Plots.dash(w));
      Plots.points(vk, "Monte Carlo, n = " + n, l, v, vSe, color, Plots.marker(w));
      Plots.styled(ratio, "n = " + n + ": exact (1 + 5/n)^(ℓ−1)", x, r4Exact, color, Plots.dash(w));
      Plots.unlisted(Plots.line(ratio, "1 + 5(ℓ−1)/n, n = " + n, x, r4Lead, color));
      Plots.points(ratio, "n = " + n + ": Monte Carlo", x, r4, r4Se, color, Plots.marker(w));
    }
    double[] xs = new double[101];
    double[] limit = new double[101];
    for (int i = 0; i <= 100; i++) {
      xs[i] = xMax * i / 100;
      limit[i] = Math.exp(5 * xs[i]);
    }
    Plots.line(ratio, "e^(5ℓ/n) (n → ∞ at fixed ℓ/n)", xs, limit, Color.BLACK);
    Plots.key(ratio, "1 + 5(ℓ−1)/n (leading order; solid, the width's colour)", Color.GRAY, Plots.solid(), null);
    rows.addAll(mine);
    Series narrow = result.vertex().getFirst();
    Series.Layer deepest = narrow.layer(depth);
    double excess = narrow.width() * deepest.exactRelativeVariance() / deepest.vertexOverKernelSquared();
    report.heading("V/K² = 5(ℓ − 1)");
    report.figure("vertex", vk, "The dimensionless four-point vertex V/K² against the layer (log y): the leading-order"
        + " theory 5(ℓ − 1) (black) is the same for every width; Monte Carlo measures n·Var(Ĝ)/K² (the metric's"
        + " variance, K exact), whose exact finite-width value n[(1 + 5/n)^(ℓ−1) − 1] (a dash per width) approaches 5(ℓ − 1) as"
        + " n grows at fixed ℓ and leaves it once ℓ/n is not small: at n = " + narrow.width() + " and ℓ = " + depth
        + " the exact value is " + Fmt.num(excess, 3) + " times the leading order. "
        + Agreement.describe(mine, "V/K2", "the exact value", 3) + " " + heavyTails(heavy, mine, "V/K2"));
    report.heading("The exact finite-width ratio against the 1/n expansion");
    report.figure("finite-width-ratio", ratio, "E[z⁴]/(3E[z²]²) = E[Ĝ²]/E[Ĝ]² against ℓ/n (log y): exact"
        + " (1 + 5/n)^(ℓ−1) (a dash per width), the leading 1/n theory 1 + 5(ℓ−1)/n (solid), and the large-n"
        + " limit at fixed ℓ/n, e^(5ℓ/n) (black). The expansion in 1/n is an expansion in ℓ/n: it is accurate"
        + " while 5ℓ/n ≪ 1 and fails beyond, where the fluctuations grow exponentially in ℓ/n and the network is"
        + " no longer described by a nearly-Gaussian distribution. "
        + Agreement.describe(mine, "ratio4", "the exact value", 3) + " " + heavyTails(heavy, mine, "ratio4"));
  }

  /** The heavy-tail sentence: how many layers, and how many disagreements lie outside them. */
  private static String heavyTails(java.util.Set<String> heavy, List<Row> rows, String quantity) {
    if (heavy.isEmpty()) {
      return "No layer has heavy tails (tailShare ≤ 0.1 everywhere).";
    }
    long elsewhere = Agreement.beyond(rows, quantity, 3).stream()
        .filter(r -> !heavy.contains(r.width() + ":" + r.layer())).count();
    return heavy.size() + " of the measured layers (the deep, narrow ones) have heavy tails: one network holds more"
        + " than 10% of a sum of squares behind their standard errors (CSV quantity tailShare). There Ĝ is close to"
        + " log-normal, the mean converges slowly from below and the error bars are optimistic (docs/theory.md §6.2):"
        + " disagreement with the exact value there is a sampling effect, not a failure of the exact formula. "
        + (elsewhere == 0 ? "Every point beyond 3 SE is in such a layer."
            : elsewhere + " point(s) beyond 3 SE lie in layers without that warning.");
  }

  /**
   * Where the measured cos θ leaves the NLO theory: the inits and the smallest ℓ/n of the points
   * beyond 3 SE, and the likely reason, in words.
   */
  private static String beyondNlo(List<Row> rows, int n) {
    List<Row> bad = Agreement.beyond(rows, "cos-theta", 3);
    if (bad.isEmpty()) {
      return "";
    }
    java.util.Set<String> inits = new java.util.TreeSet<>();
    int first = Integer.MAX_VALUE;
    for (Row r : bad) {
      inits.add(r.init().replaceAll(".*theta1=([^,]+)deg.*", "$1°"));
      first = Math.min(first, r.layer());
    }
    return String.format(Locale.ROOT, "The %d points beyond 3 SE (θ(1) = %s) start at ℓ = %d (ℓ/n = %s): most likely"
        + " the next order in 1/n, beyond the K1/n the theory includes, which grows with ℓ/n and which the Monte"
        + " Carlo resolves once its errors are small; a finer scan in n would separate it.", bad.size(),
        String.join(", ", inits), first, Fmt.num((double) first / n, 3));
  }

  // ---- 4. the angle flow --------------------------------------------------------------------

  private static void angles(Report report, List<Row> rows, Result result) {
    Sizes sz = result.sizes();
    int n = sz.angleWidth();
    int depth = sz.angleDepth();
    double[] l = layers(depth);
    XYChart chart = Plots.chart("Two inputs: the angle flows to 0 like 3π/ℓ", "layer ℓ",
        "angle θ(ℓ) between the preactivations of the two inputs [degrees]");
    List<Row> mine = new ArrayList<>();
    List<Row> infinite = new ArrayList<>(); // the same points against the infinite-width angle
    double largestShift = 0;
    int shiftLayer = 0;
    for (int i = 0; i < result.angles().size(); i++) {
      AngleRun run = result.angles().get(i);
      Series s = run.series();
      double deg = run.degrees();
      double[] theta = new double[depth];
      double[] thetaSe = new double[depth];
      double[] theory = new double[depth];
      double[] corrected = new double[depth];
      double[] lt = new double[s.depth()];
      for (Series.Layer lp : s.layers()) {
        int j = lp.layer() - 1;
        double kk = lp.kernel(); // = K(1) exactly at every layer and width
        Estimate g01 = lp.g01();
        double cos = g01.mean() / kk;
        double cosSe = g01.standardError() / kk;
        double cosTheory = lp.twoPoint01() / kk;
        mine.add(new Row("relu", s.setup(), n, lp.layer(), "cos-theta", cos, cosSe, cosTheory, s.networks(), s.seed()));
        infinite.add(new Row("relu", s.setup(), n, lp.layer(), "cos-theta", cos, cosSe, lp.kernel01() / kk,
            s.networks(), s.seed()));
        // θ = arccos(cos θ); its SE by the delta method, |dθ/dcos| = 1/sin θ
        theta[j] = Math.toDegrees(Math.acos(Math.min(1, cos)));
        thetaSe[j] = Math.toDegrees(cosSe / Math.sin(Math.acos(Math.min(1, cos))));
        theory[j] = Math.toDegrees(Math.acos(Math.min(1, lp.kernel01() / kk)));
        corrected[j] = Math.toDegrees(Math.acos(Math.min(1, cosTheory)));
        lt[j] = lp.layer();
        if (Math.abs(corrected[j] - theory[j]) > largestShift) {
          largestShift = Math.abs(corrected[j] - theory[j]);
          shiftLayer = lp.layer();
        }
        rows.add(Row.theory("relu", s.setup(), 0, lp.layer(), "theta-deg", theory[j]));
      }
      Color color = Plots.color(i);
      Plots.line(chart, "θ(1) = " + Fmt.num(deg) + "°: theory, n = ∞", lt, java.util.Arrays.copyOf(theory, lt.length),
          color);
      Plots.dashed(chart, "θ(1) = " + Fmt.num(deg) + "°: with K1/n, n = " + n, lt,
          java.util.Arrays.copyOf(corrected, lt.length), color);
      Plots.points(chart, "θ(1) = " + Fmt.num(deg) + "°, n = " + n, l, theta, thetaSe, color, Plots.marker(i));
    }
    // the asymptote 3π/ℓ, drawn where it is below 90°
    int from = 6;
    double[] la = java.util.Arrays.copyOfRange(l, from - 1, depth);
    double[] asym = new double[la.length];
    for (int j = 0; j < la.length; j++) {
      asym[j] = Math.toDegrees(3 * Math.PI / la[j]);
    }
    Plots.line(chart, "3π/ℓ (large ℓ)", la, asym, Color.BLACK);
    rows.addAll(mine);
    report.heading("The angle flow of two inputs");
    report.figure("angle", chart, "The angle θ(ℓ) between the preactivations of two inputs of equal norm (cos θ ="
        + " K_01/K) against the layer, at width n = " + n + ". Infinite-width theory (solid): the arc-cosine map"
        + " cos θ(ℓ+1) = [sin θ + (π − θ) cos θ]/π, which drives every pair of inputs towards θ = 0 like 3π/ℓ"
        + " (black): deep ReLU networks forget the angle between their inputs, slowly (a power law, as at"
        + " criticality). Monte Carlo measures Ĝ_01/K (K exact), θ = arccos of it with a delta-method error bar."
        + " The dashed lines include the finite-width correction K1_01/n, which moves the angle by up to "
        + Fmt.num(largestShift, 2) + "° (at ℓ = " + shiftLayer + "). "
        + Agreement.describe(mine, "cos-theta", "(K_01 + K1_01/n)/K", 3) + " Against the infinite-width K_01/K"
        + " alone, " + Agreement.beyond(infinite, "cos-theta", 3).size() + " of "
        + Agreement.compared(infinite, "cos-theta") + " lie beyond 3 SE. Error bars grow as θ → 0 (arccos is steep"
        + " near 1). " + beyondNlo(mine, n));
  }
}
