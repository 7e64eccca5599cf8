package org.finwidth.bench;

import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.finwidth.activation.Activation;
import org.finwidth.vector.ActivationKernels;
import org.finwidth.vector.KernelProvider;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
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
 * σ and σ' over a float array, one activation at a time: the scalar reference loop
 * ({@code (float) σ.value(z)}, java.lang.Math in double) against the Vector API kernel, at 4096
 * elements (L1-resident, the width of a layer) and 1,048,576 (4 MiB per array: streams from L2/L3
 * and memory). Scores are elements per nanosecond ({@code @OperationsPerInvocation} = array
 * length). Inputs are N(0, 4) floats, so every gate works in its transition region and tails.
 *
 * <p>Every benchmark also reports {@link ThreadCpu} ({@code :calls} and {@code :cpuMicros}):
 * elements per nanosecond of the benchmark thread's CPU time = calls × length / (cpuMicros × 1000),
 * which other jobs on the shared machine disturb far less than the wall-clock score.
 *
 * <p>Each trial first checks the kernel's output against the double activation within the bound of
 * {@code ActivationKernelsTest} (|f − σ| ≤ max(1e-6|σ|, 1e-7)) and fails if it is off, then runs it
 * on a small array for about a second so that C2 has compiled it before the warm-up iterations
 * (Vector API code runs ~1000 times slower until then).
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 4, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector"})
public class ActivationKernelBenchmark {

  /** Shared inputs and set-up; the two subclasses fix the array length. */
  @State(Scope.Thread)
  public abstract static class Data {
    /** Catalogue spec (defaults; repu:p=2.5 exercises the POW path). */
    @Param({"linear", "relu", "leaky", "tanh", "sin", "erf", "sigmoid", "softplus", "swish",
        "gelu", "gelu-tanh", "gudermanlu", "algebraiclu", "gumbellu", "monomial", "repu",
        "repu:p=2.5", "mrepu"})
    public String spec;

    /** {@code scalar}: the reference loop; {@code panama}: the Vector API kernel. */
    @Param({"scalar", "panama"})
    public String impl;

    public Activation sigma;
    public ActivationKernels kernels;
    public float[] z;
    public float[] out;

    abstract int size();

    @Setup
    public void setUp() {
      sigma = Activation.parse(spec);
      if ("panama".equals(impl)) {
        KernelProvider p = KernelProvider.getInstance();
        if (p.implementation() != KernelProvider.Implementation.PANAMA) {
          throw new IllegalStateException("panama requested but the JVM chose " + p.description());
        }
        kernels = p.activationKernels();
      } else {
        kernels = KernelProvider.scalar().activationKernels();
      }
      z = inputs(size(), 2.0, 42);
      out = new float[size()];
      for (int d = 0; d < 2; d++) {
        verify(sigma, kernels, z, d == 1);
      }
      warm(sigma, kernels);
    }
  }

  /** 4096 elements. */
  @State(Scope.Thread)
  public static class Small extends Data {
    @Override
    int size() {
      return 4096;
    }
  }

  /** 1,048,576 elements. */
  @State(Scope.Thread)
  public static class Large extends Data {
    @Override
    int size() {
      return 1 << 20;
    }
  }

  @Benchmark
  @OperationsPerInvocation(4096)
  public float[] value4096(Small s, ThreadCpu cpu) {
    cpu.calls++;
    s.kernels.value(s.sigma, s.z, 0, s.out, 0, s.z.length);
    return s.out;
  }

  @Benchmark
  @OperationsPerInvocation(1 << 20)
  public float[] value1M(Large s, ThreadCpu cpu) {
    cpu.calls++;
    s.kernels.value(s.sigma, s.z, 0, s.out, 0, s.z.length);
    return s.out;
  }

  @Benchmark
  @OperationsPerInvocation(4096)
  public float[] derivative4096(Small s, ThreadCpu cpu) {
    cpu.calls++;
    s.kernels.derivative(s.sigma, s.z, 0, s.out, 0, s.z.length);
    return s.out;
  }

  @Benchmark
  @OperationsPerInvocation(1 << 20)
  public float[] derivative1M(Large s, ThreadCpu cpu) {
    cpu.calls++;
    s.kernels.derivative(s.sigma, s.z, 0, s.out, 0, s.z.length);
    return s.out;
  }

  /** N(0, scale²) floats from a fixed seed. */
  static float[] inputs(int n, double scale, long seed) {
    SplittableRandom rnd = new SplittableRandom(seed);
    float[] z = new float[n];
    for (int i = 0; i < n; i++) {
      double u = rnd.nextDouble();
      double v = rnd.nextDouble();
      z[i] = (float) (scale * Math.sqrt(-2 * Math.log1p(-u)) * Math.cos(2 * Math.PI * v));
    }
    return z;
  }

  /**
   * Fails (IllegalStateException) if the kernel's σ or σ' is off the double activation by more than
   * max(1e-6|σ|, 1e-7) anywhere on z, so that a fast wrong kernel cannot post a score.
   */
  static void verify(Activation sigma, ActivationKernels k, float[] z, boolean derivative) {
    float[] out = new float[z.length];
    if (derivative) {
      k.derivative(sigma, z, 0, out, 0, z.length);
    } else {
      k.value(sigma, z, 0, out, 0, z.length);
    }
    for (int i = 0; i < z.length; i++) {
      double ref = derivative ? sigma.d1(z[i]) : sigma.value(z[i]);
      if (!(Math.abs(out[i] - ref) <= Math.max(1e-6 * Math.abs(ref), 1e-7))) {
        throw new IllegalStateException(sigma.spec() + (derivative ? " d1" : " value") + " at z = "
            + z[i] + ": kernel " + out[i] + ", reference " + ref);
      }
    }
  }

  /** About a second of both kernels on 1024 elements, so that C2 compiles them before warm-up. */
  static void warm(Activation sigma, ActivationKernels k) {
    float[] z = inputs(1024, 2.0, 7);
    float[] out = new float[z.length];
    long end = System.nanoTime() + 1_000_000_000L;
    while (System.nanoTime() < end) {
      for (int r = 0; r < 100; r++) {
        k.value(sigma, z, 0, out, 0, z.length);
        k.derivative(sigma, z, 0, out, 0, z.length);
      }
    }
  }
}
