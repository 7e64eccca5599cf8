package org.finwidth.ensemble;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.finwidth.activation.Activation;
import org.finwidth.network.NetworkSpec;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Memory does not grow with M: 10^8 networks run in a JVM with a 256 MB heap. The run
 * happens in a child JVM started with {@code -Xmx256m} ({@link #main}); it prints the heap's peak
 * use, which the test reports. The network is the cheapest there is (ReLU, L = 1, n = 1, one
 * input), so the run measures the runner, the statistics and the result (production conditional sampler).
 *
 * <p>Opt-in ({@code @Tag("slow")}, about a minute on 2 cores):
 * <pre>
 *   ./mvnw -B -pl core -am test -Dtest=MemorySlowTest -Dsurefire.failIfNoSpecifiedTests=false \
 *       -Dtest.excluded.groups=slurm
 * </pre>
 */
@Tag("slow")
class MemorySlowTest {
  static final long NETWORKS = 100_000_000L;

  /** Child entry point: runs {@code args[0]} networks on 2 threads and prints counts and peak heap. */
  public static void main(String[] args) {
    long networks = Long.parseLong(args[0]);
    NetworkSpec spec = NetworkSpec.ofGram(Activation.parse("relu"), 0.1, 2, 1, new int[] {1}, new double[][] {{1.0}});
    long start = System.nanoTime();
    EnsembleResult r = new EnsembleRunner(spec, TestSamplers.CONDITIONAL, 1, networks).threads(2).run();
    double seconds = (System.nanoTime() - start) * 1e-9;
    long peak = 0;
    for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
      if (pool.getType() == MemoryType.HEAP) {
        peak += pool.getPeakUsage().getUsed();
      }
    }
    System.gc();
    long live = Runtime.getRuntime().totalMemory() - Runtime.getRuntime().freeMemory();
    // the peak is the sum of the pools' peaks; the live heap after a collection is what the run retains
    System.out.println("accumulated " + r.networksAccumulated() + " complete " + r.isComplete()
        + " seconds " + Math.round(seconds) + " maxHeapMB " + Runtime.getRuntime().maxMemory() / (1 << 20)
        + " peakHeapPoolsMB " + peak / (1 << 20) + " liveAfterGcMB " + live / (1 << 20)
        + " G " + r.estimates(1).g(0, 0));
  }

  @Test
  void hundredMillionNetworksRunInA256MegabyteHeap() throws IOException, InterruptedException {
    Path java = Path.of(System.getProperty("java.home"), "bin", "java");
    List<String> cmd = new ArrayList<>(List.of(java.toString(), "-Xmx256m", "--add-modules", "jdk.incubator.vector",
        "-cp", System.getProperty("java.class.path"), MemorySlowTest.class.getName(), Long.toString(NETWORKS)));
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes());
    int code = p.waitFor();
    System.out.println(out);
    assertEquals(0, code, out);
    assertTrue(out.contains("accumulated " + NETWORKS + " complete true"), out);
  }
}
