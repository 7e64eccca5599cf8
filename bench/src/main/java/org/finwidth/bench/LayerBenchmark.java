package org.finwidth.bench;

import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

import org.finwidth.random.RandomStreams;
import org.finwidth.vector.LayerKernels;
import org.finwidth.vector.NormalKernels;
import org.finwidth.vector.ScalarLayerKernels;
import org.finwidth.vector.panama.PanamaLayerKernels;
import org.finwidth.vector.panama.PanamaNormalKernels;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The fused weights-sampler layer ({@link LayerKernels#weightsLayer}, Panama): a square layer of
 * width n (fan-in n) for d inputs, weights generated on the fly and used once. Every invocation
 * samples {@value #WEIGHTS} weights (2<sup>20</sup>/n² layers of distinct streams), so the score
 * is <b>weights per nanosecond</b>; GFLOP/s = 2·d·(weights/ns).
 *
 * <p>{@code normalsOnly} fills the same number of normals in the same blocks
 * ({@link LayerKernels#weightsBlock}, segment-aligned) and nothing else: the rate the layer's own
 * normal generation sets, which the layer can at best reach. {@code layer}/{@code normalsOnly} is
 * the fraction of the generator's rate the fused layer keeps.
 *
 * <p>Both also report {@link ThreadCpu}: calls (of {@value #WEIGHTS} weights each) per
 * CPU-microsecond, the ratio to trust on a shared machine.
 *
 * <p>Set-up checks the Panama layer against the scalar reference bit for bit, then runs it for
 * about two seconds so that C2 has compiled it before the warm-up.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 4, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector"})
@State(Scope.Thread)
public class LayerBenchmark {

  static final int WEIGHTS = 1 << 20;

  @Param({"64", "256", "1024"})
  public int n;

  @Param({"1", "2", "8"})
  public int d;

  private LayerKernels kernels;
  private NormalKernels normals;
  private float[][] h;
  private float[][] z;
  private float[] work;
  private float[] block;
  private int layers;
  /** Non-final inputs (JMH sample 10: no constant folding). */
  private long seed = 20261128L;
  private long network;
  private float weightScale;
  private float biasScale = 0.3f;

  @Setup(Level.Trial)
  public void setUp() {
    kernels = new PanamaLayerKernels();
    normals = new PanamaNormalKernels();
    layers = WEIGHTS / (n * n);
    SplittableRandom rnd = new SplittableRandom(seed);
    h = new float[d][n];
    for (float[] row : h) {
      for (int j = 0; j < n; j++) {
        row[j] = (float) Math.max(0, rnd.nextGaussian()); // a ReLU layer's input
      }
    }
    z = new float[d][n];
    work = new float[LayerKernels.weightsWorkLength(d, n, n)];
    block = new float[LayerKernels.weightsBlock(n)];
    weightScale = (float) Math.sqrt(2.0 / n);
    verify();
    long end = System.nanoTime() + 2_000_000_000L;
    while (System.nanoTime() < end) {
      layer();
      normalsOnly();
    }
  }

  /** The Panama layer must give the scalar reference's bits (a fast wrong kernel must not win). */
  private void verify() {
    float[][] zs = new float[d][n];
    float[] ws = new float[work.length];
    ScalarLayerKernels.INSTANCE.weightsLayer(seed, 5, 1, h, d, n, weightScale, biasScale, zs, n, ws);
    kernels.weightsLayer(seed, 5, 1, h, d, n, weightScale, biasScale, z, n, work);
    for (int a = 0; a < d; a++) {
      for (int i = 0; i < n; i++) {
        if (Float.floatToRawIntBits(zs[a][i]) != Float.floatToRawIntBits(z[a][i])) {
          throw new IllegalStateException("Panama layer differs from the scalar reference at input " + a + ", neuron " + i);
        }
      }
    }
  }

  /** 2^20 weights: 2^20/n² layers of width n, d inputs each. */
  @Benchmark
  @OperationsPerInvocation(WEIGHTS)
  public float[][] layer(ThreadCpu cpu) {
    cpu.calls++;
    return layer();
  }

  private float[][] layer() {
    long net = network++;
    for (int l = 1; l <= layers; l++) {
      kernels.weightsLayer(seed, net, l, h, d, n, weightScale, biasScale, z, n, work);
    }
    return z;
  }

  /** The normals of {@link #layer} alone (biases, then the weights in the same segment-aligned blocks). */
  @Benchmark
  @OperationsPerInvocation(WEIGHTS)
  public float[] normalsOnly(ThreadCpu cpu) {
    cpu.calls++;
    return normalsOnly();
  }

  private float[] normalsOnly() {
    long net = network++;
    int len = block.length;
    for (int l = 1; l <= layers; l++) {
      normals.fill(seed, net, l, RandomStreams.BIASES, 0, biasScale, block, 0, n);
      for (long at = 0, total = (long) n * n; at < total; at += len) {
        normals.fill(seed, net, l, RandomStreams.WEIGHTS, at, 1f, block, 0, (int) Math.min(len, total - at));
      }
    }
    return block;
  }
}
