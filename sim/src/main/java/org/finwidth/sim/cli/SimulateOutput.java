package org.finwidth.sim.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalDouble;
import org.finwidth.ensemble.EnsembleResult;
import org.finwidth.network.NetworkSpec;
import org.finwidth.sim.experiment.Fmt;
import org.finwidth.sim.state.AtomicFile;
import org.finwidth.stats.Estimate;
import org.finwidth.stats.LayerEstimates;
import org.finwidth.stats.ObservableLayout;
import org.finwidth.stats.TailCheck;
import org.finwidth.stats.Verdict;
import org.finwidth.vector.PairIndex;

/**
 * Everything {@code simulate} and {@code merge} print about a result, in one place: the JSON, the
 * CSV and the table (docs/cli.md, "simulate").
 *
 * <p>JSON: {@code {"spec", "networks", "seed", "sampler", "statistics", "diverged",
 * "divergedByLayer", "firstDivergedNetwork", "blockSize", "layers": [{"layer", <theory fields>,
 * "measured": {"networks", "G": {"mean": [[..]], "se": [[..]]}, "Gmetric": {..},
 * "V": {"00|00": {"mean", "se"}, ..}, "Vmetric": {..}, "ratio4": {"mean", "se"}, "pairRatio": {..},
 * "ratio4ByInput": [..], "pairRatioByInput": [..], "tailShare"}}]}}}. "G", "V", "ratio4ByInput" and
 * "pairRatioByInput" (and "ratio4", "pairRatio", for a single input) are present only with the
 * distinct-neuron statistics ({@code "statistics": "metric+neurons"}); the V keys are
 * {@link PairIndex#key} ("01|23" for up to 10 inputs, "0,1|2,3" beyond); undefined numbers are
 * null. The JSON holds no timing, so it is bitwise the same for any number of threads.
 *
 * <p>CSV: the tidy CSV ({@link TidyCsv}), one row per measured number ({@link Comparison}: G
 * and Gmetric by pair key, V and Vmetric by V key, ratio4 and pairRatio by input), with its
 * provenance, predictions, z and flag.
 *
 * <p>Table: one row per measured number with its z-scores against the leading order and the
 * exact value and its flag ({@link org.finwidth.stats.Verdict}), under a legend; for up to
 * {@value #FULL_TABLE_MAX_INPUTS} inputs every component; for more, the diagonal ({@code G_aa},
 * {@code V_(aa)(aa)}, the ratios of each input) and a summary of all components: how many got each
 * flag, and the {@value #WORST_SHOWN} with the largest |z|.
 */
final class SimulateOutput {
  /** Up to this many inputs the table lists every component. */
  static final int FULL_TABLE_MAX_INPUTS = 2;
  /** Components with the largest |z| listed per layer in the summary. */
  static final int WORST_SHOWN = 3;

  private SimulateOutput() {}

  // ---- JSON ---------------------------------------------------------------------------------

  static Map<String, Object> json(EnsembleResult r, TheoryView th) {
    NetworkSpec net = r.spec();
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("spec", NetworkOptions.specJson(net));
    m.put("networks", r.networks());
    m.put("seed", r.seed());
    m.put("sampler", r.sampler());
    m.put("statistics", r.layout().describe());
    m.put("diverged", r.diverged());
    List<Long> byLayer = new ArrayList<>();
    for (int l = 1; l <= net.depth(); l++) {
      byLayer.add(r.divergedAtLayer(l));
    }
    m.put("divergedByLayer", byLayer);
    m.put("firstDivergedNetwork", r.firstDivergedNetwork() < 0 ? null : r.firstDivergedNetwork());
    m.put("blockSize", r.blockSize());
    if (!r.isComplete()) {
      m.put("partialBlocks", r.blocks().toString()); // a shard or a partial merge; absent for a whole run
    }
    if (th.note() != null) {
      m.put("theoryNote", th.note());
    }
    org.finwidth.theory.NtkPrediction tangent = NtkView.theoryOf(r);
    if (r.ntk().isPresent()) {
      m.put("ntkRates", NtkView.ratesJson(r.ntk().get().options().rates()));
      m.put("ntkNeurons", r.ntk().get().options().neurons());
      if (tangent == null || tangent.breakdown().isPresent()) {
        m.put("ntkTheoryNote", tangent == null ? "no NTK theory for this network (docs/theory.md section 11)"
            : "NTK theory stops at " + tangent.breakdown().get().reason());
      }
    }
    List<Object> layers = new ArrayList<>();
    for (int l = 1; l <= net.depth(); l++) {
      Map<String, Object> layer = new LinkedHashMap<>();
      layer.put("layer", l);
      layer.putAll(th.layerJson(l));
      org.finwidth.theory.NtkLayer tl = NtkView.layer(tangent, l);
      if (tl != null) {
        layer.put("ntk", NtkView.layerJson(tl));
      }
      Map<String, Object> measured = measuredJson(r.estimates(l), net.inputCount());
      if (r.ntk().isPresent()) {
        measured.put("ntk", NtkView.measuredJson(r.ntkEstimates(l), r.ntk().get().options().neurons(), tl));
      }
      layer.put("measured", measured);
      layers.add(layer);
    }
    m.put("layers", layers);
    return m;
  }

