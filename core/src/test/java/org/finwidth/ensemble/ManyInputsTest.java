package org.finwidth.ensemble;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.Locale;
import java.util.SplittableRandom;
import org.finwidth.activation.Activation;
import org.finwidth.network.NetworkSpec;
import org.finwidth.network.SamplerKind;
import org.finwidth.network.Samplers;
import org.finwidth.stats.Estimate;
import org.finwidth.stats.LayerEstimates;
import org.finwidth.stats.ObservableLayout;
import org.finwidth.vector.KernelProvider;
import org.finwidth.vector.PairIndex;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The Monte Carlo of d inputs (up to 16 here): bitwise reproducibility over threads, shards,
 * resumption and kernel implementations; the metric statistics as a part of the distinct-neuron
 * ones; duplicate inputs; and every component of a linear network against its exact finite-width
 * moments ({@link LinearNetworkMoments}).
 */
class ManyInputsTest {
  private static final int SMALL_BLOCK = 37;

  /** d explicit inputs in R^d in general position (a fixed random matrix). */
  static NetworkSpec spec(String activation, double cb, double cw, int d, int[] widths, long seed) {
    SplittableRandom rnd = new SplittableRandom(seed);
    double[][] x = new double[d][d];
    for (double[] row : x) {
      for (int j = 0; j < d; j++) {
        row[j] = rnd.nextGaussian();
      }
    }
    return NetworkSpec.ofInputs(Activation.parse(activation), cb, cw, widths, x);
  }

  private static SamplerFactory production(SamplerKind kind, KernelProvider kernels) {
    return SamplerFactory.of(kind.cliName(), s -> Samplers.create(s, kind, kernels));
  }

  private static EnsembleRunner runner(NetworkSpec spec, SamplerFactory f, boolean neurons, long seed, long networks) {
    return new EnsembleRunner(spec, f, seed, networks).blockSize(SMALL_BLOCK).distinctNeurons(neurons);
  }

  /**
   * One result, five ways: 1 thread, 3 threads, three shards merged, a cancelled run resumed, and
   * the sampler on the scalar kernels (the reference every vector width must reproduce; ReLU,
   * which both implementations compute exactly, ActivationKernels): the same bits. Also the state
   * round trip.
   */
  @ParameterizedTest(name = "d={0} {1} neurons={2}")
  @CsvSource({"3, conditional, true", "3, weights, true", "8, conditional, false", "8, weights, true",
    "16, conditional, false", "16, weights, false"})
  void bitwiseForAnyThreadsShardsResumptionAndKernels(int d, String sampler, boolean neurons) throws IOException {
    NetworkSpec spec = spec("relu", 0.1, 1.9, d, new int[] {7, 9, 5}, d);
    SamplerKind kind = SamplerKind.parse(sampler);
    SamplerFactory vector = production(kind, KernelProvider.getInstance());
    long m = 300;
    EnsembleResult one = runner(spec, vector, neurons, 5, m).threads(1).run();
    assertEquals(neurons, one.layout().distinctNeurons());
    assertEquals(m, one.networksAccumulated());
    assertEquals(one, runner(spec, vector, neurons, 5, m).threads(3).run(), "3 threads");
    long blocks = one.blockCount();
    EnsembleResult s1 = runner(spec, vector, neurons, 5, m).blocks(BlockSet.range(0, 3)).run();
    EnsembleResult s2 = runner(spec, vector, neurons, 5, m).blocks(BlockSet.range(3, blocks)).threads(2).run();
    assertEquals(one, s2.merge(s1), "shards merged");
    int[] polls = {0};
    EnsembleResult partial = runner(spec, vector, neurons, 5, m).cancellation(() -> ++polls[0] > 100).run();
    assertFalse(partial.isComplete());
    assertEquals(one, runner(spec, vector, neurons, 5, m).threads(2).resumeFrom(partial).run(), "resumed");
    SamplerFactory scalar = production(kind, KernelProvider.scalar());
    assertEquals(one, runner(spec, scalar, neurons, 5, m).run(), "scalar kernels");
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    one.writeTo(new DataOutputStream(bytes));
    EnsembleResult back = EnsembleResult.readFrom(new DataInputStream(new ByteArrayInputStream(bytes.toByteArray())));
    assertEquals(one, back);
    assertSame(one.layout(), back.layout());
  }

