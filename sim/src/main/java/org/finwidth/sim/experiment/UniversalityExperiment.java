package org.finwidth.sim.experiment;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.finwidth.activation.Activation;
import org.finwidth.activation.Catalogue;
import org.finwidth.ensemble.EnsembleResult;
import org.finwidth.network.NetworkSpec;
import org.finwidth.stats.Estimate;
import org.finwidth.stats.TailCheck;
import org.finwidth.stats.Verdict;
import org.finwidth.theory.Criticality;
import org.finwidth.theory.CriticalitySolver;
import org.finwidth.theory.Prediction;
import org.knowm.xchart.XYChart;

/**
 * {@code universality}: one representative of each universality class at its critical point
 * (ReLU: scale-invariant; tanh and sin: K* = 0; SWISH and GELU: half-stable) and one activation
 * without a critical point at a typical initialisation (softplus, C_b = 0, C_W = 1), each at
 * depth L = n for two or more widths n. Figures: the kernel K^(ℓ) against ℓ, and the normalised
 * vertex V/(nK²) against ℓ/n, theory as lines and Monte Carlo as points with error bars; a table
 * of the critical initialisation of the whole catalogue (computed by {@link CriticalitySolver}).
 *
 * <p>Measured per layer (CSV quantities): {@code G} = E[z²] (theory K + K1/n), {@code ratio4-1}
 * = E[z⁴]/(3E[z²]²) − 1 (theory V/(nK²), leading order), {@code V} = n·Cov(Ĝ) from the metric
 * (theory V); theory-only rows (width 0) {@code K} and {@code V/K2}, and for every activation the
 * exact finite-width {@code ratio4-1 exact} (width n; docs/theory.md §6.5).
 *
 * <p>{@link #compute} runs everything into a {@link Result}; {@link #render} draws and writes it.
 */
public final class UniversalityExperiment implements Experiment<UniversalityExperiment.Result> {
  /**
   * A representative: an activation at a critical point the solver computes (or, for the class
   * without one, a typical init), fed one input of Gram value {@code gram}.
   */
  record Member(String activation, boolean critical, double cb, double cw, double gram) {
    /** K^(1) = C_b + C_W·gram. */
    double kernel1() {
      return cb + cw * gram;
    }
  }

  /**
   * One representative, computed.
   *
   * @param member the activation and its initialisation
   * @param criticality the solver's result for the activation (class, K*, approach, a_1)
   * @param deep the infinite-width theory to the largest depth
   * @param runs one Monte Carlo ensemble per width (depth L = n), by increasing width
   */
  record MemberResult(Member member, Criticality criticality, Flow deep, List<Series> runs) {
    MemberResult {
      runs = List.copyOf(runs);
    }
  }

  /**
   * Everything the report shows.
   *
   * @param widths the widths n (depth L = n)
   * @param networks networks per ensemble
   * @param members the representatives
   * @param catalogue the solver's result for every catalogue activation at its defaults
   */
  record Result(int[] widths, long networks, List<MemberResult> members, List<Criticality> catalogue) {
    Result {
      widths = widths.clone();
      members = List.copyOf(members);
      catalogue = List.copyOf(catalogue);
    }
  }

  @Override
  public String name() {
    return "universality";
  }

  @Override
  public String title() {
    return "Universality classes at criticality: kernel and four-point vertex, theory and Monte Carlo";
  }

  /** Widths of the quick and the full-size run; the depth is L = n. */
  static int[] widths(boolean quick) {
    return quick ? new int[] {16, 32} : new int[] {16, 32, 64};
  }

  /** Networks per ensemble. */
  static long networks(boolean quick) {
    return quick ? 30_000 : 1_000_000;
  }

  /**
   * The representatives, their critical points computed. The Gram value puts K^(1) on the side
   * from which the flow reaches K* (below for SWISH, above for GELU).
   */
  static List<Member> members() {
    List<Member> m = new ArrayList<>();
    m.add(critical("relu", 1));
    m.add(critical("tanh", 1));
    m.add(critical("sin", 1));
    m.add(critical("swish", 1)); // K^(1) = 2.5 < K* = 14.3: approached from below
    m.add(critical("gelu", 4)); // K^(1) = 8.1 > K* = 3.56: approached from above
    m.add(new Member("softplus", false, 0, 1, 1));
    return m;
  }

