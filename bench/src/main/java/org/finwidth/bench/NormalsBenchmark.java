package org.finwidth.bench;

import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.random.RandomGenerator;

import org.apache.commons.rng.UniformRandomProvider;
import org.apache.commons.rng.sampling.distribution.ZigguratSampler;
import org.apache.commons.rng.simple.RandomSource;
import org.finwidth.random.BoxMuller;
import org.finwidth.random.RandomStreams;
import org.finwidth.vector.NormalKernels;
import org.finwidth.vector.ScalarNormalKernels;
import org.finwidth.vector.panama.PanamaNormalKernels;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Standard normals per nanosecond, one thread: the engine's generator (xoshiro128++ lanes seeded
 * by Philox4x32-10, float Box–Muller; Panama and scalar) and what a user would otherwise call,
 * all in one run. Each invocation fills a row of {@value #N} floats at a segment boundary,
 * as the weights sampler does (one weight-matrix row of a width-1024 layer); the score is
 * normals/ns (operations per invocation = row length). {@code finwidthPanamaRow256} fills 256
 * (a width-256 row at a segment start: the 16 seeds are paid for 256 normals);
 * {@code finwidthPanamaUnaligned1000} fills 1000 (the last run of 32 is stored through a mask);
 * {@code finwidthPanamaNetwork} fills the 2560 normals of a conditional-sampler network in one call,
 * the samplers' own call path. The Panama methods report {@link ThreadCpu} ({@code :calls} per
 * {@code :cpuMicros}: times the normals per call, normals per CPU-microsecond), the figure to
 * compare on a shared machine. Take at least three forks ({@code -f 3}): bench/README.md,
 * "Per-fork spread".
 *
 * <p>Peers: {@code java.util.Random.nextGaussian} (polar method, synchronized seed),
 * {@code L64X128MixRandom.nextGaussian} (JDK 17+ modified ziggurat) and Commons RNG 1.7's
 * {@code ZigguratSampler.NormalizedGaussian} (McFarland's ziggurat) over
 * {@code XO_RO_SHI_RO_128_PP}, the fastest scalar normal sampler we know in Java.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector"})
@State(Scope.Thread)
public class NormalsBenchmark {

  static final int N = 1024;
  static final int UNALIGNED = 1000;
  /** Normals of a conditional-sampler network, n = 256, L = 10, d = 1. */
  static final int NETWORK = 2560;

  private final float[] out = new float[N];
  private final float[] big = new float[NETWORK];
  private NormalKernels panama;
  private NormalKernels scalar;
  static final int ROW256 = 256;
  private Random jdkRandom;
  private RandomGenerator l64x128;
  private ZigguratSampler.NormalizedGaussian ziggurat;
  /** Non-final inputs (JMH sample 10: no constant folding). */
  private long seed = 20261128L;
  private long network;

  @Setup(Level.Trial)
  public void setUp() {
    panama = new PanamaNormalKernels();
    scalar = ScalarNormalKernels.INSTANCE;
    jdkRandom = new Random(seed);
    l64x128 = RandomGenerator.of("L64X128MixRandom");
    UniformRandomProvider source = RandomSource.XO_RO_SHI_RO_128_PP.create(seed);
    ziggurat = ZigguratSampler.NormalizedGaussian.of(source);
    // Warm the Vector API kernel past C2 (docs/performance.md: until compiled it runs ~1000x slower).
    for (int i = 0; i < 20_000; i++) {
      panama.fill(seed, i, 1, RandomStreams.WEIGHTS, 0, out, 0, N);
      panama.fill(seed, i, 1, RandomStreams.WEIGHTS, 0, out, 0, UNALIGNED);
      panama.fill(seed, i, 1, RandomStreams.WEIGHTS, 0, out, 0, ROW256);
      panama.fill(seed, i, 0, RandomStreams.CONDITIONAL, 0, 1f, big, 0, NETWORK);
    }
    verify();
  }

  /** A fast wrong kernel must not win: ours agree bit for bit; every peer looks standard normal. */
  private void verify() {
    float[] a = new float[N];
    float[] b = new float[N];
    panama.fill(seed, 77, 1, RandomStreams.WEIGHTS, 0, a, 0, N);
    scalar.fill(seed, 77, 1, RandomStreams.WEIGHTS, 0, b, 0, N);
    for (int i = 0; i < N; i++) {
      if (Float.floatToRawIntBits(a[i]) != Float.floatToRawIntBits(b[i])
          || a[i] != BoxMuller.normal(seed, 77, 1, RandomStreams.WEIGHTS, i)) {
        throw new IllegalStateException("Panama and scalar normals differ at " + i);
      }
    }
    checkMoments("finwidth", () -> {
      float[] z = new float[1 << 16];
      panama.fill(seed, 78, 1, RandomStreams.WEIGHTS, 0, z, 0, z.length);
      return z;
    });
    checkMoments("java.util.Random", () -> sample(jdkRandom::nextGaussian));
    checkMoments("L64X128MixRandom", () -> sample(l64x128::nextGaussian));
    checkMoments("ZigguratSampler", () -> sample(ziggurat::sample));
  }

  private static float[] sample(java.util.function.DoubleSupplier g) {
    float[] z = new float[1 << 16];
    for (int i = 0; i < z.length; i++) {
      z[i] = (float) g.getAsDouble();
    }
    return z;
  }

  /** Mean within 6/sqrt(n) of 0 and variance within 6 sqrt(2/n) of 1 (false alarm ~2e-9). */
  private static void checkMoments(String name, java.util.function.Supplier<float[]> s) {
    float[] z = s.get();
    double m = 0;
    double v = 0;
    for (float x : z) {
      m += x;
      v += (double) x * x;
    }
    int n = z.length;
    m /= n;
    v = v / n - m * m;
    if (Math.abs(m) > 6 / Math.sqrt(n) || Math.abs(v - 1) > 6 * Math.sqrt(2.0 / n)) {
      throw new IllegalStateException(name + " does not look standard normal: mean " + m + ", variance " + v);
    }
  }

  /** What storing N floats costs: the floor under every row-filling benchmark. */
  @Benchmark
  @OperationsPerInvocation(N)
  public float[] baselineStore() {
    float v = (float) (network++ & 7);
    for (int i = 0; i < N; i++) {
      out[i] = v;
    }
    return out;
  }

  @Benchmark
  @OperationsPerInvocation(N)
  public float[] finwidthPanama(ThreadCpu cpu) {
    cpu.calls++;
    panama.fill(seed, network++, 1, RandomStreams.WEIGHTS, 0, out, 0, N);
    return out;
  }

  @Benchmark
  @OperationsPerInvocation(UNALIGNED)
  public float[] finwidthPanamaUnaligned1000(ThreadCpu cpu) {
    cpu.calls++;
    panama.fill(seed, network++, 1, RandomStreams.WEIGHTS, 0, out, 0, UNALIGNED);
    return out;
  }

  @Benchmark
  @OperationsPerInvocation(ROW256)
  public float[] finwidthPanamaRow256(ThreadCpu cpu) {
    cpu.calls++;
    panama.fill(seed, network++, 1, RandomStreams.WEIGHTS, 0, out, 0, ROW256);
    return out;
  }

  /**
   * The conditional sampler's call: the {@value #NETWORK} normals of a network of 10 layers of 256
   * (one input) in one fill of its stream, as {@code ConditionalSampler} draws them (segments of
   * 1024, 1024 and 512).
   */
  @Benchmark
  @OperationsPerInvocation(NETWORK)
  public float[] finwidthPanamaNetwork(ThreadCpu cpu) {
    cpu.calls++;
    panama.fill(seed, network++, 0, RandomStreams.CONDITIONAL, 0, 1f, big, 0, NETWORK);
    return big;
  }

  @Benchmark
  @OperationsPerInvocation(N)
  public float[] finwidthScalar() {
    scalar.fill(seed, network++, 1, RandomStreams.WEIGHTS, 0, out, 0, N);
    return out;
  }

  @Benchmark
  @OperationsPerInvocation(N)
  public float[] jdkRandomNextGaussian() {
    for (int i = 0; i < N; i++) {
      out[i] = (float) jdkRandom.nextGaussian();
    }
    return out;
  }

  @Benchmark
  @OperationsPerInvocation(N)
  public float[] l64x128MixRandomNextGaussian() {
    for (int i = 0; i < N; i++) {
      out[i] = (float) l64x128.nextGaussian();
    }
    return out;
  }

  @Benchmark
  @OperationsPerInvocation(N)
  public float[] commonsRngZiggurat() {
    for (int i = 0; i < N; i++) {
      out[i] = (float) ziggurat.sample();
    }
    return out;
  }
}
