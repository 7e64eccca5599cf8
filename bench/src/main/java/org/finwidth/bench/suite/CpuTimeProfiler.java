package org.finwidth.bench.suite;

import java.lang.management.ManagementFactory;
import java.util.Collection;
import java.util.List;

import org.openjdk.jmh.infra.BenchmarkParams;
import org.openjdk.jmh.infra.IterationParams;
import org.openjdk.jmh.profile.InternalProfiler;
import org.openjdk.jmh.results.AggregationPolicy;
import org.openjdk.jmh.results.IterationResult;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.ScalarResult;

/**
 * A JMH profiler that restates each iteration's score per CPU second instead of per wall second:
 * {@code score × threads × wall / cpu}, with {@code cpu} the benchmark JVM's process CPU time over
 * the iteration. On a machine shared with other jobs the benchmark gets only part of each second of
 * its core, and the wall-clock score falls with it; the CPU-time score is what the benchmark does
 * with the time it gets, so it moves far less with the load (it still sees what the other jobs do
 * to the caches, and counts the JVM's own compiler and GC threads against the benchmark). On an
 * idle machine both agree. Reported as the secondary result {@value #LABEL}, averaged over the
 * measurement iterations.
 */
public final class CpuTimeProfiler implements InternalProfiler {

  /** The secondary result's label. */
  public static final String LABEL = "cpu.normalised";

  private final com.sun.management.OperatingSystemMXBean os =
      (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
  private long cpuStart;
  private long wallStart;

  @Override
  public String getDescription() {
    return "the score per second of process CPU time (robust to other jobs taking the core)";
  }

  @Override
  public void beforeIteration(BenchmarkParams benchmarkParams, IterationParams iterationParams) {
    cpuStart = os.getProcessCpuTime();
    wallStart = System.nanoTime();
  }

  @Override
  @SuppressWarnings("rawtypes") // JMH declares the interface with the raw type Result
  public Collection<? extends Result> afterIteration(BenchmarkParams benchmarkParams, IterationParams iterationParams,
      IterationResult result) {
    long wall = System.nanoTime() - wallStart;
    long cpu = os.getProcessCpuTime() - cpuStart;
    if (cpuStart < 0 || cpu <= 0) {
      return List.of(); // process CPU time not available on this platform
    }
    double score = result.getPrimaryResult().getScore();
    double normalised = score * benchmarkParams.getThreads() * (double) wall / cpu;
    return List.of(new ScalarResult(LABEL, normalised, result.getScoreUnit(), AggregationPolicy.AVG));
  }
}