  private static Member critical(String spec, double gram) {
    Criticality c = CriticalitySolver.solve(Activation.parse(spec));
    if (c.critical().isEmpty()) {
      throw new IllegalStateException(spec + " has no critical point: " + c.reason());
    }
    Criticality.CriticalPoint p = c.critical().getFirst();
    return new Member(spec, true, p.cb(), p.cw(), gram);
  }

  @Override
  public Result compute(ExperimentContext ctx) {
    int[] widths = widths(ctx.quick());
    long networks = networks(ctx.quick());
    List<Member> members = members();
    int maxDepth = widths[widths.length - 1];
    List<MemberResult> out = new ArrayList<>();
    int k = 0;
    int step = 0;
    int steps = members.size() * widths.length;
    for (Member mem : members) {
      Activation act = Activation.parse(mem.activation());
      String init = Fmt.init(mem.kernel1(), mem.cb(), mem.cw());
      Flow deep = Flow.of(Prediction.of(spec(act, mem, maxDepth, maxDepth)));
      List<Series> runs = new ArrayList<>();
      for (int n : widths) {
        NetworkSpec spec = spec(act, mem, n, n);
        long seed = ctx.seed(k++);
        step++;
        EnsembleResult r = ctx.ensemble(String.format(Locale.ROOT, "%s n=%d (%d/%d)", mem.activation(), n, step,
            steps), spec, networks, seed);
        runs.add(Series.of(mem.activation(), init, Prediction.of(spec, true), r));
      }
      out.add(new MemberResult(mem, CriticalitySolver.solve(act), deep, runs));
    }
    List<Criticality> catalogue = new ArrayList<>();
    for (Catalogue.Entry e : Catalogue.entries()) {
      catalogue.add(CriticalitySolver.solve(e.withDefaults()));
    }
    return new Result(widths, networks, out, catalogue);
  }

  private static NetworkSpec spec(Activation act, Member m, int depth, int width) {
    return NetworkSpec.ofGram(act, m.cb(), m.cw(), 1, NetworkSpec.equalWidths(depth, width), new double[][] {{m.gram()}});
  }

