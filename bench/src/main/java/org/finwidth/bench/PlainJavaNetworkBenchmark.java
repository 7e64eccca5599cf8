package org.finwidth.bench;

import java.util.Random;
import java.util.concurrent.TimeUnit;

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
import org.openjdk.jmh.infra.ThreadParams;

/**
 * The peer a user would write: the weights-sampler ensemble as plain Java, nested loops,
 * {@code java.util.Random.nextGaussian()} per weight and bias, double arithmetic,
 * {@code Math.max}/{@code Math.tanh}. Same spec as {@link NetworkBenchmark}'s weights sampler
 * (one input x = (1, ..., 1) of dimension n, L layers of width n, C_b = 0, C_W = 2 for ReLU and 1
 * for tanh: z⁽¹⁾ = b + W x/√n·√C_W, z⁽ˡ⁾ = b + √(C_W/n) W σ(z⁽ˡ⁻¹⁾)). Score: networks/s, one
 * {@code Random} per thread; {@code network2T} is the sum over two threads.
 *
 * <p>Set-up checks the sampled ensemble against what is exact for it: E[z⁽¹⁾²] = C_W·|x|²/n₀ = C_W
 * at layer 1 for both activations, and for ReLU also at layer L (the second moment is preserved
 * layer by layer at C_W = 2, docs/theory.md §6.2), each within 6 standard errors of the mean over
 * {@value #CHECK_NETWORKS} networks (false failure ≈ 2e-9 per check for a normal mean), so that a
 * wrong scale or a skipped layer cannot post a score.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector"})
@State(Scope.Thread)
public class PlainJavaNetworkBenchmark {

  static final int CHECK_NETWORKS = 200;

  @Param({"relu", "tanh"})
  public String activation;

  @Param({"64", "256"})
  public int n;

  @Param({"10"})
  public int depth;

  private Random random;
  private double cw;
  private double sqrtCb = 0;
  private boolean relu;
  private double[] x;
  private double[] h;
  private double[] z;
  /** Non-final input (JMH sample 10). */
  private long seed = 20261128L;

  @Setup(Level.Trial)
  public void setUp(ThreadParams thread) {
    init(seed + thread.getThreadIndex());
    verify();
  }

  /** Allocates the workspace for the current parameters and seeds this thread's generator. */
  void init(long threadSeed) {
    if (!activation.equals("relu") && !activation.equals("tanh")) {
      throw new IllegalArgumentException("plain Java peer: relu or tanh, not " + activation);
    }
    relu = activation.equals("relu");
    cw = relu ? 2 : 1;
    random = new Random(threadSeed);
    x = new double[n];
    java.util.Arrays.fill(x, 1.0);
    h = new double[n];
    z = new double[n];
  }

  /** Fails unless E[z²] is C_W at layer 1 (and, for ReLU, at layer L) within 6 SE. */
  void verify() {
    check(1, CHECK_NETWORKS);
    if (relu) {
      check(depth, CHECK_NETWORKS);
    }
  }

  private void check(int layers, int networks) {
    double sum = 0;
    double sumSq = 0;
    for (int k = 0; k < networks; k++) {
      forward(layers);
      double m = 0;
      for (double v : z) {
        m += v * v;
      }
      m /= n;
      sum += m;
      sumSq += m * m;
    }
    double mean = sum / networks;
    double se = Math.sqrt(Math.max(sumSq / networks - mean * mean, 0) / (networks - 1));
    if (!(Math.abs(mean - cw) <= 6 * se)) {
      throw new IllegalStateException("plain Java " + activation + ": E[z^2] at layer " + layers + " is " + mean
          + " +- " + se + ", exact " + cw);
    }
  }

  /** One network of {@code layers} layers; the last layer is left in {@link #z}. */
  private double forward(int layers) {
    double[] in = x;
    for (int l = 1; l <= layers; l++) {
      double scale = Math.sqrt(cw / n);
      for (int i = 0; i < n; i++) {
        double s = sqrtCb * random.nextGaussian(); // the bias (C_b = 0 here, drawn all the same)
        for (int j = 0; j < n; j++) {
          s += scale * random.nextGaussian() * in[j];
        }
        z[i] = s;
      }
      for (int i = 0; i < n; i++) {
        h[i] = relu ? Math.max(0, z[i]) : Math.tanh(z[i]);
      }
      in = h;
    }
    return z[n - 1];
  }

  @Benchmark
  public double network() {
    return forward(depth);
  }

  @Benchmark
  @Threads(2)
  public double network2T() {
    return forward(depth);
  }
}
