package org.finwidth.sim.experiment;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.finwidth.activation.Activation;
import org.finwidth.ensemble.EnsembleResult;
import org.finwidth.stats.Estimate;
import org.finwidth.stats.PolynomialFit;
import org.finwidth.theory.ExactLaw;
import org.finwidth.theory.Prediction;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * {@code finite-width}: the 1/n theory measured. For tanh at its critical point (C_b = 0, C_W = 1,
 * started at K^(1) = 1) and SWISH at its critical point (computed by the solver, started at K*),
 * ensembles at equal widths n = 16..256; at every layer the vertex V and the NLO kernel K1 are read
 * off by a weighted fit in 1/n ({@link WidthExtrapolation}) and compared with the leading-order
 * recursions (docs/theory.md §5), and the residuals of E[Ĝ] and Var(Ĝ) against the 1/n theory are shown
 * to shrink like 1/n². Beside them, the exact finite-width curves V̂(n) = n·Var(Ĝ) and
 * K̂1(n) = n·(E[Ĝ] − K) from the exact law of the metric (docs/theory.md §6.5, no sampling) at
 * every measured width and on a grid of widths up to {@link #EXACT_WIDTH_FACTOR} times the widest.
 *
 * <p>{@link #compute} runs everything into a {@link Result}; {@link #render} draws and writes it.
 */
final class FiniteWidthExperiment implements Experiment<FiniteWidthExperiment.Result> {
  /** Full-size widths (16..256). */
  static final int[] WIDTHS = {16, 24, 32, 48, 64, 96, 128, 192, 256};
  static final int[] QUICK_WIDTHS = {16, 24, 32, 48, 64};
  static final int DEPTH = 5;
  static final int QUICK_DEPTH = 4;
  static final long NETWORKS = 2_000_000;
  static final long QUICK_NETWORKS = 20_000;
  /** The exact curves run from the narrowest width to this many times the widest. */
  static final int EXACT_WIDTH_FACTOR = 16;

  @Override
  public String name() {
    return "finite-width";
  }

  @Override
  public String title() {
    return "Finite width: V and K1 from a fit in 1/n against the recursions (tanh and SWISH at criticality)";
  }

  /** The two networks: tanh at (0, 1) from K^(1) = 1, SWISH at its critical point from K*. */
  static List<Initialisation> initialisations() {
    return List.of(new Initialisation(Activation.parse("tanh"), 0, 1, 1),
        Initialisation.criticalAtFixedPoint(Activation.parse("swish")));
  }

  /**
   * The measurement of one network over the widths.
   *
   * @param init the network
   * @param runs one ensemble per width beside its theory, by increasing width
   * @param fits the fits of layers 2..L
   * @param exact the exact finite-width curves
   */
  record Measurement(Initialisation init, List<Series> runs, List<WidthExtrapolation.LayerFit> fits,
      ExactCurve exact) {}

  /**
   * The exact finite-width values (docs/theory.md §6.5) of one network over a set of widths.
   *
   * @param widths the widths n, increasing (every measured width among them)
   * @param vertex n·Var(Ĝ^(ℓ)) at [width index][ℓ − 1]
   * @param nlo n·(E[Ĝ^(ℓ)] − K^(ℓ)) at [width index][ℓ − 1]
   * @param accuracy the largest relative error bound the law reports over all widths and layers
   */
  record ExactCurve(int[] widths, double[][] vertex, double[][] nlo, double accuracy) {
    /** The index of width n in {@link #widths}; -1 if absent. */
    int indexOf(int n) {
      for (int i = 0; i < widths.length; i++) {
        if (widths[i] == n) {
          return i;
        }
      }
      return -1;
    }

    /**
     * Computes the exact law at the measured widths and at a geometric grid of about 16 widths from
     * the narrowest to {@link #EXACT_WIDTH_FACTOR} times the widest.
     */
    static ExactCurve of(Initialisation init, int[] measured, int depth, Prediction theory) {
      java.util.TreeSet<Integer> ws = new java.util.TreeSet<>();
      for (int w : measured) {
        ws.add(w);
      }
      double lo = measured[0];
      double hi = (double) measured[measured.length - 1] * EXACT_WIDTH_FACTOR;
      for (int j = 0; j <= 16; j++) {
        ws.add((int) Math.round(lo * Math.pow(hi / lo, j / 16.0)));
      }
      int[] widths = ws.stream().mapToInt(Integer::intValue).toArray();
      double[][] vertex = new double[widths.length][];
      double[][] nlo = new double[widths.length][];
      double accuracy = 0;
      for (int i = 0; i < widths.length; i++) {
        ExactLaw law = ExactLaw.compute(init.spec(depth, widths[i]), ExactLaw.Options.MOMENTS);
        vertex[i] = new double[depth];
        nlo[i] = new double[depth];
        for (ExactLaw.Layer l : law.layers()) {
          vertex[i][l.layer() - 1] = l.vertex();
          nlo[i][l.layer() - 1] = l.nloKernel(theory.layers().get(l.layer() - 1).kernel(0, 0));
          accuracy = Math.max(accuracy, l.accuracy());
        }
      }
      return new ExactCurve(widths, vertex, nlo, accuracy);
    }
  }

  /**
   * Everything the report shows.
   *
   * @param widths the widths n
   * @param depth L
   * @param networks networks per width
   * @param all one measurement per network of {@link #initialisations()}
   */
  record Result(int[] widths, int depth, long networks, List<Measurement> all) {}

  /** Runs the ensembles of one network at every width and fits them. */
  static Measurement measure(ExperimentContext ctx, Initialisation init, int[] widths, int depth,
      long networks, int seedOffset) {
    Prediction theory = Prediction.of(init.spec(depth, widths[0]));
    List<EnsembleResult> runs = new ArrayList<>();
    List<Series> series = new ArrayList<>();
    for (int i = 0; i < widths.length; i++) {
      String label = init.activation().spec() + " n=" + widths[i];
      EnsembleResult r = ctx.ensemble(label, init.spec(depth, widths[i]), networks, ctx.seed(seedOffset + i));
      runs.add(r);
      series.add(Series.of(init.activation().spec(), init.text(), Prediction.of(init.spec(depth, widths[i])), r));
    }
    return new Measurement(init, series, WidthExtrapolation.fit(theory, runs),
        ExactCurve.of(init, widths, depth, theory));
  }

  @Override
  public Result compute(ExperimentContext ctx) {
    int[] widths = ctx.quick() ? QUICK_WIDTHS : WIDTHS;
    int depth = ctx.quick() ? QUICK_DEPTH : DEPTH;
    long networks = ctx.quick() ? QUICK_NETWORKS : NETWORKS;
    List<Measurement> all = new ArrayList<>();
    int seedOffset = 0;
    for (Initialisation init : initialisations()) {
      all.add(measure(ctx, init, widths, depth, networks, seedOffset));
      seedOffset += widths.length;
    }
    return new Result(widths, depth, networks, all);
  }

  @Override
  public void render(Result result, Report report) {
    for (Measurement m : result.all()) {
      report.rows(rows(m));
    }
    report.paragraph(String.format(Locale.ROOT, "Networks with one input at equal widths n = %s, depth"
        + " %d, %,d networks per width (conditional sampler). At width n the metric Ĝ of layer ℓ gives"
        + " V̂(n) = n·Cov(Ĝ, Ĝ) and K̂1(n) = n·(E[Ĝ] − K); the 1/n theory says V̂(n) = V + O(1/n) and"
        + " K̂1(n) = K1 + O(1/n). Each is fitted by y∞ + b/n + c/n² (weighted least squares), and the"
        + " intercept y∞ is compared with the leading-order recursions of docs/theory.md §5.", join(result.widths()),
        result.depth(), result.networks()));
    for (Measurement m : result.all()) {
      report.table(m.init().activation().spec() + " (" + m.init().text() + "): fitted against theory",
          List.of("layer", "K", "V theory", "V fit", "z", "K1 theory", "K1 fit", "z", "chi2/dof V", "chi2/dof K1"),
          tableRows(m));
      WidthExtrapolation.LayerFit last = m.fits().get(m.fits().size() - 1);
      figures(report, m);
      report.summary(String.format(Locale.ROOT, "%-6s layer %d: V = %s (theory %s), K1 = %s (theory %s)",
          m.init().activation().spec(), last.layer(), pm(last.vertexFit().intercept()),
          Fmt.num(last.vertexTheory()), pm(last.nloFit().intercept()), Fmt.num(last.nloTheory())));
    }
    residualFigure(report, result.all());
  }

  /** Figures of one network: V̂(n)/K² and K̂1(n)/K against 1/n with fits and theory, every layer. */
  private static void figures(Report report, Measurement m) {
    String act = m.init().activation().spec();
    String what = act + " at (C_b, C_W) = (" + Fmt.num(m.init().cb()) + ", " + Fmt.num(m.init().cw())
        + "), K^(1) = " + Fmt.num(m.init().kernel1());
    for (boolean vertex : new boolean[] {true, false}) {
      XYChart c = Plots.chart(act + ": " + (vertex ? "V̂(n)/K²" : "K̂1(n)/K") + " against 1/n",
          "1/n (n = width)", vertex ? "n·Var(Ĝ)/K²" : "n·(E[Ĝ] − K)/K");
      int i = 0;
      double xMax = 0;
      for (WidthExtrapolation.LayerFit f : m.fits()) {
        xMax = Math.max(xMax, 1.0 / f.points().get(0).width());
      }
      for (WidthExtrapolation.LayerFit f : m.fits()) {
        double scale = vertex ? f.kernel() * f.kernel() : f.kernel();
        int k = f.points().size();
        double[] x = new double[k];
        double[] y = new double[k];
        double[] se = new double[k];
        for (int j = 0; j < k; j++) {
          WidthExtrapolation.Point p = f.points().get(j);
          Estimate e = vertex ? p.vertex() : p.nlo();
          x[j] = 1.0 / p.width();
          y[j] = e.mean() / scale;
          se[j] = e.standardError() / scale;
        }
        PolynomialFit fit = vertex ? f.vertexFit() : f.nloFit();
        double theory = (vertex ? f.vertexTheory() : f.nloTheory()) / scale;
        double[] gx = new double[41];
        double[] gy = new double[41];
        for (int j = 0; j < gx.length; j++) {
          gx[j] = xMax * j / (gx.length - 1);
          gy[j] = fit.valueAt(gx[j]) / scale;
        }
        // a layer's colour, named once; the kinds (theory, fit, exact, Monte Carlo) by keys
        Plots.key(c, "ℓ = " + f.layer(), Plots.color(i), null, SeriesMarkers.SQUARE);
        Plots.unlisted(Plots.line(c, "ℓ=" + f.layer() + " theory", new double[] {0, xMax},
            new double[] {theory, theory}, Plots.color(i)));
        Plots.unlisted(Plots.dashed(c, "ℓ=" + f.layer() + " fit", gx, gy, Plots.color(i)));
        ExactCurve ex = m.exact();
        double[] ey = new double[ex.widths().length];
        double[] exs = new double[ex.widths().length];
        for (int j = 0; j < ey.length; j++) {
          exs[j] = 1.0 / ex.widths()[j];
          ey[j] = (vertex ? ex.vertex()[j][f.layer() - 1] : ex.nlo()[j][f.layer() - 1]) / scale;
        }
        Plots.unlisted(Plots.dotted(c, "ℓ=" + f.layer() + " exact", exs, ey, Plots.color(i)));
        Plots.unlisted(Plots.points(c, "ℓ=" + f.layer() + " Monte Carlo", x, y, se, Plots.color(i),
            SeriesMarkers.CIRCLE));
        i++;
      }
      java.awt.Color grey = java.awt.Color.GRAY;
      Plots.key(c, "theory (leading order" + (vertex ? ")" : ", NLO)"), grey, Plots.solid(), null);
      Plots.key(c, "fit y∞ + b/n + c/n²", grey, Plots.dash(0), null);
      Plots.key(c, "exact finite width", grey, Plots.dash(1), null);
      Plots.key(c, "Monte Carlo ± 1 SE", grey, null, SeriesMarkers.CIRCLE);
      WidthExtrapolation.LayerFit last = m.fits().get(m.fits().size() - 1);
      Estimate a = vertex ? last.vertexFit().intercept() : last.nloFit().intercept();
      double theory = vertex ? last.vertexTheory() : last.nloTheory();
      String text = vertex
          ? String.format(Locale.ROOT, "%s. Points: n·Var(Ĝ)/K² measured at each width (± one SE), which"
              + " the 1/n theory says tends to V/K² as n → ∞ (solid lines: the leading-order recursion,"
              + " docs/theory.md §5.2). Dashed: the weighted fit y∞ + b/n + c/n²; its value at 1/n = 0 is the"
              + " measured V. Layer 2 is exact at every width (V^(2) does not depend on n): its fitted 1/n"
              + " coefficient is b/K² = %s (%s). At layer %d the fit gives V = %s against %s"
              + " (z = %.1f).", what, slope(m.fits().get(0)), resolved(m.fits().get(0).vertexFit().coefficient(1)),
              last.layer(), pm(a), Fmt.num(theory), a.zScore(theory))
          : String.format(Locale.ROOT, "%s. Points: n·(E[Ĝ] − K)/K at each width (± one SE), which"
              + " tends to K1/K as n → ∞ (solid: the NLO recursion, docs/theory.md §5.3; K1^(2) = 0 exactly)."
              + " Dashed: the fit y∞ + b/n + c/n². At layer %d the fit gives K1 = %s against %s (z = %.1f)."
              + " The SE of n·(E[Ĝ] − K) is √(nV/N): it grows with n, so the wide networks pin the"
              + " intercept only loosely%s.", what, last.layer(), pm(a), Fmt.num(theory), a.zScore(theory),
              Math.abs(theory) < 2 * a.standardError()
                  ? String.format(Locale.ROOT, "; here the predicted K1 is smaller than twice the fit's SE,"
                      + " so the measurement is consistent with the theory but does not resolve K1 from"
                      + " zero (that would take about %.0f times more networks)",
                      Math.pow(3 * a.standardError() / Math.max(Math.abs(theory), 1e-300), 2))
                  : "");
      text += exactText(m, vertex);
      report.figure(figureName(act, vertex ? "vertex" : "nlo"), c, text);
    }
  }

  /**
   * The Monte Carlo points of one figure against the exact curve: χ² over all measured widths and
   * layers 2..L, the largest |z|, and the exact curve's own departure from the leading order.
   */
  static String exactText(Measurement m, boolean vertex) {
    ExactCurve ex = m.exact();
    double chi2 = 0;
    double maxZ = 0;
    int points = 0;
    double worstLo = 0;
    int worstWidth = 0;
    int worstLayer = 0;
    for (WidthExtrapolation.LayerFit f : m.fits()) {
      double theory = vertex ? f.vertexTheory() : f.nloTheory();
      for (WidthExtrapolation.Point p : f.points()) {
        int j = ex.indexOf(p.width());
        double exact = vertex ? ex.vertex()[j][f.layer() - 1] : ex.nlo()[j][f.layer() - 1];
        double z = (vertex ? p.vertex() : p.nlo()).zScore(exact);
        chi2 += z * z;
        maxZ = Math.max(maxZ, Math.abs(z));
        points++;
        // the leading order's error in the moment itself: (V − V̂(n))/(n Var(Ĝ)) or the same for E[Ĝ]
        double rel = vertex ? Math.abs(theory / exact - 1)
            : Math.abs((theory - exact) / p.width()) / (f.kernel() + exact / p.width());
        if (rel > worstLo) {
          worstLo = rel;
          worstWidth = p.width();
          worstLayer = f.layer();
        }
      }
    }
    return String.format(Locale.ROOT, " Dotted: the exact finite-width value at each width (the exact law of"
        + " the metric, docs/theory.md §6.5, no sampling; relative accuracy %.0e), computed at the measured"
        + " widths and up to n = %d. Against it the Monte Carlo points give χ² = %.1f for %d points (largest"
        + " |z| = %.2f). The leading order's relative error in %s is largest at n = %d, layer %d: %.2g.",
        Math.max(ex.accuracy(), 1e-16), ex.widths()[ex.widths().length - 1], chi2, points, maxZ,
        vertex ? "Var(Ĝ) (V/n against the exact n·Var(Ĝ)/n)" : "E[Ĝ] (K + K1/n against the exact E[Ĝ])",
        worstWidth, worstLayer, worstLo);
  }

  /**
   * The residuals of the raw moments against the 1/n theory at the last layer, log-log against n,
   * beside the size of the 1/n correction itself.
   */
  private static void residualFigure(Report report, List<Measurement> all) {
    XYChart c = Plots.logY(Plots.logX(Plots.chart("Residuals of the 1/n theory at the last layer",
        "width n", "|residual| (relative)")));
    c.getStyler().setXAxisLogarithmicDecadeOnly(false); // n spans about one decade: label 20, 30, ...
    int i = 0;
    StringBuilder slopes = new StringBuilder();
    for (Measurement m : all) {
      String act = m.init().activation().spec();
      WidthExtrapolation.LayerFit f = m.fits().get(m.fits().size() - 1);
      double k = f.kernel();
      int np = f.points().size();
      double[] n = new double[np];
      double[] rv = new double[np];
      double[] rvSe = new double[np];
      double[] rk = new double[np];
      double[] rkSe = new double[np];
      double[] leadV = new double[np];
      double[] fitV = new double[np];
      for (int j = 0; j < np; j++) {
        WidthExtrapolation.Point p = f.points().get(j);
        n[j] = p.width();
        rv[j] = Math.abs(p.vertexResidual().mean()) / (k * k);
        rvSe[j] = p.vertexResidual().standardError() / (k * k);
        rk[j] = Math.abs(p.kernelResidual().mean()) / k;
        rkSe[j] = p.kernelResidual().standardError() / k;
        leadV[j] = f.vertexTheory() / (n[j] * k * k);
        fitV[j] = Math.abs(f.fittedVertexResidual(n[j])) / (k * k);
      }
      Plots.line(c, act + ": V/(nK²), the 1/n term of Var(Ĝ)/K²", n, leadV, Plots.color(i));
      Plots.dashed(c, act + ": fitted |Var(Ĝ) − V/n|/K²", n, fitV, Plots.color(i));
      Plots.points(c, act + ": |Var(Ĝ) − V/n|/K²", n, rv, rvSe, Plots.color(i), Plots.marker(0));
      Plots.points(c, act + ": |E[Ĝ] − K − K1/n|/K", n, rk, rkSe, Plots.color(i), Plots.marker(1));
      Estimate b = f.vertexFit().coefficient(1);
      slopes.append(String.format(Locale.ROOT, "%s%s (layer %d): Var(Ĝ) − V/n ≈ b/n² with b/K² = %s"
          + " from the fit%s", slopes.isEmpty() ? "" : "; ", act, f.layer(),
          Fmt.pm(b.mean() / (k * k), b.standardError() / (k * k)),
          Math.abs(b.mean()) > 3 * b.standardError() ? "" : " (not resolved from 0 at this ensemble size)"));
      i++;
    }
    report.figure("residuals", c, "Log-log against the width n, at the last layer: solid lines are the"
        + " 1/n term the theory adds to the infinite-width value (V/(nK²) in Var(Ĝ)/K²); points are what"
        + " is left after it, |Var(Ĝ) − V/n|/K² (circles) and |E[Ĝ] − K − K1/n|/K (squares), with one-SE"
        + " error bars (clipped above 0 on the log axis). If V and K1 are right the residuals shrink like"
        + " 1/n², one order faster than the correction itself; if they were wrong they would fall like"
        + " 1/n, parallel to the solid lines. Dashed: the residual of the weighted fit. Points whose"
        + " error bar reaches down to the axis are consistent with zero: there the residual is below"
        + " the Monte Carlo noise. " + slopes + ".");
  }

  /** A figure file name from an activation spec and a suffix: lower case letters, digits and '-'. */
  static String figureName(String activation, String suffix) {
    return (activation.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "-") + "-" + suffix)
        .replaceAll("-+", "-");
  }

  /** The fitted 1/n coefficient of V̂(n) of a layer, over K², as "value ± se". */
  private static String slope(WidthExtrapolation.LayerFit f) {
    Estimate b = f.vertexFit().coefficient(1);
    double k2 = f.kernel() * f.kernel();
    return Fmt.pm(b.mean() / k2, b.standardError() / k2);
  }

  /** Whether a fitted coefficient is resolved from 0 at 3 SE, in words. */
  private static String resolved(Estimate b) {
    return Math.abs(b.mean()) > 3 * b.standardError() ? "resolved from 0 beyond 3 SE" : "consistent with 0 within 3 SE";
  }

  /**
   * CSV rows: per width and layer G, V, K1 with their theory; per width of the exact curve and
   * layer ≥ 2 the exact "V exact" = n·Var(Ĝ) and "K1 exact" = n·(E[Ĝ] − K); per layer the fitted V
   * and K1.
   */
  static List<Row> rows(Measurement m) {
    List<Row> rows = new ArrayList<>();
    for (Series s : m.runs()) {
      rows.addAll(s.kernelRows());
      rows.addAll(s.vertexRows());
      for (Series.Layer lp : s.layers()) {
        if (lp.layer() >= 2) {
          Estimate g = lp.gMetric();
          int fanIn = lp.fanIn();
          rows.add(new Row(s.activation(), s.setup(), fanIn, lp.layer(), "K1", fanIn * (g.mean() - lp.kernel()),
              fanIn * g.standardError(), lp.nloKernel(), s.networks(), s.seed()));
        }
      }
    }
    ExactCurve ex = m.exact();
    Setup exactSetup = m.runs().get(0).setup(); // theory rows: tidy() leaves the sampler out
    for (int j = 0; j < ex.widths().length; j++) {
      for (int l = 2; l <= ex.vertex()[j].length; l++) {
        rows.add(Row.theory(m.init().activation().spec(), exactSetup, ex.widths()[j], l, "V exact",
            ex.vertex()[j][l - 1]));
        rows.add(Row.theory(m.init().activation().spec(), exactSetup, ex.widths()[j], l, "K1 exact",
            ex.nlo()[j][l - 1]));
      }
    }
    long total = 0;
    for (Series s : m.runs()) {
      total += s.networks();
    }
    long seed = m.runs().get(0).seed();
    String act = m.init().activation().spec();
    Setup init = m.runs().get(0).setup(); // the fits: every width of one initialisation, sampler and depth
    for (WidthExtrapolation.LayerFit f : m.fits()) {
      Estimate v = f.vertexFit().intercept();
      Estimate k1 = f.nloFit().intercept();
      rows.add(new Row(act, init, 0, f.layer(), "V fit", v.mean(), v.standardError(), f.vertexTheory(), total, seed));
      rows.add(new Row(act, init, 0, f.layer(), "K1 fit", k1.mean(), k1.standardError(), f.nloTheory(), total, seed));
    }
    return rows;
  }

  private static List<List<String>> tableRows(Measurement m) {
    List<List<String>> out = new ArrayList<>();
    for (WidthExtrapolation.LayerFit f : m.fits()) {
      Estimate v = f.vertexFit().intercept();
      Estimate k1 = f.nloFit().intercept();
      out.add(List.of(Integer.toString(f.layer()), Fmt.num(f.kernel()), Fmt.num(f.vertexTheory()), pm(v),
          z(v, f.vertexTheory()), Fmt.num(f.nloTheory()), pm(k1), z(k1, f.nloTheory()),
          chi2(f.vertexFit()), chi2(f.nloFit())));
    }
    return out;
  }

  static String pm(Estimate e) {
    return Fmt.pm(e.mean(), e.standardError());
  }

  private static String z(Estimate e, double theory) {
    return String.format(Locale.ROOT, "%+.2f", e.zScore(theory));
  }

  private static String chi2(PolynomialFit f) {
    return String.format(Locale.ROOT, "%.2f/%d", f.chiSquared(), f.degreesOfFreedom());
  }

  private static String join(int[] widths) {
    StringBuilder sb = new StringBuilder();
    for (int w : widths) {
      sb.append(sb.isEmpty() ? "" : ", ").append(w);
    }
    return sb.toString();
  }
}
