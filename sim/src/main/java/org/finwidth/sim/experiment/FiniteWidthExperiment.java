package org.finwidth.sim.experiment;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.finwidth.activation.Activation;
import org.finwidth.ensemble.EnsembleResult;
import org.finwidth.stats.Estimate;
import org.finwidth.stats.LayerEstimates;
import org.finwidth.stats.PolynomialFit;
import org.finwidth.theory.LayerPrediction;
import org.finwidth.theory.Prediction;

/**
 * {@code finite-width}: the 1/n theory measured. For tanh at its critical point (C_b = 0, C_W = 1,
 * started at K^(1) = 1) and SWISH at its critical point (computed by the solver, started at K*),
 * ensembles at equal widths n = 16..256; at every layer the vertex V and the NLO kernel K1 are read
 * off by a weighted fit in 1/n ({@link WidthExtrapolation}) and compared with the leading-order
 * recursions (THEORY.md §5), and the residuals of E[Ĝ] and Var(Ĝ) against the 1/n theory are shown
 * to shrink like 1/n².
 */
final class FiniteWidthExperiment implements Experiment {
  /** Full-size widths (the 16..256). */
  static final int[] WIDTHS = {16, 24, 32, 48, 64, 96, 128, 192, 256};
  static final int[] QUICK_WIDTHS = {16, 24, 32, 48, 64};
  static final int DEPTH = 5;
  static final int QUICK_DEPTH = 4;
  static final long NETWORKS = 2_000_000;
  static final long QUICK_NETWORKS = 20_000;

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
   * @param theory the infinite-width prediction
   * @param runs one ensemble per width, by increasing width
   * @param fits the fits of layers 2..L
   */
  record Measurement(Initialisation init, Prediction theory, List<EnsembleResult> runs,
      List<WidthExtrapolation.LayerFit> fits) {}

  /** Runs the ensembles of one network at every width and fits them. */
  static Measurement measure(ExperimentContext ctx, Initialisation init, int[] widths, int depth,
      long networks, int seedOffset) {
    Prediction theory = Prediction.of(init.spec(depth, widths[0]));
    List<EnsembleResult> runs = new ArrayList<>();
    for (int i = 0; i < widths.length; i++) {
      String label = init.activation().spec() + " n=" + widths[i];
      runs.add(ctx.ensemble(label, init.spec(depth, widths[i]), networks, ctx.seed(seedOffset + i)));
    }
    return new Measurement(init, theory, runs, WidthExtrapolation.fit(theory, runs));
  }

  @Override
  public void run(ExperimentContext ctx, Report report) {
    int[] widths = ctx.quick() ? QUICK_WIDTHS : WIDTHS;
    int depth = ctx.quick() ? QUICK_DEPTH : DEPTH;
    long networks = ctx.quick() ? QUICK_NETWORKS : NETWORKS;
    List<Measurement> all = new ArrayList<>();
    int seedOffset = 0;
    for (Initialisation init : initialisations()) {
      all.add(measure(ctx, init, widths, depth, networks, seedOffset));
      seedOffset += widths.length;
    }
    for (Measurement m : all) {
      report.rows(rows(m));
    }
    report.paragraph(String.format(Locale.ROOT, "Networks with one input at equal widths n = %s, depth"
        + " %d, %,d networks per width (conditional sampler). At width n the metric Ĝ of layer ℓ gives"
        + " V̂(n) = n·Cov(Ĝ, Ĝ) and K̂1(n) = n·(E[Ĝ] − K); the 1/n theory says V̂(n) = V + O(1/n) and"
        + " K̂1(n) = K1 + O(1/n). Each is fitted by y∞ + b/n + c/n² (weighted least squares), and the"
        + " intercept y∞ is compared with the leading-order recursions of THEORY.md §5.", join(widths), depth,
        networks));
    for (Measurement m : all) {
      report.table(m.init().activation().spec() + " (" + m.init().text() + "): fitted against theory",
          List.of("layer", "K", "V theory", "V fit", "z", "K1 theory", "K1 fit", "z", "chi2/dof V", "chi2/dof K1"),
          tableRows(m));
      WidthExtrapolation.LayerFit last = m.fits().get(m.fits().size() - 1);
      report.summary(String.format(Locale.ROOT, "%-6s layer %d: V = %s (theory %.6g), K1 = %s (theory %.6g)",
          m.init().activation().spec(), last.layer(), format(last.vertexFit().intercept()),
          last.vertexTheory(), format(last.nloFit().intercept()), last.nloTheory()));
    }
  }

  /** CSV rows: per width and layer G, V, K1 with their theory; per layer the fitted V and K1. */
  static List<Row> rows(Measurement m) {
    String act = m.init().activation().spec();
    String init = m.init().text();
    List<Row> rows = new ArrayList<>();
    for (EnsembleResult r : m.runs()) {
      int n = r.spec().width(1);
      for (int l = 1; l <= r.spec().depth(); l++) {
        LayerPrediction lp = m.theory().layer(l);
        LayerEstimates e = r.estimates(l);
        Estimate g = e.gMetric(0, 0);
        int fanIn = r.spec().width(l - 1);
        rows.add(new Row(act, init, n, l, "G", g.mean(), g.standardError(),
            lp.kernel(0, 0) + lp.nloKernel(0, 0) / fanIn, r.networksAccumulated(), r.seed()));
        if (l >= 2) {
          Estimate v = e.vMetric(0);
          rows.add(new Row(act, init, n, l, "V", v.mean(), v.standardError(), lp.vertex(0, 0, 0, 0),
              r.networksAccumulated(), r.seed()));
          rows.add(new Row(act, init, n, l, "K1", fanIn * (g.mean() - lp.kernel(0, 0)),
              fanIn * g.standardError(), lp.nloKernel(0, 0), r.networksAccumulated(), r.seed()));
        }
      }
    }
    long total = 0;
    for (EnsembleResult r : m.runs()) {
      total += r.networksAccumulated();
    }
    long seed = m.runs().get(0).seed();
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
      out.add(List.of(Integer.toString(f.layer()), g6(f.kernel()), g6(f.vertexTheory()), format(v),
          z(v, f.vertexTheory()), g6(f.nloTheory()), format(k1), z(k1, f.nloTheory()),
          chi2(f.vertexFit()), chi2(f.nloFit())));
    }
    return out;
  }

  static String format(Estimate e) {
    return String.format(Locale.ROOT, "%.6g ± %.2g", e.mean(), e.standardError());
  }

  private static String g6(double x) {
    return String.format(Locale.ROOT, "%.6g", x);
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
