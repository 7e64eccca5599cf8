package org.finwidth.ensemble;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.finwidth.activation.Activation;
import org.finwidth.network.NetworkSpec;
import org.finwidth.stats.Estimate;
import org.finwidth.stats.LayerEstimates;
import org.finwidth.stats.ObservableLayout;
import org.junit.jupiter.api.Test;

/**
 * Different samplers, one distribution (docs/design.md invariant 3): every observable of every layer
 * agrees between two samplers within {@code K = 4.5} combined standard errors,
 * {@code |a − b| ≤ K √(se_a² + se_b²)} (the samplers use different random streams, so the two
 * estimates are independent). False-failure probability per comparison 6.8e-6 for normal
 * estimates; about 600 comparisons here, so about 4e-3 in all. Seeds fixed (31, 32, ...).
 */
class SamplerAgreementTest {
  private static final double K = 4.5;

  /** Every estimate of a result, labelled. */
  private static List<Object[]> all(EnsembleResult r) {
    List<Object[]> out = new ArrayList<>();
    int d = r.spec().inputCount();
    ObservableLayout lay = ObservableLayout.forInputs(d);
    for (int l = 2; l <= r.spec().depth(); l++) { // layer 1 is the same Gaussian for every sampler
      LayerEstimates e = r.estimates(l);
      for (int a = 0; a < d; a++) {
        for (int b = a; b < d; b++) {
          out.add(new Object[] {"layer " + l + " G" + a + b, e.g(a, b)});
          out.add(new Object[] {"layer " + l + " Gmetric" + a + b, e.gMetric(a, b)});
        }
        out.add(new Object[] {"layer " + l + " ratio4 " + a, e.ratio4(a)});
        out.add(new Object[] {"layer " + l + " pairRatio " + a, e.pairRatio(a)});
      }
      for (int q = 0; q < lay.pairPairs(); q++) {
        out.add(new Object[] {"layer " + l + " V" + lay.index().key(q), e.v(q)});
        out.add(new Object[] {"layer " + l + " Vmetric" + lay.index().key(q), e.vMetric(q)});
      }
    }
    return out;
  }

  static void assertAgree(NetworkSpec spec, SamplerFactory x, SamplerFactory y, long seed, long networks) {
    EnsembleResult rx = new EnsembleRunner(spec, x, seed, networks).threads(2).run();
    EnsembleResult ry = new EnsembleRunner(spec, y, seed + 1, networks).threads(2).run();
    List<Object[]> ex = all(rx);
    List<Object[]> ey = all(ry);
    for (int i = 0; i < ex.size(); i++) {
      Estimate a = (Estimate) ex.get(i)[1];
      Estimate b = (Estimate) ey.get(i)[1];
      double combined = Math.hypot(a.standardError(), b.standardError());
      String what = String.format(Locale.ROOT, "%s %s: %s %.6g ± %.2g vs %s %.6g ± %.2g", spec.activation().spec(),
          ex.get(i)[0], x.kind(), a.mean(), a.standardError(), y.kind(), b.mean(), b.standardError());
      assertTrue(combined > 0 && Math.abs(a.mean() - b.mean()) <= K * combined, what);
    }
  }

  @Test
  void productionSamplersAgreeWithEachOtherAndTheReference() {
    NetworkSpec tanh = NetworkSpec.ofGram(Activation.parse("tanh"), 0.2, 1.5, 4, new int[] {8, 8, 8},
        new double[][] {{1.0, 0.6}, {0.6, 1.5}});
    assertAgree(tanh, TestSamplers.WEIGHTS, TestSamplers.CONDITIONAL, 41, 40_000);
    assertAgree(tanh, TestSamplers.WEIGHTS, TestSamplers.REFERENCE_CONDITIONAL, 43, 40_000);
    NetworkSpec relu = NetworkSpec.ofGram(Activation.parse("relu"), 0.1, 2, 3, new int[] {12, 9, 16, 10},
        new double[][] {{1.0}});
    assertAgree(relu, TestSamplers.WEIGHTS, TestSamplers.CONDITIONAL, 45, 40_000);
    NetworkSpec swish = NetworkSpec.ofInputs(Activation.parse("swish"), 0.1, 1.8, new int[] {6, 5},
        new double[][] {{1.0, 0.0, 0.5}, {0.2, 1.0, -0.3}, {-0.7, 0.4, 0.9}});
    assertAgree(swish, TestSamplers.CONDITIONAL, TestSamplers.REFERENCE_WEIGHTS, 47, 40_000);
  }

  @Test
  void referenceSamplersAgreeOnTwoInputTanh() {
    NetworkSpec spec = NetworkSpec.ofGram(Activation.parse("tanh"), 0.2, 1.5, 4, new int[] {8, 8, 8},
        new double[][] {{1.0, 0.6}, {0.6, 1.5}});
    assertAgree(spec, TestSamplers.REFERENCE_WEIGHTS, TestSamplers.REFERENCE_CONDITIONAL, 31, 20_000);
  }

  @Test
  void referenceSamplersAgreeOnThreeInputSwish() {
    NetworkSpec spec = NetworkSpec.ofInputs(Activation.parse("swish"), 0.1, 1.8, new int[] {6, 5},
        new double[][] {{1.0, 0.0, 0.5}, {0.2, 1.0, -0.3}, {-0.7, 0.4, 0.9}});
    assertAgree(spec, TestSamplers.REFERENCE_WEIGHTS, TestSamplers.REFERENCE_CONDITIONAL, 33, 20_000);
  }
}
