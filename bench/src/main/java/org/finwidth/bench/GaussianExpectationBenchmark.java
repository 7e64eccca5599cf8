package org.finwidth.bench;

import java.util.concurrent.TimeUnit;
import org.finwidth.activation.Activation;
import org.finwidth.gauss.ActivationAverages;
import org.finwidth.gauss.GaussianExpectation;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Time per Gaussian expectation, as the theory recursions call them: {@code single} is one
 * vector pass of the seven single-input averages of {@link ActivationAverages.Single} at K;
 * {@code pair} is ⟨σ(z1)σ(z2)⟩ over [[K, ρK·1.5], [ρK·1.5, 2.25K]] at ρ = 0.5 and 0.999999
 * (near-singular). Scores are microseconds per call; the evaluation counts are printed by the
 * trial set-up. The set-up also checks ⟨σ²⟩ against docs/theory.md §8.1 at K = 1 (tanh, swish, gelu,
 * relu) so that a fast wrong quadrature cannot win. ({@code single} ignores ρ; run it with
 * {@code -p rho=0.5}:
 * {@code ./run.sh bench GaussianExpectationBenchmark.single -p rho=0.5} and
 * {@code ./run.sh bench GaussianExpectationBenchmark.pair -p variance=1}.)
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector"})
@State(Scope.Thread)
public class GaussianExpectationBenchmark {
  @Param({"tanh", "swish", "gelu", "relu"})
  public String spec;

  @Param({"1", "100"})
  public double variance;

  @Param({"0.5", "0.999999"})
  public double rho;

  private Activation sigma;
  private GaussianExpectation g;

  @Setup
  public void setUp() {
    sigma = Activation.parse(spec);
    g = new GaussianExpectation();
    double reference = switch (spec) {
      case "tanh" -> 0.394294490397841;
      case "swish" -> 0.355775519817352;
      case "gelu" -> 0.425221482570299;
      default -> 0.5;
    };
    double got = ActivationAverages.single(g, sigma, 1).sigma2();
    if (!(Math.abs(got - reference) <= 1e-12 * reference)) {
      throw new IllegalStateException(spec + ": <sigma^2>_1 = " + got + ", docs/theory.md 8.1 says " + reference);
    }
  }

  @Benchmark
  public ActivationAverages.Single single() {
    return ActivationAverages.single(g, sigma, variance);
  }

  @Benchmark
  public double pair() {
    double k12 = rho * variance * 1.5;
    return ActivationAverages.pair(g, sigma, variance, k12, 2.25 * variance);
  }
}
