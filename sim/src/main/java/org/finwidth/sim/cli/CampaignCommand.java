package org.finwidth.sim.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.File;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.finwidth.ensemble.EnsembleResult;
import org.finwidth.ensemble.EnsembleRunner;
import org.finwidth.ensemble.SamplerFactory;
import org.finwidth.network.NetworkSpec;
import org.finwidth.network.SamplerKind;
import org.finwidth.sim.campaign.CampaignDir;
import org.finwidth.sim.campaign.CampaignRun;
import org.finwidth.sim.campaign.Plan;
import org.finwidth.sim.campaign.PlanParser;
import org.finwidth.sim.campaign.RunsFile;
import org.finwidth.sim.state.AtomicFile;
import org.finwidth.sim.state.ResultFile;
import org.finwidth.sim.state.ShardRange;
import org.finwidth.stats.ObservableLayout;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code finwidth campaign}: a grid of simulations from one plan file (docs/campaigns.md), run
 * locally ({@code run}) or as SLURM job arrays ({@code submit}), resumable, with {@code status}
 * and {@code collect} (one tidy CSV, a manifest and a report).
 */
@Command(
    name = "campaign",
    mixinStandardHelpOptions = true,
    description = {
      "A grid of simulations from one plan file (TOML, docs/campaigns.md): run it here or submit it to SLURM,"
          + " see how far it got, collect it into one tidy CSV and report.",
      "Each run's seed derives from the plan's base seed and the run's key, so runs can be added or removed"
          + " without changing the others; finished runs are never recomputed."
    },
    subcommands = {CampaignCommand.Run.class, CampaignCommand.Submit.class, CampaignCommand.Status.class,
        CampaignCommand.Collect.class})
public final class CampaignCommand {

  /** Reads the plan and claims the directory: writes the marker, plan.toml and runs.json. */
  static CampaignDir prepare(Path planFile, Path dirPath, Plan plan) throws IOException {
    CampaignDir dir = CampaignDir.claim(dirPath);
    AtomicFile.write(dir.planCopy(), plan.text().getBytes(StandardCharsets.UTF_8));
    RunsFile.write(dir, plan);
    return dir;
  }

  // ---- run ------------------------------------------------------------------------------------

  @Command(name = "run", mixinStandardHelpOptions = true,
      description = {"Runs every unfinished run of the plan here, one after another (each on all threads),"
          + " each into DIR/runs/KEY.fwr with checkpoints, then collects. A second invocation skips finished runs;"
          + " a killed one resumes from the last checkpoint."})
  static final class Run implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Parameters(index = "0", paramLabel = "PLAN", description = "The plan file (TOML).")
    Path plan;

    @Option(names = "--dir", required = true, paramLabel = "DIR",
        description = "The campaign directory (created; an existing one must be empty or a campaign directory).")
    Path dir;

    @Option(names = {"-t", "--threads"}, paramLabel = "T",
        description = "Worker threads per run (default: the number of processors). Does not change the result.")
    Integer threads;

    @Option(names = "--checkpoint-every", paramLabel = "SECONDS", defaultValue = "60",
        description = "Seconds between checkpoints of the run in progress (default: ${DEFAULT-VALUE}).")
    double checkpointEvery;

    @Option(names = "--force",
        description = "Accept a plan of more than " + Plan.MAX_RUNS + " runs, or runs estimated to take absurdly long.")
    boolean force;

    @Option(names = "--progress", negatable = true,
        description = "Show the campaign's progress on stderr (default: when stderr is a terminal).")
    Boolean progress;

