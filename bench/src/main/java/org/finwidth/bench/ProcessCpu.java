package org.finwidth.bench;

import java.lang.management.ManagementFactory;

import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * The whole JVM's CPU time per iteration and the networks run in it, reported by JMH as totals
 * over the measurement: {@code cpuNetworks / cpuMicros} is networks per microsecond of CPU summed
 * over every thread of the process (the runner's worker threads, and also the JIT compiler, the
 * garbage collector and JMH's own threads, which are idle in a steady state). For methods whose
 * work runs on threads they start themselves, where {@link ThreadCpu} would miss it; like
 * ThreadCpu, far less disturbed by other jobs on a shared machine than the wall-clock score. The
 * operating system counts process CPU time in ticks (10 ms on Linux): over a 1 s iteration that is
 * about 1%.
 */
@State(Scope.Thread)
@AuxCounters(AuxCounters.Type.EVENTS)
public class ProcessCpu {

  private static final com.sun.management.OperatingSystemMXBean OS =
      (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();

  /** Networks run in the iteration (the benchmark adds them). */
  public long cpuNetworks;
  /** CPU time of the whole process in the iteration, microseconds. */
  public long cpuMicros;
  private long start;

  /** Starts the iteration's clock. */
  @Setup(Level.Iteration)
  public void start() {
    cpuNetworks = 0;
    cpuMicros = 0;
    start = OS.getProcessCpuTime();
  }

  /** Stops it. */
  @TearDown(Level.Iteration)
  public void stop() {
    cpuMicros = (OS.getProcessCpuTime() - start) / 1000;
  }
}
