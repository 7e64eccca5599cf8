package org.finwidth.sim.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;
import org.finwidth.ensemble.EnsembleResult;
import org.finwidth.ensemble.EnsembleRunner;
import org.finwidth.network.NetworkSpec;
import org.finwidth.sim.state.OutputFiles;
import org.finwidth.sim.state.OutputLocks;
import org.finwidth.stats.ObservableLayout;
import org.finwidth.sim.state.ResultFile;
import org.finwidth.sim.state.ShardRange;
import picocli.CommandLine.Option;

/**
 * The flags of {@code simulate} for runs past one machine (docs/design.md "Past one machine"): which
 * networks to run ({@code --shard i/N} or {@code --range a:b}, block-aligned, {@link ShardRange}),
 * where the mergeable result goes ({@code --out}, a {@link ResultFile}), and checkpoints
 * ({@code --checkpoint FILE --checkpoint-every S --resume}).
 *
 * <p>A checkpoint is a result file of the blocks finished so far, rewritten atomically every
 * {@code S} seconds and at the end; {@code --resume} continues from it (a missing checkpoint
 * starts from the beginning, so a requeued job can always pass {@code --resume}). SIGTERM (what
 * SLURM sends before it kills a job at its time limit or on preemption) stops the workers at the
 * next network and writes the checkpoint before the JVM exits; SIGKILL loses at most the blocks
 * finished since the last checkpoint.
 */
public final class ShardOptions {
  /** Default seconds between checkpoints. */
  static final double DEFAULT_CHECKPOINT_SECONDS = 60;
  /** How long a SIGTERM waits for the final checkpoint before the JVM exits anyway. */
  private static final long SHUTDOWN_WAIT_SECONDS = 20;

  @Option(names = "--shard", paramLabel = "i/N",
      description = "Run only shard i of N (1 <= i <= N): a contiguous, block-aligned share of the networks (use with --out).")
  String shard;

  @Option(names = "--range", paramLabel = "a:b",
      description = "Run only networks a..b-1; a and b multiples of the block size 1024 (b may be M).")
  String range;

  @Option(names = "--out", paramLabel = "FILE",
      description = "Write the mergeable result (a finwidth result file) to FILE, atomically.")
  Path out;

  @Option(names = "--checkpoint", paramLabel = "FILE",
      description = "Write the finished blocks to FILE every --checkpoint-every seconds and at the end (atomically).")
  Path checkpoint;

  @Option(names = "--checkpoint-every", paramLabel = "SECONDS",
      description = "Seconds between checkpoints (default: 60).")
  Double checkpointEvery;

  @Option(names = "--resume",
      description = "Continue from the --checkpoint FILE if it exists (else start from the beginning).")
  boolean resume;

  @Option(names = "--force",
      description = "Run even if the estimated time is absurdly long.")
  boolean force;

  @Option(names = "--overwrite",
      description = "Replace an existing --out, --csv or --checkpoint file even if it is not a finwidth output"
          + " (regular files only: directories and special files are never replaced).")
  boolean overwrite;

  /** What to tell a user how to continue a stopped run (null: rerun with --resume). */
  private String resumeHint;

  /**
   * The options of one run of a campaign: its result file, its checkpoint (resumed when it
   * exists) every {@code every} seconds, and how to continue ({@code hint}, e.g. "rerun campaign
   * run to continue").
   */
  static ShardOptions forRun(Path out, Path checkpoint, double every, String hint) {
    ShardOptions o = new ShardOptions();
    o.out = out;
    o.checkpoint = checkpoint;
    o.checkpointEvery = every;
    o.resume = Files.exists(checkpoint);
    o.resumeHint = hint;
    return o;
  }

  /**
   * The networks to run, from {@code --shard} or {@code --range} (default all).
   *
   * @throws IllegalArgumentException for a bad or unaligned range, or both flags
   */
  ShardRange range(long networks) {
    if (shard != null && range != null) {
      throw new IllegalArgumentException("--shard and --range exclude each other; give one");
    }
    if (shard != null) {
      return ShardRange.ofShard(shard, networks, EnsembleRunner.BLOCK_SIZE);
    }
    return range != null ? ShardRange.parse(range, networks, EnsembleRunner.BLOCK_SIZE) : ShardRange.all(networks);
  }

  /**
   * Checks the checkpoint flags and that every output file may be written, before anything runs
   * ({@link OutputFiles#checkOutput}: absent or a finwidth output, or any regular file with
   * {@code --overwrite}; never a directory or a special file; links followed; no two flags naming
   * one file).
   *
   * @param csv the {@code --csv} file or null
   * @throws IllegalArgumentException naming the flag and the problem
   */
  void checkFiles(Path csv) {
    if (checkpoint == null && (resume || checkpointEvery != null)) {
      throw new IllegalArgumentException((resume ? "--resume" : "--checkpoint-every") + " needs --checkpoint FILE");
    }
    if (checkpointEvery != null && !(checkpointEvery >= 0.001 && checkpointEvery <= 1e7)) {
      throw new IllegalArgumentException("--checkpoint-every must be a number of seconds in [0.001, 1e7], got " + checkpointEvery);
    }
    OutputFiles.checkDistinct("--out", out, "--checkpoint", checkpoint);
    OutputFiles.checkDistinct("--out", out, "--csv", csv);
    OutputFiles.checkDistinct("--checkpoint", checkpoint, "--csv", csv);
    if (csv != null) {
      OutputFiles.checkOutput("--csv", csv, OutputFiles.Kind.CSV, overwrite);
    }
    if (out != null) {
      OutputFiles.checkOutput("--out", out, OutputFiles.Kind.RESULT, overwrite);
    }
    if (checkpoint != null) {
      Path target = OutputFiles.checkOutput("--checkpoint", checkpoint, OutputFiles.Kind.RESULT, overwrite);
      if (Files.exists(target) && !resume) {
        throw new IllegalArgumentException("--checkpoint " + checkpoint
            + " exists; pass --resume to continue from it, or delete it to start over");
      }
    }
  }