  /** Results of the two statistics never merge; a resumed run must keep the statistics. */
  @Test
  void statisticsArePartOfTheEnsemble() {
    NetworkSpec spec = spec("tanh", 0.1, 1.3, 3, new int[] {4, 4}, 1);
    EnsembleResult metric = runner(spec, TestSamplers.CONDITIONAL, false, 1, 100).blocks(BlockSet.range(0, 1)).run();
    EnsembleResult both = runner(spec, TestSamplers.CONDITIONAL, true, 1, 100).blocks(BlockSet.range(1, 2)).run();
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> metric.merge(both));
    assertTrue(e.getMessage().contains("different statistics: metric vs metric+neurons"), e.getMessage());
    assertThrows(IllegalArgumentException.class,
        () -> runner(spec, TestSamplers.CONDITIONAL, true, 1, 100).resumeFrom(metric).run());
  }

  /**
   * The metric statistics are the same sums with or without the distinct-neuron ones: Gmetric and
   * Vmetric agree bit for bit; G, V and the ratios are undefined without them.
   */
  @Test
  void metricEstimatesDoNotDependOnTheDistinctNeuronStatistics() {
    NetworkSpec spec = spec("gelu", 0.05, 1.6, 5, new int[] {6, 8, 7}, 3);
    EnsembleResult metric = runner(spec, TestSamplers.CONDITIONAL, false, 2, 500).run();
    EnsembleResult both = runner(spec, TestSamplers.CONDITIONAL, true, 2, 500).run();
    for (int l = 1; l <= spec.depth(); l++) {
      LayerEstimates a = metric.estimates(l);
      LayerEstimates b = both.estimates(l);
      PairIndex ix = a.layout().index();
      for (int p = 0; p < ix.pairs(); p++) {
        assertEquals(b.gMetric(ix.first(p), ix.second(p)), a.gMetric(ix.first(p), ix.second(p)));
        assertEquals(Estimate.UNDEFINED, a.g(ix.first(p), ix.second(p)));
        assertTrue(Double.isFinite(b.g(ix.first(p), ix.second(p)).mean()));
      }
      for (int r = 0; r < ix.pairPairs(); r++) {
        assertEquals(b.vMetric(r), a.vMetric(r), "Vmetric " + ix.key(r));
        assertEquals(Estimate.UNDEFINED, a.v(r));
        assertTrue(Double.isFinite(b.v(r).standardError()));
      }
      for (int x = 0; x < 5; x++) {
        assertEquals(Estimate.UNDEFINED, a.ratio4(x));
        assertEquals(Estimate.UNDEFINED, a.pairRatio(x));
      }
      assertFalse(a.hasDistinctNeurons());
    }
    assertTrue(ObservableLayout.distinctNeuronsByDefault(4));
    assertFalse(ObservableLayout.distinctNeuronsByDefault(5));
  }

  /**
   * Duplicate inputs give exactly the components of one input: with the weights sampler the
   * preactivations of identical inputs are identical, so every sum of (ab)(cd) equals, bit for bit,
   * the one with inputs 1 and 3 replaced by input 0 (inputs x, x, y, x), and so does every estimate
   * unless the map swaps the two pairs (then the estimator's arithmetic takes the same sums in
   * another order: 1e-13 relative).
   */
  @Test
  void duplicateInputsGiveIdenticalComponents() {
    double[] x = {0.3, -1.2, 0.8};
    double[] y = {1.0, 0.4, -0.5};
    NetworkSpec spec = NetworkSpec.ofInputs(Activation.parse("tanh"), 0.1, 1.4, new int[] {6, 5, 7},
        new double[][] {x, x, y, x});
    EnsembleResult r = new EnsembleRunner(spec, TestSamplers.WEIGHTS, 4, 400).distinctNeurons(true).run();
    int[] same = {0, 0, 2, 0};
    int checked = 0;
    for (int l = 1; l <= spec.depth(); l++) {
      LayerEstimates e = r.estimates(l);
      PairIndex ix = e.layout().index();
      for (int p = 0; p < ix.pairs(); p++) {
        int a = ix.first(p);
        int b = ix.second(p);
        assertEquals(e.g(same[a], same[b]), e.g(a, b));
        assertEquals(e.gMetric(same[a], same[b]), e.gMetric(a, b));
      }
      for (int q = 0; q < ix.pairPairs(); q++) {
        int p1 = ix.pairPairFirst(q);
        int p2 = ix.pairPairSecond(q);
        int[] i = {ix.first(p1), ix.second(p1), ix.first(p2), ix.second(p2)};
        assertSameEstimate(e.v(same[i[0]], same[i[1]], same[i[2]], same[i[3]]), e.v(q), "V " + ix.key(q));
        assertSameEstimate(e.vMetric(same[i[0]], same[i[1]], same[i[2]], same[i[3]]), e.vMetric(q),
            "Vmetric " + ix.key(q));
        checked++;
      }
      for (int a = 0; a < 4; a++) {
        assertEquals(e.ratio4(same[a]), e.ratio4(a));
      }
    }
    assertEquals(3 * 55, checked);
  }

  /**
   * A linear network's every component against its exact finite-width moments, both samplers,
   * d = 3 (with the distinct-neuron statistics) and d = 8 (metric): |measured − exact| ≤ 5 SE for
   * G, Gmetric, V, Vmetric, ratio4 and pairRatio at every layer (layer 1's metric is exact: SE 0,
   * compared to 1e-12 relative). The SEs come from the delta method over N = 10,000 networks
   * (normal): false-failure probability 5.7e-7 per comparison, 4,572 comparisons, so at most
   * 2.6e-3 in all (union bound; fixed seeds make every run identical).
   */
  @ParameterizedTest(name = "d={0} {1}")
  @CsvSource({"3, conditional, true", "3, weights, true", "8, conditional, false", "8, weights, false"})
  void linearNetworkMatchesItsExactMoments(int d, String sampler, boolean neurons) {
    NetworkSpec spec = spec("linear", 0.1, 0.9, d, new int[] {8, 6, 9}, 17 + d);
    EnsembleResult r = new EnsembleRunner(spec, production(SamplerKind.parse(sampler), KernelProvider.getInstance()),
        d * 31L, 10_000).threads(2).distinctNeurons(neurons).run();
    LinearNetworkMoments exact = new LinearNetworkMoments(spec);
    int compared = 0;
    for (int l = 1; l <= spec.depth(); l++) {
      LayerEstimates e = r.estimates(l);
      PairIndex ix = e.layout().index();
      int fanIn = spec.width(l - 1);
      for (int p = 0; p < ix.pairs(); p++) {
        int a = ix.first(p);
        int b = ix.second(p);
        compared += check(e.gMetric(a, b), exact.twoPoint(l, a, b), "Gmetric " + ix.pairKey(p), l);
        if (neurons) {
          compared += check(e.g(a, b), exact.twoPoint(l, a, b), "G " + ix.pairKey(p), l);
        }
      }
      for (int q = 0; q < ix.pairPairs(); q++) {
        compared += check(e.vMetric(q), exact.vertex(l, q), "Vmetric " + ix.key(q), l);
        if (neurons) {
          compared += check(e.v(q), exact.vertex(l, q), "V " + ix.key(q), l);
        }
      }
      if (neurons) {
        for (int a = 0; a < d; a++) {
          compared += check(e.ratio4(a), exact.ratio(l, a, fanIn), "ratio4 " + a, l);
          compared += check(e.pairRatio(a), exact.ratio(l, a, fanIn), "pairRatio " + a, l);
        }
      }
    }
    int pairs = d * (d + 1) / 2;
    int pairPairs = pairs * (pairs + 1) / 2;
    assertEquals(3 * (neurons ? 2 * pairs + 2 * pairPairs + 2 * d : pairs + pairPairs), compared);
  }

  private static void assertSameEstimate(Estimate want, Estimate got, String what) {
    assertEquals(want.mean(), got.mean(), 1e-13 * Math.abs(want.mean()), what);
    assertEquals(want.standardError(), got.standardError(), 1e-13 * want.standardError(), what);
  }

  /** One comparison at 5 SE (or, for an exact measurement with SE 0, to 1e-12 relative); returns 1. */
  private static int check(Estimate e, double exact, String what, int layer) {
    String msg = String.format(Locale.ROOT, "layer %d %s: %.6g ± %.2g, exact %.6g", layer, what, e.mean(),
        e.standardError(), exact);
    if (e.standardError() == 0) {
      assertEquals(exact, e.mean(), 1e-12 * Math.max(Math.abs(exact), 1e-300), msg);
    } else {
      assertTrue(e.standardError() > 0 && Math.abs(e.mean() - exact) <= 5 * e.standardError(), msg);
    }
    return 1;
  }
}
