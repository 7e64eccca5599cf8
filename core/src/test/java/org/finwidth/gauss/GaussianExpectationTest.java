package org.finwidth.gauss;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.finwidth.activation.Activation;
import org.finwidth.activation.Erf;
import org.finwidth.activation.Leaky;
import org.finwidth.activation.Relu;
import org.junit.jupiter.api.Test;

/**
 * Gaussian expectations against exact moments (Isserlis), the closed forms of docs/theory.md §2.1,
 * and the engine's contract (bounded evaluations, errors instead of garbage).
 *
 * <p>Tolerance convention: the quadrature promises an error of at most relTol·⟨|f|⟩ (default
 * relTol = 1e-13). Sign-definite integrands are therefore checked relative to the value; the
 * others relative to max(|value|, ⟨|f|⟩). 1e-12 leaves a factor 10 over the promise for the
 * rounding of the closed-form references themselves.
 */
class GaussianExpectationTest {
  private static final double TOL = 1e-12;
  private static final double[] NO_KINKS = {};
  private static final double[] VARIANCES = {1e-6, 1e-3, 0.37, 1, 14.3, 100, 1e4};
  private static final double[] RHOS = {-0.999999, -0.7, 0, 0.3, 0.999999};

  private final GaussianExpectation g = new GaussianExpectation();

  private static double doubleFactorial(int n) {
    double r = 1;
    for (int k = n; k > 1; k -= 2) {
      r *= k;
    }
    return r;
  }

  private static void assertClose(double expected, double actual, double scale, String what) {
    double tol = TOL * Math.max(Math.abs(expected), scale);
    assertTrue(Math.abs(actual - expected) <= tol,
        what + ": expected " + expected + ", got " + actual + " (tolerance " + tol + ")");
  }

  @Test
  void evenMomentsAreExactAndOddMomentsVanish() {
    for (double k : new double[] {1e-6, 1, 1e4}) {
      for (int m = 0; m <= 12; m++) {
        int p = 2 * m;
        Quadrature e = g.expect((z, out) -> {
          out[0] = Math.pow(z, p);
          out[1] = Math.pow(z, p + 1);
        }, 2, k);
        // ⟨z^{2m}⟩ = (2m−1)!! K^m; sign-definite, so relative.
        assertClose(doubleFactorial(p - 1) * Math.pow(k, m), e.value(0), 0, "<z^" + p + "> at K=" + k);
        assertTrue(Math.abs(e.value(1)) <= TOL * e.scales()[1], "<z^" + (p + 1) + "> = " + e.value(1));
      }
    }
  }

  @Test
  void isserlisMomentsInTwoDimensions() {
    double[][] covariances = {
      {1, 0.5, 2}, {1e-6, 3e-7, 4e-6}, {1e4, -9e3, 1e4}, {1, 0, 3}, {2, 2 * 0.999999, 2},
      {2, -2 * 0.999999, 2}, {1, 1, 1}, {0, 0, 2.5}, {2.5, 0, 0}, {1, -2, 4},
    };
    for (double[] c : covariances) {
      double a = c[0];
      double b = c[1];
      double d = c[2];
      Quadrature e = g.expect((z1, z2, out) -> {
        out[0] = z1 * z2;
        out[1] = z1 * z1 * z2 * z2;
        out[2] = z1 * z1 * z1 * z2;
        out[3] = z1 * z2 * z2 * z2;
        out[4] = z1 * z1 * z1 * z1 * z2 * z2;
        out[5] = z1 * z1 * z2;
      }, 6, a, b, d, NO_KINKS, NO_KINKS);
      String where = " at K=[[" + a + ", " + b + "], [" + b + ", " + d + "]]";
      double[] s = e.scales();
      assertClose(b, e.value(0), s[0], "<z1 z2>" + where);
      assertClose(a * d + 2 * b * b, e.value(1), s[1], "<z1^2 z2^2>" + where);
      assertClose(3 * a * b, e.value(2), s[2], "<z1^3 z2>" + where);
      assertClose(3 * d * b, e.value(3), s[3], "<z1 z2^3>" + where);
      assertClose(3 * a * a * d + 12 * a * b * b, e.value(4), s[4], "<z1^4 z2^2>" + where);
      assertClose(0, e.value(5), s[5], "<z1^2 z2>" + where);
    }
  }

