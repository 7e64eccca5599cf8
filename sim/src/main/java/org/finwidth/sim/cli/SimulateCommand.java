package org.finwidth.sim.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.concurrent.Callable;
import java.util.function.Function;
import org.finwidth.ensemble.EnsembleResult;
import org.finwidth.ensemble.EnsembleRunner;
import org.finwidth.ensemble.ProgressListener;
import org.finwidth.ensemble.SamplerFactory;
import org.finwidth.network.NetworkSpec;
import org.finwidth.network.SamplerKind;
import org.finwidth.network.Samplers;
import org.finwidth.sim.experiment.Fmt;
import org.finwidth.sim.state.AtomicFile;
import org.finwidth.sim.state.ShardRange;
import org.finwidth.stats.Estimate;
import org.finwidth.stats.LayerEstimates;
import org.finwidth.stats.ObservableLayout;
import org.finwidth.vector.PairIndex;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code finwidth simulate}: a Monte Carlo ensemble of M networks of one specification, with the
 * measured two-point function, four-point vertex and kurtosis ratios per layer (each with its
 * standard error) printed beside the effective-theory prediction and, where it exists, the exact
 * finite-width value. Estimators: {@link LayerEstimates}.
 *
 * <p>JSON ({@code --json}): {@code {"spec", "networks", "seed", "sampler", "diverged",
 * "divergedByLayer", "firstDivergedNetwork", "blockSize", "layers": [{"layer", <theory fields>,
 * "measured": {"networks", "G": {"mean": [[..]], "se": [[..]]}, "Gmetric": {..},
 * "V": {"00|00": {"mean", "se"}, ..}, "Vmetric": {..}, "ratio4": {"mean", "se"},
 * "pairRatio": {..}, "ratio4ByInput": [..], "pairRatioByInput": [..], "tailShare"}}]}}} — ratio4 and
 * pairRatio for a single input only; undefined numbers are null. The JSON holds no timing, so it is
 * bitwise the same for any number of threads.
 */
@Command(
    name = "simulate",
    mixinStandardHelpOptions = true,
    description = {
      "Monte Carlo over an ensemble of random networks: measured E[z_a z_b], V and kurtosis ratios per layer,"
          + " with standard errors, beside the theory (K + K1/n, V) and the exact finite-width values where known.",
      "Results are bitwise reproducible for a seed, whatever the number of threads."
    })
public final class SimulateCommand implements Callable<Integer> {
  /**
   * Where the samplers come from: the production samplers ({@link Samplers#create}, one per
   * thread, on the kernels the provider chose); tests substitute their reference samplers.
   */
  static Function<SamplerKind, SamplerFactory> samplers =
      kind -> SamplerFactory.of(kind.cliName(), spec -> Samplers.create(spec, kind));

  /** Where the theory comes from ({@link TheoryView}). */
  static Function<NetworkSpec, TheoryView> theory = PredictionView::of;

  @Spec CommandSpec spec;

  @Mixin NetworkOptions network;

  @Option(names = {"-M", "--networks"}, required = true, paramLabel = "M", description = "Number of networks M >= 1.")
  long networks;

  @Option(names = {"-s", "--seed"}, required = true, paramLabel = "S",
      description = "Seed (any 64-bit integer): the ensemble is a pure function of it.")
  long seed;

  @Option(names = "--sampler", paramLabel = "KIND", defaultValue = "conditional",
      description = "weights (the network as it is) or conditional (exact in distribution, faster)"
          + " (default: ${DEFAULT-VALUE}).")
  String sampler;

  @Option(names = {"-t", "--threads"}, paramLabel = "T",
      description = "Worker threads (default: the number of processors). Does not change the result.")
  Integer threads;

  @Option(names = "--json", description = "Write JSON instead of a table.")
  boolean json;

  @Option(names = "--csv", paramLabel = "FILE",
      description = "Also write every measured number to FILE as CSV (layer,quantity,component,mean,se,theory,exact).")
  Path csv;

  @Mixin ShardOptions shards;

  @Option(names = "--progress", negatable = true,
      description = "Show a progress bar on stderr (default: when stderr is a terminal and the run lasts over a second).")
  Boolean progress;

  @Override
  public Integer call() throws IOException {
    NetworkSpec net = network.toSpec();
    if (networks < 1) {
      throw new IllegalArgumentException("--networks must be >= 1, got " + networks);
    }
    int t = threads == null ? Runtime.getRuntime().availableProcessors() : threads;
    if (t < 1) {
      throw new IllegalArgumentException("--threads must be >= 1, got " + t);
    }
    SamplerKind kind = SamplerKind.parse(sampler);
    ObservableLayout.forInputs(net.inputCount()); // refuses too many inputs before anything runs
    ShardRange range = shards.range(networks);
    if (csv != null) {
      AtomicFile.checkWritable("--csv", csv);
    }
    shards.checkFiles(csv);
    RunEstimate.check(net, kind, range.size(), t, shards.force, Runtime.getRuntime().maxMemory());
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    SamplerFactory factory = samplers.apply(kind);
    EnsembleResult partial = shards.resumeFrom(net, factory.kind(), seed, networks, range, err);
    TheoryView th = theory.apply(net);

    boolean showProgress = progress != null ? progress : ProgressBar.stderrIsTerminal();
    ProgressListener listener = showProgress ? new ProgressBar(err) : null;
    long start = System.nanoTime();
    EnsembleRunner runner = new EnsembleRunner(net, factory, seed, networks)
        .threads(t).blocks(range.blocks(EnsembleRunner.BLOCK_SIZE)).progress(listener, 0.2);
    if (partial != null) {
      runner.resumeFrom(partial);
    }
    EnsembleResult result = shards.run(runner, range, err, runner::run);
    double seconds = (System.nanoTime() - start) * 1e-9;
    if (Thread.currentThread().isInterrupted() || !result.blocks().containsAll(range.blocks(result.blockSize()))) {
      throw new IllegalStateException("the run was interrupted after " + result.networksDone() + " of " + range.size()
          + " networks" + shards.interruptedHint());
    }
    shards.writeOut(range, result);
    if (csv != null) {
      writeAtomically(csv, csv(result, th));
    }
    if (json) {
      out.println(toJson(json(result, th)));
    } else {
      printTable(out, result, th, String.format(Locale.ROOT, "%d thread%s, %.1f s (%s networks/s)", t,
          t == 1 ? "" : "s", seconds, ProgressBar.compact(range.size() / Math.max(seconds, 1e-9))));
    }
    out.flush();
    return FinwidthCommand.EXIT_OK;
  }

