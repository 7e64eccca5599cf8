package org.finwidth.sim.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.finwidth.network.NetworkSpec;
import org.finwidth.sim.state.OutputFiles;
import org.finwidth.sim.state.OutputLocks;
import org.finwidth.theory.ExactLaw;
import org.finwidth.theory.ExactMoments;
import org.finwidth.vector.PairIndex;
import org.finwidth.theory.LayerPrediction;
import org.finwidth.theory.NtkPrediction;
import org.finwidth.theory.Prediction;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code finwidth theory}: the effective-theory prediction of a network, layer by layer
 * ({@link Prediction}): K, K1, V, χ_∥, χ_⊥ and, where it applies, the exact moments.
 */
@Command(
    name = "theory",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = {
      "Predicts every layer of a random MLP from the effective theory (docs/theory.md sections 2-6):"
          + " the kernel K, the NLO kernel K1 (E[z z] = K + K1/n), the four-point vertex V"
          + " (connected 4-point = V/n, n = fan-in), chi_par, chi_perp, and for a single"
          + " input the exact finite-width values (docs/theory.md section 6.5): E[z^2], V_exact ="
          + " n Var(G), K1_exact = n(E[G] - K), quantiles of G, and the leading order's relative"
          + " error.",
      "Inputs: any number d, by their Gram matrix (1/n0) x.x or as explicit vectors (--gram,"
          + " --gram-file, --inputs, --inputs-file). The table shows the diagonal (one row per layer"
          + " and input) and, for d >= 3, a summary of the off-diagonal components; --json and --csv"
          + " hold every component of K, K1 and V."
    })
