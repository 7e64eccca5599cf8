package org.finwidth.theory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.finwidth.activation.Activation;
import org.finwidth.activation.Selu;
import org.finwidth.activation.SpecialFunctions;
import org.finwidth.gauss.ActivationAverages;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The exponential units, softsign, hardtanh, mish and hardswish: closed forms of their Gaussian
 * averages, the published SELU fixed point, the one-sided K* = 0 critical points and the leading
 * small-K behaviour derived by hand (docs/theory.md §7.5).
 */
class NewActivationsTest {
  private static final double SQRT_2_OVER_PI = Math.sqrt(2 / Math.PI);

  private static double sigma2(String spec, double k) {
    return ActivationAverages.single(Activation.parse(spec), k).sigma2();
  }

  private static double phiC(double a) {
    return 0.5 * SpecialFunctions.erfc(a / Math.sqrt(2));
  }

  @ParameterizedTest
  @CsvSource({"1, 0.3", "1, 1", "1, 3.7", "0.5, 1", "2, 2.5"})
  void eluSecondMomentClosedForm(double a, double k) {
    // ⟨σ²⟩ = K/2 + a²(e^{2K}Φ(−2√K) − 2e^{K/2}Φ(−√K) + 1/2), from E[e^{tz}; z < 0] = e^{t²K/2}Φ(−t√K).
    double s = Math.sqrt(k);
    double exact = k / 2 + a * a * (Math.exp(2 * k) * phiC(2 * s) - 2 * Math.exp(k / 2) * phiC(s) + 0.5);
    // quadrature at 1e-13 of ⟨|f|⟩; the closed form's erfc is accurate to a few ulps: 1e-12
    assertEquals(exact, sigma2("elu:a=" + a, k), 1e-12 * exact);
  }

  @ParameterizedTest
  @CsvSource({"0.05", "0.1", "0.5", "2"})
  void hardtanhSecondMomentClosedForm(double k) {
    // ⟨σ²⟩ = K − 2[√K φ(1/√K) + (K − 1)Φc(1/√K)], from E[z²; z > 1] = K(aφ(a) + Φc(a)), a = 1/√K.
    double a = 1 / Math.sqrt(k);
    double phi = Math.exp(-a * a / 2) / Math.sqrt(2 * Math.PI);
    double exact = k - 2 * (Math.sqrt(k) * phi + (k - 1) * phiC(a));
    assertEquals(exact, sigma2("hardtanh", k), 1e-12 * exact);
  }

  @Test
  void seluHasThePublishedFixedPoint() {
    // Klambauer et al.: λ, α make (mean, variance) = (0, 1) the fixed point at unit weight variance,
    // i.e. ⟨σ⟩_1 = 0 and ⟨σ²⟩_1 = 1 (C_b = 0, C_W = 1). The constants carry 17 digits: 1e-14.
    assertEquals(1.0, sigma2("selu", 1), 1e-14);
    Activation selu = new Selu();
    double mean = org.finwidth.gauss.GaussianExpectation.mean(selu::value, 1, 0);
    assertEquals(0.0, mean, 1e-14);
  }

  @ParameterizedTest
  @CsvSource({
    // spec, C_W = 2/(a+² + a−²), c1 of r(K) = C_W⟨σ²⟩_K/K − 1 = c1 √K + O(K) (by hand)
    "elu,       1,                  -1",
    "celu:a=0.5, 1,                 -2",
    "softsign,  1,                  -4",
    "selu,      0.476771017882753,  -1.4736830",
  })
  void oneSidedKStarZero(String spec, double cw, double c1OverSqrt2Pi) {
    // elu: σ² − z² = z³ + O(z⁴) for z < 0 and E[z³; z < 0] = −√(2/π)K^{3/2}: c1 = −√(2/π);
    // celu: z³/a: −√(2/π)/a; softsign: σ² = z² − 2z²|z| + O(z⁴): −4√(2/π);
    // selu: C_W λ²α² times elu's: −2α²/(1 + α²)·√(2/π).
    double expectedCw = spec.equals("selu")
        ? 2 / (Selu.LAMBDA * Selu.LAMBDA * (1 + Selu.ALPHA * Selu.ALPHA)) : cw;
    double c1 = spec.equals("selu")
        ? -2 * Selu.ALPHA * Selu.ALPHA / (1 + Selu.ALPHA * Selu.ALPHA) * SQRT_2_OVER_PI
        : c1OverSqrt2Pi * SQRT_2_OVER_PI;
    Criticality c = CriticalitySolver.solve(Activation.parse(spec));
    assertEquals(UniversalityClass.K_STAR_ZERO, c.universalityClass(), spec);
    Criticality.CriticalPoint p = c.critical().get(0);
    assertEquals(0.0, p.cb(), 0.0);
    assertEquals(0.0, p.kstar().getAsDouble(), 0.0);
    assertEquals(expectedCw, p.cw(), 1e-15 * expectedCw, spec + " C_W");
    assertEquals(Approach.ABOVE, p.approach().orElseThrow());
    assertTrue(Double.isNaN(p.curvature()), "no f''(0) for a K^{3/2} map");
    assertTrue(c.reason().contains("local exponent q = 1.4"), c.reason());
    // Richardson on r(K)/√K = c1 + c2 √K at K and 4K removes the O(√K) term: O(K) = 1e-6 left.
    double k = 1e-6;
    double r1 = expectedCw * sigma2(spec, k) / k - 1;
    double r4 = expectedCw * sigma2(spec, 4 * k) / (4 * k) - 1;
    double estimate = 2 * r1 / Math.sqrt(k) - r4 / (2 * Math.sqrt(k));
    assertEquals(c1, estimate, 1e-4 * Math.abs(c1), spec + " leading coefficient");
  }

  @Test
  void hardtanhIsKStarZeroWithAnApproachSlowerThanAnyPower() {
    Criticality c = CriticalitySolver.solve(Activation.parse("hardtanh"));
    assertEquals(UniversalityClass.K_STAR_ZERO, c.universalityClass());
    assertEquals(0.0, c.a1(), 0.0);
    assertEquals(1.0, c.critical().get(0).cw(), 1e-15);
    assertTrue(c.reason().contains("slower than any power law"), c.reason());
  }

  @ParameterizedTest
  @CsvSource({"mish", "hardswish"})
  void halfStablePointsSatisfyTheirThreeConditions(String spec) {
    // χ_∥ = χ_⊥ = 1 and K* = C_b + C_W⟨σ²⟩ at the solver's point, re-evaluated by a fresh
    // quadrature at the default tolerance (1e-13 of ⟨|f|⟩): 1e-11.
    Criticality c = CriticalitySolver.solve(Activation.parse(spec));
    assertEquals(UniversalityClass.HALF_STABLE, c.universalityClass());
    Criticality.CriticalPoint p = c.critical().get(0);
    double k = p.kstar().getAsDouble();
    ActivationAverages.Single s = ActivationAverages.single(Activation.parse(spec), k);
    assertEquals(1.0, p.cw() * s.chiParallel(), 1e-11, "chi_par");
    assertEquals(1.0, p.cw() * s.chiPerp(), 1e-11, "chi_perp");
    assertEquals(k, p.cb() + p.cw() * s.sigma2(), 1e-11 * k, "fixed point");
    assertTrue(p.cb() > 0);
  }
}