  @Override
  public void render(Result result, Report report) {
    int[] widths = result.widths();
    List<MemberResult> members = result.members();
    List<Row> rows = new ArrayList<>();
    // the legend names each colour (an activation), each width's marker and dash and the exact
    // values' dash once; the curves themselves are out of it
    int entries = members.size() + 2 * widths.length;
    XYChart kernel = Plots.logX(Plots.logY(Plots.chart("Kernel flow at criticality",
        "layer ℓ", "K(ℓ) = E[z²]: solid K (n = ∞), by width n: K + K1/n, exact, Monte Carlo", entries)));
    XYChart vertex = Plots.logX(Plots.logY(Plots.chart("Normalised four-point vertex: collapse on ℓ/n",
        "depth-to-width ratio ℓ/n", "V/(nK²) = E[z⁴]/(3E[z²]²) − 1", entries)));
    java.awt.Color grey = java.awt.Color.GRAY;
    for (int w = 0; w < widths.length; w++) {
      Plots.key(kernel, "n = " + widths[w] + ": Monte Carlo, K + K1/n", grey, Plots.dash(w), Plots.marker(w));
      Plots.key(kernel, "n = " + widths[w] + ": exact E[z²]", grey, Plots.dash(widths.length + w), null);
      Plots.key(vertex, "n = " + widths[w] + ": Monte Carlo, leading order", grey, Plots.dash(w), Plots.marker(w));
      Plots.key(vertex, "n = " + widths[w] + ": exact", grey, Plots.dash(widths.length + w), null);
    }
    List<List<String>> summaryTable = new ArrayList<>();
    for (int i = 0; i < members.size(); i++) {
      MemberResult mr = members.get(i);
      Member mem = mr.member();
      String init = Fmt.init(mem.kernel1(), mem.cb(), mem.cw());
      java.awt.Color color = Plots.color(i);
      Flow deep = mr.deep();
      for (int l = 1; l <= deep.depth(); l++) {
        rows.add(Row.theory(mem.activation(), deep.setup(), 0, l, "K", deep.kernel(l)));
        rows.add(Row.theory(mem.activation(), deep.setup(), 0, l, "V/K2", deep.vertexOverKernelSquared()[l - 1]));
      }
      Plots.line(kernel, mem.activation() + ": K (n = ∞)", deep.layers(), deep.kernel(), color);
      Plots.key(vertex, mem.activation(), color, Plots.solid(), null);
      for (int w = 0; w < mr.runs().size(); w++) {
        Series s = mr.runs().get(w);
        int n = s.width();
        int depth = s.depth();
        double[] x = new double[depth];
        double[] ell = new double[depth];
        double[] g = new double[depth];
        double[] gSe = new double[depth];
        double[] gTheory = new double[depth];
        double[] v = new double[depth];
        double[] vSe = new double[depth];
        double[] vTheory = new double[depth];
        double[] exact = new double[depth];
        double[] exactG = new double[depth];
        for (Series.Layer lp : s.layers()) {
          int j = lp.layer() - 1;
          ell[j] = lp.layer();
          x[j] = (double) lp.layer() / n;
          Estimate gg = lp.g();
          g[j] = gg.mean();
          gSe[j] = gg.standardError();
          gTheory[j] = lp.twoPoint();
          rows.add(new Row(mem.activation(), s.setup(), n, lp.layer(), "G", gg.mean(), gg.standardError(), gTheory[j],
              s.networks(), s.seed()));
          v[j] = lp.ratio4().mean() - 1;
          vSe[j] = lp.ratio4().standardError();
          vTheory[j] = lp.vertexOverWidthKernelSquared();
          rows.add(new Row(mem.activation(), s.setup(), n, lp.layer(), "ratio4-1", v[j], vSe[j], vTheory[j], s.networks(),
              s.seed()));
          Estimate vm = lp.vMetric();
          rows.add(new Row(mem.activation(), s.setup(), n, lp.layer(), "V", vm.mean(), vm.standardError(), lp.vertex(),
              s.networks(), s.seed()));
          exact[j] = lp.exactRelativeVariance();
          exactG[j] = lp.exactEz2();
          if (Double.isFinite(exact[j])) {
            rows.add(Row.theory(mem.activation(), s.setup(), n, lp.layer(), "ratio4-1 exact", exact[j]));
          }
        }
        String tag = mem.activation() + " n=" + n;
        Plots.unlisted(Plots.points(kernel, tag + " Monte Carlo", ell, g, gSe, color, Plots.marker(w)));
        Plots.unlisted(Plots.styled(kernel, tag + " K + K1/n", ell, gTheory, color, Plots.dash(w)));
        if (lastFinite(exactG) >= 0) {
          Plots.unlisted(Plots.styled(kernel, tag + " exact", ell, exactG, color, Plots.dash(widths.length + w)));
        }
        Plots.unlisted(Plots.styled(vertex, tag + " leading order", tail(x), tail(vTheory), color, Plots.dash(w)));
        if (lastFinite(exact) >= 0) {
          Plots.unlisted(Plots.styled(vertex, tag + " exact", tail(x), tail(exact), color,
              Plots.dash(widths.length + w)));
        }
        // layer 1 is Gaussian (V = 0): nothing to show on a log axis
        Plots.unlisted(Plots.points(vertex, tag + " Monte Carlo", tail(x), tail(v), tail(vSe), color,
            Plots.marker(w)));
        if (w == mr.runs().size() - 1) {
          int j = depth - 1;
          Verdict verdict = verdict(s.layer(depth), n, v[j], vSe[j], s.networks());
          summaryTable.add(List.of(mem.activation(), mem.critical() ? "critical" : "typical init",
              init.replace(",", ", "), Integer.toString(n), Integer.toString(depth), Fmt.num(gTheory[j], 4),
              Fmt.pm(g[j], gSe[j]), Fmt.num(vTheory[j], 4), Fmt.pm(v[j], vSe[j]),
              String.format(Locale.ROOT, "%.1f", (v[j] - vTheory[j]) / vSe[j]), agreesUpTo(x, v, vSe, vTheory, 0),
              agreesUpTo(x, v, vSe, vTheory, 0.1), verdict.flag().label(),
              Double.isFinite(exact[j]) ? Fmt.num(exact[j], 4) : "–",
              Double.isFinite(exact[j]) ? String.format(Locale.ROOT, "%.1f", (v[j] - exact[j]) / vSe[j]) : "–",
              leadingOrderHoldsUpTo(x, vTheory, exact, 0.1)));
        }
      }
    }
    report.rows(rows);
    writeReport(report, result, rows, summaryTable, kernel, vertex);
  }

