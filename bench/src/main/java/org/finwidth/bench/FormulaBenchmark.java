package org.finwidth.bench;

import java.util.concurrent.TimeUnit;
import org.finwidth.activation.Activation;
import org.finwidth.network.LayerSink;
import org.finwidth.network.NetworkSpec;
import org.finwidth.network.Sampler;
import org.finwidth.network.SamplerKind;
import org.finwidth.network.Samplers;
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
 * A formula ({@code expr:...}, compiled at run time to Vector API code) against the same function
 * from the catalogue: the float kernels σ and σ' on 4096 elements (elements per ns) and the Monte
 * Carlo itself, whole networks of the exact conditional sampler at width 64 and depth 10
 * ({@code network}, networks per second), where the activation is the largest cost (n preactivations
 * per layer against n² weights for the weights sampler). The target: each formula's
 * {@code network} score at least a quarter of its catalogue twin's. Pairs by parameter: tanh /
 * expr:tanh(z), swish / expr:z/(1+exp(-z)), mish / expr:z*tanh(log(1+exp(z))), gelu /
 * expr:0.5*z*erfc(-z/sqrt(2)).
 *
 * <p>Set-up checks each kernel against the double activation within the samplers' float contract
 * (max(1e-6|σ|, 1e-7), {@code ActivationKernelBenchmark.verify}), checks that the network is finite,
 * then warms everything for two seconds (the formula's class is generated and compiled by C2 on
 * first use). {@link ThreadCpu} reports the thread's CPU time beside the wall-clock score.
 *
 * <p>Run: {@code ./run.sh bench FormulaBenchmark} (tiny check: {@code -f 0 -wi 0 -i 1 -r 100ms}).
 */
@BenchmarkMode(Mode.Throughput)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 4, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector"})
@State(Scope.Thread)
public class FormulaBenchmark {

  /** The activation: a catalogue entry or its formula. */
  @Param({"tanh", "expr:tanh(z)", "swish", "expr:z/(1+exp(-z))", "mish",
      "expr:z*tanh(log(1+exp(z)))", "gelu", "expr:0.5*z*erfc(-z/sqrt(2))"})
  public String spec;

  private static final int N = 4096;
  private static final int WIDTH = 64;
  private static final int DEPTH = 10;

  private Activation sigma;
  private ActivationKernels kernels;
  private float[] z;
  private float[] out;
  private Sampler sampler;
  private LayerSink sink;
  private final float[] keep = new float[1];
  /** Non-final inputs (JMH sample 10: no constant folding). */
  private long seed = 20261206L;
  private long network;

  @Setup
  public void setUp() {
    sigma = Activation.parse(spec);
    KernelProvider p = KernelProvider.getInstance();
    if (p.implementation() != KernelProvider.Implementation.PANAMA) {
      throw new IllegalStateException("the Panama kernels are needed, the JVM chose " + p.description());
    }
    kernels = p.activationKernels();
    z = ActivationKernelBenchmark.inputs(N, 2.0, 42);
    out = new float[N];
    ActivationKernelBenchmark.verify(sigma, kernels, z, false);
    ActivationKernelBenchmark.verify(sigma, kernels, z, true);
    // critical-ish initialisations: tanh C_W = 1; the ReLU-like ones C_W = 2 (finite at depth 10)
    double cw = spec.contains("tanh(z)") || spec.equals("tanh") ? 1 : 2;
    NetworkSpec net = NetworkSpec.ofGram(sigma, 0, cw, 1, NetworkSpec.equalWidths(DEPTH, WIDTH),
        new double[][] {{1}});
    sampler = Samplers.create(net, SamplerKind.parse("conditional"));
    sink = (l, zz, width, metric) -> keep[0] += zz[0][width - 1] + (float) metric[0];
    if (sampler.sample(seed, 0, sink) != 0) {
      throw new IllegalStateException(spec + ": the network diverged");
    }
    long end = System.nanoTime() + 2_000_000_000L;
    while (System.nanoTime() < end) {
      kernels.value(sigma, z, 0, out, 0, N);
      kernels.derivative(sigma, z, 0, out, 0, N);
      sampler.sample(seed, network++, sink);
    }
  }

  @Benchmark
  @OutputTimeUnit(TimeUnit.NANOSECONDS)
  @OperationsPerInvocation(N)
  public float[] value4096(ThreadCpu cpu) {
    cpu.calls++;
    kernels.value(sigma, z, 0, out, 0, N);
    return out;
  }

  @Benchmark
  @OutputTimeUnit(TimeUnit.NANOSECONDS)
  @OperationsPerInvocation(N)
  public float[] derivative4096(ThreadCpu cpu) {
    cpu.calls++;
    kernels.derivative(sigma, z, 0, out, 0, N);
    return out;
  }

  @Benchmark
  @OutputTimeUnit(TimeUnit.SECONDS)
  public int network(ThreadCpu cpu) {
    cpu.calls++;
    return sampler.sample(seed, network++, sink);
  }
}