  @Test
  void engineIsExactOnPolynomialsUpToItsDegreeInOnePanel() {
    // G10 is exact to degree 19, K21 to degree 31: for degree <= 19 the error estimate is zero
    // (to rounding) and the first 21 evaluations suffice; for degree <= 31 the value is exact.
    AdaptiveGaussKronrod engine = new AdaptiveGaussKronrod(1, false, "x");
    double[] breaks = {-1, 1};
    Quadrature e = engine.integrate(
        (x, out) -> out[0] = Math.pow(x, 18) + 3 * Math.pow(x, 7), breaks, 2, 1e-13, 21);
    assertEquals(21, e.evaluations());
    assertEquals(2.0 / 19, e.value(0), 4e-16);
    // Degree 30: the Gauss companion is not exact, so the run bisects, but K21 is exact on every
    // panel and the sum stays exact to rounding.
    e = engine.integrate((x, out) -> out[0] = Math.pow(x, 30), breaks, 2, 1e-13, 10_000);
    assertEquals(2.0 / 31, e.value(0), 4e-16);
  }

  @Test
  void singleInputClosedFormsAtManyVariances() {
    Activation relu = new Relu();
    Activation leaky = new Leaky(0.2);
    Activation erf = new Erf(0.7);
    for (double k : VARIANCES) {
      double kk = k;
      assertClose(k / 2, g.expect(z -> relu.value(z) * relu.value(z), k, relu.kinks()), 0, "relu K=" + k);
      assertClose(0.5, g.expect(z -> relu.d1(z) * relu.d1(z), k, relu.kinks()), 0, "relu' K=" + k);
      assertClose((1 + 0.04) * k / 2, g.expect(z -> leaky.value(z) * leaky.value(z), k, 0), 0,
          "leaky K=" + k);
      double a2 = 0.49;
      assertClose(2 / Math.PI * Math.asin(2 * a2 * k / (1 + 2 * a2 * k)),
          g.expect(z -> erf.value(z) * erf.value(z), k), 0, "erf K=" + k);
      assertClose(4 * a2 / (Math.PI * Math.sqrt(1 + 4 * a2 * k)),
          g.expect(z -> erf.d1(z) * erf.d1(z), k), 0, "erf' K=" + k);
      // sin: (1 − e^{−2K})/2, written with expm1 so that the reference keeps its digits at small K.
      assertClose(-Math.expm1(-2 * k) / 2, g.expect(z -> Math.sin(z) * Math.sin(z), k), 0, "sin K=" + k);
      assertClose((1 + Math.exp(-2 * k)) / 2, g.expect(z -> Math.cos(z) * Math.cos(z), k), 0,
          "cos K=" + k);
      // GELU (docs/theory.md §2.1 [DER]).
      Activation gelu = Activation.parse("gelu");
      double s = Math.asin(k / (1 + k));
      double r = (1 + k) * Math.sqrt(1 + 2 * k);
      assertClose(k / 4 + k / (2 * Math.PI) * s + k * k / (Math.PI * r),
          g.expect(z -> gelu.value(z) * gelu.value(z), k), 0, "gelu K=" + k);
      assertClose(0.25 + s / (2 * Math.PI) + k / (Math.PI * r)
              + k / (2 * Math.PI * Math.pow(1 + 2 * k, 1.5)),
          g.expect(z -> gelu.d1(z) * gelu.d1(z), k), 0, "gelu' K=" + k);
      for (int p = 1; p <= 3; p++) {
        Activation mono = Activation.parse("monomial:p=" + p);
        Activation repu = Activation.parse("repu:p=" + p);
        int pp = p;
        assertClose(doubleFactorial(2 * p - 1) * Math.pow(k, p),
            g.expect(z -> mono.value(z) * mono.value(z), k), 0, "z^" + p + " K=" + k);
        assertClose(p * p * doubleFactorial(2 * p - 3) * Math.pow(k, p - 1),
            g.expect(z -> mono.d1(z) * mono.d1(z), k), 0, "(z^" + p + ")' K=" + k);
        assertClose(doubleFactorial(2 * p - 1) * Math.pow(k, p) / 2,
            g.expect(z -> repu.value(z) * repu.value(z), k, repu.kinks()), 0, "repu p=" + p);
        assertClose(pp * pp * doubleFactorial(2 * pp - 3) * Math.pow(kk, pp - 1) / 2,
            g.expect(z -> repu.d1(z) * repu.d1(z), k, repu.kinks()), 0, "repu' p=" + p);
        double s4 = Math.pow(repu.value(1), 0); // 1, keeps the lambda below effectively final
        assertClose(doubleFactorial(4 * p - 1) * Math.pow(k, 2 * p) / 2 * s4,
            g.expect(z -> Math.pow(repu.value(z), 4), k, repu.kinks()), 0, "repu^4 p=" + p);
      }
    }
  }

  /** sinθ − θcosθ, by its series (Σ (−1)^{k+1} 2k θ^{2k+1}/(2k+1)!) where it cancels. */
  private static double sinMinusThetaCos(double t) {
    if (t > 0.5) {
      return Math.sin(t) - t * Math.cos(t);
    }
    double sum = 0;
    double term = t; // θ^{2k+1}/(2k+1)!
    for (int k = 1; k < 30; k++) {
      term *= -t * t / ((2 * k) * (2 * k + 1));
      sum += -2 * k * term;
    }
    return sum;
  }

