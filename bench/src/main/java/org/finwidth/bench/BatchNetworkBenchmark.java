package org.finwidth.bench;

import java.util.concurrent.TimeUnit;

import org.finwidth.activation.Activation;
import org.finwidth.ensemble.EnsembleRunner;
import org.finwidth.ensemble.SamplerFactory;
import org.finwidth.network.LayerSink;
import org.finwidth.network.NetworkSpec;
import org.finwidth.network.Sampler;
import org.finwidth.network.SamplerKind;
import org.finwidth.network.Samplers;
import org.finwidth.random.RandomStreams;
import org.finwidth.stats.BlockSums;
import org.finwidth.stats.ObservableLayout;
import org.finwidth.stats.ObservableSink;
import org.finwidth.vector.KernelProvider;
import org.finwidth.vector.LayerKernels;
import org.finwidth.vector.NormalKernels;
import org.openjdk.jmh.annotations.AuxCounters;
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
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * A batch of d inputs through the conditional sampler: whole networks per second with the
 * statistics a run keeps (ReLU at criticality, C_b = 0, C_W = 2; L equal widths n; d unit inputs
 * of Gram 1 on the diagonal and ½ off it). The goal for d = 8, n = 256, L = 10 with the metric
 * statistics (the default from 5 inputs on) is 40,000 networks/s per core on AVX-512 and 20,000 on
 * AVX2 (bench/README.md).
 *
 * <ul>
 * <li>{@code network}: one network sampled into an {@link ObservableSink} and added to
 *     {@link BlockSums}, as a worker of {@link EnsembleRunner} handles it ({@code statistics}
 *     {@code metric}: Gmetric and Vmetric; {@code neurons}: also G, V and the ratios from the
 *     neurons, the O(n d⁴/24) fourth moments: the price of the distinct-neuron estimator);</li>
 * <li>{@code sampler}: the sampler alone into a sink that reads one number per layer;</li>
 * <li>{@code normals}: only the d·n·L normals one network draws, in the sampler's fills: the
 *     generator's bound;</li>
 * <li>{@code ensemble}: {@link EnsembleRunner} on one worker thread over {@value #ENSEMBLE_BLOCKS}
 *     blocks, the exact merge included (score: runs per second; {@code ensemble:networks} is
 *     networks per second).</li>
 * </ul>
 * Every per-network method reports {@link ThreadCpu} ({@code :calls} per {@code :cpuMicros}), the
 * figure to compare on a shared machine.
 *
 * <p>Set-up checks the production sampler against the scalar-kernel sampler bit for bit on one
 * network (ReLU is exact in both kernels), then runs every method for two seconds so that C2 has
 * compiled the kernels before the warm-up.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 4, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector"})
@State(Scope.Thread)
public class BatchNetworkBenchmark {
  /** Blocks of networks per invocation of {@code ensemble}. */
  static final int ENSEMBLE_BLOCKS = 4;

  @Param({"8"})
  public int d;

  @Param({"256"})
  public int n;

  @Param({"10"})
  public int depth;

  /** {@code metric} (Gmetric, Vmetric) or {@code neurons} (the distinct-neuron statistics as well). */
  @Param({"metric", "neurons"})
  public String statistics;

  private NetworkSpec spec;
  private Sampler s;
  private SamplerFactory factory;
  private ObservableLayout layout;
  private ObservableSink sink;
  private BlockSums block;
  private double[][] reference;
  private NormalKernels normals;
  private float[] buffer;
  private final double[] keep = new double[1];
  private final LayerSink reader = (l, z, width, metric) -> keep[0] += z[0][width - 1] + metric[1];
  /** Non-final inputs (JMH sample 10: no constant folding). */
  private long seed = 20261206L;
  private long network;

  /** The network of the benchmark: d inputs of Gram 1 on the diagonal, ½ off it. */
  static NetworkSpec spec(int d, int n, int depth) {
    double[][] gram = new double[d][d];
    for (int a = 0; a < d; a++) {
      for (int b = 0; b < d; b++) {
        gram[a][b] = a == b ? 1 : 0.5;
      }
    }
    return NetworkSpec.ofGram(Activation.parse("relu"), 0, 2, d, NetworkSpec.equalWidths(depth, n), gram);
  }

  @Setup(Level.Trial)
  public void setUp() {
    init();
    verify();
    long end = System.nanoTime() + 2_000_000_000L;
    while (System.nanoTime() < end) {
      network();
      s.sample(seed, network++, reader);
      normals();
    }
  }

  /** Builds the network, the sampler and the statistics. */
  void init() {
    if (!statistics.equals("metric") && !statistics.equals("neurons")) {
      throw new IllegalArgumentException("statistics: metric or neurons, not " + statistics);
    }
    spec = spec(d, n, depth);
    s = Samplers.create(spec, SamplerKind.CONDITIONAL);
    factory = SamplerFactory.of("conditional", sp -> Samplers.create(sp, SamplerKind.CONDITIONAL));
    reference = EnsembleRunner.pilotReference(spec, factory, seed);
    layout = ObservableLayout.of(d, statistics.equals("neurons"));
    sink = new ObservableSink(spec, reference, layout);
    block = new BlockSums(layout, depth);
    normals = KernelProvider.getInstance().normalKernels();
    buffer = new float[LayerKernels.CHUNK_NORMALS];
  }

  /** Fails unless the production sampler gives the scalar kernels' bits on one network. */
  void verify() {
    Sampler scalar = Samplers.create(spec, SamplerKind.CONDITIONAL, KernelProvider.scalar());
    float[][][] a = record(s);
    float[][][] b = record(scalar);
    for (int l = 1; l <= depth; l++) {
      for (int x = 0; x < d; x++) {
        if (!java.util.Arrays.equals(a[l][x], b[l][x])) {
          throw new IllegalStateException("layer " + l + " input " + x + ": the production sampler differs from the"
              + " scalar kernels");
        }
      }
    }
  }

  private float[][][] record(Sampler sm) {
    float[][][] out = new float[depth + 1][d][];
    int bad = sm.sample(seed, 1, (l, z, width, metric) -> {
      for (int x = 0; x < d; x++) {
        out[l][x] = java.util.Arrays.copyOf(z[x], width);
      }
    });
    if (bad != 0) {
      throw new IllegalStateException("the network diverged at layer " + bad);
    }
    return out;
  }

  /** One network into the statistics, as a worker of {@link EnsembleRunner} handles it. */
  @Benchmark
  public int network(ThreadCpu cpu) {
    cpu.calls++;
    return network();
  }

  private int network() {
    sink.reset();
    int status = s.sample(seed, network++, sink);
    if (status == 0) {
      if (block.count() == EnsembleRunner.BLOCK_SIZE) {
        block.clear();
      }
      block.add(sink);
    }
    return status;
  }

  /** The sampler alone. */
  @Benchmark
  public int sampler(ThreadCpu cpu) {
    cpu.calls++;
    return s.sample(seed, network++, reader);
  }

  /** The d·n·L normals of one network, in the sampler's fills of {@link LayerKernels#CHUNK_NORMALS}. */
  @Benchmark
  public float[] normals(ThreadCpu cpu) {
    cpu.calls++;
    return normals();
  }

  private float[] normals() {
    long net = network++;
    int len = LayerKernels.CHUNK_NORMALS;
    for (long at = 0, total = (long) d * depth * n; at < total; at += len) {
      normals.fill(seed, net, 0, RandomStreams.CONDITIONAL, at, 1f, buffer, 0, (int) Math.min(len, total - at));
    }
    return buffer;
  }

  /** Counts the networks of {@link #ensemble} (reported per second as {@code ensemble:networks}). */
  @State(Scope.Thread)
  @AuxCounters(AuxCounters.Type.OPERATIONS)
  public static class Networks {
    /** Networks run (a public field: JMH reports it). */
    public long networks;
  }

  /** {@link EnsembleRunner} on one worker thread: sampling, statistics, block sums, the exact merge. */
  @Benchmark
  public long ensemble(Networks count) {
    long m = (long) ENSEMBLE_BLOCKS * EnsembleRunner.BLOCK_SIZE;
    long done = new EnsembleRunner(spec, factory, seed++, m).threads(1).reference(reference)
        .distinctNeurons(layout.distinctNeurons()).run().networksDone();
    count.networks += done;
    return done;
  }

  /** Keeps the readers' result alive (JMH sample 08: no dead code). */
  @TearDown(Level.Trial)
  public void tearDown(Blackhole bh) {
    bh.consume(keep[0]);
  }
}
