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
import org.finwidth.vector.ActivationKernels;
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
 *     networks per second); {@code ensemble2T} on two worker threads; {@code ensembleLong} and
 *     {@code ensembleLong2T} over {@value #LONG_ENSEMBLE_BLOCKS} blocks (the steady state of a long
 *     run); each also reports {@link ProcessCpu} ({@code :cpuNetworks} per {@code :cpuMicros} of the
 *     whole process: per core-microsecond, the worker threads included);</li>
 * <li>the parts of {@code network}, each per network (networks/s: the reciprocals add up to the
 *     time of a network, with the sampler's own bookkeeping the remainder): {@code normals}, then
 *     {@code transform} (z = L g, L layers), {@code activation} (h = σ(z)), {@code gram} (the Gram
 *     sums of h, the next metric) and {@code statistics} (the sink's L layers and the block sums)
 *     on one network recorded in set-up; for one ReLU input the sampler runs {@code onePass}
 *     instead of the three middle ones (and the sink takes the moments of z from it).</li>
 * </ul>
 * With {@code -p d=1 -p statistics=neurons} (the default statistics of one input) this is the
 * conditional sampler as a one-input {@code simulate} runs it.
 * Every per-network method reports {@link ThreadCpu} ({@code :calls} per {@code :cpuMicros}), the
 * figure to compare on a shared machine.
 *
 * <p>Set-up checks the production sampler against the scalar-kernel sampler bit for bit on one
 * network (ReLU is exact in both kernels), then runs every method (the runner on small runs) for
 * two seconds so that C2 has compiled the kernels before the warm-up.
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
  /** Blocks of networks per invocation of {@code ensembleLong} (65,536 networks). */
  static final int LONG_ENSEMBLE_BLOCKS = 64;

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
  private final LayerSink reader = (l, z, width, metric) -> keep[0] += z[0][width - 1] + metric[metric.length - 1];
  /** One network recorded in set-up, for the parts: z[l][a], the metric of layer l, Cholesky factors. */
  private float[][][] recordedZ;
  private double[][] recordedMetric;
  private float[][] recordedChol;
  private float[][][] recordedH;
  private float[] partNormals;
  private float[][] partZ;
  private float[][] partH;
  private double[] partGram;
  private double[] partGramWork;
  private final double[] partSums = new double[3];
  private final double[] partSumsWork = new double[LayerKernels.momentsWorkLength(1)];
  /** d = 1: the sums of each recorded layer that the sampler hands the sink (null for d > 1). */
  private double[][] recordedSums;
  private LayerKernels layers;
  private ActivationKernels activations;
  private Activation relu;
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
      transform();
      activation();
      gram();
      onePass();
      statistics();
      warmRunner((int) (network & 1) + 1);
    }
  }

  /**
   * A small run of the runner (4 blocks of 16 networks) on 1 or 2 threads, so that the ensemble
   * methods start their warm-up with the runner's code compiled, as the other methods do: under
   * JMH's default warm-up the first runs of 4096 networks took seconds each while C2 compiled.
   */
  private void warmRunner(int threads) {
    new EnsembleRunner(spec, factory, seed, 64).blockSize(16).threads(threads).reference(reference)
        .distinctNeurons(layout.distinctNeurons()).run();
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
    layers = KernelProvider.getInstance().layerKernels();
    activations = KernelProvider.getInstance().activationKernels();
    relu = spec.activation();
    recordedZ = new float[depth + 1][d][];
    recordedMetric = new double[depth + 1][];
    recordedChol = new float[depth + 1][d * d];
    int bad = s.sample(seed, 2, (l, z, width, metric) -> {
      for (int x = 0; x < d; x++) {
        recordedZ[l][x] = java.util.Arrays.copyOf(z[x], width);
      }
      recordedMetric[l] = metric.clone();
    });
    if (bad != 0) {
      throw new IllegalStateException("the network diverged at layer " + bad);
    }
    recordedH = new float[depth + 1][d][n];
    for (int l = 1; l <= depth; l++) {
      cholesky(recordedMetric[l], d, recordedChol[l]);
      for (int x = 0; x < d; x++) {
        activations.value(relu, recordedZ[l][x], 0, recordedH[l][x], 0, n);
      }
    }
    partNormals = new float[d * n * depth];
    normals.fill(seed, 2, 0, RandomStreams.CONDITIONAL, 0, 1f, partNormals, 0, partNormals.length);
    partZ = new float[d][n];
    partH = new float[d][n];
    partGram = new double[d * d];
    partGramWork = new double[LayerKernels.gramWorkLength(d, n)];
    recordedSums = new double[depth + 1][];
    if (d == 1) {
      for (int l = 1; l <= depth; l++) {
        recordedSums[l] = new double[3];
        layers.sums1(recordedZ[l][0], recordedH[l][0], n, recordedSums[l], partSumsWork);
      }
    }
  }

  /** The lower Cholesky factor of a positive definite d×d metric, rounded to float (row-major). */
  static void cholesky(double[] g, int d, float[] out) {
    double[] f = new double[d * d];
    for (int a = 0; a < d; a++) {
      for (int b = 0; b <= a; b++) {
        double v = g[a * d + b];
        for (int k = 0; k < b; k++) {
          v -= f[a * d + k] * f[b * d + k];
        }
        f[a * d + b] = a == b ? Math.sqrt(v) : v / f[b * d + b];
      }
    }
    for (int k = 0; k < d * d; k++) {
      out[k] = (float) f[k];
    }
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

  /** Part of {@code sampler}: the L transforms z = L g of one network (its normals and factors given). */
  @Benchmark
  public float[][] transform(ThreadCpu cpu) {
    cpu.calls++;
    return transform();
  }

  private float[][] transform() {
    for (int l = 1; l <= depth; l++) {
      layers.conditionalTransform(recordedChol[l], d, partNormals, (l - 1) * d * n, n, partZ, n);
    }
    return partZ;
  }

  /** Part of {@code sampler}: the activations h = σ(z) of one network's L layers. */
  @Benchmark
  public float[][] activation(ThreadCpu cpu) {
    cpu.calls++;
    return activation();
  }

  private float[][] activation() {
    for (int l = 1; l <= depth; l++) {
      for (int x = 0; x < d; x++) {
        activations.value(relu, recordedZ[l][x], 0, partH[x], 0, n);
      }
    }
    return partH;
  }

  /** Part of {@code sampler}: the Gram sums of h that give the next layer's metric, L layers. */
  @Benchmark
  public double[] gram(ThreadCpu cpu) {
    cpu.calls++;
    return gram();
  }

  private double[] gram() {
    for (int l = 1; l <= depth; l++) {
      layers.gram(recordedH[l], d, n, partGram, partGramWork);
    }
    return partGram;
  }

  /**
   * Part of {@code sampler} for one input (d = 1; with more, the first input alone): the L layers
   * of ReLU in one pass each ({@link LayerKernels#reluLayer1}: z = c·g, the moments of z and the
   * Gram sum of σ(z)), which replace {@code transform}, {@code activation}, {@code gram} and the
   * sink's moments there.
   */
  @Benchmark
  public double[] onePass(ThreadCpu cpu) {
    cpu.calls++;
    return onePass();
  }

  private double[] onePass() {
    for (int l = 1; l <= depth; l++) {
      layers.reluLayer1(recordedChol[l][0], partNormals, (l - 1) * d * n, partZ[0], n, partSums, partSumsWork);
    }
    return partSums;
  }

  /**
   * Part of {@code network}: the statistics of one recorded network, {@link ObservableSink#layer}
   * for its L layers and {@link BlockSums#add}, as a worker of the runner does after sampling.
   */
  @Benchmark
  public long statistics(ThreadCpu cpu) {
    cpu.calls++;
    return statistics();
  }

  private long statistics() {
    sink.reset();
    for (int l = 1; l <= depth; l++) {
      sink.layer(l, recordedZ[l], n, recordedMetric[l], recordedSums[l]); // null sums for d > 1
    }
    if (block.count() == EnsembleRunner.BLOCK_SIZE) {
      block.clear();
    }
    block.add(sink);
    return block.count();
  }

  /** Counts the networks of {@link #ensemble} (reported per second as {@code ensemble:networks}). */
  @State(Scope.Thread)
  @AuxCounters(AuxCounters.Type.OPERATIONS)
  public static class Networks {
    /** Networks run (a public field: JMH reports it). */
    public long networks;
  }

  /**
   * {@link EnsembleRunner} on one worker thread: sampling, statistics, block sums, the exact merge,
   * over {@value #ENSEMBLE_BLOCKS} blocks per run. The runner's per-run work (the result's exact
   * sums, the sampler and sink of a worker, the result) is about 0.1 ms of CPU, measured on a run
   * of one network, and its per-network bookkeeping (cancellation, progress, the block loop) a few
   * percent of a one-input network: compare {@code ensembleLong}.
   */
  @Benchmark
  public long ensemble(Networks count, ProcessCpu cpu) {
    return runEnsemble(ENSEMBLE_BLOCKS, 1, count, cpu);
  }

  /**
   * {@link #ensemble} on two worker threads of the runner (started per invocation); JMH runs one
   * thread. The figure of a run on a 2-core machine.
   */
  @Benchmark
  public long ensemble2T(Networks count, ProcessCpu cpu) {
    return runEnsemble(ENSEMBLE_BLOCKS, 2, count, cpu);
  }

  /**
   * {@link #ensemble} over {@value #LONG_ENSEMBLE_BLOCKS} blocks per run: the steady state of a
   * user's run (10<sup>5</sup> to 10<sup>8</sup> networks), where the per-run work and the threads'
   * start and join are spread over 16 times more networks.
   */
  @Benchmark
  public long ensembleLong(Networks count, ProcessCpu cpu) {
    return runEnsemble(LONG_ENSEMBLE_BLOCKS, 1, count, cpu);
  }

  /** {@link #ensembleLong} on two worker threads. */
  @Benchmark
  public long ensembleLong2T(Networks count, ProcessCpu cpu) {
    return runEnsemble(LONG_ENSEMBLE_BLOCKS, 2, count, cpu);
  }

  private long runEnsemble(int blocks, int threads, Networks count, ProcessCpu cpu) {
    long m = (long) blocks * EnsembleRunner.BLOCK_SIZE;
    long done = new EnsembleRunner(spec, factory, seed++, m).threads(threads).reference(reference)
        .distinctNeurons(layout.distinctNeurons()).run().networksDone();
    count.networks += done;
    cpu.cpuNetworks += done;
    return done;
  }

  /** Keeps the readers' result alive (JMH sample 08: no dead code). */
  @TearDown(Level.Trial)
  public void tearDown(Blackhole bh) {
    bh.consume(keep[0]);
  }
}