  // ---- JSON ---------------------------------------------------------------------------------

  static Map<String, Object> json(EnsembleResult r, TheoryView th) {
    NetworkSpec net = r.spec();
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("spec", NetworkOptions.specJson(net));
    m.put("networks", r.networks());
    m.put("seed", r.seed());
    m.put("sampler", r.sampler());
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
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("networks", e.networks());
    m.put("G", matrixJson(d, (a, b) -> e.g(a, b)));
    m.put("Gmetric", matrixJson(d, (a, b) -> e.gMetric(a, b)));
    Map<String, Object> v = new LinkedHashMap<>();
    Map<String, Object> vm = new LinkedHashMap<>();
    for (int r = 0; r < ix.pairPairs(); r++) {
      v.put(ix.key(r), estimateJson(e.v(r)));
      vm.put(ix.key(r), estimateJson(e.vMetric(r)));
    }
    m.put("V", v);
    m.put("Vmetric", vm);
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
        csvRow(sb, l, "G", ix.pairKey(p), e.g(a, b), th.twoPoint(l, a, b), exact);
        csvRow(sb, l, "Gmetric", ix.pairKey(p), e.gMetric(a, b), th.twoPoint(l, a, b), exact);
      }
      for (int q = 0; q < ix.pairPairs(); q++) {
        int p1 = ix.pairPairFirst(q);
        int p2 = ix.pairPairSecond(q);
        OptionalDouble theory = th.vertex(l, ix.first(p1), ix.second(p1), ix.first(p2), ix.second(p2));
        OptionalDouble exact = d == 1 ? th.exactVertex(l) : OptionalDouble.empty();
        csvRow(sb, l, "V", ix.key(q), e.v(q), theory, exact);
        csvRow(sb, l, "Vmetric", ix.key(q), e.vMetric(q), theory, exact);
      }
      for (int a = 0; a < d; a++) {
        csvRow(sb, l, "ratio4", "" + a, e.ratio4(a), th.ratio(l, a), d == 1 ? th.exactRatio4(l) : OptionalDouble.empty());
        csvRow(sb, l, "pairRatio", "" + a, e.pairRatio(a), th.ratio(l, a),
            d == 1 ? th.exactPairRatio(l) : OptionalDouble.empty());
      }
    }
    return sb.toString();
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
    out.printf(Locale.ROOT, "finwidth simulate: %s, C_b=%s, C_W=%s, n_0=%d, widths %s, d=%d input%s%n",
        net.activation().spec(), fmt(net.cb()), fmt(net.cw()), net.inputDim(), widthList(net), d, d == 1 ? "" : "s");
    out.printf(Locale.ROOT, "%d networks (%d diverged), seed %d, sampler %s, %s%n",
        r.networks(), r.diverged(), r.seed(), r.sampler(), how);
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
    String row = "%-14s %-26s %-26s %-14s %-14s%n";
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
        out.printf(Locale.ROOT, row, "G " + ix.pairKey(p), pm(e.g(a, b)), pm(e.gMetric(a, b)), opt(th.twoPoint(l, a, b)),
            d == 1 ? opt(th.exactTwoPoint(l)) : "");
      }
      for (int q = 0; q < ix.pairPairs(); q++) {
        int p1 = ix.pairPairFirst(q);
        int p2 = ix.pairPairSecond(q);
        out.printf(Locale.ROOT, row, "V " + ix.key(q), pm(e.v(q)), pm(e.vMetric(q)),
            opt(th.vertex(l, ix.first(p1), ix.second(p1), ix.first(p2), ix.second(p2))),
            d == 1 ? opt(th.exactVertex(l)) : "");
      }
      for (int a = 0; a < d; a++) {
        String suffix = d == 1 ? "" : " " + a;
        out.printf(Locale.ROOT, row, "ratio4" + suffix, pm(e.ratio4(a)), "", opt(th.ratio(l, a)),
            d == 1 ? opt(th.exactRatio4(l)) : "");
        out.printf(Locale.ROOT, row, "pairRatio" + suffix, pm(e.pairRatio(a)), "", opt(th.ratio(l, a)),
            d == 1 ? opt(th.exactPairRatio(l)) : "");
      }
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