    @Override
    public Integer call() throws IOException {
      int t = threads == null ? Runtime.getRuntime().availableProcessors() : threads;
      if (t < 1) {
        throw new IllegalArgumentException("--threads must be >= 1, got " + t);
      }
      if (!(checkpointEvery >= 0.001 && checkpointEvery <= 1e7)) {
        throw new IllegalArgumentException("--checkpoint-every must be a number of seconds in [0.001, 1e7], got "
            + checkpointEvery);
      }
      CampaignDir.check(dir);
      UserClassPath.install(null); // class:NAME activations from FINWIDTH_CP
      Plan p = PlanParser.read(plan, force);
      long maxHeap = Runtime.getRuntime().maxMemory();
      for (CampaignRun r : p.runs()) {
        try {
          RunEstimate.check(r.spec(), SamplerKind.parse(r.sampler()), layout(r), r.networks(), t, force, maxHeap);
        } catch (IllegalArgumentException e) {
          throw new IllegalArgumentException("run " + r.key() + " (" + r.origin() + "): " + e.getMessage(), e);
        }
      }
      CampaignDir d = prepare(plan, dir, p);
      PrintWriter out = spec.commandLine().getOut();
      PrintWriter err = spec.commandLine().getErr();
      int computed = runAll(d, p, t, checkpointEvery, progress != null ? progress : ProgressBar.stderrIsTerminal(),
          err);
      CampaignCollector.Summary s = CampaignCollector.collect(d, p);
      out.printf(Locale.ROOT, "campaign %s: %d run%s (%d computed now, %d finished earlier); %d rows in %s, report %s%n",
          p.name(), p.runs().size(), p.runs().size() == 1 ? "" : "s", computed, p.runs().size() - computed, s.rows(), d.root().resolve("campaign.csv"),
          d.root().resolve("report.html"));
      out.flush();
      return FinwidthCommand.EXIT_OK;
    }
  }

  /**
   * Runs the unfinished runs of a plan one after another; returns how many it computed.
   *
   * @throws IllegalStateException if a run was stopped before it finished (a signal)
   */
  static int runAll(CampaignDir dir, Plan plan, int threads, double every, boolean showProgress, PrintWriter err)
      throws IOException {
    List<CampaignRun> todo = new ArrayList<>();
    long total = 0;
    double totalWork = 0;
    for (CampaignRun r : plan.runs()) {
      double w = work(r);
      total += r.networks();
      totalWork += w * r.networks();
    }
    CampaignProgress progress = new CampaignProgress(err, plan.name(), plan.runs().size(), total, totalWork,
        showProgress);
    for (CampaignRun r : plan.runs()) {
      if (CampaignResults.finished(dir, r) == null) {
        ResultFile merged = CampaignResults.mergedShards(dir, r); // computed by SLURM tasks
        if (merged != null) {
          merged.write(dir.result(r.key()));
        }
      }
      if (CampaignResults.finished(dir, r) != null) {
        Files.deleteIfExists(dir.checkpoint(r.key())); // left by a run killed between its two last writes
        progress.skipped(r.networks(), work(r));
      } else {
        todo.add(r);
      }
    }
    int computed = 0;
    try {
      for (CampaignRun r : todo) {
        runOne(dir, r, threads, every, progress, err);
        computed++;
      }
    } finally {
      progress.end();
    }
    return computed;
  }

  private static double work(CampaignRun r) {
    return RunEstimate.operationsPerNetwork(r.spec(), SamplerKind.parse(r.sampler()), layout(r));
  }

  /** The statistics of a run: simulate's default for its number of inputs. */
  static ObservableLayout layout(CampaignRun r) {
    return ObservableLayout.forInputs(r.inputCount());
  }

  /** One run: resumed from its checkpoint if there is one, written atomically, with its time and machine. */
  private static void runOne(CampaignDir dir, CampaignRun run, int threads, double every, CampaignProgress progress,
      PrintWriter err) throws IOException {
    NetworkSpec net = run.spec();
    SamplerKind kind = SamplerKind.parse(run.sampler());
    ShardRange range = ShardRange.all(run.networks());
    ShardOptions files = ShardOptions.forRun(dir.result(run.key()), dir.checkpoint(run.key()), every,
        "rerun campaign run to continue");
    SamplerFactory factory = SimulateCommand.samplers.apply(kind);
    ObservableLayout layout = layout(run);
    EnsembleResult partial = files.resumeFrom(net, factory.kind(), layout, run.seed(), run.networks(), range, err);
    long resumed = partial == null ? 0 : partial.networksDone();
    Instant started = Instant.now();
    long t0 = System.nanoTime();
    EnsembleRunner runner = new EnsembleRunner(net, factory, run.seed(), run.networks()).threads(threads)
        .distinctNeurons(layout.distinctNeurons()).progress(progress.run(run.key(), resumed, work(run)), 0.2);
    if (partial != null) {
      runner.resumeFrom(partial);
    }
    EnsembleResult result = files.run(runner, range, err, runner::run);
    double seconds = (System.nanoTime() - t0) * 1e-9;
    if (Thread.currentThread().isInterrupted() || !result.isComplete()) {
      throw new IllegalStateException("run " + run.key() + " was interrupted after " + result.networksDone() + " of "
          + run.networks() + " networks" + files.interruptedHint());
    }
    // the time and machine first, then the result: a run killed between the two is computed
    // again (from its checkpoint) and rewrites both, so no finished run lacks its info file
    Map<String, Object> info = new LinkedHashMap<>();
    info.put("host", host());
    info.put("threads", threads);
    info.put("seconds", Math.round(seconds * 1000) / 1000.0);
    info.put("resumedFrom", resumed);
    info.put("started", started.toString());
    info.put("finished", Instant.now().toString());
    AtomicFile.write(dir.runInfo(run.key()),
        (new ObjectMapper().writerWithDefaultPrettyPrinter().writeValueAsString(info) + "\n")
            .getBytes(StandardCharsets.UTF_8));
    files.writeOut(range, result);
    Files.deleteIfExists(dir.checkpoint(run.key()));
    progress.finished(run.key(), run.networks() - resumed, seconds);
  }

  static String host() {
    try {
      return InetAddress.getLocalHost().getHostName();
    } catch (IOException e) {
      String h = System.getenv("HOSTNAME");
      return h == null ? "unknown" : h;
    }
  }

  // ---- submit ---------------------------------------------------------------------------------

  @Command(name = "submit", mixinStandardHelpOptions = true,
      description = {"Submits the unfinished runs of the plan to SLURM: job arrays of (run, shard) tasks that"
          + " checkpoint and resume when requeued, and a collect job after them. Needs sbatch and a file system"
          + " that every node sees for DIR and the finwidth jar."})
  static final class Submit implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Parameters(index = "0", paramLabel = "PLAN", description = "The plan file (TOML).")
    Path plan;

    @Option(names = "--dir", required = true, paramLabel = "DIR",
        description = "The campaign directory, on a shared file system (created; an existing one must be empty or"
            + " a campaign directory).")
    Path dir;

    @Option(names = "--shards-per-run", paramLabel = "N", defaultValue = "1",
        description = "Array tasks per run (a run of fewer blocks of 1024 networks gets one per block; default:"
            + " ${DEFAULT-VALUE}).")
    int shardsPerRun;

    @Option(names = "--sbatch", paramLabel = "OPTS",
        description = "Extra sbatch options for every job, e.g. \"--partition=short --time=1:00:00 --mem=4G\".")
    String sbatch;

    @Option(names = "--tasks", paramLabel = "LIST",
        description = "Only these tasks (e.g. 3,7 or 2-5; numbers of DIR/slurm/tasks.tsv, shown by campaign status):"
            + " resubmits failed ones, which resume from their checkpoints.")
    String tasks;

    @Option(names = "--throttle", paramLabel = "K", description = "At most K tasks of an array run at once.")
    Integer throttle;

    @Option(names = "--checkpoint-every", paramLabel = "SECONDS", defaultValue = "300",
        description = "Seconds between a task's checkpoints (default: ${DEFAULT-VALUE}).")
    double checkpointEvery;

    @Option(names = "--force", description = "Accept a plan of more than " + Plan.MAX_RUNS + " runs.")
    boolean force;

    @Override
    public Integer call() throws IOException {
      if (shardsPerRun < 1) {
        throw new IllegalArgumentException("--shards-per-run must be >= 1, got " + shardsPerRun);
      }
      if (throttle != null && throttle < 1) {
        throw new IllegalArgumentException("--throttle must be >= 1, got " + throttle);
      }
      if (!(checkpointEvery >= 0.001 && checkpointEvery <= 1e7)) {
        throw new IllegalArgumentException("--checkpoint-every must be a number of seconds in [0.001, 1e7], got "
            + checkpointEvery);
      }
      CampaignDir.check(dir);
      UserClassPath.install(null); // class:NAME activations from FINWIDTH_CP
      Plan p = PlanParser.read(plan, force);
      if (tasks != null) {
        CampaignSubmit.parseTasks(tasks, CampaignSubmit.tasks(p, shardsPerRun).size());
      }
      CampaignDir d = prepare(plan, dir, p);
      String javaBin = System.getenv("FINWIDTH_JAVA");
      if (javaBin == null || javaBin.isBlank()) {
        javaBin = Path.of(System.getProperty("java.home"), "bin", "java").toString();
      }
      // the jobs' class path: this JVM's (finwidth), then FINWIDTH_CP (user activation classes)
      List<String> parts = new ArrayList<>();
      String user = System.getenv(UserClassPath.ENV);
      for (String e : (System.getProperty("java.class.path") + File.pathSeparator + (user == null ? "" : user))
          .split(File.pathSeparator)) {
        String abs = e.isBlank() ? null : Path.of(e.strip()).toAbsolutePath().normalize().toString();
        if (abs != null && !parts.contains(abs)) {
          parts.add(abs);
        }
      }
      String cp = String.join(File.pathSeparator, parts);
      String opts = System.getenv("FINWIDTH_JVM_OPTS");
      List<String> extra = sbatch == null || sbatch.isBlank() ? List.of() : List.of(sbatch.strip().split("\\s+"));
      CampaignSubmit.submit(d, p, new CampaignSubmit.Settings(shardsPerRun, extra, tasks, throttle, checkpointEvery,
          javaBin, cp, opts == null ? "" : opts), spec.commandLine().getOut(), spec.commandLine().getErr());
      return FinwidthCommand.EXIT_OK;
    }
  }

  // ---- status ---------------------------------------------------------------------------------

  @Command(name = "status", mixinStandardHelpOptions = true,
      description = {"Shows for every run of the campaign in DIR: done, partly done (which shards, or how far its"
          + " checkpoint got), failed (the last line of the task's log), or not started."})
  static final class Status implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Parameters(index = "0", paramLabel = "DIR", description = "The campaign directory.")
    Path dir;

    @Override
    public Integer call() throws IOException {
      CampaignDir d = CampaignDir.existing(dir);
      UserClassPath.install(null);
      Plan p = RunsFile.read(d);
      PrintWriter out = spec.commandLine().getOut();
      CampaignStatus.print(d, p, out);
      out.flush();
      return FinwidthCommand.EXIT_OK;
    }
  }

  // ---- collect --------------------------------------------------------------------------------

  @Command(name = "collect", mixinStandardHelpOptions = true,
      description = {"Merges the shards of every run whose tasks are all done, and writes DIR/campaign.csv (tidy,"
          + " one row per run, layer, quantity and component), DIR/report.html with its figures, and"
          + " DIR/manifest.json. Runs not finished yet are left out and named."})
  static final class Collect implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Parameters(index = "0", paramLabel = "DIR", description = "The campaign directory.")
    Path dir;

    @Override
    public Integer call() throws IOException {
      CampaignDir d = CampaignDir.existing(dir);
      UserClassPath.install(null);
      Plan p = RunsFile.read(d);
      CampaignCollector.Summary s = CampaignCollector.collect(d, p);
      PrintWriter out = spec.commandLine().getOut();
      out.printf(Locale.ROOT, "campaign %s: %d of %d runs collected%s; %d rows in %s, report %s%n", p.name(),
          s.collected(), s.runs(), s.merged() > 0 ? " (" + s.merged() + " merged from their shards now)" : "",
          s.rows(), d.root().resolve("campaign.csv"), d.root().resolve("report.html"));
      if (!s.missing().isEmpty()) {
        out.println("not finished: " + String.join(", ", s.missing()) + " (finwidth campaign status " + d.root() + ")");
      }
      out.flush();
      return FinwidthCommand.EXIT_OK;
    }
  }
}
