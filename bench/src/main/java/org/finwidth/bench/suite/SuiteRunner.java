package org.finwidth.bench.suite;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.finwidth.bench.MachineBaselineBenchmark;
import org.openjdk.jmh.profile.GCProfiler;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

/**
 * Runs a suite through JMH's API: the machine baselines first, the items, the baselines again
 * (the limits are the larger of the two measurements: the peak is what the machine can do, other
 * jobs only lower it), one fork per item with the GC profiler and the {@link CpuTimeProfiler}.
 * Fractions of the limit are taken from each benchmark's score per CPU second and the limits from
 * the baselines' (where the platform reports process CPU time; else the best wall-clock
 * iteration): on a machine shared with other jobs the wall-clock score falls with the share of the
 * core the benchmark gets, the CPU-time score much less. Progress goes to stderr, JMH's own
 * output to a log file (set-up failures are explained there).
 */
public final class SuiteRunner {

  /** Warm-up and measurement iterations of one second each. */
  public record Settings(int warmupIterations, int measurementIterations) {}

  /** How long a suite waits for another JMH run to finish before it gives up. */
  static final long LOCK_WAIT_SECONDS = 1800;

  private final Settings settings;
  private final Path log;
  private final PrintStream progress;

  public SuiteRunner(Settings settings, Path log, PrintStream progress) {
    this.settings = settings;
    this.log = log;
    this.progress = progress;
  }

  /** Runs the baselines and the items and states every result against this run's limits. */
  public SuiteRun run(String suite, List<SuiteItem> items) throws IOException {
    double[] loadBefore = loadAverage();
    Files.deleteIfExists(log);
    List<SuiteItem> baselines = Suites.baselines();
    int total = items.size() + 2 * baselines.size();
    int[] done = {0};
    List<Measured> first = measureAll(baselines, done, total);
    List<Measured> measured = measureAll(items, done, total);
    List<Measured> last = measureAll(baselines, done, total);
    List<Measured> peaks = new ArrayList<>();
    for (int i = 0; i < baselines.size(); i++) {
      peaks.add(first.get(i).rate() >= last.get(i).rate() ? first.get(i) : last.get(i));
    }
    MachineLimits limits = new MachineLimits(MachineBaselineBenchmark.LANES,
        peaks.get(0).rate() * peaks.get(0).item.work(), peaks.get(1).rate() * peaks.get(1).item.work());
    List<Row> rows = new ArrayList<>();
    for (Measured m : peaks) {
      rows.add(m.row(limits));
    }
    for (Measured m : measured) {
      rows.add(m.row(limits));
    }
    return new SuiteRun(suite, Instant.now().toString(), machine(), loadBefore, loadAverage(), limits, rows);
  }

  /**
   * Measures the items again and returns a copy of {@code run} in which each of their rows is the
   * better of the old and the new measurement (by fraction of the run's limits): a second chance
   * for results that a passing disturbance (another job, a warm-up that got no CPU) pushed down.
   */
  public SuiteRun remeasure(SuiteRun run, List<SuiteItem> items) throws IOException {
    Map<String, Row> rows = run.byKey();
    int[] done = {0};
    for (Measured m : measureAll(items, done, items.size())) {
      Row again = m.row(run.limits());
      Row before = rows.get(again.key());
      if (before == null || again.fraction() > before.fraction()) {
        rows.put(again.key(), again);
      }
    }
    return new SuiteRun(run.suite(), run.date(), run.machine(), run.loadBefore(), loadAverage(), run.limits(),
        new ArrayList<>(rows.values()));
  }

  private List<Measured> measureAll(List<SuiteItem> items, int[] done, int total) throws IOException {
    List<Measured> out = new ArrayList<>();
    for (SuiteItem item : items) {
      Measured m = measure(item);
      progress.printf("[%2d/%d] %-76s %10.4g %s (per CPU second: %.4g)%n", ++done[0], total, item.key(), m.score,
          item.unit(), m.cpu);
      out.add(m);
    }
    return out;
  }

