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
 * <p>CSV: {@code layer,quantity,component,mean,se,theory,exact}, one row per measured number
 * (G and Gmetric by pair key, V and Vmetric by V key, ratio4 and pairRatio by input).
 *
 * <p>Table: for up to {@value #FULL_TABLE_MAX_INPUTS} inputs every component; for more, the
 * diagonal ({@code G_aa}, {@code V_(aa)(aa)}, the ratios of each input) and a summary of all
 * components against the theory: how many lie within 3 standard errors, and the
 * {@value #WORST_SHOWN} with the largest |measured − theory|/SE.
 */
final class SimulateOutput {
  /** Up to this many inputs the table lists every component. */
  static final int FULL_TABLE_MAX_INPUTS = 2;
  /** Components with the largest |z| listed per layer in the summary. */
  static final int WORST_SHOWN = 3;
  /** The summary's "within" threshold in standard errors. */
  static final double WITHIN_SE = 3;

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
    List<Object> layers = new ArrayList<>();
    for (int l = 1; l <= net.depth(); l++) {
      Map<String, Object> layer = new LinkedHashMap<>();
      layer.put("layer", l);
      layer.putAll(th.layerJson(l));
      layer.put("measured", measuredJson(r.estimates(l), net.inputCount()));
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

  static String csv(EnsembleResult r, TheoryView th) {
    StringBuilder sb = new StringBuilder("layer,quantity,component,mean,se,theory,exact\n");
    int d = r.spec().inputCount();
    for (int l = 1; l <= r.spec().depth(); l++) {
      LayerEstimates e = r.estimates(l);
      PairIndex ix = e.layout().index();
      for (int p = 0; p < ix.pairs(); p++) {
        int a = ix.first(p);
        int b = ix.second(p);
        OptionalDouble exact = d == 1 ? th.exactTwoPoint(l) : OptionalDouble.empty();
        if (e.hasDistinctNeurons()) {
          csvRow(sb, l, "G", ix.pairKey(p), e.g(a, b), th.twoPoint(l, a, b), exact);
        }
        csvRow(sb, l, "Gmetric", ix.pairKey(p), e.gMetric(a, b), th.twoPoint(l, a, b), exact);
      }
      for (int q = 0; q < ix.pairPairs(); q++) {
        OptionalDouble theory = vertex(th, l, ix, q);
        OptionalDouble exact = d == 1 ? th.exactVertex(l) : OptionalDouble.empty();
        if (e.hasDistinctNeurons()) {
          csvRow(sb, l, "V", ix.key(q), e.v(q), theory, exact);
        }
        csvRow(sb, l, "Vmetric", ix.key(q), e.vMetric(q), theory, exact);
      }
      if (e.hasDistinctNeurons()) {
        for (int a = 0; a < d; a++) {
          csvRow(sb, l, "ratio4", "" + a, e.ratio4(a), th.ratio(l, a), d == 1 ? th.exactRatio4(l) : OptionalDouble.empty());
          csvRow(sb, l, "pairRatio", "" + a, e.pairRatio(a), th.ratio(l, a),
              d == 1 ? th.exactPairRatio(l) : OptionalDouble.empty());
        }
      }
    }
    return sb.toString();
  }

  private static OptionalDouble vertex(TheoryView th, int l, PairIndex ix, int r) {
    int p = ix.pairPairFirst(r);
    int q = ix.pairPairSecond(r);
    return th.vertex(l, ix.first(p), ix.second(p), ix.first(q), ix.second(q));
  }

  private static void csvRow(StringBuilder sb, int layer, String quantity, String component, Estimate e,
      OptionalDouble theory, OptionalDouble exact) {
    sb.append(layer).append(',').append(quantity).append(',').append(component).append(',')
        .append(csvNum(e.mean())).append(',').append(csvNum(e.standardError())).append(',')
        .append(theory.isPresent() ? csvNum(theory.getAsDouble()) : "").append(',')
        .append(exact.isPresent() ? csvNum(exact.getAsDouble()) : "").append('\n');
  }

  private static String csvNum(double x) {
    return Double.isFinite(x) ? Double.toString(x) : "";
  }

  /** Writes text atomically ({@link AtomicFile}): never a half-written file. */
  static void writeAtomically(Path target, String text) throws IOException {
    AtomicFile.write(target, text.getBytes(StandardCharsets.UTF_8));
  }

  // ---- table --------------------------------------------------------------------------------

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
      StringBuilder sb = new StringBuilder("diverged by first non-finite layer:");
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
    out.println("measured: mean ± standard error; 'metric' = the same quantity from the sampler's metric Ĝ"
        + " (Rao–Blackwellised); theory: K + K1/n for G, V, 1 + V/(nK²) for the ratios");
    if (d > FULL_TABLE_MAX_INPUTS) {
      out.println("for " + d + " inputs the table shows the diagonal and a summary of every component against the"
          + " theory; --json and --csv hold every component");
    }
    String row = "%-14s %-26s %-26s %-14s %-14s%n";
    boolean full = d <= FULL_TABLE_MAX_INPUTS;
    for (int l = 1; l <= net.depth(); l++) {
      LayerEstimates e = r.estimates(l);
      PairIndex ix = e.layout().index();
      out.println();
      out.printf(Locale.ROOT, "layer %d  (n_%d = %d -> n_%d = %d, %d networks)%n", l, l - 1, net.width(l - 1), l,
          net.width(l), e.networks());
      if (e.tailShare() > LayerEstimates.TAIL_SHARE_WARNING) {
        out.printf(Locale.ROOT, "warning: heavy tails: one network holds %.0f%% of a sum of squares behind these"
            + " standard errors; they are unreliable (likely too small) at this depth and width (docs/theory.md §6.2)%n",
            100 * e.tailShare());
      }
      out.printf(Locale.ROOT, row, "quantity", "measured", "metric", "theory", "exact");
      for (int p = 0; p < ix.pairs(); p++) {
        int a = ix.first(p);
        int b = ix.second(p);
        if (full || a == b) {
          out.printf(Locale.ROOT, row, "G " + ix.pairKey(p), e.hasDistinctNeurons() ? pm(e.g(a, b)) : "-",
              pm(e.gMetric(a, b)),
              opt(th.twoPoint(l, a, b)), d == 1 ? opt(th.exactTwoPoint(l)) : "");
        }
      }
      for (int q = 0; q < ix.pairPairs(); q++) {
        int p1 = ix.pairPairFirst(q);
        int p2 = ix.pairPairSecond(q);
        boolean diagonal = p1 == p2 && ix.first(p1) == ix.second(p1);
        if (full || diagonal) {
          out.printf(Locale.ROOT, row, "V " + ix.key(q), e.hasDistinctNeurons() ? pm(e.v(q)) : "-", pm(e.vMetric(q)),
              opt(vertex(th, l, ix, q)), d == 1 ? opt(th.exactVertex(l)) : "");
        }
      }
      if (e.hasDistinctNeurons()) {
        for (int a = 0; a < d; a++) {
          String suffix = d == 1 ? "" : " " + a;
          out.printf(Locale.ROOT, row, "ratio4" + suffix, pm(e.ratio4(a)), "", opt(th.ratio(l, a)),
              d == 1 ? opt(th.exactRatio4(l)) : "");
          out.printf(Locale.ROOT, row, "pairRatio" + suffix, pm(e.pairRatio(a)), "", opt(th.ratio(l, a)),
              d == 1 ? opt(th.exactPairRatio(l)) : "");
        }
      }
      if (!full) {
        summary(out, e, th, l);
      }
    }
  }

  /** One measured component against its theory. */
  private record Comparison(String quantity, String key, Estimate measured, double theory) {
    /** (measured − theory)/SE; 0 when both agree to rounding with SE 0; NaN if not comparable. */
    double z() {
      double diff = measured.mean() - theory;
      double se = measured.standardError();
      if (se > 0) {
        return diff / se;
      }
      // An exact measurement (layer 1's metric): equal up to the rounding of the two computations.
      return se == 0 && Math.abs(diff) <= 1e-12 * Math.max(Math.abs(theory), Math.abs(measured.mean())) ? 0 : Double.NaN;
    }
  }

  /**
   * The summary lines of a layer: per quantity, the number of components within
   * {@value #WITHIN_SE} SE of the theory, and the components with the largest |z|.
   */
  private static void summary(PrintWriter out, LayerEstimates e, TheoryView th, int l) {
    PairIndex ix = e.layout().index();
    Map<String, List<Comparison>> byQuantity = new LinkedHashMap<>();
    for (String q : new String[] {"G", "Gmetric", "Vmetric", "V"}) {
      byQuantity.put(q, new ArrayList<>());
    }
    for (int p = 0; p < ix.pairs(); p++) {
      int a = ix.first(p);
      int b = ix.second(p);
      OptionalDouble t = th.twoPoint(l, a, b);
      if (t.isPresent()) {
        byQuantity.get("G").add(new Comparison("G", ix.pairKey(p), e.g(a, b), t.getAsDouble()));
        byQuantity.get("Gmetric").add(new Comparison("Gmetric", ix.pairKey(p), e.gMetric(a, b), t.getAsDouble()));
      }
    }
    for (int r = 0; r < ix.pairPairs(); r++) {
      OptionalDouble t = vertex(th, l, ix, r);
      if (t.isPresent()) {
        byQuantity.get("Vmetric").add(new Comparison("Vmetric", ix.key(r), e.vMetric(r), t.getAsDouble()));
        if (e.hasDistinctNeurons()) {
          byQuantity.get("V").add(new Comparison("V", ix.key(r), e.v(r), t.getAsDouble()));
        }
      }
    }
    List<Comparison> all = new ArrayList<>();
    StringBuilder within = new StringBuilder();
    for (Map.Entry<String, List<Comparison>> q : byQuantity.entrySet()) {
      int compared = 0;
      int inside = 0;
      for (Comparison c : q.getValue()) {
        double z = c.z();
        if (Double.isFinite(z)) {
          compared++;
          inside += Math.abs(z) <= WITHIN_SE ? 1 : 0;
          all.add(c);
        }
      }
      if (compared > 0) {
        within.append(within.isEmpty() ? "" : ", ").append(q.getKey()).append(' ').append(inside).append(" of ")
            .append(compared);
      }
    }
    if (all.isEmpty()) {
      out.println("  summary: no theory to compare with (--json and --csv hold every component)");
      return;
    }
    out.printf(Locale.ROOT, "  within %s SE of the theory: %s%n", fmt(WITHIN_SE), within);
    all.sort(Comparator.comparingDouble((Comparison c) -> -Math.abs(c.z())));
    StringBuilder worst = new StringBuilder();
    for (int i = 0; i < Math.min(WORST_SHOWN, all.size()); i++) {
      Comparison c = all.get(i);
      worst.append(i == 0 ? "" : "; ").append(c.quantity()).append(' ').append(c.key()).append(String.format(Locale.ROOT,
          " %+.1f (%s vs %s)", c.z(), pm(c.measured()), fmt(c.theory())));
    }
    out.printf(Locale.ROOT, "  largest |measured - theory|/SE: %s%n", worst);
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
