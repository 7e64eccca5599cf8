package org.finwidth.bench;

import java.util.concurrent.TimeUnit;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;
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
 * What this machine can do at most, measured in the same run as the kernels, so that every kernel
 * can be stated as a fraction of it (and compared across noisy runs by that fraction).
 *
 * <ul>
 *   <li>{@code fma}: {@value #CHAINS} independent chains of vector fused multiply-adds on the
 *       preferred float species, held in registers ({@value #CHAINS} accumulators + 2 constants
 *       fit AVX2's 16 ymm registers; Zen 4 needs 2 pipes × 4 cycles latency = 8 chains in flight).
 *       Score: <b>vector FMA instructions per ns</b>; the peak in GFLOP/s is
 *       score × 2 × lanes (lanes = {@link #LANES}, 8 with AVX2). Cross-checked in set-up against
 *       a scalar evaluation of the same recurrence.</li>
 *   <li>{@code stream}: the sum of a {@value #STREAM_MIB} MiB float array (8 times the 32 MiB L3)
 *       with four vector accumulators: DRAM read bandwidth. Score: <b>bytes per ns = GB/s</b>.
 *       Set-up checks the vector sum against a scalar double sum (the elements are 0 or 1, so
 *       every lane's partial sum is exact in float).</li>
 * </ul>
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "-Xmx1g"})
@State(Scope.Thread)
public class MachineBaselineBenchmark {

  static final VectorSpecies<Float> SPECIES = FloatVector.SPECIES_PREFERRED;
  /** Float lanes of the preferred species (the kernels' vector width). */
  public static final int LANES = SPECIES.length();
  /** Independent FMA chains. */
  static final int CHAINS = 10;
  /** Iterations of the FMA loop per invocation. */
  static final int FMA_ITERATIONS = 1 << 16;
  static final int STREAM_MIB = 256;
  static final int STREAM_BYTES = STREAM_MIB << 20;

  /** Non-final inputs (JMH sample 10: no constant folding). */
  private float multiplier = 0.999f;
  private float addend = 1e-3f;
  private float start = 0.5f;
  private float[] stream;

  @Setup(Level.Trial)
  public void setUp() {
    init(STREAM_BYTES);
    verify();
    // C2-compile both loops before the warm-up (Vector API code is ~1000 times slower until then).
    for (int r = 0; r < 20_000; r++) {
      fmaLoop(256);
    }
    for (int r = 0; r < 3; r++) {
      sum(stream);
    }
  }

  /** Fills the streamed array ({@code bytes}, a multiple of 4 × lanes floats). */
  void init(int bytes) {
    stream = new float[bytes / Float.BYTES];
    for (int i = 0; i < stream.length; i++) {
      stream[i] = (i * 0x9E3779B9) >>> 31; // 0 or 1: every lane's partial sum is exact in float
    }
  }

  /** A fast wrong loop must not post a score: both results are checked against scalar code. */
  void verify() {
    int iterations = 1000;
    float want = start;
    for (int i = 0; i < iterations; i++) {
      want = Math.fma(want, multiplier, addend);
    }
    float got = fmaLoop(iterations);
    float expected = want * CHAINS * LANES;
    if (!(Math.abs(got - expected) <= 1e-5f * Math.abs(expected))) {
      throw new IllegalStateException("fma loop gives " + got + ", scalar recurrence " + expected);
    }
    double exact = 0;
    for (float x : stream) {
      exact += x;
    }
    float s = sum(stream);
    if (!(Math.abs(s - exact) <= 1e-6 * exact)) {
      throw new IllegalStateException("stream sum gives " + s + ", double sum " + exact);
    }
  }

  /** Vector FMAs per ns (× 2 × {@link #LANES} = GFLOP/s). */
  @Benchmark
  @OperationsPerInvocation(FMA_ITERATIONS * CHAINS)
  public float fma() {
    return fmaLoop(FMA_ITERATIONS);
  }

  /** Bytes read per ns (= GB/s) from an array much larger than the last-level cache. */
  @Benchmark
  @OperationsPerInvocation(STREAM_BYTES)
  public float stream() {
    return sum(stream);
  }

  /** {@value #CHAINS} chains a ← a·m + c, written out so that C2 keeps them in registers. */
  float fmaLoop(int iterations) {
    FloatVector m = FloatVector.broadcast(SPECIES, multiplier);
    FloatVector c = FloatVector.broadcast(SPECIES, addend);
    FloatVector a0 = FloatVector.broadcast(SPECIES, start);
    FloatVector a1 = a0;
    FloatVector a2 = a0;
    FloatVector a3 = a0;
    FloatVector a4 = a0;
    FloatVector a5 = a0;
    FloatVector a6 = a0;
    FloatVector a7 = a0;
    FloatVector a8 = a0;
    FloatVector a9 = a0;
    for (int i = 0; i < iterations; i++) {
      a0 = a0.fma(m, c);
      a1 = a1.fma(m, c);
      a2 = a2.fma(m, c);
      a3 = a3.fma(m, c);
      a4 = a4.fma(m, c);
      a5 = a5.fma(m, c);
      a6 = a6.fma(m, c);
      a7 = a7.fma(m, c);
      a8 = a8.fma(m, c);
      a9 = a9.fma(m, c);
    }
    FloatVector s = a0.add(a1).add(a2).add(a3).add(a4).add(a5).add(a6).add(a7).add(a8).add(a9);
    return s.reduceLanes(VectorOperators.ADD);
  }

  /** The sum of {@code x} (length a multiple of 4 × lanes) with four accumulators. */
  static float sum(float[] x) {
    FloatVector s0 = FloatVector.zero(SPECIES);
    FloatVector s1 = FloatVector.zero(SPECIES);
    FloatVector s2 = FloatVector.zero(SPECIES);
    FloatVector s3 = FloatVector.zero(SPECIES);
    int step = 4 * LANES;
    for (int i = 0; i + step <= x.length; i += step) {
      s0 = s0.add(FloatVector.fromArray(SPECIES, x, i));
      s1 = s1.add(FloatVector.fromArray(SPECIES, x, i + LANES));
      s2 = s2.add(FloatVector.fromArray(SPECIES, x, i + 2 * LANES));
      s3 = s3.add(FloatVector.fromArray(SPECIES, x, i + 3 * LANES));
    }
    return s0.add(s1).add(s2.add(s3)).reduceLanes(VectorOperators.ADD);
  }
}
