package org.finwidth.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;

import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * The benchmark thread's CPU time per iteration and the calls made in it, reported by JMH as
 * totals over the measurement (and over the threads): {@code calls / cpuMicros} is calls per
 * microsecond of CPU, which other jobs on a shared machine disturb far less than the wall-clock
 * score (a thread that waits for a core is not charged; caches shared with other jobs still are).
 * Read at the iteration boundaries only, so it costs nothing per call but the increment of
 * {@link #calls}.
 */
@State(Scope.Thread)
@AuxCounters(AuxCounters.Type.EVENTS)
public class ThreadCpu {

  private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

  /** Calls of the benchmark method in the iteration (the benchmark increments it). */
  public long calls;
  /** CPU time of the benchmark thread in the iteration, microseconds. */
  public long cpuMicros;
  private long start;

  /** Starts the iteration's clock. */
  @Setup(Level.Iteration)
  public void start() {
    calls = 0;
    cpuMicros = 0;
    start = THREADS.getCurrentThreadCpuTime();
  }

  /** Stops it. */
  @TearDown(Level.Iteration)
  public void stop() {
    cpuMicros = (THREADS.getCurrentThreadCpuTime() - start) / 1000;
  }
}