  private static Map<String, Object> measuredJson(LayerEstimates e, int d) {
    PairIndex ix = e.layout().index();
    boolean neurons = e.hasDistinctNeurons();
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("networks", e.networks());
    if (neurons) {
      m.put("G", matrixJson(d, e::g));
    }
    m.put("Gmetric", matrixJson(d, e::gMetric));
    if (neurons) {
      Map<String, Object> v = new LinkedHashMap<>();
      for (int r = 0; r < ix.pairPairs(); r++) {
        v.put(ix.key(r), estimateJson(e.v(r)));
      }
      m.put("V", v);
    }
    Map<String, Object> vm = new LinkedHashMap<>();
    for (int r = 0; r < ix.pairPairs(); r++) {
      vm.put(ix.key(r), estimateJson(e.vMetric(r)));
    }
    m.put("Vmetric", vm);
    if (neurons) {
      if (d == 1) {
        m.put("ratio4", estimateJson(e.ratio4(0)));
        m.put("pairRatio", estimateJson(e.pairRatio(0)));
      }
      List<Object> r4 = new ArrayList<>();
      List<Object> pr = new ArrayList<>();
      for (int a = 0; a < d; a++) {
        r4.add(estimateJson(e.ratio4(a)));
        pr.add(estimateJson(e.pairRatio(a)));
      }
      m.put("ratio4ByInput", r4);
      m.put("pairRatioByInput", pr);
    }
    m.put("tailShare", num(e.tailShare()));
    return m;
  }

  private interface PairEstimate {
    Estimate at(int a, int b);
  }

  private static Map<String, Object> matrixJson(int d, PairEstimate f) {
    List<List<Double>> mean = new ArrayList<>();
    List<List<Double>> se = new ArrayList<>();
    for (int a = 0; a < d; a++) {
      List<Double> mr = new ArrayList<>();
      List<Double> sr = new ArrayList<>();
      for (int b = 0; b < d; b++) {
        Estimate x = f.at(a, b);
        mr.add(num(x.mean()));
        sr.add(num(x.standardError()));
      }
      mean.add(mr);
      se.add(sr);
    }
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("mean", mean);
    m.put("se", se);
    return m;
  }

