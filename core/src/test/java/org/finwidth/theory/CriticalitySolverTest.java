package org.finwidth.theory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.finwidth.activation.Activation;
import org.finwidth.activation.Catalogue;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Critical points and universality classes against docs/theory.md §4 and §7. */
class CriticalitySolverTest {
  /**
   * K* and C_W from quadrature at 1e-15 of ⟨|f|⟩ and Brent to 5e-15: 1e-13 relative. C_b =
   * K* − C_W⟨σ²⟩ cancels by K* / C_b ≈ 26 (SWISH): 1e-12.
   */
  private static final double K_STAR = 1e-13;
  private static final double C_B = 1e-12;

  private static Criticality solve(String spec) {
    return CriticalitySolver.solve(Activation.parse(spec));
  }

  private static void assertRelative(double expected, double actual, double tolerance, String what) {
    assertEquals(expected, actual, tolerance * Math.abs(expected), what);
  }

  @Test
  void swish() {
    // docs/theory.md §4.3 (mp.dps = 32): K*, C_b, C_W; f''(K*) = +5.6996e-6; stable side below;
    // the other fixed point of the critical map 14.5931049906 with χ_∥ = 0.99999924.
    Criticality c = solve("swish");
    assertEquals(UniversalityClass.HALF_STABLE, c.universalityClass());
    assertEquals(1, c.critical().size());
    Criticality.CriticalPoint p = c.critical().get(0);
    assertRelative(14.320173618025798817, p.kstar().getAsDouble(), K_STAR, "K*");
    assertRelative(0.5551431707215303962, p.cb(), C_B, "C_b");
    assertRelative(1.9880046782694920053, p.cw(), K_STAR, "C_W");
    assertEquals(5.6996e-6, p.curvature(), 0.5e-10);
    assertEquals(Approach.BELOW, p.approach().orElseThrow());
    assertEquals(0.75, c.a1(), 1e-15);
    // The second fixed point is a simple root with slope 1 − χ_∥ ≈ 7.6e-7, so f's rounding
    // (1e-15·K) moves it by ≈ 2e-8: a tolerance of 1e-8 is its conditioning, not slack.
    assertEquals(1, p.otherFixedPoints().size());
    assertEquals(14.5931049906, p.otherFixedPoints().get(0).k(), 1e-8);
    assertEquals(0.99999924, p.otherFixedPoints().get(0).chiParallel(), 5e-9);
    assertTrue(c.reason().contains("from below"), c.reason());
  }

  @Test
  void gelu() {
    // docs/theory.md §4.3: K* = (3 + √17)/2 exactly; f''(K*) = −2.8725e-4; stable side above; another
    // fixed point 3.03498143551 (slope 1 − χ_∥ ≈ 9.4e-5: conditioning ≈ 4e-11).
    Criticality c = solve("gelu");
    assertEquals(UniversalityClass.HALF_STABLE, c.universalityClass());
    Criticality.CriticalPoint p = c.critical().get(0);
    assertRelative((3 + Math.sqrt(17)) / 2, p.kstar().getAsDouble(), K_STAR, "K*");
    assertRelative(3.5615528128088302749, p.kstar().getAsDouble(), K_STAR, "K*");
    assertRelative(0.17292239075606735175, p.cb(), C_B, "C_b");
    assertRelative(1.9830582574375471252, p.cw(), K_STAR, "C_W");
    assertEquals(-2.8725e-4, p.curvature(), 0.5e-8);
    assertEquals(Approach.ABOVE, p.approach().orElseThrow());
    assertEquals(6 / Math.PI, c.a1(), 1e-15);
    assertEquals(1, p.otherFixedPoints().size());
    assertEquals(3.03498143551, p.otherFixedPoints().get(0).k(), 1e-10);
  }

  @ParameterizedTest
  @ValueSource(doubles = {0.1, 2})
  void temperatureScaling(double t) {
    // docs/theory.md §7.2: K*(T) = T²K*(1), C_b(T) = T²C_b(1), C_W(T) = C_W(1) ("14 digits").
    for (String name : List.of("swish", "gelu", "gudermanlu")) {
      Criticality.CriticalPoint one = solve(name).critical().get(0);
      Criticality.CriticalPoint hot = solve(name + ":T=" + t).critical().get(0);
      assertRelative(t * t * one.kstar().getAsDouble(), hot.kstar().getAsDouble(), 1e-13, name + " K*");
      assertRelative(t * t * one.cb(), hot.cb(), C_B, name + " C_b");
      assertRelative(one.cw(), hot.cw(), 1e-13, name + " C_W");
      assertEquals(one.approach(), hot.approach());
      assertRelative(one.curvature() / (t * t), hot.curvature(), 1e-6, name + " f''");
    }
  }

  /**
   * The other smooth ReLUs (docs/theory.md §4.3: "each has one such critical point"), cross-checked
   * against K* found independently by bisection by the activation engineer (4-5 digits given).
   */
  @ParameterizedTest
  @CsvSource({"gelu-tanh, 3.5568", "gudermanlu, 3.1540", "algebraiclu, 20.210", "gumbellu, 21.123"})
  void smoothReluFamily(String spec, double bisection) {
    Criticality c = solve(spec);
    assertEquals(UniversalityClass.HALF_STABLE, c.universalityClass());
    assertEquals(1, c.critical().size());
    Criticality.CriticalPoint p = c.critical().get(0);
    assertEquals(bisection, p.kstar().getAsDouble(), 5e-5 * bisection);
    assertTrue(p.cb() > 0 && p.cw() > 0);
    assertTrue(p.approach().isPresent());
    // The conditions hold at the returned point: χ_∥ = χ_⊥ = 1 and K* is a fixed point.
    double kStar = p.kstar().getAsDouble();
    Susceptibility.Pair chi = Susceptibility.at(Activation.parse(spec), p.cw(), kStar);
    assertEquals(1, chi.chiParallel(), 1e-12);
    assertEquals(1, chi.chiPerp(), 1e-13);
    assertRelative(kStar, KernelRecursion.next(Activation.parse(spec), p.cb(), p.cw(), kStar), 1e-14, "fixed point");
  }