  /**
   * Locks every output file for the run ({@link OutputLocks}); the caller closes the locks.
   *
   * @throws IllegalArgumentException if another finwidth run is writing one of them (named)
   */
  OutputLocks lock(Path csv) throws IOException {
    OutputLocks locks = new OutputLocks();
    try {
      lockIfGiven(locks, "--out", out);
      lockIfGiven(locks, "--checkpoint", checkpoint);
      lockIfGiven(locks, "--csv", csv);
      return locks;
    } catch (IOException | RuntimeException e) {
      locks.close();
      throw e;
    }
  }

  static void lockIfGiven(OutputLocks locks, String flag, Path file) throws IOException {
    if (file != null) {
      locks.lock(flag, file, OutputFiles.resolve(flag, file));
    }
  }

  /**
   * The checkpoint to resume from, or null (no --resume, or no checkpoint yet: a note on stderr).
   *
   * @throws IOException if the checkpoint cannot be read or is damaged ("FILE: problem")
   * @throws IllegalArgumentException if it is of another run, range or finwidth version
   */
  EnsembleResult resumeFrom(NetworkSpec net, String sampler, ObservableLayout layout, long seed, long networks,
      ShardRange r, PrintWriter err)
      throws IOException {
    if (!resume) {
      return null;
    }
    if (!Files.exists(checkpoint)) {
      err.println("finwidth: no checkpoint " + checkpoint + " yet; starting from the beginning");
      err.flush();
      return null;
    }
    ResultFile file = ResultFile.read(checkpoint);
    EnsembleResult partial = file.result();
    String problem = null;
    if (!file.finwidthVersion().equals(Version.version())) {
      problem = "written by finwidth " + file.finwidthVersion() + ", this is " + Version.version()
          + " (the samplers may differ); delete it and start over";
    } else {
      double[][] ref = new double[net.depth()][];
      for (int l = 1; l <= net.depth(); l++) {
        ref[l - 1] = partial.reference(l);
      }
      try {
        EnsembleResult.empty(net, seed, sampler, networks, EnsembleRunner.BLOCK_SIZE, ref, layout)
            .checkSameEnsemble(partial);
      } catch (IllegalArgumentException e) {
        problem = "of another run (this run vs the checkpoint: " + e.getMessage() + ")";
      }
      if (problem == null && !file.range().equals(r)) {
        problem = "for networks " + file.range() + ", this run is for " + r;
      }
    }
    if (problem != null) {
      throw new IllegalArgumentException("--checkpoint " + checkpoint + ": a checkpoint " + problem);
    }
    return partial;
  }

  /**
   * Runs {@code run} with checkpoints: configures the runner to write them, and on SIGTERM stops
   * it and waits (up to {@value #SHUTDOWN_WAIT_SECONDS} s) until the final one is written and a
   * line on {@code err} says how far it got (the exit code is then the signal's, 143).
   */
  EnsembleResult run(EnsembleRunner runner, ShardRange r, PrintWriter err, Supplier<EnsembleResult> run) {
    if (checkpoint == null) {
      return run.get();
    }
    AtomicBoolean stop = new AtomicBoolean();
    CountDownLatch written = new CountDownLatch(1);
    Thread hook = new Thread(() -> {
      stop.set(true);
      try {
        written.await(SHUTDOWN_WAIT_SECONDS, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }, "finwidth-checkpoint-on-exit");
    runner.cancellation(stop::get).checkpoints(result -> {
      try {
        new ResultFile(Version.version(), r, result).write(checkpoint);
      } catch (IOException e) {
        throw new UncheckedIOException(e.getMessage(), e);
      }
    }, checkpointEvery == null ? DEFAULT_CHECKPOINT_SECONDS : checkpointEvery);
    Runtime.getRuntime().addShutdownHook(hook);
    try {
      EnsembleResult result = run.get();
      if (stop.get() && !result.blocks().containsAll(r.blocks(result.blockSize()))) {
        // a signal: the checkpoint is written; say so, then let the hook return and the JVM exit
        err.println("finwidth: stopped by a signal after " + result.networksDone() + " of " + r.size() + " networks"
            + interruptedHint());
        err.flush();
        written.countDown();
        while (true) {
          try {
            Thread.sleep(Long.MAX_VALUE); // the JVM halts as soon as the hook returns
          } catch (InterruptedException e) {
            // keep waiting for the halt
          }
        }
      }
      return result;
    } finally {
      written.countDown();
      try {
        Runtime.getRuntime().removeShutdownHook(hook);
      } catch (IllegalStateException e) {
        // the JVM is shutting down (SIGTERM): the hook is running and now returns
      }
    }
  }

  /** What to tell a user whose run stopped early. */
  String interruptedHint() {
    return checkpoint == null ? "" : "; " + checkpoint + " holds the finished blocks: "
        + (resumeHint == null ? "rerun with --resume to continue" : resumeHint);
  }

  /**
   * Writes {@code --out} if given.
   *
   * @throws IOException "cannot write FILE: REASON"
   */
  void writeOut(ShardRange r, EnsembleResult result) throws IOException {
    if (out != null) {
      new ResultFile(Version.version(), r, result).write(out);
    }
  }
}