  private static Map<String, Object> estimateJson(Estimate e) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("mean", num(e.mean()));
    m.put("se", num(e.standardError()));
    return m;
  }

  /** A finite double, or null (JSON has no NaN). */
  static Double num(double x) {
    return Double.isFinite(x) ? x : null;
  }

  static String toJson(Object value) throws JsonProcessingException {
    return new ObjectMapper().writerWithDefaultPrettyPrinter().writeValueAsString(value);
  }

  // ---- CSV ----------------------------------------------------------------------------------

  /** The tidy CSV of a result ({@link TidyCsv}), one row per {@link Comparison}, then the NTK's rows if measured. */
  static String csv(EnsembleResult r, TheoryView th, String version) {
    List<TidyCsv.Row> rows = new ArrayList<>(TidyCsv.rows(r, th, version));
    if (r.ntk().isPresent()) {
      rows.addAll(NtkView.tidyRows(r, NtkView.theoryOf(r), TidyCsv.Run.of(r, version)));
    }
    return TidyCsv.write(rows);
  }

  /** Writes text atomically ({@link AtomicFile}): never a half-written file. */
  static void writeAtomically(Path target, String text) throws IOException {
    AtomicFile.write(target, text.getBytes(StandardCharsets.UTF_8));
  }

  // ---- table --------------------------------------------------------------------------------

  /** The legend of the table's columns and flags (docs/theory.md §9.7). */
  static final List<String> LEGEND = List.of(
      "measured: mean ± SE; G and V from the neurons, Gmetric and Vmetric the same quantities from the sampler's"
          + " metric Ĝ (lower variance); theory: the leading order (K + K1/n for G, V, 1 + V/(nK²) for the ratios);"
          + " exact: the exact finite-width value; z = (measured − prediction)/SE",
      "flag: ok = within 3 SE of exact where known, else of theory; beyond-LO = off theory by less than 3 SE +"
          + " the next order, estimated as min(r, 1/2)·|the 1/n term| with r = Σ_{k<ℓ} 1/n_k;"
          + " heavy-tail = one network holds more of a sum of squares than M light-tailed networks would, so the SE"
          + " is unreliable; disagree = none of these (docs/theory.md §9.7)");

  /** The table of a result; {@code how} says how it was obtained (threads and time, or merged files). */
  static void printTable(PrintWriter out, EnsembleResult r, TheoryView th, String how) {
    NetworkSpec net = r.spec();
    int d = net.inputCount();
    ObservableLayout layout = r.layout();
    out.printf(Locale.ROOT, "finwidth simulate: %s, C_b=%s, C_W=%s, n_0=%d, widths %s, d=%d input%s%n",
        net.activation().spec(), fmt(net.cb()), fmt(net.cw()), net.inputDim(), widthList(net), d, d == 1 ? "" : "s");
    out.printf(Locale.ROOT, "%d networks (%d diverged), seed %d, sampler %s, %s%n",
        r.networks(), r.diverged(), r.seed(), r.sampler(), how);
    if (!layout.distinctNeurons()) {
      out.println("statistics: the metric's (Gmetric, Vmetric); --distinct-neurons adds G and V from the neurons"
          + " and the kurtosis ratios");
    }
    if (!r.isComplete()) {
      out.printf(Locale.ROOT, "partial: the %d networks of blocks %s (of %d blocks of %d); merge the shards for the whole run%n",
          r.networksDone(), r.blocks(), r.blockCount(), r.blockSize());
    }
    if (r.diverged() > 0) {
      StringBuilder sb = new StringBuilder("diverged (not finite, or out of the float range) by first such layer:");
      for (int l = 1; l <= net.depth(); l++) {
        if (r.divergedAtLayer(l) > 0) {
          sb.append(' ').append(l).append(':').append(r.divergedAtLayer(l));
        }
      }
      sb.append(" (network ").append(r.firstDivergedNetwork()).append(" is the first); they are not in the statistics");
      out.println(sb);
    }
    if (th.note() != null) {
      out.println("theory: " + th.note());
    }
    org.finwidth.theory.NtkPrediction tangent = NtkView.theoryOf(r);
    if (r.ntk().isPresent()) {
      org.finwidth.ensemble.NtkOptions o = r.ntk().get().options();
      out.printf(Locale.ROOT, "NTK (docs/theory.md section 11): lambda_b %s, lambda_W %s, %d output neurons per layer;"
          + " theory: H, D, F, A, B at leading order, H1 measured as n(E[H_ii] - H)%s%n",
          java.util.Arrays.toString(o.rates().biasRates()), java.util.Arrays.toString(o.rates().weightRates()),
          o.neurons(), tangent == null ? " (no NTK theory for this network)"
              : tangent.breakdown().map(b -> " (NTK theory stops at " + b.reason() + ")").orElse(""));
    }
    LEGEND.forEach(out::println);
    boolean full = d <= FULL_TABLE_MAX_INPUTS;
    if (!full) {
      out.println("for " + d + " inputs the table shows the diagonal and a summary of every component against the"
          + " theory; --json and --csv hold every component");
    }
    List<List<Comparison>> layers = new ArrayList<>();
    boolean anyExact = false;
    for (int l = 1; l <= net.depth(); l++) {
      List<Comparison> c = Comparison.layer(r, th, l);
      layers.add(c);
      anyExact |= c.stream().anyMatch(x -> x.exact().isPresent());
    }
    String row = anyExact ? "%-15s %-24s %-12s %7s %-12s %7s  %s%n" : "%-15s %-24s %-12s %7s  %s%n";
    for (int l = 1; l <= net.depth(); l++) {
      LayerEstimates e = r.estimates(l);
      out.println();
      out.printf(Locale.ROOT, "layer %d  (n_%d = %d -> n_%d = %d, %d networks)%n", l, l - 1, net.width(l - 1), l,
          net.width(l), e.networks());
      TailCheck tails = TailCheck.of(e);
      if (tails.heavy()) {
        out.printf(Locale.ROOT, "heavy tails: one network holds %.2g%% of a sum of squares behind these standard"
            + " errors (at most %.2g%% for %d networks of a light-tailed quantity): the SEs are unreliable, likely too"
            + " small (docs/theory.md §9.7)%n", 100 * tails.share(), 100 * tails.bound(), tails.networks());
      }
      out.print(anyExact ? String.format(Locale.ROOT, row, "quantity", "measured", "theory", "z", "exact", "z", "flag")
          : String.format(Locale.ROOT, row, "quantity", "measured", "theory", "z", "flag"));
      for (Comparison c : layers.get(l - 1)) {
        if (!full && !c.diagonal()) {
          continue;
        }
        Verdict v = c.verdict();
        String label = c.label(d);
        out.print(anyExact
            ? String.format(Locale.ROOT, row, label, pm(c.measured()), opt(c.theory()), zText(v.zLeading()),
                opt(c.exact()), zText(v.zExact()), v.flag().label())
            : String.format(Locale.ROOT, row, label, pm(c.measured()), opt(c.theory()), zText(v.zLeading()),
                v.flag().label()));
      }
      if (!full) {
        summary(out, layers.get(l - 1));
      }
      if (r.ntk().isPresent()) {
        NtkView.printMeasured(out, r, tangent, l);
      }
    }
  }

  /** A z-score to one decimal; "-" for none, "inf" for an exact measurement that differs. */
  static String zText(double z) {
    if (Double.isNaN(z)) {
      return "-";
    }
    if (Double.isInfinite(z)) {
      return z > 0 ? "+inf" : "-inf";
    }
    return String.format(Locale.ROOT, "%.1f", z);
  }

  /**
   * The summary lines of a layer with more inputs than the table shows: per quantity, how many
   * components got each flag, and the {@value #WORST_SHOWN} components with the largest |z|.
   */
  private static void summary(PrintWriter out, List<Comparison> layer) {
    Map<String, int[]> counts = new LinkedHashMap<>();
    List<Comparison> judged = new ArrayList<>();
    for (Comparison c : layer) {
      if (c.verdict().flag() == Verdict.Flag.NONE) {
        continue;
      }
      counts.computeIfAbsent(c.quantity(), q -> new int[Verdict.Flag.values().length])[c.verdict().flag().ordinal()]++;
      if (Double.isFinite(c.verdict().z())) {
        judged.add(c);
      }
    }
    if (counts.isEmpty()) {
      out.println("  summary: no theory to compare with (--json and --csv hold every component)");
      return;
    }
    StringBuilder flags = new StringBuilder();
    for (Map.Entry<String, int[]> q : counts.entrySet()) {
      StringBuilder f = new StringBuilder();
      for (Verdict.Flag flag : Verdict.Flag.values()) {
        int k = q.getValue()[flag.ordinal()];
        if (k > 0) {
          f.append(f.isEmpty() ? "" : ", ").append(k).append(' ').append(flag.label());
        }
      }
      flags.append(flags.isEmpty() ? "" : "; ").append(q.getKey()).append(": ").append(f);
    }
    out.printf(Locale.ROOT, "  flags: %s%n", flags);
    judged.sort(Comparator.comparingDouble((Comparison c) -> -Math.abs(c.verdict().z())));
    StringBuilder worst = new StringBuilder();
    for (int i = 0; i < Math.min(WORST_SHOWN, judged.size()); i++) {
      Comparison c = judged.get(i);
      OptionalDouble ref = c.exact().isPresent() ? c.exact() : c.theory();
      worst.append(i == 0 ? "" : "; ").append(c.quantity()).append(' ').append(c.component()).append(String.format(
          Locale.ROOT, " %s (%s vs %s, %s)", zText(c.verdict().z()), pm(c.measured()), opt(ref),
          c.verdict().flag().label()));
    }
    if (!worst.isEmpty()) {
      out.printf(Locale.ROOT, "  largest |z|: %s%n", worst);
    }
  }

  private static String widthList(NetworkSpec net) {
    StringBuilder sb = new StringBuilder();
    for (int l = 1; l <= net.depth(); l++) {
      if (l > 1) {
        sb.append(',');
      }
      sb.append(net.width(l));
    }
    return sb.toString();
  }

  /** "1.23456 ± 0.0012" with the mean to the SE's second significant digit (at least 6 significant). */
  static String pm(Estimate e) {
    if (!Double.isFinite(e.mean())) {
      return "n/a";
    }
    double se = e.standardError();
    String s = !Double.isFinite(se) ? "?" : se == 0 ? "0" : String.format(Locale.ROOT, "%.2g", se);
    return fmt(e.mean()) + " ± " + s;
  }

  private static String opt(OptionalDouble x) {
    return x.isPresent() ? fmt(x.getAsDouble()) : "-";
  }

  /** Six significant digits without trailing zeros: 0.1, 1.23457, 1.5e-07 ({@link Fmt#num(double)}). */
  static String fmt(double x) {
    return Fmt.num(x);
  }
}
