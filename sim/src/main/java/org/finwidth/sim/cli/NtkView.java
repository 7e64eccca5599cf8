package org.finwidth.sim.cli;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.finwidth.ensemble.EnsembleResult;
import org.finwidth.ensemble.NtkResult;
import org.finwidth.network.LearningRates;
import org.finwidth.network.NetworkSpec;
import org.finwidth.stats.Estimate;
import org.finwidth.stats.NtkEstimates;
import org.finwidth.stats.NtkLayout;
import org.finwidth.theory.NtkLayer;
import org.finwidth.theory.NtkPrediction;
import org.finwidth.vector.PairIndex;

/**
 * How {@code theory --ntk} and {@code simulate --ntk} show the neural tangent kernel (docs/cli.md,
 * "The neural tangent kernel"): JSON per layer {@code "ntk": {"H": [[..]], "H1": [[..]],
 * "D": [[[[..]]]], "F", "A", "B"}} with D[a1][a2][a3][a4], F[a1][a3][a2][a4], A[a1][a2][a3][a4],
 * B[a1][a3][a2][a4] (docs/theory.md §11.1), the measured ones as {@code {"mean": .., "se": ..}} of
 * the same shapes, table sections and CSV rows.
 */
final class NtkView {
  private NtkView() {}

  private interface Tensor {
    double at(int a1, int x, int y, int a4);
  }

  private interface EstimateTensor {
    Estimate at(int a1, int x, int y, int a4);
  }

  static List<List<Double>> matrix(int d, java.util.function.BiFunction<Integer, Integer, Double> f) {
    List<List<Double>> m = new ArrayList<>();
    for (int a = 0; a < d; a++) {
      List<Double> row = new ArrayList<>();
      for (int b = 0; b < d; b++) {
        row.add(SimulateOutput.num(f.apply(a, b)));
      }
      m.add(row);
    }
    return m;
  }

  private static List<Object> tensor(int d, Tensor t) {
    List<Object> l1 = new ArrayList<>();
    for (int i = 0; i < d; i++) {
      List<Object> l2 = new ArrayList<>();
      for (int j = 0; j < d; j++) {
        List<Object> l3 = new ArrayList<>();
        for (int k = 0; k < d; k++) {
          List<Double> l4 = new ArrayList<>();
          for (int m = 0; m < d; m++) {
            l4.add(SimulateOutput.num(t.at(i, j, k, m)));
          }
          l3.add(l4);
        }
        l2.add(l3);
      }
      l1.add(l2);
    }
    return l1;
  }

  /** The theory's {@code "ntk"} object of one layer (arrays in the documented index orders). */
  static Map<String, Object> layerJson(NtkLayer l) {
    int d = l.inputCount();
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("H", matrix(d, l::h));
    m.put("H1", matrix(d, l::h1));
    m.put("D", tensor(d, l::d));
    m.put("F", tensor(d, l::f));
    m.put("A", tensor(d, l::a));
    m.put("B", tensor(d, l::b));
    return m;
  }

