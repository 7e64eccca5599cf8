package org.finwidth.sim.cli;

import java.util.Locale;
import org.finwidth.network.NetworkSpec;
import org.finwidth.network.SamplerKind;

/**
 * Refuses up front a simulation that cannot fit in memory or would take absurdly long, with the
 * estimate in the message (so a typo like {@code --networks 1e15} or {@code --width 100000000}
 * fails in a second instead of running out of memory or for years).
 *
 * <p>Time: the work per network is counted in operations (a normal drawn or a multiply-add):
 * the weights sampler draws n_ℓ n_{ℓ−1} weights per layer and uses each for d inputs, the
 * conditional sampler draws d normals per neuron and mixes them with a d×d factor; the statistics
 * take about d² per neuron. At an optimistic {@value #OPS_PER_THREAD_SECOND} operations per
 * thread-second (above what the kernels reach on one core, bench/README.md), a run whose
 * estimate exceeds {@value #MAX_DAYS} days is refused unless {@code --force}. Memory: each thread
 * holds a few arrays of the widest layer, about {@value #BYTES_PER_NEURON_INPUT} bytes per neuron
 * and input; more than the JVM's maximum heap is refused (no override: it could only fail).
 */
final class RunEstimate {
  /** Optimistic operations per thread and second. */
  static final double OPS_PER_THREAD_SECOND = 2e9;
  /** Longer estimates are refused without --force. */
  static final double MAX_DAYS = 30;
  /** Bytes each thread holds per neuron of the widest layer and input (floats of z, h and buffers). */
  static final long BYTES_PER_NEURON_INPUT = 24;

  private RunEstimate() {}

  /** Operations per network (see the class documentation). */
  static double operationsPerNetwork(NetworkSpec spec, SamplerKind kind) {
    int d = spec.inputCount();
    double ops = 0;
    for (int l = 1; l <= spec.depth(); l++) {
      double n = spec.width(l);
      double sampling = kind == SamplerKind.WEIGHTS ? n * spec.width(l - 1) * (1.0 + d) : n * (d + (double) d * d);
      ops += sampling + n * d * d;
    }
    return ops;
  }

  /**
   * Checks a run of {@code networks} networks on {@code threads} threads.
   *
   * @throws IllegalArgumentException with the estimate if it cannot fit or takes too long
   */
  static void check(NetworkSpec spec, SamplerKind kind, long networks, int threads, boolean force, long maxHeapBytes) {
    long widest = 0;
    for (int l = 0; l <= spec.depth(); l++) {
      widest = Math.max(widest, spec.width(l));
    }
    double bytes = (double) threads * BYTES_PER_NEURON_INPUT * (spec.inputCount() + 1) * widest;
    if (bytes > maxHeapBytes) {
      throw new IllegalArgumentException(String.format(Locale.ROOT,
          "this run needs about %s of memory (%d thread%s x %d bytes x %d neurons of the widest layer x (d+1)),"
              + " more than the %s the JVM may use; use fewer --threads or narrower layers, or raise the heap"
              + " (FINWIDTH_JVM_OPTS=-Xmx...)",
          bytesText(bytes), threads, threads == 1 ? "" : "s", BYTES_PER_NEURON_INPUT, widest, bytesText(maxHeapBytes)));
    }
    double ops = operationsPerNetwork(spec, kind) * networks;
    double days = ops / (OPS_PER_THREAD_SECOND * threads) / 86400;
    if (days > MAX_DAYS && !force) {
      throw new IllegalArgumentException(String.format(Locale.ROOT,
          "this run would take about %s days on %d thread%s (%.1e operations at an optimistic %.0e per"
              + " thread-second; the limit is %.0f days): use fewer networks or narrower layers, split it"
              + " with --shard i/N over several machines, or pass --force",
          days < 1e6 ? String.format(Locale.ROOT, "%.0f", days) : String.format(Locale.ROOT, "%.1e", days),
          threads, threads == 1 ? "" : "s", ops, OPS_PER_THREAD_SECOND, MAX_DAYS));
    }
  }

  static String bytesText(double bytes) {
    return bytes >= 1e12 ? String.format(Locale.ROOT, "%.1f TB", bytes / 1e12)
        : String.format(Locale.ROOT, "%.1f GB", bytes / 1e9);
  }
}
