package org.finwidth.theory;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.finwidth.activation.Activation;
import org.finwidth.gauss.ActivationAverages;
import org.finwidth.gauss.GaussianExpectation;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The heavier checks of the exact single-input law (docs/theory.md §6.5), opt-in
 * ({@code @Tag("slow")}, about a minute on 2 cores): a nested quadrature at width 2 and RePU at
 * small widths.
 */
@Tag("slow")
class ExactLawSlowTest {
  /**
   * tanh at width 2, layer 3, against an independent nested adaptive quadrature:
   * E[Ĝ^(3)] = E[m1(Ĝ^(2))], E[(Ĝ^(3))²] = E[m2(Ĝ^(2))] with Ĝ^(2) = C_b + C_W(X_1 + X_2)/2 and
   * m1, m2 the exact conditional moments. The quadrature is accurate to ~1e-12; tolerance 1e-10.
   */
  @Test
  void tanhWidthTwoMatchesNestedQuadrature() {
    Activation sigma = Activation.parse("tanh");
    double cb = 0.1;
    double cw = 1.2;
    double k1 = cb + cw * 1.0;
    ExactLaw law = ExactLaw.compute(sigma, cb, cw, 1.0, ExactLawTest.widths(3, 2), ExactLaw.Options.DEFAULT);
    GaussianExpectation g = new GaussianExpectation();
    double[] nested = new double[2];
    for (int p = 0; p < 2; p++) {
      int power = p;
      nested[p] = g.expect(z1 -> new GaussianExpectation().expect(z2 -> {
        double x1 = Math.tanh(z1) * Math.tanh(z1);
        double x2 = Math.tanh(z2) * Math.tanh(z2);
        double k = cb + cw * (x1 + x2) / 2;
        ActivationAverages.Single a = ActivationAverages.single(sigma, k);
        double m1 = cb + cw * a.sigma2();
        double m2 = m1 * m1 + cw * cw * (a.sigma4() - a.sigma2() * a.sigma2()) / 2;
        return power == 0 ? m1 : m2;
      }, k1), k1);
    }
    assertEquals(nested[0], law.layer(3).mean(), 1e-10 * nested[0]);
    assertEquals(nested[1], law.layer(3).second(), 1e-10 * nested[1]);
  }

  /** RePU p = 2 at widths 8 and 16: the goals of the default suite's wider cases, to depth 4. */
  @ParameterizedTest
  @CsvSource({"8", "16"})
  void repuSmallWidthsMatchOracle(int n) {
    Activation sigma = Activation.parse("repu:p=2");
    int[] w = ExactLawTest.widths(4, n);
    ExactLaw law = ExactLaw.compute(sigma, 0, 0.3, 1, w, ExactLaw.Options.DEFAULT);
    List<ExactMoments.LayerMoments> oracle = ExactMoments.compute(sigma, 0, 0.3, 1, w);
    for (int l = 1; l <= 4; l++) {
      ExactLawTest.checkLayer(law.layer(l), oracle.get(l - 1), "repu n=" + n + " layer " + l);
    }
  }

  /** ReLU at widths 2 and 3 over 40 layers (E[Ĝ²]/E[Ĝ]² up to 1e21). */
  @ParameterizedTest
  @CsvSource({"2", "3"})
  void reluNarrowAndDeep(int n) {
    Activation sigma = Activation.parse("relu");
    int[] w = ExactLawTest.widths(40, n);
    ExactLaw law = ExactLaw.compute(sigma, 0, 2, 1, w, ExactLaw.Options.DEFAULT);
    List<ExactMoments.LayerMoments> oracle = ExactMoments.compute(sigma, 0, 2, 1, w);
    for (int l = 1; l <= 40; l++) {
      ExactLawTest.checkLayer(law.layer(l), oracle.get(l - 1), "relu n=" + n + " layer " + l);
    }
  }
}