  @ParameterizedTest
  @CsvSource({"linear, 1", "relu, 2", "leaky:a=0.3, 1.834862385321101", "leaky, 1.9998000199980002"})
  void scaleInvariantLine(String spec, double cw) {
    // docs/theory.md §4.1/§4.5: C_b = 0, C_W = 1/A₂ = 2/(1 + a²), every K.
    Criticality c = solve(spec);
    assertEquals(UniversalityClass.SCALE_INVARIANT, c.universalityClass());
    Criticality.CriticalPoint p = c.critical().get(0);
    assertTrue(p.isLine());
    assertEquals(0, p.cb());
    assertEquals(cw, p.cw(), 1e-15 * cw);
    assertTrue(p.approach().isEmpty());
    assertTrue(c.reason().contains("line of fixed points"), c.reason());
  }

  @ParameterizedTest
  @CsvSource({"tanh, -2, 1", "sin, -1, 1", "erf, -2, 0.7853981633974483", "erf:a=0.5, -0.5, 3.141592653589793"})
  void kStarZeroClass(String spec, double a1, double cw) {
    // docs/theory.md §4.2: C_b = 0, C_W = 1/σ_1² (erf(az): π/(4a²)), K* = 0, a_1 (erf(az): −2a²).
    Criticality c = solve(spec);
    assertEquals(UniversalityClass.K_STAR_ZERO, c.universalityClass());
    assertEquals(a1, c.a1(), 1e-14);
    assertEquals(1, c.critical().size(), "no nontrivial K* (scan negative everywhere, docs/theory.md §3.2)");
    Criticality.CriticalPoint p = c.critical().get(0);
    assertEquals(0, p.kstar().getAsDouble());
    assertEquals(0, p.cb());
    assertEquals(cw, p.cw(), 1e-15 * cw);
    assertEquals(Approach.ABOVE, p.approach().orElseThrow());
    assertTrue(c.evidence().signPattern().matches("-+"), c.evidence().signPattern());
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
    "sigmoid|-+|sigma(0) = 0.5 != 0",
    "softplus|\\++|sigma(0) = 0.6931471806 != 0",
    "mrepu|\\++|a_1 = 18 > 0 makes it repulsive",
    "mrepu:c=1,q=2|\\++|a_1 = 18 > 0 makes it repulsive",
    "mrepu:c=2,q=1|\\++|a_1 = 0.75 > 0 makes it repulsive",
  })
  void noCriticality(String spec, String pattern, String because) {
    // docs/theory.md §3.2, §4.4, §7.4.
    Criticality c = solve(spec);
    assertEquals(UniversalityClass.NONE, c.universalityClass());
    assertTrue(c.critical().isEmpty());
    assertTrue(c.evidence().signPattern().matches(pattern), c.evidence().signPattern());
    assertTrue(c.reason().contains(because), c.reason());
  }

  @ParameterizedTest
  @CsvSource({"repu:p=2, 2", "repu:p=3, 3", "monomial, 2", "monomial:p=3, 3", "repu:p=2.5, 2.5"})
  void homogeneousOfDegreeAboveOne(String spec, double p) {
    // docs/theory.md §4.4: χ_⊥/χ_∥ = p/(2p−1) at every K (adaptive quadrature at K = 0.1, 1, 10).
    Criticality c = solve(spec);
    assertEquals(UniversalityClass.NONE, c.universalityClass());
    for (double r : c.evidence().chiRatio()) {
      assertEquals(p / (2 * p - 1), r, 1e-12);
    }
    assertTrue(c.reason().contains("p/(2p-1)"), c.reason());
    assertTrue(Double.isNaN(c.a1()));
  }

  @Test
  void everyCatalogueEntryGetsAnAnswer() {
    // docs/theory.md §4.5 summary table.
    for (Catalogue.Entry e : Catalogue.entries()) {
      Criticality c = CriticalitySolver.solve(e.withDefaults());
      UniversalityClass expected = switch (e.name()) {
        case "linear", "relu", "leaky" -> UniversalityClass.SCALE_INVARIANT;
        case "tanh", "sin", "erf" -> UniversalityClass.K_STAR_ZERO;
        case "elu", "selu", "celu", "softsign", "hardtanh" -> UniversalityClass.K_STAR_ZERO;
        case "swish", "gelu", "gelu-tanh", "gudermanlu", "algebraiclu", "gumbellu", "mish",
            "hardswish" -> UniversalityClass.HALF_STABLE;
        case "sigmoid", "softplus", "monomial", "repu", "mrepu" -> UniversalityClass.NONE;
        default -> throw new AssertionError("classify the new catalogue entry " + e.name()
            + " here (docs/theory.md)");
      };
      assertEquals(expected, c.universalityClass(), e.name());
      assertFalse(c.reason().isBlank());
      assertEquals(c.universalityClass(), UniversalityClassifier.classify(e.withDefaults()).universalityClass());
      for (Criticality.CriticalPoint p : c.critical()) {
        assertTrue(p.cb() >= 0 && p.cw() > 0, e.name());
      }
    }
  }
}
