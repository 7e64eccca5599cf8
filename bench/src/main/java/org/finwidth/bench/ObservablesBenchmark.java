package org.finwidth.bench;

import java.util.concurrent.TimeUnit;

import org.finwidth.activation.Activation;
import org.finwidth.network.NetworkSpec;
import org.finwidth.network.Sampler;
import org.finwidth.network.SamplerKind;
import org.finwidth.network.Samplers;
import org.finwidth.stats.BlockSums;
import org.finwidth.stats.ObservableLayout;
import org.finwidth.stats.ObservableSink;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The observables accumulation of one network, as the ensemble runner does it after sampling:
 * {@link ObservableSink#layer} for every layer (the metric, and with {@code distinctNeurons} the
 * neuron averages, the fourth moments and the distinct-neuron correction) and
 * {@link BlockSums#add} (the sums of {@link ObservableLayout}; the block is cleared every 1024
 * networks, as in the runner). The layers are one network sampled in set-up (tanh at criticality,
 * L equal widths n, d inputs of Gram 1 on the diagonal and ½ off it), replayed on every call, so
 * the sampler's cost is not in the score.
 * Score: <b>networks/s</b> (the same unit as {@link NetworkBenchmark}: their ratio is the share of
 * the statistics in a Monte Carlo run).
 *
 * <p>Set-up checks the sink's u, g and e of every layer against a direct double computation from
 * the layout's formulas (relative 1e-9) and runs the accumulation for two seconds so that C2 has
 * compiled the SIMD moment kernels before the warm-up.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector"})
@State(Scope.Thread)
public class ObservablesBenchmark {

  static final int BLOCK = 1024;

  @Param({"1", "2", "8"})
  public int d;

  /** With the distinct-neuron statistics (the O(n d⁴/24) fourth moments) or the metric ones only. */
  @Param({"false", "true"})
  public boolean distinctNeurons;

  @Param({"64", "256"})
  public int n;

  @Param({"10"})
  public int depth;

  private float[][][] z; // [l][a][i], l = 1..L
  private double[][] metric; // [l]
  private ObservableSink sink;
  private BlockSums block;
  /** Non-final input (JMH sample 10). */
  private long seed = 20261128L;

  @Setup(Level.Trial)
  public void setUp() {
    init();
    verify();
    long end = System.nanoTime() + 2_000_000_000L;
    while (System.nanoTime() < end) {
      accumulate();
    }
  }

  /** Samples the replayed network and builds the sink (reference: that network's metric). */
  void init() {
    double[][] gram = new double[d][d];
    for (int a = 0; a < d; a++) {
      for (int b = 0; b < d; b++) {
        gram[a][b] = a == b ? 1 : 0.5;
      }
    }
    NetworkSpec spec = NetworkSpec.ofGram(Activation.parse("tanh"), 0, 1, n, NetworkSpec.equalWidths(depth, n), gram);
    Sampler s = Samplers.create(spec, SamplerKind.CONDITIONAL);
    z = new float[depth + 1][][];
    metric = new double[depth + 1][];
    int bad = s.sample(seed, 1, (l, zl, width, m) -> {
      z[l] = new float[d][];
      for (int a = 0; a < d; a++) {
        z[l][a] = java.util.Arrays.copyOf(zl[a], width);
      }
      metric[l] = m.clone();
    });
    if (bad != 0) {
      throw new IllegalStateException("the replayed network diverged at layer " + bad);
    }
    ObservableLayout layout = ObservableLayout.of(d, distinctNeurons);
    double[][] reference = new double[depth][layout.pairs()];
    for (int l = 1; l <= depth; l++) {
      for (int p = 0; p < layout.pairs(); p++) {
        reference[l - 1][p] = metric[l][layout.index().first(p) * d + layout.index().second(p)];
      }
    }
    sink = new ObservableSink(spec, reference, layout);
    block = new BlockSums(layout, depth);
  }

  /** Fails unless u_p, g_p and e_r of every layer match a direct double computation. */
  void verify() {
    accumulate();
    ObservableLayout layout = sink.layout();
    for (int l = 1; l <= depth; l++) {
      double[] g = sink.g(l);
      double[] a = new double[layout.pairs()];
      for (int p = 0; p < layout.pairs(); p++) {
        a[p] = moment(z[l], layout.index().first(p), layout.index().second(p), -1, -1);
        double c = metric[l][layout.index().first(p) * d + layout.index().second(p)];
        check(l, "g", g[p], 0, Math.abs(c));
        if (distinctNeurons) {
          check(l, "u", sink.u(l)[p], a[p] - c, Math.abs(c));
        }
      }
      if (!distinctNeurons) {
        continue;
      }
      for (int r = 0; r < layout.pairPairs(); r++) {
        int p = layout.index().pairPairFirst(r);
        int q = layout.index().pairPairSecond(r);
        double quad = moment(z[l], layout.index().first(p), layout.index().second(p), layout.index().first(q), layout.index().second(q));
        double dr = (a[p] * a[q] - quad) / (n - 1);
        double want = dr - sink.referenceD(l, r);
        check(l, "e", sink.e(l)[r], want, Math.abs(a[p] * a[q]) / n);
      }
    }
  }

  /** (1/n) Σ_i z_a z_b (c < 0) or (1/n) Σ_i z_a z_b z_c z_d, in double. */
  private double moment(float[][] zl, int a, int b, int c, int e) {
    double s = 0;
    for (int i = 0; i < n; i++) {
      double t = (double) zl[a][i] * zl[b][i];
      s += c < 0 ? t : t * zl[c][i] * zl[e][i];
    }
    return s / n;
  }

  private static void check(int l, String what, double got, double want, double scale) {
    if (!(Math.abs(got - want) <= 1e-9 * Math.max(scale, 1e-30))) {
      throw new IllegalStateException("layer " + l + " " + what + ": sink " + got + ", direct " + want);
    }
  }

  /** One network's statistics, accumulated into the block sums. */
  @Benchmark
  public ObservableSink accumulate() {
    sink.reset();
    for (int l = 1; l <= depth; l++) {
      sink.layer(l, z[l], n, metric[l]);
    }
    if (block.count() == BLOCK) {
      block.clear();
    }
    block.add(sink);
    return sink;
  }
}
