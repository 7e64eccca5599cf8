package org.finwidth.sim.cli;

import java.util.Locale;
import org.finwidth.ensemble.EnsembleRunner;
import org.finwidth.network.NetworkSpec;
import org.finwidth.network.SamplerKind;
import org.finwidth.stats.ObservableLayout;
import org.finwidth.vector.LayerKernels;
import org.finwidth.vector.PairIndex;

/**
 * Refuses up front a simulation that cannot fit in memory or would take absurdly long, with the
 * estimate in the message (so a typo like {@code --networks 1e15} or {@code --width 100000000}
 * fails in a second instead of running out of memory or for years).
 *
 * <p>Time: the work per network is counted in operations (a normal drawn or a multiply-add):
 * the weights sampler draws n_ℓ n_{ℓ−1} weights per layer and uses each for d inputs, the
 * conditional sampler draws d normals per neuron and mixes them with a d×d factor; the activation,
 * the Gram matrix and the neuron averages take about d² per neuron; the statistics
 * ({@link ObservableLayout}) take 4R per layer (R = P(P+1)/2, P = d(d+1)/2), and the
 * distinct-neuron ones another 5R plus n_ℓ d(d+1)(d+2)(d+3)/24 fourth moments. At an optimistic
 * {@value #OPS_PER_THREAD_SECOND} operations per thread-second (above what the kernels reach on
 * one core, bench/README.md), a run whose estimate exceeds {@value #MAX_DAYS} days is refused
 * unless {@code --force}.
 *
 * <p>Memory ({@link #bytes}): each thread holds a few arrays of the widest layer, about
 * {@value #BYTES_PER_NEURON_INPUT} bytes per neuron and input (d+1), and a block's sums in double
 * (8 bytes per sum and layer, and for d ≥ 2 another 4R + 16P: the metric products kept apart and
 * the pending networks' values); the run holds the exact sums {@value #EXACT_COPIES} times (the
 * result continued, the one being built, a checkpoint's), about {@value #BYTES_PER_EXACT_SUM}
 * bytes per sum and layer. The number of sums per layer is {@link ObservableLayout#sumCount()}:
 * 4R + P, and 9R + 4P + 4d with the distinct-neuron statistics. So d = 16 inputs (P = 136,
 * R = 9,316) at depth 20 need about 224 MB for the statistics (metric; 507 MB with the
 * distinct-neuron ones) plus 12 MB (22 MB) per thread (docs/cli.md has a table); memory never
 * grows with the number of networks. More than the JVM's maximum heap is refused (no override: it could only fail).
 */
final class RunEstimate {
  /** Optimistic operations per thread and second. */
  static final double OPS_PER_THREAD_SECOND = 2e9;
  /** Longer estimates are refused without --force. */
  static final double MAX_DAYS = 30;
  /** Bytes each thread holds per neuron of the widest layer and input (floats of z, h and buffers). */
  static final long BYTES_PER_NEURON_INPUT = 24;
  /** Bytes of one exact sum (an ExactSum and its digits: measured 92 for typical block sums). */
  static final long BYTES_PER_EXACT_SUM = 100;
  /** Copies of the exact sums a run holds at once. */
  static final int EXACT_COPIES = 3;

  private RunEstimate() {}

  /** Operations per network (see the class documentation). */
  static double operationsPerNetwork(NetworkSpec spec, SamplerKind kind, ObservableLayout layout) {
    int d = spec.inputCount();
    double r = layout.pairPairs();
    double statistics = 4 * r + (layout.distinctNeurons() ? 5 * r : 0);
    double quads = layout.distinctNeurons() ? PairIndex.quadCount(d) : 0;
    double ops = 0;
    for (int l = 1; l <= spec.depth(); l++) {
      double n = spec.width(l);
      double sampling = kind == SamplerKind.WEIGHTS ? n * spec.width(l - 1) * (1.0 + d) : n * (d + (double) d * d);
      ops += sampling + n * d * d + statistics + n * quads;
    }
    return ops;
  }

