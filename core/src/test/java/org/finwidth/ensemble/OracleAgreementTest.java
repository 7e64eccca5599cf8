package org.finwidth.ensemble;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.finwidth.activation.Activation;
import org.finwidth.network.NetworkSpec;
import org.finwidth.stats.Estimate;
import org.finwidth.stats.LayerEstimates;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Monte Carlo against exact finite-width values (docs/theory.md §6, §8, §9.5) for every sampler.
 *
 * <p>Each assertion is {@code |estimate − exact| ≤ K·SE} with {@link #K} = 4: for an unbiased,
 * normally distributed estimator the chance of a false failure is 6.3e-5 per assertion; this
 * class makes about 250 (four samplers: the production weights and conditional samplers and the
 * two reference samplers of the tests), so about 1.6e-2 in all for an arbitrary seed (the seeds are fixed, so the
 * outcome is deterministic: a failure means a changed sampler or estimator, or a bad seed).
 * Seeds: 20250101 + case number (arbitrary, fixed before the first run; never tuned).
 */
class OracleAgreementTest {
  private static final double K = 4;

  static Stream<Arguments> samplers() {
    return Stream.of(Arguments.of(TestSamplers.WEIGHTS), Arguments.of(TestSamplers.CONDITIONAL),
        Arguments.of(TestSamplers.REFERENCE_WEIGHTS), Arguments.of(TestSamplers.REFERENCE_CONDITIONAL));
  }

  private static final List<String> LOG = new ArrayList<>();

  private static void check(String what, Estimate e, double exact) {
    String line = String.format("%-50s %.6f ± %.6f  exact %.6f  z = %+.2f", what, e.mean(), e.standardError(), exact,
        e.zScore(exact));
    LOG.add(line);
    assertTrue(Double.isFinite(e.standardError()) && e.standardError() > 0, what + ": SE " + e.standardError());
    assertTrue(e.within(exact, K), line);
  }

  private static EnsembleResult run(NetworkSpec spec, SamplerFactory sampler, long seed, long networks) {
    return new EnsembleRunner(spec, sampler, seed, networks).threads(2).run();
  }

  /** Checks G, V, Vmetric, ratio4 and pairRatio at every layer ≥ 2 against {@link HomogeneousMoments}. */
  private static void checkHomogeneous(String name, NetworkSpec spec, SamplerFactory sampler, long seed, long networks) {
    EnsembleResult r = run(spec, sampler, seed, networks);
    HomogeneousMoments exact = new HomogeneousMoments(spec);
    for (int l = 1; l <= spec.depth(); l++) {
      LayerEstimates e = r.estimates(l);
      String at = name + " " + sampler.kind() + " layer " + l + " ";
      if (l == 1) {
        // layer 1 is Gaussian with the deterministic metric K^(1): only G has noise
        check(at + "G", e.g(0, 0), exact.g(1));
        continue;
      }
      check(at + "G", e.g(0, 0), exact.g(l));
      check(at + "Gmetric", e.gMetric(0, 0), exact.g(l));
      check(at + "V", e.v(0), exact.v(l));
      check(at + "Vmetric", e.vMetric(0), exact.v(l));
      check(at + "ratio4", e.ratio4(0), exact.ratio(l));
      check(at + "pairRatio", e.pairRatio(0), exact.ratio(l));
    }
  }

  @ParameterizedTest
  @MethodSource("samplers")
  void reluWithoutBiasHasTheProductFormula(SamplerFactory sampler) {
    // docs/theory.md §6.2: ReLU, C_b = 0, n = 16, L = 5: E[z⁴]/(3E[z²]²) = (1 + 5/16)^4 = 2.96754455566
    NetworkSpec spec = NetworkSpec.ofGram(Activation.parse("relu"), 0, 2, 16, NetworkSpec.equalWidths(5, 16),
        new double[][] {{1.0}});
    double table = Math.pow(1 + 5.0 / 16, 4);
    assertTrue(Math.abs(new HomogeneousMoments(spec).ratio(5) - table) < 1e-13, "oracle vs docs/theory.md §6.2 table");
    checkHomogeneous("relu n=16 L=5", spec, sampler, 20250101, 40_000);
  }

  @ParameterizedTest
  @MethodSource("samplers")
  void linearAndLeakyHaveTheProductFormula(SamplerFactory sampler) {
    // docs/theory.md §6.2: linear c = 2; leaky a = 1/5: c = 770/169; unequal widths
    NetworkSpec linear = NetworkSpec.ofGram(Activation.parse("linear"), 0, 1, 6, new int[] {8, 12, 10, 6},
        new double[][] {{0.7}});
    double want = (1 + 2.0 / 8) * (1 + 2.0 / 12) * (1 + 2.0 / 10);
    assertTrue(Math.abs(new HomogeneousMoments(linear).ratio(4) - want) < 1e-13, "linear oracle");
    checkHomogeneous("linear", linear, sampler, 20250102, 20_000);
    NetworkSpec leaky = NetworkSpec.ofGram(Activation.parse("leaky:a=0.2"), 0, 1.9, 5, new int[] {10, 10, 10},
        new double[][] {{1.3}});
    double c = 770.0 / 169;
    assertTrue(Math.abs(new HomogeneousMoments(leaky).ratio(3) - (1 + c / 10) * (1 + c / 10)) < 1e-13, "leaky oracle");
    checkHomogeneous("leaky:a=0.2", leaky, sampler, 20250103, 20_000);
  }

  @ParameterizedTest
  @MethodSource("samplers")
  void reluWithBiasMatchesTheExactOracle(SamplerFactory sampler) {
    // docs/theory.md §6.3: C_b = 0.1, C_W = 2, G^(1) = 1, n = 16: E[Ĝ²]/E[Ĝ]² at layer 2 = 1.25826446281
    NetworkSpec spec = NetworkSpec.ofGram(Activation.parse("relu"), 0.1, 2, 16, NetworkSpec.equalWidths(4, 16),
        new double[][] {{0.45}}); // K^(1) = 0.1 + 2 * 0.45 = 1
    assertTrue(Math.abs(new HomogeneousMoments(spec).ratio(2) - 1.25826446281) < 1e-11, "oracle vs docs/theory.md §6.3");
    checkHomogeneous("relu cb=0.1", spec, sampler, 20250104, 40_000);
  }

  @ParameterizedTest
  @MethodSource("samplers")
  void tanhLayerTwoIsExactAtAnyWidth(SamplerFactory sampler) {
    // docs/theory.md §9.5 and §8.1/8.3: tanh, C_b = 0, C_W = 1, K^(1) = 1: G^(2) = <tanh²> = 0.394294490397841,
    // V^(2) = <tanh⁴> − <tanh²>² = 0.0975237380858573, at any width (here n_1 = 6, n_2 = 9)
    NetworkSpec spec = NetworkSpec.ofGram(Activation.parse("tanh"), 0, 1, 3, new int[] {6, 9}, new double[][] {{1.0}});
    EnsembleResult r = run(spec, sampler, 20250105, 40_000);
    LayerEstimates e = r.estimates(2);
    String at = "tanh layer 2 " + sampler.kind() + " ";
    check(at + "G", e.g(0, 0), 0.394294490397841);
    check(at + "Gmetric", e.gMetric(0, 0), 0.394294490397841);
    check(at + "V", e.v(0), 0.0975237380858573);
    check(at + "Vmetric", e.vMetric(0), 0.0975237380858573);
    // E[z⁴]/(3 E[z²]²) = E[Ĝ²]/E[Ĝ]² = 1 + V/(n_1 G²) exactly at layer 2
    double ratio = 1 + 0.0975237380858573 / (6 * 0.394294490397841 * 0.394294490397841);
    check(at + "ratio4", e.ratio4(0), ratio);
    check(at + "pairRatio", e.pairRatio(0), ratio);
  }

  @org.junit.jupiter.params.ParameterizedTest
  @MethodSource("samplers")
  void heavyTailsAreFlagged(SamplerFactory sampler) {
    // docs/theory.md §6.2: narrow deep ReLU has a very heavy-tailed metric; tanh's metric is bounded
    NetworkSpec relu = NetworkSpec.ofGram(Activation.parse("relu"), 0, 2, 4, NetworkSpec.equalWidths(6, 4),
        new double[][] {{1.0}});
    EnsembleResult r = run(relu, sampler, 20250106, 20_000);
    org.finwidth.stats.TailCheck deep = org.finwidth.stats.TailCheck.of(r.estimates(6));
    assertTrue(deep.heavy(), "relu n=4 layer 6 tail share " + deep.share() + ", light-tailed bound " + deep.bound());
    NetworkSpec tanh = NetworkSpec.ofGram(Activation.parse("tanh"), 0, 1, 4, NetworkSpec.equalWidths(3, 16),
        new double[][] {{1.0}});
    org.finwidth.stats.TailCheck bounded = org.finwidth.stats.TailCheck.of(run(tanh, sampler, 20250107, 20_000).estimates(3));
    assertTrue(!bounded.heavy(), "tanh n=16 layer 3 tail share " + bounded.share() + ", bound " + bounded.bound());
  }

  @org.junit.jupiter.api.AfterAll
  static void printLog() {
    LOG.forEach(System.out::println);
  }
}