public final class TheoryCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Mixin NetworkOptions network;

  @Option(names = "--json", description = "Write JSON instead of a table.")
  boolean json;

  @Option(names = "--csv", paramLabel = "FILE",
      description = "Also write every number to FILE as tidy CSV (one row per layer, quantity and component,"
          + " with its provenance; docs/cli.md, CSV files); an existing FILE is replaced only if it is a finwidth CSV"
          + " (or with --overwrite).")
  Path csv;

  @Option(names = "--overwrite",
      description = "Replace an existing --csv file even if it is not a finwidth output (regular files only).")
  boolean overwrite;

  @Mixin NtkFlags ntk;

  @Override
  public Integer call() throws IOException {
    ntk.check(false);
    if (csv != null) {
      network.checkNotAnInput(csv);
      OutputFiles.checkOutput("--csv", csv, OutputFiles.Kind.CSV, overwrite);
    }
    NetworkSpec net = network.toSpec();
    org.finwidth.network.LearningRates rates = ntk.enabled() ? ntk.rates(net.depth()) : null;
    Prediction prediction = Prediction.of(net, true);
    NtkPrediction tangent = rates == null ? null : NtkPrediction.of(prediction, rates);
    if (csv != null) {
      OutputLocks locks = new OutputLocks();
      try {
        ShardOptions.lockIfGiven(locks, "--csv", csv);
        List<TidyCsv.Row> rows = new ArrayList<>(rows(prediction, Version.version()));
        if (tangent != null) {
          rows.addAll(NtkView.theoryRows(tangent, TidyCsv.Run.theory(net, Version.version())));
        }
        SimulateOutput.writeAtomically(csv, TidyCsv.write(rows));
      } finally {
        locks.close();
      }
    }
    PrintWriter out = spec.commandLine().getOut();
    if (json) {
      Map<String, Object> root = toJson(prediction);
      if (tangent != null) {
        addNtk(root, tangent);
      }
      out.println(CriticalityCommand.write(root));
    } else {
      print(out, prediction);
      if (tangent != null) {
        NtkView.printTheory(out, tangent);
      }
    }
    out.flush();
    if (prediction.exactLawNote().isPresent()) {
      PrintWriter err = spec.commandLine().getErr();
      err.println("finwidth: " + prediction.exactLawNote().get());
      err.flush();
    }
    Optional<Prediction.Breakdown> stop = tangent != null ? tangent.breakdown() : prediction.breakdown();
    if (stop.isPresent()) {
      PrintWriter err = spec.commandLine().getErr();
      err.println("finwidth: prediction stops at " + stop.get().reason());
      err.flush();
      return FinwidthCommand.EXIT_FAILURE;
    }
    return FinwidthCommand.EXIT_OK;
  }

  /**
   * The JSON of the documented schema (docs/cli.md): {"spec": {...}, "layers": [{"layer", "K", "K1", "V",
   * "chiParallel", "chiPerp", "exact"?}], "breakdown"?: {"layer", "reason"}}.
   */
  static Map<String, Object> toJson(Prediction p) {
    Map<String, Object> root = new LinkedHashMap<>();
    root.put("spec", NetworkOptions.specJson(p.spec()));
    List<Object> layers = new ArrayList<>();
    for (LayerPrediction l : p.layers()) {
      Map<String, Object> lm = new LinkedHashMap<>();
      lm.put("layer", l.layer());
      lm.putAll(layerJson(l));
      layers.add(lm);
    }
    root.put("layers", layers);
    if (p.breakdown().isPresent()) {
      Map<String, Object> b = new LinkedHashMap<>();
      b.put("layer", p.breakdown().get().layer());
      b.put("reason", p.breakdown().get().reason());
      root.put("breakdown", b);
    }
    return root;
  }

  /**
   * Adds the NTK to a {@link #toJson} tree: {@code "ntkRates": {"lambdaB": [..], "lambdaW": [..]}} and
   * per predicted layer {@code "ntk"} ({@link NtkView#layerJson}); an NTK breakdown before the
   * preactivation one replaces {@code "breakdown"}.
   */
  @SuppressWarnings("unchecked")
  static void addNtk(Map<String, Object> root, NtkPrediction p) {
    root.put("ntkRates", NtkView.ratesJson(p.rates()));
    List<Object> layers = (List<Object>) root.get("layers");
    for (int l = 1; l <= Math.min(layers.size(), p.layers().size()); l++) {
      ((Map<String, Object>) layers.get(l - 1)).put("ntk", NtkView.layerJson(p.layer(l)));
    }
    if (p.breakdown().isPresent()) {
      Map<String, Object> b = new LinkedHashMap<>();
      b.put("layer", p.breakdown().get().layer());
      b.put("reason", p.breakdown().get().reason());
      root.put("breakdown", b);
    }
  }

  /**
   * The theory fields of one layer: "K" and "K1" (d×d), "V" (by key "ab|cd"), "chiParallel" and
   * "chiPerp" (per input), and "exact" {"ez2", "ez4", "ezizj"} where the oracle applies.
   */
  static Map<String, Object> layerJson(LayerPrediction l) {
    Map<String, Object> lm = new LinkedHashMap<>();
    lm.put("K", l.kernel());
    lm.put("K1", l.nloKernel());
    lm.put("V", l.vertex().components());
    lm.put("chiParallel", l.chiParallel());
    lm.put("chiPerp", l.chiPerp());
    if (l.exact().isPresent() || l.exactLaw().isPresent()) {
      lm.put("exact", exactJson(l));
    }
    return lm;
  }

  /**
   * The "exact" object of one layer: "ez2", "ez4", "ezizj" (the 80-digit oracle's where it
   * applies, else the exact law's), "V" = n Var(Ĝ), "K1" = n(E[Ĝ] − K), "quantiles" of Ĝ at
   * "0.001" … "0.999" (from the law), "accuracy" (relative), "tailBound" (law).
   */
  static Map<String, Object> exactJson(LayerPrediction l) {
    Map<String, Object> em = new LinkedHashMap<>();
    if (l.exact().isPresent()) {
      ExactMoments.LayerMoments e = l.exact().get();
      em.put("ez2", e.ez2());
      em.put("ez4", e.ez4());
      em.put("ezizj", e.ezizj());
    } else {
      ExactLaw.Layer x = l.exactLaw().get();
      em.put("ez2", x.ez2());
      em.put("ez4", x.ez4());
      em.put("ezizj", x.ezizj());
    }
    em.put("V", finiteOrNull(l.exactVertex()));
    em.put("K1", finiteOrNull(l.exactNloKernel()));
    if (l.exactLaw().isPresent()) {
      ExactLaw.Layer x = l.exactLaw().get();
      Map<String, Object> q = new LinkedHashMap<>();
      double[] values = x.quantiles();
      for (int i = 0; i < values.length; i++) {
        q.put(levelKey(ExactLaw.QUANTILE_LEVELS[i]), values[i]);
      }
      em.put("quantiles", q);
      em.put("accuracy", finiteOrNull(l.exact().isPresent() ? l.exactAccuracy() : x.accuracy()));
      em.put("tailBound", finiteOrNull(x.tailBound()));
    } else {
      em.put("accuracy", finiteOrNull(l.exactAccuracy()));
    }
    return em;
  }

  /** JSON has no infinities: null stands for "no bound" or "beyond the double range". */
  private static Double finiteOrNull(double x) {
    return Double.isFinite(x) ? x : null;
  }

  /** "0.001", "0.5", ...: the level as its shortest decimal string. */
  static String levelKey(double level) {
    return new java.math.BigDecimal(Double.toString(level)).stripTrailingZeros().toPlainString();
  }

  /**
   * The tidy CSV of every number ({@link TidyCsv}; docs/cli.md, "CSV files"), in the column
   * {@code theory}: K and K1 (component "ab", or "a,b" for d &gt; {@value PairIndex#MAX_DIGIT_KEY_INPUTS},
   * a ≤ b), V (component "ab|cd" or "a,b|c,d"), chiParallel and chiPerp (component "a"); where
   * the exact oracle applies (one input) V's exact n_{ℓ−1} Var(Ĝ) in the column {@code exact},
   * and rows ez2, ez4, ezizj (E[z²], E[z⁴], E[z_i²z_j²], component "0") with the exact moment in
   * {@code exact}, or in {@code exact_text} when it lies beyond the double range. Undefined
   * values empty; no measurement, so value, se, z and flag are empty.
   */
  static String csv(Prediction p) {
    return TidyCsv.write(rows(p, Version.version()));
  }

  /** The rows of {@link #csv}. */
  static List<TidyCsv.Row> rows(Prediction p, String version) {
    TidyCsv.Run run = TidyCsv.Run.theory(p.spec(), version);
    int d = p.spec().inputCount();
    List<TidyCsv.Row> rows = new ArrayList<>();
    for (LayerPrediction l : p.layers()) {
      int ell = l.layer();
      int n = l.fanIn();
      for (int a = 0; a < d; a++) {
        for (int b = a; b < d; b++) {
          rows.add(TidyCsv.Row.ofTheory(run, ell, n, "K", pairKey(a, b, d), l.kernel(a, b), Double.NaN));
        }
      }
      for (int a = 0; a < d; a++) {
        for (int b = a; b < d; b++) {
          rows.add(TidyCsv.Row.ofTheory(run, ell, n, "K1", pairKey(a, b, d), l.nloKernel(a, b), Double.NaN));
        }
      }
      ExactMoments.LayerMoments x = l.exact().orElse(null);
      for (Map.Entry<String, Double> e : l.vertex().components().entrySet()) {
        // n_{ℓ−1} Var(Ĝ) = n_{ℓ−1} (Var(Ĝ)/E[Ĝ]²) E[Ĝ]², the relative variance computed exactly
        double exact = x == null ? Double.NaN : l.exactVertex();
        rows.add(TidyCsv.Row.ofTheory(run, ell, n, "V", e.getKey(), e.getValue(), exact));
      }
      for (int a = 0; a < d; a++) {
        rows.add(TidyCsv.Row.ofTheory(run, ell, n, "chiParallel", "" + a, l.chiParallel(a), Double.NaN));
      }
      for (int a = 0; a < d; a++) {
        rows.add(TidyCsv.Row.ofTheory(run, ell, n, "chiPerp", "" + a, l.chiPerp(a), Double.NaN));
      }
      if (x != null) {
        rows.add(TidyCsv.Row.ofExact(run, ell, n, "ez2", "0", x.ez2()));
        rows.add(TidyCsv.Row.ofExact(run, ell, n, "ez4", "0", x.ez4()));
        rows.add(TidyCsv.Row.ofExact(run, ell, n, "ezizj", "0", x.ezizj()));
      }
    }
    return rows;
  }

  /** The key of a pair of inputs: "ab" for d ≤ 10, "a,b" beyond (as the V keys). */
  static String pairKey(int a, int b, int d) {
    return PairIndex.of(d).pairKey(PairIndex.of(d).pair(a, b));
  }

  /** A table number; "-" where undefined (0/0 for a deterministic preactivation, K = 0). */
  private static String g(double v) {
    return Double.isFinite(v) ? String.format(Locale.ROOT, "%.10g", v) : "-";
  }

  /** A relative error or accuracy, 2 digits. */
  private static String e(double v) {
    return Double.isFinite(v) ? String.format(Locale.ROOT, "%.2e", v) : "-";
  }

  private static void print(PrintWriter out, Prediction p) {
    NetworkSpec s = p.spec();
    int d = s.inputCount();
    String gram = d <= 4 ? "Gram " + java.util.Arrays.deepToString(s.gram()) : d + " inputs";
    out.printf("theory: %s, C_b = %s, C_W = %s, depth %d, widths %s, n0 = %d, %s%n",
        s.activation().spec(), CriticalityCommand.fmt(s.cb()), CriticalityCommand.fmt(s.cw()),
        s.depth(), widthsText(s.widths()), s.inputDim(), gram);
    out.println("(leading order in 1/n, n = n_{l-1} the fan-in: E[z_a z_b] = K + K1/n,"
        + " connected 4-point = V/n; docs/theory.md sections 2-6)");
    out.println();
    if (d == 1) {
      boolean exact = !p.layers().isEmpty()
          && (p.layers().get(0).exact().isPresent() || p.layers().get(0).exactLaw().isPresent());
      out.printf("%5s %8s %17s %17s %17s %17s %17s %17s %17s %17s%s%n", "layer", "n_{l-1}", "K", "K1",
          "V", "V/K^2", "V/(nK^2)", "K1/K", "chi_par", "chi_perp",
          exact ? String.format(Locale.ROOT, " %17s %17s %17s %12s %12s %9s", "exact E[z^2]",
              "V_exact", "K1_exact", "LO err E", "LO err V", "accuracy") : "");
      for (LayerPrediction l : p.layers()) {
        String ex = "";
        if (l.exact().isPresent() || l.exactLaw().isPresent()) {
          double e2 = l.exactTwoPoint();
          double lo = l.twoPoint(0, 0);
          double vx = l.exactVertex();
          double v = l.vertex(0, 0, 0, 0);
          ex = String.format(Locale.ROOT, " %17s %17s %17s %12s %12s %9s", g(e2), g(vx),
              l.layer() == 1 ? g(0) : g(l.exactNloKernel()), e(lo / e2 - 1),
              vx == 0 && v == 0 ? e(0) : e(v / vx - 1), e(l.exactAccuracy()));
        }
        out.printf("%5d %8d %17s %17s %17s %17s %17s %17s %17s %17s%s%n", l.layer(), l.fanIn(),
            g(l.kernel(0, 0)), g(l.nloKernel(0, 0)), g(l.vertex(0, 0, 0, 0)),
            g(l.vertexOverKernelSquared(0)), g(l.vertexOverWidthKernelSquared(0)),
            g(l.nloKernelOverKernel(0)), g(l.chiParallel(0)), g(l.chiPerp(0)), ex);
      }
      if (exact) {
        out.println();
        out.println("exact: the finite-width values (docs/theory.md section 6.5); LO err E ="
            + " (K + K1/n)/E[z^2] - 1, LO err V = V/V_exact - 1; accuracy: relative error bound of"
            + " the exact values (- where none can be given)");
      }
    } else if (d == 2) {
      out.printf("%5s %8s %17s %17s %17s %17s %17s %17s %17s %17s %17s %17s%n", "layer", "n_{l-1}",
          "K00", "K01", "K11", "K1_00", "K1_01", "K1_11", "chi_par 0", "chi_par 1", "chi_perp 0",
          "chi_perp 1");
      for (LayerPrediction l : p.layers()) {
        out.printf("%5d %8d %17s %17s %17s %17s %17s %17s %17s %17s %17s %17s%n", l.layer(), l.fanIn(),
            g(l.kernel(0, 0)), g(l.kernel(0, 1)), g(l.kernel(1, 1)), g(l.nloKernel(0, 0)),
            g(l.nloKernel(0, 1)), g(l.nloKernel(1, 1)), g(l.chiParallel(0)), g(l.chiParallel(1)),
            g(l.chiPerp(0)), g(l.chiPerp(1)));
      }
      out.println();
      out.printf("%5s %17s %17s %17s %17s %17s %17s%n", "layer", "V 00|00", "V 00|01", "V 00|11",
          "V 01|01", "V 01|11", "V 11|11");
      for (LayerPrediction l : p.layers()) {
        StringBuilder sb = new StringBuilder(String.format(Locale.ROOT, "%5d", l.layer()));
        for (double v : l.vertex().components().values()) {
          sb.append(String.format(Locale.ROOT, " %17s", g(v)));
        }
        out.println(sb);
      }
    } else {
      printMany(out, p);
    }
  }

  /**
   * d ≥ 3: the diagonal, one row per layer and input, then per layer the range of each
   * off-diagonal component relative to its Cauchy–Schwarz scale (correlations of K, K1 and V).
   */
  private static void printMany(PrintWriter out, Prediction p) {
    int d = p.spec().inputCount();
    out.printf("%5s %5s %8s %17s %17s %17s %17s %17s %17s%n", "layer", "input", "n_{l-1}", "K_aa",
        "K1_aa", "V_(aa)(aa)", "V/K^2", "chi_par", "chi_perp");
    for (LayerPrediction l : p.layers()) {
      for (int a = 0; a < d; a++) {
        out.printf("%5d %5d %8d %17s %17s %17s %17s %17s %17s%n", l.layer(), a, l.fanIn(),
            g(l.kernel(a, a)), g(l.nloKernel(a, a)), g(l.vertex(a, a, a, a)),
            g(l.vertexOverKernelSquared(a)), g(l.chiParallel(a)), g(l.chiPerp(a)));
      }
    }
    out.println();
    out.println("Off-diagonal components over their Cauchy-Schwarz scale: rho_ab = K_ab/sqrt(K_aa K_bb),"
        + " K1_ab/sqrt(|K1_aa K1_bb|), and V_(ab)(cd)/sqrt(V_(ab)(ab) V_(cd)(cd)) over the "
        + "pairs (ab) != (cd); min and max over the batch (every component: --json, --csv).");
    out.printf("%5s %11s %11s %11s %11s %11s %11s%n", "layer", "rho min", "rho max", "K1 min", "K1 max",
        "V min", "V max");
    int np = PairIndex.pairCount(d);
    for (LayerPrediction l : p.layers()) {
      double[] rho = {Double.NaN, Double.NaN};
      double[] k1 = {Double.NaN, Double.NaN};
      double[] v = {Double.NaN, Double.NaN};
      for (int a = 0; a < d; a++) {
        for (int b = a + 1; b < d; b++) {
          range(rho, l.kernel(a, b) / Math.sqrt(l.kernel(a, a) * l.kernel(b, b)));
          range(k1, l.nloKernel(a, b) / Math.sqrt(Math.abs(l.nloKernel(a, a) * l.nloKernel(b, b))));
        }
      }
      for (int u = 0; u < np; u++) {
        for (int w = u + 1; w < np; w++) {
          double x = l.vertex().component(u, w);
          range(v, x / Math.sqrt(Math.abs(l.vertex().component(u, u) * l.vertex().component(w, w))));
        }
      }
      out.printf("%5d %11s %11s %11s %11s %11s %11s%n", l.layer(), f(rho[0]), f(rho[1]), f(k1[0]),
          f(k1[1]), f(v[0]), f(v[1]));
    }
  }

  private static void range(double[] r, double x) {
    if (Double.isFinite(x)) {
      r[0] = Double.isNaN(r[0]) ? x : Math.min(r[0], x);
      r[1] = Double.isNaN(r[1]) ? x : Math.max(r[1], x);
    }
  }

  private static String f(double x) {
    return Double.isFinite(x) ? String.format(Locale.ROOT, "%.6f", x) : "-";
  }

  private static String widthsText(int[] w) {
    boolean equal = true;
    for (int x : w) {
      equal &= x == w[0];
    }
    if (equal) {
      return w[0] + " (all)";
    }
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < w.length; i++) {
      sb.append(i == 0 ? "" : ",").append(w[i]);
    }
    return sb.toString();
  }
}