  /**
   * Bytes of the statistics of a run: the exact sums ({@value #EXACT_COPIES} copies) and each
   * thread's block sums and per-network values.
   */
  static double statisticsBytes(ObservableLayout layout, int depth, int threads) {
    double exact = (double) EXACT_COPIES * depth * layout.sumCount() * BYTES_PER_EXACT_SUM;
    double perNetwork = layout.pairs() + (layout.distinctNeurons() ? layout.pairs() + layout.pairPairs() : 0);
    // with two or more inputs BlockSums keeps the four metric products in arrays of their own
    // (4R) and the g and g² of up to BlockSums.BATCH = 8 pending networks (16P)
    double products = layout.pairs() > 1 ? 4.0 * layout.pairPairs() + 16.0 * layout.pairs() : 0;
    double perThread = 8.0 * depth * (layout.sumCount() + layout.maxCount() + perNetwork + products)
        + (layout.distinctNeurons() ? 8.0 * LayerKernels.momentsWorkLength(layout.inputs()) : 0);
    return exact + threads * perThread;
  }

  /** Bytes of the arrays of the widest layer over all threads. */
  static double layerBytes(NetworkSpec spec, int threads) {
    long widest = 0;
    for (int l = 0; l <= spec.depth(); l++) {
      widest = Math.max(widest, spec.width(l));
    }
    return (double) threads * BYTES_PER_NEURON_INPUT * (spec.inputCount() + 1) * widest;
  }

  /** The memory estimate of a run: {@link #layerBytes} plus {@link #statisticsBytes}. */
  static double bytes(NetworkSpec spec, ObservableLayout layout, int threads) {
    return layerBytes(spec, threads) + statisticsBytes(layout, spec.depth(), threads);
  }

  /**
   * Checks a run of {@code networks} networks on {@code requested} threads (at most one per block of
   * {@link EnsembleRunner#BLOCK_SIZE} networks runs: the rest are not counted).
   *
   * @throws IllegalArgumentException with the estimate if it cannot fit or takes too long
   */
  static void check(NetworkSpec spec, SamplerKind kind, ObservableLayout layout, long networks, int requested,
      boolean force, long maxHeapBytes) {
    // the runner starts no more threads than there are blocks (EnsembleRunner): count those
    int threads = (int) Math.max(1, Math.min(requested,
        (networks + EnsembleRunner.BLOCK_SIZE - 1) / EnsembleRunner.BLOCK_SIZE));
    long widest = 0;
    for (int l = 0; l <= spec.depth(); l++) {
      widest = Math.max(widest, spec.width(l));
    }
    double layers = layerBytes(spec, threads);
    double statistics = statisticsBytes(layout, spec.depth(), threads);
    double bytes = layers + statistics;
    if (bytes > maxHeapBytes) {
      String what = String.format(Locale.ROOT, "%d thread%s x %d bytes x %d neurons of the widest layer x (d+1)",
          threads, threads == 1 ? "" : "s", BYTES_PER_NEURON_INPUT, widest);
      String advice = "use fewer --threads or narrower layers";
      if (statistics >= 0.01 * bytes) {
        what += String.format(Locale.ROOT, ", and %s for the statistics of %d inputs over %d layers (%d sums per layer,"
            + " %s)", bytesText(statistics), spec.inputCount(), spec.depth(), layout.sumCount(), layout.describe());
        advice = "use fewer inputs or layers" + (layout.distinctNeurons() ? ", --no-distinct-neurons" : "")
            + ", fewer --threads or narrower layers";
      }
      throw new IllegalArgumentException(String.format(Locale.ROOT,
          "this run needs about %s of memory (%s), more than the %s the JVM may use; %s, or raise the heap"
              + " (FINWIDTH_JVM_OPTS=-Xmx...)", bytesText(bytes), what, bytesText(maxHeapBytes), advice));
    }
    double ops = operationsPerNetwork(spec, kind, layout) * networks;
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

  /**
   * Bytes to two or three significant digits in MB or GB, as docs/cli.md's memory table writes
   * them ("0.62 MB", "8.1 MB", "224 MB", "1.7 GB").
   */
  static String approx(double bytes) {
    if (bytes >= 1e9) {
      return String.format(Locale.ROOT, "%.1f GB", bytes / 1e9);
    }
    double mb = bytes / 1e6;
    return String.format(Locale.ROOT, mb >= 10 ? "%.0f MB" : mb >= 1 ? "%.1f MB" : "%.2f MB", mb);
  }

  static String bytesText(double bytes) {
    return bytes >= 1e12 ? String.format(Locale.ROOT, "%.1f TB", bytes / 1e12)
        : bytes >= 1e9 ? String.format(Locale.ROOT, "%.1f GB", bytes / 1e9)
        : String.format(Locale.ROOT, "%.0f MB", bytes / 1e6);
  }
}
