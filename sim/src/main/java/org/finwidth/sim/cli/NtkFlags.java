package org.finwidth.sim.cli;

import org.finwidth.ensemble.NtkOptions;
import org.finwidth.network.LearningRates;
import picocli.CommandLine.Option;

/**
 * The neural tangent kernel flags of {@code theory} and {@code simulate} (docs/cli.md, "The
 * neural tangent kernel"), as a picocli mixin:
 * <pre>
 *   --ntk [--lambda-b X | X1,...,XL] [--lambda-w Y | Y1,...,YL] [--ntk-neurons S (simulate)]
 * </pre>
 * Every bad value is an {@link IllegalArgumentException} naming the flag (one line, exit 2).
 */
public final class NtkFlags {
  @Option(names = "--ntk",
      description = "Also the neural tangent kernel per layer: its mean H, the 1/n correction H1, the"
          + " NTK-preactivation correlations D, F and the NTK fluctuations A, B (docs/theory.md section 11).")
  boolean ntk;

  @Option(names = "--lambda-b", paramLabel = "X",
      description = "With --ntk: the bias learning rate lambda_b, one number for every layer or L"
          + " comma-separated (default 1).")
  String lambdaB;

  @Option(names = "--lambda-w", paramLabel = "Y",
      description = "With --ntk: the weight learning rate lambda_W (a weight of layer l has the rate"
          + " lambda_W/n_{l-1}), one number or L comma-separated (default 1).")
  String lambdaW;

  @Option(names = "--ntk-neurons", paramLabel = "S",
      description = "simulate --ntk: the output neurons per layer whose NTK every network computes"
          + " (2.." + NtkOptions.MAX_NEURONS + ", default " + NtkOptions.DEFAULT_NEURONS + ").")
  Integer neurons;

  /** Whether the NTK is asked for. */
  public boolean enabled() {
    return ntk;
  }

  /**
   * Refuses the NTK's other flags without {@code --ntk}, and {@code --ntk-neurons} where there is
   * no Monte Carlo.
   *
   * @throws IllegalArgumentException naming the flag
   */
  void check(boolean simulate) {
    if (!ntk) {
      String stray = lambdaB != null ? "--lambda-b" : lambdaW != null ? "--lambda-w" : neurons != null ? "--ntk-neurons" : null;
      if (stray != null) {
        throw new IllegalArgumentException(stray + " needs --ntk");
      }
    }
    if (!simulate && neurons != null) {
      throw new IllegalArgumentException("--ntk-neurons is a simulate flag (the theory has no output neurons to choose)");
    }
  }

  /**
   * The learning rates of a network of depth L.
   *
   * @throws IllegalArgumentException naming the flag and value
   */
  LearningRates rates(int depth) {
    return LearningRates.of(parse("--lambda-b", lambdaB, depth), parse("--lambda-w", lambdaW, depth));
  }

  /**
   * The Monte Carlo options of a network of depth L.
   *
   * @throws IllegalArgumentException naming the flag and value
   */
  NtkOptions options(int depth) {
    int s = neurons == null ? NtkOptions.DEFAULT_NEURONS : neurons;
    if (s < 2 || s > NtkOptions.MAX_NEURONS) {
      throw new IllegalArgumentException("--ntk-neurons must be in 2.." + NtkOptions.MAX_NEURONS
          + " (A, B and F need two distinct neurons), got " + s);
    }
    return new NtkOptions(rates(depth), s);
  }

  private static double[] parse(String flag, String text, int depth) {
    double[] v = new double[depth];
    if (text == null) {
      java.util.Arrays.fill(v, 1);
      return v;
    }
    String[] parts = text.split(",", -1);
    if (parts.length != 1 && parts.length != depth) {
      throw new IllegalArgumentException(flag + " needs one value or one per layer (" + depth + "), got "
          + parts.length + " ('" + text + "')");
    }
    for (int i = 0; i < parts.length; i++) {
      String p = parts[i].strip();
      double x;
      try {
        x = Double.parseDouble(p);
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException(flag + ": '" + p + "' is not a number (in '" + text + "')");
      }
      if (!(x >= 0) || Double.isInfinite(x)) {
        throw new IllegalArgumentException(flag + " must be a finite number >= 0, got '" + p + "'");
      }
      v[i] = x;
    }
    if (parts.length == 1) {
      java.util.Arrays.fill(v, v[0]);
    }
    return v;
  }

  /**
   * Refuses an NTK run that cannot fit in memory (each thread keeps every layer's weights,
   * {@link org.finwidth.network.NtkSampler#keptFloats}) or would take too long (the backward sweep's
   * s·d·Σ_l (L−l−1) n_{l+1} n_l multiply-adds per network on top of the weights sampler's work), as
   * {@link RunEstimate} does for every run.
   *
   * @throws IllegalArgumentException with the estimate
   */
  static void checkSize(org.finwidth.network.NetworkSpec spec, NtkOptions options,
      org.finwidth.stats.ObservableLayout layout, long networks, int threads, boolean force, long maxHeapBytes) {
    double bytes = (double) threads * 4 * org.finwidth.network.NtkSampler.keptFloats(spec);
    if (bytes > maxHeapBytes) {
      throw new IllegalArgumentException(String.format(java.util.Locale.ROOT,
          "this --ntk run needs about %s of memory (each of %d thread%s keeps the weights of every layer, %d floats),"
              + " more than the %s the JVM may use; use fewer --threads or narrower layers, or raise the heap"
              + " (FINWIDTH_JVM_OPTS=-Xmx...)",
          RunEstimate.bytesText(bytes), threads, threads == 1 ? "" : "s",
          org.finwidth.network.NtkSampler.keptFloats(spec), RunEstimate.bytesText(maxHeapBytes)));
    }
    double backward = 0;
    int depth = spec.depth();
    for (int l = 1; l < depth; l++) {
      backward += (double) (depth - l - 1) * spec.width(l + 1) * spec.width(l);
    }
    backward *= (double) options.neurons() * spec.inputCount();
    double ops = (RunEstimate.operationsPerNetwork(spec, org.finwidth.network.SamplerKind.WEIGHTS, layout) + backward) * networks;
    double days = ops / (RunEstimate.OPS_PER_THREAD_SECOND * threads) / 86400;
    if (days > RunEstimate.MAX_DAYS && !force) {
      throw new IllegalArgumentException(String.format(java.util.Locale.ROOT,
          "this --ntk run would take about %s days on %d thread%s (%.1e operations at an optimistic %.0e per"
              + " thread-second; the limit is %.0f days): use fewer networks, narrower layers or fewer --ntk-neurons,"
              + " split it with --shard i/N, or pass --force",
          days < 1e6 ? String.format(java.util.Locale.ROOT, "%.0f", days) : String.format(java.util.Locale.ROOT, "%.1e", days),
          threads, threads == 1 ? "" : "s", ops, RunEstimate.OPS_PER_THREAD_SECOND, RunEstimate.MAX_DAYS));
    }
  }
}
