package org.finwidth.gauss;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.finwidth.activation.Activation;
import org.finwidth.activation.Catalogue;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

/** The single-input averages against docs/theory.md §8.1 and the identities of §1.2, §3.2, §7.2. */
class ActivationAveragesTest {
  /**
   * docs/theory.md §8.1 values are correct to at least 13 significant digits and printed with 15;
   * 1e-12 relative covers both that and the quadrature (1e-13 of ⟨|f|⟩, integrands ≥ 0 here
   * except χ_∥'s, whose ⟨|σ²(z²−K)|⟩ is within a factor 3 of the value at K = 1).
   */
  private static final double TOL = 1e-12;

  private final GaussianExpectation g = new GaussianExpectation();

  @ParameterizedTest(name = "{0}")
  @CsvSource({
    "linear,   1, 1, 1, 1, 3",
    "relu,     1, 0.5, 0.5, 0.5, 1.5",
    "tanh,     1, 0.394294490397841, 0.181797688140487, 0.464402902448268, 0.252991883243951",
    "sigmoid,  1, 0.293379035858093, 0.0311982419796296, 0.0448362413501944, 0.13159431306638",
    "swish,    1, 0.355775519817352, 0.417180259131719, 0.379482351632829, 0.919164411255855",
    "gelu,     1, 0.425221482570299, 0.486480248728276, 0.455850865649287, 1.30467909721713",
    "repu:p=2, 1, 1.5, 3, 2, 52.5",
    "tanh,     2, 0.519975745663949, 0.0884763845677057, 0.349508297746603, NaN",
  })
  void theoryTable81(String spec, double k, double sigma2, double chiPar, double chiPerp, double sigma4) {
    ActivationAverages.Single s = ActivationAverages.single(g, Activation.parse(spec), k);
    assertEquals(sigma2, s.sigma2(), TOL * sigma2, spec + " <sigma^2>");
    assertEquals(chiPar, s.chiParallel(), TOL * chiPar, spec + " chi_par/C_W");
    assertEquals(chiPerp, s.chiPerp(), TOL * chiPerp, spec + " chi_perp/C_W");
    if (!Double.isNaN(sigma4)) {
      assertEquals(sigma4, s.sigma4(), TOL * sigma4, spec + " <sigma^4>");
    }
  }

  @Test
  void smoothActivationsSatisfyTheCriticalityLemma() {
    // docs/theory.md §3.1-3.2: for smooth σ, χ_∥ − χ_⊥ = C_W⟨σσ''⟩ (derivative-free χ_∥ on the left).
    for (Catalogue.Entry e : Catalogue.entries()) {
      Activation a = e.withDefaults();
      if (a.kinks().length > 0) {
        continue;
      }
      for (double k : new double[] {0.01, 0.5, 3, 14.3201736180258}) {
        ActivationAverages.Single s = ActivationAverages.single(g, a, k);
        double scale = Math.abs(s.chiParallel()) + Math.abs(s.chiPerp());
        assertEquals(s.chiParallel() - s.chiPerp(), s.sigmaSigma2(), 1e-11 * scale,
            a.spec() + " at K=" + k);
      }
    }
  }

  @Test
  void temperatureScalingOfGaussianAverages() {
    // docs/theory.md §7.2: ⟨σ_T²⟩_K = T²⟨σ_1²⟩_{K/T²}, ⟨σ_T'²⟩_K = ⟨σ_1'²⟩_{K/T²}.
    for (String name : new String[] {"swish", "gelu", "gelu-tanh", "gudermanlu", "algebraiclu", "gumbellu"}) {
      for (double t : new double[] {0.1, 2}) {
        Activation at = Activation.parse(name + ":T=" + t);
        Activation a1 = Activation.parse(name);
        double k = 1.7;
        ActivationAverages.Single st = ActivationAverages.single(g, at, k);
        ActivationAverages.Single s1 = ActivationAverages.single(g, a1, k / (t * t));
        assertEquals(t * t * s1.sigma2(), st.sigma2(), TOL * st.sigma2(), name + " T=" + t);
        assertEquals(s1.sigmaPrime2(), st.sigmaPrime2(), TOL * st.sigmaPrime2(), name + " T=" + t);
      }
    }
  }

  @Test
  void sharpGatesAtSmallTemperatureAreResolved() {
    // GELU_T: ⟨σ_T²⟩_K = T²·G(K/T²) with G the closed form of docs/theory.md §2.1. At T = 0.001 the
    // gate switches within |z| ~ 0.001: without the feature-scale breakpoints the panel [0, 1.5]
    // hides it between its end and its first node (measured error 2.5e-11).
    for (double t : new double[] {0.01, 0.001}) {
      double k = 1;
      double kk = k / (t * t);
      double closed = t * t * (kk / 4 + kk / (2 * Math.PI) * Math.asin(kk / (1 + kk))
          + kk * kk / (Math.PI * (1 + kk) * Math.sqrt(1 + 2 * kk)));
      ActivationAverages.Single s = ActivationAverages.single(g, Activation.parse("gelu:T=" + t), k);
      assertEquals(closed, s.sigma2(), TOL * closed, "T=" + t);
    }
    assertEquals(0.001, ActivationAverages.featureScale(Activation.parse("swish:T=0.001")));
    assertEquals(0.5, ActivationAverages.featureScale(Activation.parse("erf:a=2")));
    assertEquals(1.0, ActivationAverages.featureScale(Activation.parse("relu")));
  }

  @Test
  void halfStableCriticalPointsOfTheory43() {
    // docs/theory.md §4.3: at K*, ⟨σσ''⟩ = 0, C_W = 1/⟨σ'²⟩, C_b = K* − C_W⟨σ²⟩ (20-digit values).
    ActivationAverages.Single gelu = ActivationAverages.single(g, Activation.parse("gelu"),
        (3 + Math.sqrt(17)) / 2);
    assertEquals(1.9830582574375471252, 1 / gelu.sigmaPrime2(), TOL * 2);
    assertEquals(1.7087901524544504112, gelu.sigma2(), TOL * 2);
    assertEquals(0, gelu.sigmaSigma2(), 1e-13 * gelu.sigmaPrime2());
    ActivationAverages.Single swish = ActivationAverages.single(g, Activation.parse("swish"),
        14.320173618025798817);
    assertEquals(1.9880046782694920053, 1 / swish.sigmaPrime2(), TOL * 2);
    assertEquals(6.9240432871045256717, swish.sigma2(), TOL * 7);
    assertEquals(0.5551431707215303962, 14.320173618025798817 - swish.sigma2() / swish.sigmaPrime2(),
        1e-11);
  }

  @Test
  void rejectsNonPositiveVariance() {
    assertThrows(IllegalArgumentException.class,
        () -> ActivationAverages.single(g, Activation.parse("tanh"), 0));
  }
}