  /** The legend of the flag column (docs/theory.md §9.7). */
  static final String FLAG_LEGEND = "flag: ok = within 3 SE of the exact value where one exists, else of the leading"
      + " order; beyond-LO = off the leading order by less than 3 SE + the next order's estimated size,"
      + " min(ℓ/n, 1/2)·|V/(nK²)|; heavy-tail = one network holds more of a sum of squares than M light-tailed"
      + " networks would (false alarm 1e-3), the SE cannot be trusted; disagree = none of these (docs/theory.md §9.7)";

  /**
   * The verdict on E[z⁴]/(3E[z²]²) − 1 of a layer ({@link Verdict}): against the exact
   * Var(Ĝ)/E[Ĝ]² where known, else the leading order V/(nK²) with the next order
   * min(r, 1/2)·V/(nK²), r = (ℓ − 1)/n; heavy tails by the layer's tail share among its networks.
   */
  static Verdict verdict(Series.Layer lp, int n, double measured, double se, long networks) {
    double leading = lp.vertexOverWidthKernelSquared();
    double next = Verdict.nextOrder(leading, Verdict.depthToWidth(lp.layer(), k -> n));
    return Verdict.judge(new Estimate(measured, se), leading, next, lp.exactRelativeVariance(), 0,
        new TailCheck(lp.tailShare(), networks));
  }

  /**
   * The largest ℓ/n up to which no measured point disagrees with the theory ("all" if none does),
   * as text; a point disagrees if it lies beyond 3 SE and, when {@code relative} &gt; 0, also more
   * than that fraction of the theory value away (the accuracy of the leading order, not only its
   * statistical significance).
   */
  static String agreesUpTo(double[] x, double[] v, double[] se, double[] theory, double relative) {
    for (int j = 0; j < x.length; j++) {
      double d = Math.abs(v[j] - theory[j]);
      if (d > 3 * se[j] && d > relative * Math.abs(theory[j])) {
        return j == 0 ? "none" : Fmt.num(x[j - 1], 3);
      }
    }
    return "all";
  }

  /**
   * The largest ℓ/n up to which the leading order V/(nK²) lies within {@code relative} of the exact
   * finite-width value (from layer 2 on; "all" if everywhere, "–" without exact values).
   */
  static String leadingOrderHoldsUpTo(double[] x, double[] theory, double[] exact, double relative) {
    boolean any = false;
    for (int j = 1; j < x.length; j++) {
      if (!Double.isFinite(exact[j])) {
        continue;
      }
      any = true;
      if (Math.abs(theory[j] / exact[j] - 1) > relative) {
        return j == 1 ? "none" : Fmt.num(x[j - 1], 3);
      }
    }
    return any ? "all" : "–";
  }

  /** The array without its first element (layer 1). */
  private static double[] tail(double[] a) {
    return java.util.Arrays.copyOfRange(a, 1, a.length);
  }

  private static int lastFinite(double[] a) {
    for (int i = a.length - 1; i >= 0; i--) {
      if (Double.isFinite(a[i])) {
        return i;
      }
    }
    return -1;
  }