  /**
   * ⟨σ(z1)σ(z2)⟩ for σ = z (z ≥ 0), a z (z &lt; 0) (docs/theory.md §2.1), with cosθ = ρ evaluated
   * without cancellation: sinθ + (π−θ)cosθ = sinδ − δcosδ for δ = π − θ = acos(−ρ).
   */
  private static double arcCosineKernel(double a, double k11, double k22, double rho) {
    double theta = Math.acos(rho);
    double j = rho >= 0
        ? Math.sin(theta) + (Math.PI - theta) * rho
        : sinMinusThetaCos(Math.acos(-rho));
    double l = sinMinusThetaCos(theta);
    return Math.sqrt(k11 * k22) / (2 * Math.PI) * ((1 + a * a) * j - 2 * a * l);
  }

  @Test
  void twoInputClosedFormsAcrossCorrelationsAndScales() {
    Activation relu = new Relu();
    Activation leaky = new Leaky(0.1);
    double a = 0.7;
    Activation erf = new Erf(a);
    // Variances that are powers of two (K22 = K11 or 4 K11), so that ρ = K12/√(K11K22) is the
    // intended double and 1 ± ρ is exact for the references.
    for (double[] kk : new double[][] {{0x1p-20, 1}, {1, 1}, {0x1p13, 1}, {0x1p-2, 4}, {0x1p-20, 4}, {16, 4}}) {
      for (double rho : RHOS) {
        // K22 = 4 K11 keeps √(K11K22) = 2K11 exact.
        double k = kk[0];
        double k11 = k;
        double k22 = kk[1] * k;
        double k12 = rho * Math.sqrt(kk[1]) * k;
        Quadrature e = g.expect((z1, z2, out) -> {
          out[0] = relu.value(z1) * relu.value(z2);
          out[1] = leaky.value(z1) * leaky.value(z2);
          out[2] = erf.value(z1) * erf.value(z2);
        }, 3, k11, k12, k22, relu.kinks(), relu.kinks());
        String where = " at K=" + k + ", rho=" + rho;
        // ReLU's integrand is nonnegative: strictly relative, even at rho -> -1 where it is ~δ³.
        assertClose(arcCosineKernel(0, k11, k22, rho), e.value(0), 0, "relu" + where);
        assertClose(arcCosineKernel(0.1, k11, k22, rho), e.value(1), e.scales()[1], "leaky" + where);
        double x = 2 * a * a * k12 / Math.sqrt((1 + 2 * a * a * k11) * (1 + 2 * a * a * k22));
        assertClose(2 / Math.PI * Math.asin(x), e.value(2), e.scales()[2], "erf" + where);
      }
    }
    // Unequal variances, sin and cos (docs/theory.md §2.1), at moderate K where the values are not
    // exponentially small against ⟨|f|⟩.
    for (double k : new double[] {1e-6, 1e-3, 1, 4}) {
      for (double rho : RHOS) {
        double k11 = k;
        double k22 = 3 * k;
        double k12 = rho * Math.sqrt(k11 * k22);
        Quadrature e = g.expect((z1, z2, out) -> {
          out[0] = Math.sin(z1) * Math.sin(z2);
          out[1] = Math.cos(z1) * Math.cos(z2);
          out[2] = relu.value(z1) * relu.value(z2);
        }, 3, k11, k12, k22, NO_KINKS, relu.kinks());
        double damp = Math.exp(-(k11 + k22) / 2);
        String where = " at K11=" + k11 + ", K12=" + k12 + ", K22=" + k22;
        assertClose(damp * Math.sinh(k12), e.value(0), e.scales()[0], "sin" + where);
        assertClose(damp * Math.cosh(k12), e.value(1), e.scales()[1], "cos" + where);
        if (Math.abs(rho) < 0.9) {
          // Near |ρ| = 1 the reference's ρ = K12/√(K11K22) carries a rounding of 1e-16 that the
          // δ³ behaviour amplifies to 1e-10; the first loop covers |ρ| → 1 with exact ρ.
          assertClose(arcCosineKernel(0, k11, k22, k12 / Math.sqrt(k11 * k22)), e.value(2), 0,
              "relu" + where);
        }
      }
    }
  }