  private Measured measure(SuiteItem item) throws IOException {
    Path itemLog = Files.createTempFile("finwidth-bench", ".log");
    try {
      ChainedOptionsBuilder b = new OptionsBuilder()
          .include(item.includePattern())
          .warmupIterations(settings.warmupIterations())
          .warmupTime(TimeValue.seconds(1))
          .measurementIterations(settings.measurementIterations())
          .measurementTime(TimeValue.seconds(1))
          .forks(1)
          .shouldFailOnError(true)
          .addProfiler(GCProfiler.class)
          .addProfiler(CpuTimeProfiler.class)
          .output(itemLog.toString());
      item.params().forEach((k, v) -> b.param(k, v));
      Collection<RunResult> results = runWaitingForLock(b, item);
      if (results.size() != 1) {
        throw new IllegalStateException(item.key() + ": expected one JMH result, got " + results.size()
            + " (a parameter not pinned?)");
      }
      RunResult r = results.iterator().next();
      Result<?> primary = r.getPrimaryResult();
      double alloc = Double.NaN;
      double cpu = Double.NaN;
      for (String name : r.getSecondaryResults().keySet()) {
        if (name.endsWith("gc.alloc.rate.norm")) {
          alloc = score(r, name);
        } else if (name.endsWith(CpuTimeProfiler.LABEL)) {
          cpu = score(r, name);
        }
      }
      return new Measured(item, r.getParams().getThreads(), primary.getScore(), primary.getScoreError(),
          primary.getStatistics().getMax(), cpu, alloc);
    } finally {
      Files.write(log, Files.readAllBytes(itemLog), java.nio.file.StandardOpenOption.CREATE,
          java.nio.file.StandardOpenOption.APPEND);
      Files.deleteIfExists(itemLog);
    }
  }

  /**
   * Runs JMH; while another JMH run holds the machine-wide lock (/tmp/jmh.lock: measuring beside it
   * would measure neither), waits and retries, up to {@value #LOCK_WAIT_SECONDS} s.
   */
  private Collection<RunResult> runWaitingForLock(ChainedOptionsBuilder b, SuiteItem item) {
    long deadline = System.nanoTime() + LOCK_WAIT_SECONDS * 1_000_000_000L;
    while (true) {
      try {
        return new Runner(b.build()).run();
      } catch (RunnerException e) {
        String msg = String.valueOf(e.getMessage());
        if (!msg.contains("JMH lock") || System.nanoTime() > deadline) {
          throw new IllegalStateException(item.key() + " failed: " + msg + " (JMH's output: " + log + ")", e);
        }
        progress.println("another JMH run holds the lock (/tmp/jmh.lock): waiting before " + item.key());
        try {
          Thread.sleep(10_000);
        } catch (InterruptedException ie) {
          Thread.currentThread().interrupt();
          throw new IllegalStateException("interrupted while waiting for the JMH lock", ie);
        }
      }
    }
  }

  /** The score of a secondary result (JMH declares the map with the raw type {@code Result}). */
  @SuppressWarnings("rawtypes")
  private static double score(RunResult r, String name) {
    Result secondary = r.getSecondaryResults().get(name);
    return secondary.getScore();
  }

  /** A JMH result before the limits are known. */
  private record Measured(SuiteItem item, int threads, double score, double error, double best, double cpu,
      double alloc) {
    Row row(MachineLimits limits) {
      return Row.of(item, threads, score, error, best, cpu, alloc, limits);
    }

    double rate() {
      return Row.rate(best, cpu);
    }
  }

  /** The 1, 5 and 15 minute load averages (NaN where /proc/loadavg is missing). */
  static double[] loadAverage() {
    try {
      String[] f = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
      return new double[] {Double.parseDouble(f[0]), Double.parseDouble(f[1]), Double.parseDouble(f[2])};
    } catch (IOException | RuntimeException e) {
      return new double[] {Double.NaN, Double.NaN, Double.NaN};
    }
  }

  static Map<String, String> machine() {
    Map<String, String> m = new LinkedHashMap<>();
    String cpu = "unknown";
    try {
      for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
        if (line.startsWith("model name")) {
          cpu = line.substring(line.indexOf(':') + 1).trim();
          break;
        }
      }
    } catch (IOException e) {
      // not Linux: leave the model unknown
    }
    m.put("cpu", cpu);
    m.put("processors", "" + Runtime.getRuntime().availableProcessors());
    m.put("floatLanes", "" + MachineBaselineBenchmark.LANES);
    m.put("java", System.getProperty("java.vm.name") + " " + System.getProperty("java.version"));
    return m;
  }
}