  /**
   * How each representative's kernel flows, in words computed from its theory flow and its
   * criticality: "relu (scale-invariant): stays at 2 at every layer; tanh (k-star-zero, K* = 0):
   * falls from 1 to ... ".
   */
  static String kernelStatements(List<MemberResult> members) {
    StringBuilder sb = new StringBuilder();
    for (MemberResult m : members) {
      Criticality c = m.criticality();
      StringBuilder what = new StringBuilder(c.universalityClass().label());
      if (m.member().critical() && !c.critical().isEmpty()) {
        Criticality.CriticalPoint p = c.critical().getFirst();
        if (p.kstar().isPresent()) {
          what.append(", K* = ").append(Fmt.num(p.kstar().getAsDouble(), 4));
          p.approach().ifPresent(a -> what.append(" approached from ").append(a.label()));
        } else {
          what.append(", every K a fixed point");
        }
      } else {
        what.append(", C_b = ").append(Fmt.num(m.member().cb())).append(", C_W = ").append(Fmt.num(m.member().cw()));
      }
      sb.append(sb.isEmpty() ? "" : "; ").append(m.member().activation()).append(" (").append(what).append("): K ")
          .append(Words.kernelFlow(m.deep().kernel()));
    }
    return sb.append('.').toString();
  }

  /** How V/K² grows with depth in the theory of each representative, in words. */
  static String vertexStatements(List<MemberResult> members) {
    StringBuilder sb = new StringBuilder();
    for (MemberResult m : members) {
      sb.append(sb.isEmpty() ? "" : "; ").append(m.member().activation()).append(": V/K² ")
          .append(Words.vertexGrowth(m.deep().vertexOverKernelSquared()));
    }
    return sb.append('.').toString();
  }