  /** {@code {"lambdaB": [..], "lambdaW": [..]}} per layer. */
  static Map<String, Object> ratesJson(LearningRates r) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("lambdaB", r.biasRates());
    m.put("lambdaW", r.weightRates());
    return m;
  }

  private static Map<String, Object> estimateMatrix(int d, java.util.function.BiFunction<Integer, Integer, Estimate> f) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("mean", matrix(d, (a, b) -> f.apply(a, b).mean()));
    m.put("se", matrix(d, (a, b) -> f.apply(a, b).standardError()));
    return m;
  }

  private static Map<String, Object> estimateTensor(int d, EstimateTensor f) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("mean", tensor(d, (i, j, k, n) -> f.at(i, j, k, n).mean()));
    m.put("se", tensor(d, (i, j, k, n) -> f.at(i, j, k, n).standardError()));
    return m;
  }

  /**
   * The measured {@code "ntk"} object of one layer: {"networks", "neurons", "H", "H1", "D", "F",
   * "A", "B", "sameNeuronA", "sameNeuronD", "tailShare"}, each a {"mean", "se"} pair of arrays; H1
   * (n'(E[Ĥ_ii] − H) with the theory's H) is null where there is no theory.
   */
  static Map<String, Object> measuredJson(NtkEstimates e, int neurons, NtkLayer theory) {
    int d = e.inputs();
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("networks", e.networks());
    m.put("neurons", neurons);
    m.put("H", estimateMatrix(d, e::h));
    m.put("H1", estimateMatrix(d, (a, b) -> theory == null ? Estimate.UNDEFINED : e.h1(a, b, theory.h(a, b))));
    m.put("D", estimateTensor(d, e::d));
    m.put("F", estimateTensor(d, e::f));
    m.put("A", estimateTensor(d, e::a));
    m.put("B", estimateTensor(d, e::b));
    m.put("sameNeuronA", estimateTensor(d, e::sameNeuronA));
    m.put("sameNeuronD", estimateTensor(d, e::sameNeuronD));
    m.put("tailShare", SimulateOutput.num(e.tailShare()));
    return m;
  }

  /** The NTK prediction of a result's network and rates, or null if the theory refuses it. */
  static NtkPrediction theoryOf(EnsembleResult r) {
    NtkResult n = r.ntk().orElse(null);
    if (n == null) {
      return null;
    }
    try {
      return NtkPrediction.of(r.spec(), n.options().rates());
    } catch (IllegalArgumentException | IllegalStateException ex) {
      return null;
    }
  }

  /** Layer ℓ of a prediction, or null past its end or without one. */
  static NtkLayer layer(NtkPrediction p, int l) {
    return p == null || l > p.layers().size() ? null : p.layer(l);
  }

  // ---- the distinct components, for tables and CSV ----------------------------------------------

  /** One distinct component: its quantity, index label (digits in the stored order) and indices. */
  record Component(String quantity, String label, int a1, int x, int y, int a4) {}

  /**
   * The distinct components of H, D, F, A, B and the same-neuron covariances for d inputs (by the
   * symmetries of docs/theory.md §11.1).
   */
  static List<Component> components(int d) {
    PairIndex pairs = PairIndex.of(d);
    NtkLayout layout = NtkLayout.forInputs(d);
    List<Component> c = new ArrayList<>();
    for (int p = 0; p < pairs.pairs(); p++) {
      c.add(new Component("H", label(pairs.first(p), pairs.second(p)), pairs.first(p), pairs.second(p), 0, 0));
    }
    for (int p = 0; p < pairs.pairs(); p++) {
      for (int q = 0; q < pairs.pairs(); q++) {
        c.add(comp("D", pairs.first(p), pairs.second(p), pairs.first(q), pairs.second(q)));
      }
    }
    for (int t = 0; t < layout.fClasses(); t++) {
      int[] m = layout.fMember(t);
      c.add(comp("F", m[0], m[1], m[2], m[3]));
    }
    for (int r = 0; r < pairs.pairPairs(); r++) {
      int p = pairs.pairPairFirst(r);
      int q = pairs.pairPairSecond(r);
      c.add(comp("A", pairs.first(p), pairs.second(p), pairs.first(q), pairs.second(q)));
    }
    for (int t = 0; t < layout.bClasses(); t++) {
      int[] m = layout.bMember(t);
      c.add(comp("B", m[0], m[1], m[2], m[3]));
    }
    for (int r = 0; r < pairs.pairPairs(); r++) {
      int p = pairs.pairPairFirst(r);
      int q = pairs.pairPairSecond(r);
      c.add(comp("A+B+B", pairs.first(p), pairs.second(p), pairs.first(q), pairs.second(q)));
    }
    for (int p = 0; p < pairs.pairs(); p++) {
      for (int q = 0; q < pairs.pairs(); q++) {
        c.add(comp("D+F+F", pairs.first(p), pairs.second(p), pairs.first(q), pairs.second(q)));
      }
    }
    return c;
  }

  private static Component comp(String q, int a, int b, int c, int e) {
    return new Component(q, label(a, b, c, e), a, b, c, e);
  }

  private static String label(int... idx) {
    StringBuilder sb = new StringBuilder();
    boolean comma = false;
    for (int i : idx) {
      comma |= i > 9;
    }
    for (int i = 0; i < idx.length; i++) {
      sb.append(i > 0 && comma ? "," : "").append(idx[i]);
    }
    return sb.toString();
  }

  static double theory(NtkLayer t, Component c) {
    return switch (c.quantity()) {
      case "H" -> t.h(c.a1(), c.x());
      case "D" -> t.d(c.a1(), c.x(), c.y(), c.a4());
      case "F" -> t.f(c.a1(), c.x(), c.y(), c.a4());
      case "A" -> t.a(c.a1(), c.x(), c.y(), c.a4());
      case "B" -> t.b(c.a1(), c.x(), c.y(), c.a4());
      case "A+B+B" -> t.sameNeuronA(c.a1(), c.x(), c.y(), c.a4());
      case "D+F+F" -> t.sameNeuronD(c.a1(), c.x(), c.y(), c.a4());
      default -> throw new IllegalStateException(c.quantity());
    };
  }

  static Estimate measured(NtkEstimates e, Component c) {
    return switch (c.quantity()) {
      case "H" -> e.h(c.a1(), c.x());
      case "D" -> e.d(c.a1(), c.x(), c.y(), c.a4());
      case "F" -> e.f(c.a1(), c.x(), c.y(), c.a4());
      case "A" -> e.a(c.a1(), c.x(), c.y(), c.a4());
      case "B" -> e.b(c.a1(), c.x(), c.y(), c.a4());
      case "A+B+B" -> e.sameNeuronA(c.a1(), c.x(), c.y(), c.a4());
      case "D+F+F" -> e.sameNeuronD(c.a1(), c.x(), c.y(), c.a4());
      default -> throw new IllegalStateException(c.quantity());
    };
  }

  // ---- theory table -----------------------------------------------------------------------------

  private static String g(double v) {
    return Double.isFinite(v) ? String.format(Locale.ROOT, "%.10g", v) : "-";
  }

  /** The NTK section of the {@code theory} table. */
  static void printTheory(PrintWriter out, NtkPrediction p) {
    NetworkSpec s = p.spec();
    int d = s.inputCount();
    LearningRates r = p.rates();
    out.println();
    out.printf("neural tangent kernel (docs/theory.md section 11): lambda_b = %s, lambda_W = %s%n",
        rates(r.biasRates()), rates(r.weightRates()));
    out.println("(n = n_{l-1}: E[H_ii] = H + H1/n; D, F, A, B are n times the NTK-preactivation and NTK-NTK"
        + " (co)variances of distinct neurons; one neuron: A+2B, D+2F)");
    if (d == 1) {
      out.printf("%5s %8s %17s %17s %17s %17s %17s %17s %17s %17s %17s %17s%n", "layer", "n_{l-1}", "H", "H1",
          "D", "F", "A", "B", "A+2B", "D+2F", "A/(nH^2)", "B/(nH^2)");
      for (NtkLayer l : p.layers()) {
        double h2 = l.h(0, 0) * l.h(0, 0) * l.fanIn();
        out.printf("%5d %8d %17s %17s %17s %17s %17s %17s %17s %17s %17s %17s%n", l.layer(), l.fanIn(), g(l.h(0, 0)),
            g(l.h1(0, 0)), g(l.d(0, 0, 0, 0)), g(l.f(0, 0, 0, 0)), g(l.a(0, 0, 0, 0)), g(l.b(0, 0, 0, 0)),
            g(l.sameNeuronA(0, 0, 0, 0)), g(l.sameNeuronD(0, 0, 0, 0)), g(l.a(0, 0, 0, 0) / h2), g(l.b(0, 0, 0, 0) / h2));
      }
      return;
    }
    List<Component> comps = components(d);
    for (NtkLayer l : p.layers()) {
      out.println();
      out.printf("layer %d (n_{l-1} = %d)%n", l.layer(), l.fanIn());
      StringBuilder h = new StringBuilder("  H  ");
      StringBuilder h1 = new StringBuilder("  H1 ");
      for (int a = 0; a < d; a++) {
        for (int b = a; b < d; b++) {
          h.append(String.format(Locale.ROOT, " %s=%s", label(a, b), g(l.h(a, b))));
          h1.append(String.format(Locale.ROOT, " %s=%s", label(a, b), g(l.h1(a, b))));
        }
      }
      out.println(h);
      out.println(h1);
      out.println("  (index order: D a1a2a3a4, F a1a3a2a4, A a1a2a3a4, B a1a3a2a4; distinct components)");
      for (Component c : comps) {
        if (!c.quantity().equals("H")) {
          out.printf(Locale.ROOT, "  %-6s %-8s %17s%n", c.quantity(), c.label(), g(theory(l, c)));
        }
      }
    }
  }

  private static String rates(double[] v) {
    boolean constant = true;
    for (double x : v) {
      constant &= x == v[0];
    }
    if (constant) {
      return CriticalityCommand.fmt(v[0]);
    }
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < v.length; i++) {
      sb.append(i == 0 ? "" : ",").append(CriticalityCommand.fmt(v[i]));
    }
    return sb.toString();
  }

  // ---- simulate: table and CSV -------------------------------------------------------------------

  /** The row format of the measured NTK in the {@code simulate} table: quantity, measured, theory. */
  private static final String ROW = "%-15s %-24s %-12s%n";

  /**
   * The measured NTK rows of one layer of the {@code simulate} table, beside the leading-order
   * theory (no z-score or flag: at finite width the statistics differ from the leading order by
   * O(1/n) remainders, docs/theory.md §11.8).
   */
  static void printMeasured(PrintWriter out, EnsembleResult r, NtkPrediction theory, int l) {
    NtkEstimates e = r.ntkEstimates(l);
    NtkLayer t = layer(theory, l);
    if (new org.finwidth.stats.TailCheck(e.tailShare(), e.networks()).heavy()) { // docs/theory.md §9.7
      out.printf(Locale.ROOT, "warning: NTK heavy tails: one network holds %.0f%% of a sum of squares behind the NTK"
          + " standard errors; they are unreliable at this depth and width%n", 100 * e.tailShare());
    }
    out.printf(Locale.ROOT, ROW, "NTK", "measured", "leading order");
    for (Component c : components(e.inputs())) {
      out.printf(Locale.ROOT, ROW, "ntk " + c.quantity() + " " + c.label(), SimulateOutput.pm(measured(e, c)),
          t == null ? "-" : SimulateOutput.fmt(theory(t, c)));
    }
    int d = e.inputs();
    for (int a = 0; a < d; a++) {
      for (int b = a; b < d; b++) {
        Estimate h1 = t == null ? Estimate.UNDEFINED : e.h1(a, b, t.h(a, b));
        out.printf(Locale.ROOT, ROW, "ntk H1 " + label(a, b), SimulateOutput.pm(h1),
            t == null ? "-" : SimulateOutput.fmt(t.h1(a, b)));
      }
    }
  }

  /**
   * The tidy CSV rows ({@link TidyCsv}) of the NTK theory: quantity {@code ntk.H}, {@code ntk.H1},
   * {@code ntk.D}, ..., component the index digits in the stored order, every distinct component,
   * the value in the column {@code theory}.
   */
  static List<TidyCsv.Row> theoryRows(NtkPrediction p, TidyCsv.Run run) {
    List<TidyCsv.Row> rows = new ArrayList<>();
    for (NtkLayer l : p.layers()) {
      int n = l.fanIn();
      for (Component c : components(l.inputCount())) {
        rows.add(TidyCsv.Row.ofTheory(run, l.layer(), n, "ntk." + c.quantity(), c.label(), theory(l, c), Double.NaN));
      }
      for (int a = 0; a < l.inputCount(); a++) {
        for (int b = a; b < l.inputCount(); b++) {
          rows.add(TidyCsv.Row.ofTheory(run, l.layer(), n, "ntk.H1", label(a, b), l.h1(a, b), Double.NaN));
        }
      }
    }
    return rows;
  }

  /**
   * The tidy CSV rows of the measured NTK of every layer (quantity "ntk.X", component its index
   * label), the leading order in the column {@code theory}; no verdict (the finite-width
   * statistics differ from the leading order by O(1/n)).
   */
  static List<TidyCsv.Row> tidyRows(EnsembleResult r, NtkPrediction theory, TidyCsv.Run run) {
    List<TidyCsv.Row> rows = new ArrayList<>();
    for (int l = 1; l <= r.spec().depth(); l++) {
      NtkEstimates e = r.ntkEstimates(l);
      NtkLayer t = layer(theory, l);
      int n = r.spec().width(l - 1);
      for (Component c : components(e.inputs())) {
        rows.add(row(run, l, n, "ntk." + c.quantity(), c.label(), measured(e, c), t == null ? Double.NaN : theory(t, c)));
      }
      int d = e.inputs();
      for (int a = 0; a < d; a++) {
        for (int b = a; b < d; b++) {
          rows.add(row(run, l, n, "ntk.H1", label(a, b), t == null ? Estimate.UNDEFINED : e.h1(a, b, t.h(a, b)),
              t == null ? Double.NaN : t.h1(a, b)));
        }
      }
    }
    return rows;
  }

  private static TidyCsv.Row row(TidyCsv.Run run, int l, int n, String q, String c, Estimate e, double theory) {
    return new TidyCsv.Row(run, l, n, q, c, e.mean(), e.standardError(),
        Double.isFinite(theory) ? java.util.OptionalDouble.of(theory) : java.util.OptionalDouble.empty(),
        java.util.OptionalDouble.empty(), "", org.finwidth.stats.Verdict.NONE);
  }
}
