package org.finwidth.sim.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.function.Function;
import org.finwidth.ensemble.EnsembleResult;
import org.finwidth.ensemble.EnsembleRunner;
import org.finwidth.ensemble.ProgressListener;
import org.finwidth.ensemble.SamplerFactory;
import org.finwidth.network.NetworkSpec;
import org.finwidth.network.SamplerKind;
import org.finwidth.network.Samplers;
import org.finwidth.sim.state.AtomicFile;
import org.finwidth.sim.state.OutputFiles;
import org.finwidth.sim.state.OutputLocks;
import org.finwidth.sim.state.ShardRange;
import org.finwidth.stats.LayerEstimates;
import org.finwidth.stats.ObservableLayout;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code finwidth simulate}: a Monte Carlo ensemble of M networks of one specification, with the
 * measured two-point function, four-point vertex and kurtosis ratios per layer (each with its
 * standard error) printed beside the effective-theory prediction and, where it exists, the exact
 * finite-width value. Estimators: {@link LayerEstimates}; output (table, JSON, CSV):
 * {@link SimulateOutput}.
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

  @Option(names = "--sampler", paramLabel = "KIND",
      description = "weights (the network as it is) or conditional (exact in distribution, faster)"
          + " (default: conditional; weights with --ntk).")
  String sampler;

  @Option(names = "--distinct-neurons", negatable = true,
      description = "Also measure V from distinct neurons and the kurtosis ratios (fourth moments over the neurons:"
          + " O(n d^4/24) per layer; default: on for up to " + ObservableLayout.DISTINCT_NEURONS_DEFAULT_MAX_INPUTS
          + " inputs). G, Gmetric and Vmetric are always measured.")
  Boolean distinctNeurons;

  @Option(names = {"-t", "--threads"}, paramLabel = "T",
      description = "Worker threads (default: the number of processors). Does not change the result.")
  Integer threads;

  @Option(names = "--json", description = "Write JSON instead of a table.")
  boolean json;

  @Option(names = "--csv", paramLabel = "FILE",
      description = "Also write every measured number to FILE as tidy CSV (one row per layer, quantity and"
          + " component, with its provenance, predictions, z and flag; docs/cli.md, CSV files); an existing FILE is"
          + " replaced only if it is a finwidth CSV (or with --overwrite).")
  Path csv;

  @Mixin ShardOptions shards;

  @Mixin NtkFlags ntk;

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
    ntk.check(true);
    SamplerKind kind = sampler == null ? (ntk.enabled() ? SamplerKind.WEIGHTS : SamplerKind.CONDITIONAL)
        : SamplerKind.parse(sampler);
    org.finwidth.ensemble.NtkOptions ntkOptions = null;
    if (ntk.enabled()) {
      if (kind != SamplerKind.WEIGHTS) {
        throw new IllegalArgumentException("--ntk needs --sampler weights (the NTK's backward pass needs each"
            + " network's weights, which the " + kind.cliName() + " sampler never draws)");
      }
      org.finwidth.stats.NtkLayout.forInputs(net.inputCount());
      ntkOptions = ntk.options(net.depth());
    }
    ObservableLayout layout = distinctNeurons == null ? ObservableLayout.forInputs(net.inputCount()) // refuses too many
        : ObservableLayout.of(net.inputCount(), distinctNeurons); //                                    inputs up front
    ShardRange range = shards.range(networks);
    network.checkNotAnInput(csv);
    network.checkNotAnInput(shards.out);
    network.checkNotAnInput(shards.checkpoint);
    shards.checkFiles(csv);
    RunEstimate.check(net, kind, layout, range.size(), t, shards.force, Runtime.getRuntime().maxMemory());
    if (ntkOptions != null) {
      NtkFlags.checkSize(net, ntkOptions, layout, range.size(), t, shards.force, Runtime.getRuntime().maxMemory());
    }
    OutputLocks locks = shards.lock(csv);
    try {
      return run(net, kind, layout, t, range, ntkOptions);
    } finally {
      locks.close();
    }
  }

  private int run(NetworkSpec net, SamplerKind kind, ObservableLayout layout, int t, ShardRange range,
      org.finwidth.ensemble.NtkOptions ntkOptions) throws IOException {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    SamplerFactory factory = samplers.apply(kind);
    EnsembleResult partial = shards.resumeFrom(net, factory.kind(), layout, seed, networks, range, err);
    TheoryView th = theory.apply(net);

    boolean showProgress = progress != null ? progress : ProgressBar.stderrIsTerminal();
    ProgressListener listener = showProgress ? new ProgressBar(err) : null;
    long start = System.nanoTime();
    EnsembleRunner runner = new EnsembleRunner(net, factory, seed, networks)
        .threads(t).distinctNeurons(layout.distinctNeurons()).blocks(range.blocks(EnsembleRunner.BLOCK_SIZE))
        .progress(listener, 0.2);
    if (ntkOptions != null) {
      runner.ntk(ntkOptions);
    }
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
      SimulateOutput.writeAtomically(csv, SimulateOutput.csv(result, th, Version.version()));
    }
    if (json) {
      out.println(SimulateOutput.toJson(SimulateOutput.json(result, th)));
    } else {
      int used = runner.threadsUsed(); // never more than the blocks to do, whatever --threads asked
      SimulateOutput.printTable(out, result, th, String.format(Locale.ROOT, "%d thread%s, %.1f s (%s networks/s)", used,
          used == 1 ? "" : "s", seconds, ProgressBar.compact(range.size() / Math.max(seconds, 1e-9))));
    }
    out.flush();
    return FinwidthCommand.EXIT_OK;
  }
}