  private static void writeReport(Report report, Result result, List<Row> rows, List<List<String>> summaryTable,
      XYChart kernel, XYChart vertex) {
    int[] widths = result.widths();
    StringBuilder ws = new StringBuilder();
    for (int w : widths) {
      ws.append(ws.isEmpty() ? "" : ", ").append(w);
    }
    int maxDepth = widths[widths.length - 1];
    report.paragraph("Each activation is run at its critical initialisation (C_b, C_W) as computed by the criticality"
        + " solver (softplus, which has none, at the typical C_b = 0, C_W = 1), with one input, at widths n = " + ws
        + " and depth L = n; " + result.networks() + " networks per width (conditional sampler, exact in"
        + " distribution). Lines are the effective theory (leading order in 1/n), points are Monte Carlo means"
        + " with ± 1 standard error bars.");
    report.heading("The kernel flows to its fixed point");
    report.figure("kernel", kernel, "K(ℓ) against the layer ℓ (log-log), infinite-width theory (solid) to ℓ = "
        + maxDepth + ": " + kernelStatements(result.members()) + " The measured E[z²] differs from K by K1/n (the"
        + " NLO kernel): each width has its marker, the dash of its K + K1/n line and a dash of its own for the exact"
        + " E[z²] (docs/theory.md §6.5); colour is the activation. " + Agreement.describe(rows, "G", "K + K1/n", 3) + " "
        + Words.whereBeyond(rows, "G") + " Terms beyond K1/n are of relative order (ℓ/n)², and the layers of one"
        + " ensemble are measured on the same networks, so their errors are correlated and one chance fluctuation"
        + " carries into the layers after it.");
    report.heading("Fluctuations grow with ℓ/n: the same law within a class");
    report.figure("vertex", vertex, "The normalised four-point vertex V/(nK²), the leading-order excess kurtosis"
        + " E[z⁴]/(3E[z²]²) − 1, against ℓ/n (log-log). Where V/K² grows linearly in ℓ, curves of different widths"
        + " collapse onto one line in ℓ/n; where it saturates, V/(nK²) depends on n at fixed ℓ/n. In the theory"
        + " to ℓ = " + maxDepth + ": " + vertexStatements(result.members()) + " Colour is the activation; each"
        + " width has its marker and the dash of its leading-order line, and a dash of its own for the exact"
        + " finite-width values Var(Ĝ)/E[Ĝ]², computed without sampling (docs/theory.md §6.5;"
        + " for ReLU Π(1 + 5/n) − 1); the table's last column says up to which ℓ/n the leading order stays"
        + " within 10% of them. "
        + Agreement.describe(rows, "ratio4-1", "the leading-order theory V/(nK²)", 4) + " "
        + Words.whereBeyond(rows, "ratio4-1") + " The 1/n expansion is an expansion in ℓ/n: its next order"
        + " (ℓ/n)² is what separates the exact curves from the lines. Deep narrow ReLU networks also have"
        + " heavy-tailed Ĝ (docs/theory.md §6.2): there the standard errors are optimistic and the mean converges"
        + " from below.");
    report.table("The deepest layer at the largest width", List.of("activation", "init", "K1, C_b, C_W", "n", "ℓ",
        "K + K1/n (theory)", "E[z²] (MC)", "V/(nK²) (theory)", "E[z⁴]/(3E[z²]²) − 1 (MC)", "z",
        "within 3 SE up to ℓ/n", "within 10% up to ℓ/n", "flag", "exact Var(Ĝ)/E[Ĝ]²", "z (exact)",
        "leading order within 10% of exact up to ℓ/n"), summaryTable);
    report.paragraph(FLAG_LEGEND + ".");
    report.heading("Criticality of the whole catalogue");
    report.paragraph("Computed by the criticality solver, nothing looked up: the universality class, the critical"
        + " (C_b, C_W, K*), the side from which the kernel flow approaches K*, and a_1 (the K* = 0 class needs"
        + " a_1 < 0). For activations without a critical point, the reason.");
    report.table("Critical initialisations (docs/theory.md §3-4)", List.of("activation", "class", "C_b", "C_W", "K*",
        "approach", "a_1", "reason (no critical point)"), catalogueTable(result.catalogue()));
    String format = "%-10s %-12s %3s %3s  %-18s %-8s %-8s %5s  %-10s  %-11s %-13s  %5s  %s";
    report.summary("V/(nK²) at the deepest layer of the largest width, measured as E[z⁴]/(3E[z²]²) − 1"
        + " (= Var(Ĝ)/E[Ĝ]² exactly); theory: the leading order V/(nK²); exact: the exact finite-width"
        + " Var(Ĝ)/E[Ĝ]² (docs/theory.md §6.5; – where not known); z = (measured − theory)/SE, z exact ="
        + " (measured − exact)/SE");
    report.summary(String.format(Locale.ROOT, format, "activation", "init", "n", "ℓ", "E[z⁴]/(3E[z²]²)−1",
        "theory", "exact", "z", "flag", "3 SE up to", "10% up to ℓ/n", "z exact", "LO within 10% of exact up to ℓ/n"));
    for (List<String> r : summaryTable) {
      report.summary(String.format(Locale.ROOT, format, r.get(0), r.get(1), r.get(3), r.get(4), r.get(8), r.get(7),
          r.get(13), r.get(9), r.get(12), r.get(10), r.get(11), r.get(14), r.get(15)));
    }
    report.summary(FLAG_LEGEND);
  }

  static List<List<String>> catalogueTable(List<Criticality> catalogue) {
    List<List<String>> t = new ArrayList<>();
    for (Criticality c : catalogue) {
      String a1 = Double.isNaN(c.a1()) ? "–" : Fmt.num(c.a1());
      if (c.critical().isEmpty()) {
        String reason = c.reason();
        int cut = reason.indexOf(';');
        t.add(List.of(c.activation().spec(), c.universalityClass().label(), "–", "–", "–", "–", a1,
            cut < 0 ? reason : reason.substring(0, cut)));
      }
      for (Criticality.CriticalPoint p : c.critical()) {
        t.add(List.of(c.activation().spec(), c.universalityClass().label(), Fmt.num(p.cb()), Fmt.num(p.cw()),
            p.kstar().isPresent() ? Fmt.num(p.kstar().getAsDouble()) : "any",
            p.approach().map(x -> x.label()).orElse("–"), a1, ""));
      }
    }
    return t;
  }
}