  @Test
  void theoryTwoInputReferenceValues() {
    // docs/theory.md §8.2: K = [[1, 0.5], [0.5, 2]].
    Activation relu = new Relu();
    Activation tanh = Activation.parse("tanh");
    assertClose(0.364298881694223, ActivationAverages.pair(g, relu, 1, 0.5, 2), 0, "relu");
    // Given as 0.1467541154604 ± 1e-13.
    assertEquals(0.1467541154604, ActivationAverages.pair(g, tanh, 1, 0.5, 2), 2e-13, "tanh");
    // Layer 2 of the multi-input tanh recursion (C_b = 0.2, C_W = 1.5, K1 = [[1, 0.6], [0.6, 1.5]]):
    // K2 = C_b + C_W <σσ>_{K1} = [[0.79144174, 0.49485741], [., 0.90243232]] (8 decimals given).
    assertEquals(0.79144174, 0.2 + 1.5 * ActivationAverages.pair(g, tanh, 1, 1, 1), 5e-9);
    assertEquals(0.49485741, 0.2 + 1.5 * ActivationAverages.pair(g, tanh, 1, 0.6, 1.5), 5e-9);
    assertEquals(0.90243232, 0.2 + 1.5 * ActivationAverages.pair(g, tanh, 1.5, 1.5, 1.5), 5e-9);
  }

  @Test
  void degenerateCovariancesReduceToOneDimension() {
    Activation relu = new Relu();
    // K11 = 0: z1 = 0; K22 = 0: z2 = 0; K = 0: the point mass; singular: z2 = (K12/K11) z1.
    assertEquals(0.0, g.expect((z1, z2) -> relu.value(z1) * relu.value(z2), 0, 0, 3, relu.kinks(),
        relu.kinks()));
    assertClose(1.5, g.expect((z1, z2) -> z2 * z2 + z1, 0, 0, 1.5, NO_KINKS, NO_KINKS), 0, "K11=0");
    assertEquals(7.0, g.expect(z -> z + 7, 0));
    assertClose(-0.5 * 2, g.expect((z1, z2) -> relu.value(z1) * z2, 1, -2, 4, relu.kinks(),
        NO_KINKS), 0, "singular");
  }

  @Test
  void evaluationCountsAreBoundedAndBudgetsEnforced() {
    // Smooth activations: at most 1000 evaluations of the 7-component vector at any K of the grid
    // (measured 210-840; sin is excluded above K = 10: its oscillations need ~30 panels per unit).
    for (String spec : new String[] {"tanh", "swish", "gelu", "relu", "gumbellu", "mrepu:q=3"}) {
      for (double k : VARIANCES) {
        Quadrature e = g.expect((z, out) -> {
          Activation a = Activation.parse(spec);
          out[0] = a.value(z);
        }, 1, k, Activation.parse(spec).kinks());
        assertTrue(e.evaluations() <= 1000, spec + " at K=" + k + ": " + e.evaluations());
      }
    }
    GaussianExpectation small = new GaussianExpectation(1e-13, 1000, 1000);
    IllegalStateException e = assertThrows(IllegalStateException.class,
        () -> small.expect(z -> Math.sin(z) * Math.sin(z), 1e4));
    assertTrue(e.getMessage().startsWith("Gaussian quadrature did not reach relative accuracy"),
        e.getMessage());
    assertTrue(e.getMessage().contains("budget of 1000 evaluations"), e.getMessage());
    assertThrows(IllegalStateException.class,
        () -> small.expect((z1, z2) -> Math.sin(z1 * z2), 100, 0, 100, NO_KINKS, NO_KINKS));
    // The default budget suffices for the hardest case of the grid.
    assertClose(0.5 * -Math.expm1(-2e4), g.expect(z -> Math.sin(z) * Math.sin(z), 1e4), 0, "sin^2 1e4");
  }

  @Test
  void badInputIsRejected() {
    assertThrows(IllegalArgumentException.class, () -> g.expect(z -> z, -1));
    assertThrows(IllegalArgumentException.class, () -> g.expect(z -> z, Double.NaN));
    assertThrows(IllegalArgumentException.class, () -> g.expect(z -> z, Double.POSITIVE_INFINITY));
    assertThrows(IllegalArgumentException.class, () -> g.expect(z -> z, 1, Double.NaN));
    assertThrows(IllegalArgumentException.class,
        () -> g.expect((z1, z2) -> z1, 1, 1.1, 1, NO_KINKS, NO_KINKS));
    assertThrows(IllegalArgumentException.class, () -> new GaussianExpectation(1e-16, 1000, 1000));
    assertThrows(IllegalArgumentException.class, () -> new GaussianExpectation(Double.NaN, 1000, 1000));
    IllegalStateException e = assertThrows(IllegalStateException.class,
        () -> g.expect(z -> z > 1 ? Double.NaN : z, 1));
    assertTrue(e.getMessage().contains("not finite"), e.getMessage());
    assertThrows(IllegalStateException.class, () -> g.expect(z -> Math.exp(z * z), 1));
  }
}
