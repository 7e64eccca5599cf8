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
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;
import org.openjdk.jmh.infra.ThreadParams;

/**
 * Whole networks per second, as the ensemble runner drives them: {@link Sampler#sample} of a new
 * network index per call into a sink that reads every layer (d = 1, input dimension n, L equal
 * widths n, C_b = 0, critical C_W: 2 for ReLU, 1 for tanh). One sampler per thread, on 1 thread
 * ({@code network}) and on 2 ({@code network2T}: the score is the sum over both threads).
 *
 * <p>{@code normals} and {@code normals2T} generate just the normals one network of the chosen
 * sampler draws (weights: the rows in {@link LayerKernels#weightsBlock} blocks and the biases;
 * conditional: the network's L·n normals of one stream in blocks of
 * {@link LayerKernels#CHUNK_NORMALS}), in the same fills: the rate the generator alone would
 * allow. network/normals is the fraction of it the sampler keeps.
 *
 * <p>What a real run adds ({@code simulate}, {@link EnsembleRunner}): {@code networkObservables}
 * (and {@code networkObservables2T}) hand every layer to an {@link ObservableSink} and add the
 * network to {@link BlockSums}, as a worker of the runner does per network; {@code ensemble} runs
 * the {@link EnsembleRunner} itself on one worker thread, {@code ensemble2T} on two (the runner's own threads, started per
 * invocation: {@value #ENSEMBLE_BLOCKS} blocks of {@link EnsembleRunner#BLOCK_SIZE} networks for
 * the conditional sampler, {@value #WEIGHTS_ENSEMBLE_BLOCKS} for the weights sampler, the
 * reference computed once in set-up). Its score is invocations per second; the line
 * {@code ensemble:networks} is networks per second (a JMH auxiliary counter). JMH itself runs
 * one thread for both.
 *
 * <p>Every per-network benchmark also reports {@link ThreadCpu} ({@code :calls} and
 * {@code :cpuMicros}): calls per CPU-microsecond of its threads, the figure to compare on a
 * shared machine.
 *
 * <p>Set-up: the production sampler must agree with the scalar-kernel sampler on one network
 * (ReLU: every layer bit for bit; tanh: layer 1 bit for bit, the activation kernels differ in the
 * last bits after that) and deliver L finite layers; then it runs for three seconds so that C2
 * has compiled every kernel before the warm-up.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 4, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector"})
@State(Scope.Thread)
public class NetworkBenchmark {

  @Param({"weights", "conditional"})
  public String sampler;

  @Param({"relu", "tanh"})
  public String activation;

  @Param({"64", "256"})
  public int n;

  @Param({"10"})
  public int depth;

  /** Blocks of networks per invocation of {@code ensemble} (conditional sampler). */
  static final int ENSEMBLE_BLOCKS = 16;
  /** Blocks of networks per invocation of {@code ensemble} (weights sampler: 2 blocks at n = 256 take seconds). */
  static final int WEIGHTS_ENSEMBLE_BLOCKS = 2;

  private NetworkSpec spec;
  private Sampler s;
  private NormalKernels normals;
  private float[] block;
  private LayerSink sink;
  private ObservableSink observables;
  private BlockSums blockSums;
  private SamplerFactory factory;
  private double[][] reference;
  private final float[] keep = new float[1];
  /** Non-final inputs (JMH sample 10: no constant folding). */
  private long seed = 20261128L;
  private long network;

  @Setup(Level.Trial)
  public void setUp(ThreadParams thread) {
    Activation act = Activation.parse(activation);
    double cw = activation.equals("relu") ? 2 : 1;
    spec = NetworkSpec.ofGram(act, 0, cw, n, NetworkSpec.equalWidths(depth, n), new double[][] {{1}});
    SamplerKind kind = SamplerKind.parse(sampler);
    s = Samplers.create(spec, kind);
    normals = KernelProvider.getInstance().normalKernels();
    block = new float[Math.max(LayerKernels.weightsBlock(n), LayerKernels.CHUNK_NORMALS)];
    // Each thread samples its own range of network indices.
    network = (long) thread.getThreadIndex() << 40;
    sink = (l, z, width, metric) -> keep[0] += z[0][width - 1] + (float) metric[0];
    factory = SamplerFactory.of(kind.cliName(), sp -> Samplers.create(sp, kind));
    reference = EnsembleRunner.pilotReference(spec, factory, seed);
    observables = new ObservableSink(spec, reference);
    blockSums = new BlockSums(observables.layout(), depth);
    verify(kind);
    long end = System.nanoTime() + 3_000_000_000L;
    while (System.nanoTime() < end) {
      s.sample(seed, network++, sink);
      normals();
      networkObservables();
    }
  }

  private void verify(SamplerKind kind) {
    float[][][] mine = record(s);
    float[][][] ref = record(Samplers.create(spec, kind, KernelProvider.scalar()));
    int bitwiseLayers = activation.equals("relu") ? depth : 1;
    for (int l = 1; l <= depth; l++) {
      for (int i = 0; i < n; i++) {
        float a = mine[l][0][i];
        if (!Float.isFinite(a) || (l <= bitwiseLayers && Float.floatToRawIntBits(a) != Float.floatToRawIntBits(ref[l][0][i]))) {
          throw new IllegalStateException(sampler + ": layer " + l + " neuron " + i + " is " + a + ", scalar kernels give " + ref[l][0][i]);
        }
      }
    }
  }

  private float[][][] record(Sampler sm) {
    float[][][] out = new float[depth + 1][1][];
    int bad = sm.sample(seed, 3, (l, z, width, metric) -> out[l][0] = java.util.Arrays.copyOf(z[0], width));
    if (bad != 0) {
      throw new IllegalStateException(sampler + " diverged at layer " + bad);
    }
    return out;
  }

  @Benchmark
  public int network(ThreadCpu cpu) {
    cpu.calls++;
    return s.sample(seed, network++, sink);
  }

  @Benchmark
  @Threads(2)
  public int network2T(ThreadCpu cpu) {
    return network(cpu);
  }

  /** One network into the statistics, as a worker of {@link EnsembleRunner} handles it. */
  @Benchmark
  public int networkObservables(ThreadCpu cpu) {
    cpu.calls++;
    return networkObservables();
  }

  private int networkObservables() {
    observables.reset();
    int status = s.sample(seed, network++, observables);
    if (status == 0) {
      if (blockSums.count() == EnsembleRunner.BLOCK_SIZE) {
        blockSums.clear();
      }
      blockSums.add(observables);
    }
    return status;
  }

  @Benchmark
  @Threads(2)
  public int networkObservables2T(ThreadCpu cpu) {
    return networkObservables(cpu);
  }

  /** Counts the networks of {@link #ensemble} (reported per second as {@code ensemble:networks}). */
  @State(Scope.Thread)
  @AuxCounters(AuxCounters.Type.OPERATIONS)
  public static class Networks {
    /** Networks run (a public field: JMH reports it). */
    public long networks;
  }

  /**
   * The CPU time of the JVM (every thread) and the networks of {@link #ensemble} over the
   * measurement, reported as totals: {@code networksRun / cpuMicros} is networks per core-second,
   * a figure that other jobs on the machine disturb far less than the wall-clock rate (the JIT and
   * GC threads are idle in steady state: the runs allocate a few KiB each).
   */
  @State(Scope.Thread)
  @AuxCounters(AuxCounters.Type.EVENTS)
  public static class CpuTime {
    /** Networks run (total over the iterations). */
    public long networksRun;
    /** CPU time of the JVM process in microseconds (total over the iterations). */
    public long cpuMicros;
  }

  private static final com.sun.management.OperatingSystemMXBean OS =
      (com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean();

  /**
   * A whole run of {@link EnsembleRunner} on one worker thread: sampling, observables, block
   * sums, the exact merge. Each invocation is a new ensemble (the seed advances).
   */
  @Benchmark
  public long ensemble(Networks count, CpuTime cpu) {
    return runEnsemble(count, cpu, 1);
  }

  /** {@link #ensemble} on two worker threads of the runner. */
  @Benchmark
  public long ensemble2T(Networks count, CpuTime cpu) {
    return runEnsemble(count, cpu, 2);
  }

  private long runEnsemble(Networks count, CpuTime cpu, int threads) {
    long cpu0 = OS.getProcessCpuTime();
    int blocks = sampler.equals("weights") ? WEIGHTS_ENSEMBLE_BLOCKS : ENSEMBLE_BLOCKS;
    long m = (long) blocks * EnsembleRunner.BLOCK_SIZE;
    long networksDone = new EnsembleRunner(spec, factory, seed++, m).threads(threads).reference(reference).run()
        .networksDone();
    cpu.cpuMicros += (OS.getProcessCpuTime() - cpu0) / 1000;
    count.networks += networksDone;
    cpu.networksRun += networksDone;
    return networksDone;
  }

  /** The normals one network of this sampler draws, and nothing else. */
  @Benchmark
  public float[] normals(ThreadCpu cpu) {
    cpu.calls++;
    return normals();
  }

  private float[] normals() {
    long net = network++;
    if (sampler.equals("weights")) {
      int len = LayerKernels.weightsBlock(n);
      for (int l = 1; l <= depth; l++) {
        normals.fill(seed, net, l, RandomStreams.BIASES, 0, 1f, block, 0, n);
        for (long at = 0, total = (long) n * n; at < total; at += len) {
          normals.fill(seed, net, l, RandomStreams.WEIGHTS, at, 1f, block, 0, (int) Math.min(len, total - at));
        }
      }
    } else {
      // One stream per network (layer 0), generated in blocks as the sampler does.
      int len = LayerKernels.CHUNK_NORMALS;
      for (long at = 0, total = (long) depth * n; at < total; at += len) {
        normals.fill(seed, net, 0, RandomStreams.CONDITIONAL, at, 1f, block, 0, (int) Math.min(len, total - at));
      }
    }
    return block;
  }

  @Benchmark
  @Threads(2)
  public float[] normals2T(ThreadCpu cpu) {
    return normals(cpu);
  }

  /** Keeps the sink's result alive (JMH sample 08: no dead code). */
  @org.openjdk.jmh.annotations.TearDown(Level.Trial)
  public void tearDown(Blackhole bh) {
    bh.consume(keep[0]);
  }
}
