package org.finwidth.sim.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.finwidth.sim.experiment.Experiment;
import org.finwidth.sim.experiment.ExperimentContext;
import org.finwidth.sim.experiment.ExperimentRunner;
import org.finwidth.sim.experiment.Experiments;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code finwidth experiment NAME}: runs a named experiment ({@link Experiments#ALL}) and writes
 * its results directory (CSV, manifest, PNG + SVG plots, self-contained report.html) atomically;
 * prints a short summary and the report's path on stdout. Progress bars on stderr when it is a
 * terminal, silenced by {@code --quiet}.
 */
@Command(
    name = "experiment",
    mixinStandardHelpOptions = true,
    description = {
      "Runs a named experiment (theory and Monte Carlo side by side) and writes results/NAME/:"
          + " NAME.csv (tidy), manifest.json, plots as PNG and SVG, and a self-contained report.html.",
      "Results are a pure function of the seed and the size, whatever the number of threads."
    })
public final class ExperimentCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Parameters(index = "0", arity = "0..1", paramLabel = "NAME", description = "The experiment (see --list).")
  String name;

  @Option(names = "--list", description = "List the experiments and exit.")
  boolean list;

  @Option(names = "--quick", description = "Small sizes (about a minute or less): for a first look and the tests.")
  boolean quick;

  @Option(names = {"-o", "--out"}, paramLabel = "DIR",
      description = "Results directory (default: results/NAME, relative to the current directory): new, or one"
          + " finwidth wrote and holding nothing else; replaced as a whole when the run succeeds.")
  Path out;

  @Option(names = {"-t", "--threads"}, paramLabel = "T",
      description = "Worker threads (default: the number of processors). Does not change the result.")
  Integer threads;

  @Option(names = {"-s", "--seed"}, paramLabel = "S", defaultValue = "1",
      description = "Base seed (default: ${DEFAULT-VALUE}); ensemble k uses S + k.")
  long seed;

  @Option(names = {"-q", "--quiet"}, description = "No progress bars.")
  boolean quiet;

  private ExperimentRunner.Result result;

  @Override
  public Integer call() throws Exception {
    PrintWriter o = spec.commandLine().getOut();
    if (list) {
      for (Experiment<?> e : Experiments.ALL) {
        o.printf(Locale.ROOT, "%-18s %s%n", e.name(), e.title());
      }
      o.flush();
      return FinwidthCommand.EXIT_OK;
    }
    if (name == null) {
      throw new IllegalArgumentException("name an experiment (one of: " + names() + "), or use --list");
    }
    Experiment<?> e = Experiments.byName(name);
    result = run(e, quick, out, threads, seed, quiet, o, spec.commandLine().getErr());
    return FinwidthCommand.EXIT_OK;
  }

  /** What this command's last run wrote and reported (its figures, rows and summary), null before one. */
  public ExperimentRunner.Result result() {
    return result;
  }

  private static String names() {
    StringBuilder sb = new StringBuilder();
    for (Experiment<?> e : Experiments.ALL) {
      sb.append(sb.isEmpty() ? "" : ", ").append(e.name());
    }
    return sb.toString();
  }

  /**
   * Runs {@code e} and prints its summary and where the report is (also the main job); returns the run.
   *
   * @param dir results directory, null for {@code results/NAME}
   * @param threads null for the number of processors
   */
  static ExperimentRunner.Result run(Experiment<?> e, boolean quick, Path dir, Integer threads, long seed,
      boolean quiet, PrintWriter out, PrintWriter err) throws Exception {
    int t = threads == null ? Runtime.getRuntime().availableProcessors() : threads;
    if (t < 1) {
      throw new IllegalArgumentException("--threads must be >= 1, got " + t);
    }
    Path target = dir != null ? dir : Path.of("results", e.name());
    boolean bars = !quiet && ProgressBar.stderrIsTerminal();
    ExperimentContext ctx = new ExperimentContext(quick, t, seed, label -> bars ? new ProgressBar(err, label) : null);
    ExperimentRunner.Result r = ExperimentRunner.run(e, ctx, target);
    out.printf(Locale.ROOT, "finwidth experiment %s%s: %s%n", e.name(), quick ? " --quick" : "", e.title());
    for (String line : r.report().summaryLines()) {
      out.println(line);
    }
    out.printf(Locale.ROOT, "done in %.1f s (%d threads, seed %d); report: %s%n", r.seconds(), t, seed,
        r.dir().resolve("report.html"));
    out.flush();
    return r;
  }
}
