package org.finwidth.theory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.finwidth.activation.Activation;
import org.finwidth.gauss.ActivationAverages;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Single-input averages and susceptibilities against docs/theory.md §8.1 and the closed forms of §2.1. */
class SusceptibilityTest {
  /** docs/theory.md §8 values are "correct to at least 13 significant digits": assert 1e-12 relative. */
  private static final double REFERENCE = 1e-12;

  private static void assertRelative(double expected, double actual, double tolerance, String what) {
    assertEquals(expected, actual, tolerance * Math.abs(expected), what);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource({
    // activation, <σ²>, χ_∥/C_W, χ_⊥/C_W, <σ⁴> at K = 1 (docs/theory.md §8.1)
    "linear, 1, 1, 1, 3",
    "relu, 0.5, 0.5, 0.5, 1.5",
    "tanh, 0.394294490397841, 0.181797688140487, 0.464402902448268, 0.252991883243951",
    "sigmoid, 0.293379035858093, 0.0311982419796296, 0.0448362413501944, 0.13159431306638",
    "swish, 0.355775519817352, 0.417180259131719, 0.379482351632829, 0.919164411255855",
    "gelu, 0.425221482570299, 0.486480248728276, 0.455850865649287, 1.30467909721713",
    "repu:p=2, 1.5, 3, 2, 52.5",
  })
  void reproducesTheoryTable81(String spec, double sigma2, double chiPar, double chiPerp, double sigma4) {
    Activation a = Activation.parse(spec);
    Averages.Single s = new Averages(a).single(1);
    assertRelative(sigma2, s.sigma2(), REFERENCE, "<sigma^2>");
    assertRelative(chiPar, s.chiParallel(), REFERENCE, "chi_par/C_W");
    assertRelative(chiPerp, s.chiPerp(), REFERENCE, "chi_perp/C_W");
    assertRelative(sigma4, s.sigma4(), REFERENCE, "<sigma^4>");
    double cw = 1.7;
    Susceptibility.Pair p = Susceptibility.at(a, cw, 1);
    assertRelative(cw * chiPar, p.chiParallel(), REFERENCE, "chi_par");
    assertRelative(cw * chiPerp, p.chiPerp(), REFERENCE, "chi_perp");
  }

  @Test
  void tanhAtK2() {
    // docs/theory.md §8.1: tanh at K = 2.
    Activation tanh = Activation.parse("tanh");
    Averages.Single s = new Averages(tanh).single(2);
    assertRelative(0.519975745663949, s.sigma2(), REFERENCE, "<tanh^2>");
    assertRelative(0.0884763845677057, Susceptibility.chiParallel(tanh, 1, 2), REFERENCE, "chi_par");
    assertRelative(0.349508297746603, Susceptibility.chiPerp(tanh, 1, 2), REFERENCE, "chi_perp");
  }

  /**
   * Closed forms of docs/theory.md §2.1 over a wide range of K, which exercises all three paths of
   * {@link Averages} (verified Gauss–Hermite at small K, adaptive quadrature, homogeneous scaling).
   */
  @ParameterizedTest
  @ValueSource(doubles = {1e-4, 0.003, 0.05, 0.3, 1, 4, 25})
  void closedForms(double k) {
    // erf(a z): <σ²> = (2/π) asin(2a²K/(1+2a²K)), <σ'²> = 4a²/(π sqrt(1+4a²K)).
    double a = 0.7;
    Averages.Single erf = new Averages(Activation.parse("erf:a=0.7")).single(k);
    assertRelative(2 / Math.PI * Math.asin(2 * a * a * k / (1 + 2 * a * a * k)), erf.sigma2(), REFERENCE, "erf");
    assertRelative(4 * a * a / (Math.PI * Math.sqrt(1 + 4 * a * a * k)), erf.chiPerp(), REFERENCE, "erf'");
    // sin: <σ²> = (1 − e^{−2K})/2, <σ'²> = (1 + e^{−2K})/2; χ_∥ = d<σ²>/dK = e^{−2K}.
    Averages.Single sin = new Averages(Activation.parse("sin")).single(k);
    assertRelative(-Math.expm1(-2 * k) / 2, sin.sigma2(), REFERENCE, "sin");
    assertRelative((1 + Math.exp(-2 * k)) / 2, sin.chiPerp(), REFERENCE, "sin'");
    // The derivative-free χ_∥ = ⟨σ²(z² − K)⟩/(2K²) is accurate relative to its scale
    // ⟨σ²|z² − K|⟩/(2K²) ≲ 1/K, not to the value (e^{-50} at K = 25); at small K it loses
    // log10(1/K) digits against that scale (docs/theory.md §9.2).
    assertEquals(Math.exp(-2 * k), sin.chiParallel(),
        REFERENCE * Math.max(Math.exp(-2 * k), 1 / k) / Math.min(k, 1), "sin chi_par");
    // GELU (exact erf form, docs/theory.md §2.1).
    Averages.Single gelu = new Averages(Activation.parse("gelu")).single(k);
    double geluSigma2 = k / 4 + k / (2 * Math.PI) * Math.asin(k / (1 + k))
        + k * k / (Math.PI * (1 + k) * Math.sqrt(1 + 2 * k));
    double geluPrime2 = 0.25 + Math.asin(k / (1 + k)) / (2 * Math.PI)
        + k / (Math.PI * (1 + k) * Math.sqrt(1 + 2 * k)) + k / (2 * Math.PI * Math.pow(1 + 2 * k, 1.5));
    assertRelative(geluSigma2, gelu.sigma2(), REFERENCE, "gelu");
    assertRelative(geluPrime2, gelu.chiPerp(), REFERENCE, "gelu'");
    // RePU p = 3: <σ²> = 15K³/2, <σ⁴> = 11!! K⁶/2, <σ'²> = 9·3!!K²/2, and the K1 source
    // ⟨(σ²)''''⟩ = 4 d²<σ²>/dK² = 4·6·15K/2.
    Averages.Single repu = new Averages(Activation.parse("repu:p=3")).single(k);
    assertRelative(7.5 * k * k * k, repu.sigma2(), REFERENCE, "repu");
    assertRelative(10395.0 / 2 * Math.pow(k, 6), repu.sigma4(), REFERENCE, "repu^4");
    assertRelative(13.5 * k * k, repu.chiPerp(), REFERENCE, "repu'");
    assertRelative(180 * k, repu.k1Source(), REFERENCE, "repu K1 source");
  }

  /** The Gauss–Hermite fast path agrees with the adaptive quadrature component by component. */
  @ParameterizedTest
  @ValueSource(strings = {"tanh", "swish", "gelu", "sin", "erf", "sigmoid", "softplus", "gumbellu"})
  void fastPathAgreesWithAdaptiveQuadrature(String spec) {
    Activation a = Activation.parse(spec);
    Averages averages = new Averages(a);
    for (double k : new double[] {1e-3, 0.02, 0.2, 2}) {
      Averages.Single fast = averages.single(k);
      ActivationAverages.Single ref = ActivationAverages.single(a, k);
      assertRelative(ref.sigma2(), fast.sigma2(), REFERENCE, spec + " <s^2> at " + k);
      assertRelative(ref.sigma4(), fast.sigma4(), REFERENCE, spec + " <s^4> at " + k);
      assertRelative(ref.chiParallel(), fast.chiParallel(), REFERENCE / Math.min(k, 1), spec + " chi_par at " + k);
      assertRelative(ref.chiPerp(), fast.chiPerp(), REFERENCE, spec + " chi_perp at " + k);
      // ⟨σ²He4⟩ carries a cancellation of order 1/K² relative to its L1 norm (docs/theory.md §9.2).
      double source = ref.sigma2He4() / (k * k * k * k);
      assertEquals(source, fast.k1Source(), 1e-11 * Math.max(Math.abs(source), 1) / (k * k), spec + " K1 source at " + k);
    }
  }

  @Test
  void pointMassLimits() {
    Averages.Single tanh = new Averages(Activation.parse("tanh")).single(0);
    assertEquals(0, tanh.sigma2());
    assertEquals(1, tanh.chiParallel()); // σ'(0)² + σ(0)σ''(0)
    assertEquals(1, tanh.chiPerp());
    assertEquals(8 * 1 * -2, tanh.k1Source()); // (σ²)'''' = 8σ_1σ_3 + 6σ_2² at 0
    Averages.Single relu = new Averages(Activation.parse("relu")).single(0);
    assertEquals(0.5, relu.chiParallel());
    assertEquals(0.5, relu.chiPerp());
    Averages.Single sigmoid = new Averages(Activation.parse("sigmoid")).single(0);
    assertEquals(0.25, sigmoid.sigma2());
  }

  @Test
  void badArguments() {
    Activation tanh = Activation.parse("tanh");
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Susceptibility.at(tanh, 0, 1));
    assertTrue(e.getMessage().contains("cw=0"), e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> Susceptibility.at(tanh, Double.NaN, 1));
    e = assertThrows(IllegalArgumentException.class, () -> Susceptibility.at(tanh, 1, -1));
    assertTrue(e.getMessage().contains("-1"), e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> Susceptibility.at(tanh, 1, Double.NaN));
  }
}
