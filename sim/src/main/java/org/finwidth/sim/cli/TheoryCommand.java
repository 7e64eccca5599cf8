package org.finwidth.sim.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.finwidth.network.NetworkSpec;
import org.finwidth.theory.ExactMoments;
import org.finwidth.theory.LayerPrediction;
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
          + " (connected 4-point = V/n, n = fan-in), chi_par, chi_perp, and for one input and a"
          + " positively homogeneous activation of integer degree the exact E[z^2], E[z^4],"
          + " E[z_i^2 z_j^2].",
      "Inputs: one or two, by their Gram matrix (1/n0) x.x or as explicit vectors."
    })
public final class TheoryCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Mixin NetworkOptions network;

  @Option(names = "--json", description = "Write JSON instead of a table.")
  boolean json;

  @Override
  public Integer call() throws JsonProcessingException {
    Prediction prediction = Prediction.of(network.toSpec());
    PrintWriter out = spec.commandLine().getOut();
    if (json) {
      out.println(CriticalityCommand.write(toJson(prediction)));
    } else {
      print(out, prediction);
    }
    out.flush();
    if (prediction.breakdown().isPresent()) {
      PrintWriter err = spec.commandLine().getErr();
      err.println("finwidth: prediction stops at " + prediction.breakdown().get().reason());
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
    if (l.exact().isPresent()) {
      ExactMoments.LayerMoments e = l.exact().get();
      Map<String, Object> em = new LinkedHashMap<>();
      em.put("ez2", e.ez2());
      em.put("ez4", e.ez4());
      em.put("ezizj", e.ezizj());
      lm.put("exact", em);
    }
    return lm;
  }

  /** A table number; "-" where undefined (0/0 for a deterministic preactivation, K = 0). */
  private static String g(double v) {
    return Double.isFinite(v) ? String.format(Locale.ROOT, "%.10g", v) : "-";
  }

  private static void print(PrintWriter out, Prediction p) {
    NetworkSpec s = p.spec();
    out.printf("theory: %s, C_b = %s, C_W = %s, depth %d, widths %s, n0 = %d, Gram %s%n",
        s.activation().spec(), CriticalityCommand.fmt(s.cb()), CriticalityCommand.fmt(s.cw()),
        s.depth(), widthsText(s.widths()), s.inputDim(), java.util.Arrays.deepToString(s.gram()));
    out.println("(leading order in 1/n, n = n_{l-1} the fan-in: E[z_a z_b] = K + K1/n,"
        + " connected 4-point = V/n; docs/theory.md sections 2-6)");
    out.println();
    if (s.inputCount() == 1) {
      boolean exact = !p.layers().isEmpty() && p.layers().get(0).exact().isPresent();
      out.printf("%5s %8s %17s %17s %17s %17s %17s %17s %17s %17s%s%n", "layer", "n_{l-1}", "K", "K1",
          "V", "V/K^2", "V/(nK^2)", "K1/K", "chi_par", "chi_perp",
          exact ? String.format(Locale.ROOT, " %17s %17s", "exact E[z^2]", "E[z^4]/(3E[z^2]^2)") : "");
      for (LayerPrediction l : p.layers()) {
        String ex = "";
        if (l.exact().isPresent()) {
          ExactMoments.LayerMoments e = l.exact().get();
          ex = String.format(Locale.ROOT, " %17s %17s", e.ez2().round(new java.math.MathContext(10)).toString(),
              g(e.kurtosisRatio()));
        }
        out.printf("%5d %8d %17s %17s %17s %17s %17s %17s %17s %17s%s%n", l.layer(), l.fanIn(),
            g(l.kernel(0, 0)), g(l.nloKernel(0, 0)), g(l.vertex(0, 0, 0, 0)),
            g(l.vertexOverKernelSquared(0)), g(l.vertexOverWidthKernelSquared(0)),
            g(l.nloKernelOverKernel(0)), g(l.chiParallel(0)), g(l.chiPerp(0)), ex);
      }
    } else {
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
    }
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
