package org.finwidth.bench;

import java.util.concurrent.TimeUnit;

import org.finwidth.activation.Activation;
import org.finwidth.ensemble.EnsembleRunner;
import org.finwidth.ensemble.NtkOptions;
import org.finwidth.ensemble.SamplerFactory;
import org.finwidth.network.LayerSink;
import org.finwidth.network.LearningRates;
import org.finwidth.network.NetworkSpec;
import org.finwidth.network.NtkSampler;
import org.finwidth.network.NtkSink;
import org.finwidth.network.SamplerKind;
import org.finwidth.random.RandomStreams;
import org.finwidth.stats.BlockSums;
import org.finwidth.stats.NtkBlockSums;
import org.finwidth.stats.NtkObservables;
import org.finwidth.stats.ObservableSink;
import org.finwidth.vector.KernelProvider;
import org.finwidth.vector.LayerKernels;
import org.finwidth.vector.NormalKernels;
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
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;
import org.openjdk.jmh.infra.ThreadParams;

/**
 * The per-network NTK (docs/theory.md §11.7) in networks per second: one input, L equal widths n,
 * C_b = 0 and the critical C_W (2 for ReLU, 1 for tanh), λ_b = λ_W = 1, the NTK of
 * {@code neurons} output neurons per layer (the Monte Carlo's default,
 * {@link NtkOptions#DEFAULT_NEURONS}). The stages, each a benchmark of one whole network, so that
 * the differences say where the time goes:
 * <ul>
 *   <li>{@code normals}: the normals of one network's weights (L·n² unit normals in the sampler's
 *       fills), nothing else;
 *   <li>{@code forward}: {@link NtkSampler#sample(long, long, LayerSink)}, the forward pass with
 *       the weights kept (normals + matrix-vector products + activations and σ');
 *   <li>{@code ntk}: the forward pass and the backward layer sum of every layer's NTK into a sink
 *       that only reads it (backward = ntk − forward);
 *   <li>{@code ntkStatistics}: what a worker of {@link EnsembleRunner} does per network: the
 *       preactivation statistics ({@link ObservableSink}, {@link BlockSums}) and the NTK statistics
 *       ({@link NtkObservables}, {@link NtkBlockSums}) besides the above (statistics =
 *       ntkStatistics − ntk);
 *   <li>{@code ntkStatistics2T}: the same on two threads (the score is the sum over both): the
 *       figure of the performance goal (docs/performance.md);
 *   <li>{@code ensemble2T}: {@link EnsembleRunner} with the NTK on two worker threads,
 *       {@value #ENSEMBLE_BLOCKS} blocks per invocation; networks per second in the auxiliary
 *       line {@code ensemble2T:networks}.
 * </ul>
 * Every per-network benchmark also reports {@link ThreadCpu} ({@code :calls}, {@code :cpuMicros}):
 * calls per CPU-microsecond of its threads, the figure to compare on a shared machine.
 *
 * <p>Set-up: the vectorised sampler's NTK agrees with the scalar kernels' on one network (ReLU:
 * bit for bit, every layer and entry; tanh: to 1e-5 relative, the float activation kernels differ
 * in the last bits), then everything runs for three seconds so that C2 has compiled the kernels.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 4, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector"})
@State(Scope.Thread)
public class NtkBenchmark {

  @Param({"relu"})
  public String activation;

  @Param({"256"})
  public int n;

  @Param({"10"})
  public int depth;

  @Param({"4"})
  public int neurons;

  /** Blocks of {@link EnsembleRunner#BLOCK_SIZE} networks per invocation of {@code ensemble2T}. */
  static final int ENSEMBLE_BLOCKS = 2;

  private NetworkSpec spec;
  private NtkOptions options;
  private NtkSampler sampler;
  private NormalKernels normals;
  private float[] block;
  private LayerSink sink;
  private NtkSink ntkSink;
  private ObservableSink observables;
  private BlockSums blockSums;
  private NtkObservables ntkObservables;
  private NtkBlockSums ntkBlockSums;
  private SamplerFactory factory;
  private double[][] reference;
  private final double[] keep = new double[1];
  /** Non-final inputs (JMH sample 10: no constant folding). */
  private long seed = 20261206L;
  private long network;

  @Setup(Level.Trial)
  public void setUp(ThreadParams thread) {
    init(thread.getThreadIndex());
    verify();
    long end = System.nanoTime() + 3_000_000_000L;
    while (System.nanoTime() < end) {
      normals();
      sampler.sample(seed, network++, sink);
      ntkStatistics();
    }
  }

  /** Builds the network, the sampler and the sinks of thread {@code threadIndex}. */
  void init(int threadIndex) {
    Activation act = Activation.parse(activation);
    double cw = activation.equals("relu") ? 2 : 1;
    spec = NetworkSpec.ofGram(act, 0, cw, n, NetworkSpec.equalWidths(depth, n), new double[][] {{1}});
    options = new NtkOptions(LearningRates.constant(1, 1, depth), neurons);
    sampler = options.sampler(spec);
    normals = KernelProvider.getInstance().normalKernels();
    block = new float[LayerKernels.weightsBlock(n)];
    network = (long) threadIndex << 40; // each thread its own network indices
    sink = (l, z, width, metric) -> keep[0] += z[0][width - 1];
    ntkSink = (l, ntk, s, z, width) -> keep[0] += ntk[ntk.length - 1];
    factory = SamplerFactory.of(SamplerKind.WEIGHTS);
    reference = EnsembleRunner.pilotReference(spec, factory, seed);
    double[][][] hc = EnsembleRunner.pilotNtkReference(spec, options, seed);
    observables = new ObservableSink(spec, reference);
    blockSums = new BlockSums(observables.layout(), depth);
    ntkObservables = new NtkObservables(spec, neurons, hc[0], hc[1]);
    ntkBlockSums = new NtkBlockSums(ntkObservables.layout(), depth);
  }

  /**
   * The production kernels' NTK of network 3 against the scalar kernels' (ReLU bit for bit, tanh
   * to 1e-5 relative), every layer finite.
   *
   * @throws IllegalStateException naming the first entry that differs
   */
  void verify() {
    double[][] mine = record(sampler);
    double[][] ref = record(new NtkSampler(spec, options.rates(), neurons, KernelProvider.scalar()));
    for (int l = 1; l <= depth; l++) {
      for (int i = 0; i < mine[l].length; i++) {
        double a = mine[l][i];
        double b = ref[l][i];
        boolean same = activation.equals("relu") ? Double.doubleToRawLongBits(a) == Double.doubleToRawLongBits(b)
            : Math.abs(a - b) <= 1e-5 * Math.abs(b);
        if (!Double.isFinite(a) || !same) {
          throw new IllegalStateException("NTK layer " + l + " entry " + i + " is " + a + ", scalar kernels give " + b);
        }
      }
    }
  }

  private double[][] record(NtkSampler s) {
    double[][] out = new double[depth + 1][];
    int bad = s.sample(seed, 3, (l, z, width, metric) -> { }, (l, ntk, count, z, width) -> out[l] = ntk.clone());
    if (bad != 0) {
      throw new IllegalStateException("network 3 diverged at layer " + bad);
    }
    return out;
  }

  /** The normals of one network's weights (C_b = 0: no biases), in the sampler's fills. */
  @Benchmark
  public float[] normals(ThreadCpu cpu) {
    cpu.calls++;
    return normals();
  }

  private float[] normals() {
    long net = network++;
    int len = block.length;
    for (int l = 1; l <= depth; l++) {
      for (long at = 0, total = (long) n * n; at < total; at += len) {
        normals.fill(seed, net, l, RandomStreams.WEIGHTS, at, 1f, block, 0, (int) Math.min(len, total - at));
      }
    }
    return block;
  }

  /** The forward pass with the weights kept, no NTK. */
  @Benchmark
  public int forward(ThreadCpu cpu) {
    cpu.calls++;
    return sampler.sample(seed, network++, sink);
  }

  /** The forward pass and every layer's NTK of {@code neurons} output neurons. */
  @Benchmark
  public int ntk(ThreadCpu cpu) {
    cpu.calls++;
    return sampler.sample(seed, network++, sink, ntkSink);
  }

  /** One network into the preactivation and NTK statistics, as a worker of {@link EnsembleRunner} handles it. */
  @Benchmark
  public int ntkStatistics(ThreadCpu cpu) {
    cpu.calls++;
    return ntkStatistics();
  }

  private int ntkStatistics() {
    observables.reset();
    ntkObservables.reset();
    int status = sampler.sample(seed, network++, observables, ntkObservables);
    if (status == 0) {
      if (blockSums.count() == EnsembleRunner.BLOCK_SIZE) {
        blockSums.clear();
        ntkBlockSums.clear();
      }
      blockSums.add(observables);
      ntkBlockSums.add(ntkObservables);
    }
    return status;
  }

  @Benchmark
  @Threads(2)
  public int ntkStatistics2T(ThreadCpu cpu) {
    return ntkStatistics(cpu);
  }

  /** {@link EnsembleRunner} with the NTK on two worker threads; each invocation a new ensemble. */
  @Benchmark
  public long ensemble2T(NetworkBenchmark.Networks count, NetworkBenchmark.CpuTime cpu) {
    long cpu0 = OS.getProcessCpuTime();
    long m = (long) ENSEMBLE_BLOCKS * EnsembleRunner.BLOCK_SIZE;
    long done = new EnsembleRunner(spec, factory, seed++, m).threads(2).reference(reference).ntk(options).run()
        .networksDone();
    cpu.cpuMicros += (OS.getProcessCpuTime() - cpu0) / 1000;
    count.networks += done;
    cpu.networksRun += done;
    return done;
  }

  private static final com.sun.management.OperatingSystemMXBean OS =
      (com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean();

  /** Keeps the sinks' results alive (JMH sample 08: no dead code). */
  @TearDown(Level.Trial)
  public void tearDown(Blackhole bh) {
    bh.consume(keep[0]);
  }
}
