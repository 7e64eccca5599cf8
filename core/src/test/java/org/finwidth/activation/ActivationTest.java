package org.finwidth.activation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalDouble;
import java.util.function.DoubleUnaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Derivatives, Taylor data, temperature scaling, homogeneity and limits of every activation. */
class ActivationTest {
  /** Every catalogue entry at its defaults, plus parameter values that exercise each branch. */
  static List<Activation> activations() {
    List<Activation> all = new ArrayList<>();
    for (Catalogue.Entry e : Catalogue.entries()) {
      all.add(e.withDefaults());
    }
    for (String s : new String[] {"leaky:a=0", "leaky:a=0.2", "erf:a=0.7", "swish:T=0.5",
        "swish:T=3", "gelu:T=0.5", "gelu-tanh:T=2", "gudermanlu:T=0.7", "algebraiclu:T=1.5",
        "gumbellu:T=0.8", "monomial:p=1", "monomial:p=3", "monomial:p=5", "repu:p=1", "repu:p=1.5",
        "repu:p=3", "repu:p=3.7", "mrepu:c=0.5,q=1", "mrepu:c=2,q=1.5", "mrepu:q=3"}) {
      all.add(Activation.parse(s));
    }
    return all;
  }

  static List<Activation> gated(double t) {
    return List.of(new Swish(t), new Gelu(t), new GeluTanh(t), new GudermanLU(t),
        new AlgebraicLU(t), new GumbelLU(t));
  }

  private static final double[] POINTS = {-12, -6.4, -3.3, -2, -1.1, -0.45, -0.03, 0, 0.02, 0.3,
      0.9, 1.7, 2.6, 4.2, 7.5, 15};

  /**
   * Richardson-extrapolated central difference (4D(h/2) − D(h))/3: truncation O(h⁴), rounding
   * about ε|f|/h.
   */
  static double derivative(DoubleUnaryOperator f, double z, double h) {
    double d1 = (f.applyAsDouble(z + h) - f.applyAsDouble(z - h)) / (2 * h);
    double h2 = h / 2;
    double d2 = (f.applyAsDouble(z + h2) - f.applyAsDouble(z - h2)) / (2 * h2);
    return (4 * d2 - d1) / 3;
  }

  /**
   * Tolerance of a finite-difference check: 1e-8 relative to |derivative| + |f|/max(1, |z|), plus
   * the difference's own rounding bound 3·FD_ROUNDING·|f|/h.
   * With h = 1e-5·min(1, distance to a kink) the Richardson truncation error is (h/s)⁴ for a
   * local length scale s of the function (s ≥ 1/400 here: GumbelLU's left tail just before its
   * cut-off; 1/|z| in Gaussian tails), at most 2e-10, and the rounding error ε|f|/h is at most
   * 2.2e-11·|f| (|z| ≤ 15), so 1e-8 leaves a margin of 50 while any formula error (O(1)
   * relative) fails. The 1e-100 floor covers GumbelLU's gate cut-off at e^−400.
   */
  private static double fdTolerance(double derivative, double f, double z, double h) {
    return 1e-8 * (Math.abs(derivative) + Math.abs(f) / Math.max(1, Math.abs(z)))
        + 3 * FD_ROUNDING * Math.abs(f) / h + 1e-100;
  }

  /**
   * Relative rounding error of an activation's evaluation (a few ulps). The Richardson difference
   * (4D(h/2) − D(h))/3 then rounds by at most 3·FD_ROUNDING·|f|/h, which matters only where h is
   * small: next to a kink, where h shrinks with the distance (softsign, hardswish at 1e-3).
   */
  private static final double FD_ROUNDING = 4 * 0x1p-53;

  /**
   * max |f| over z and z ± 0.01: the function scale near z, so that a point where f and f'
   * vanish together (z⁵ at 0) is judged against its neighbourhood, not against 0.
   */
  private static double localScale(DoubleUnaryOperator f, double z) {
    return Math.max(Math.abs(f.applyAsDouble(z)),
        Math.max(Math.abs(f.applyAsDouble(z - 0.01)), Math.abs(f.applyAsDouble(z + 0.01))));
  }

  private static double step(Activation a, double z) {
    double scale = 1;
    for (double k : a.kinks()) {
      scale = Math.min(scale, Math.abs(z - k));
    }
    return 1e-5 * scale;
  }

  private static boolean nearKink(Activation a, double z) {
    for (double k : a.kinks()) {
      if (Math.abs(z - k) < 1e-9) {
        return true;
      }
    }
    return false;
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("activations")
  void firstAndSecondDerivativesMatchFiniteDifferences(Activation a) {
    List<Double> zs = new ArrayList<>();
    for (double z : POINTS) {
      zs.add(z);
    }
    for (double k : a.kinks()) { // one-sided checks next to each kink
      for (double d : new double[] {-0.1, -0.01, -1e-3, 1e-3, 0.01, 0.1}) {
        zs.add(k + d);
      }
    }
    for (double z : zs) {
      if (nearKink(a, z)) {
        continue;
      }
      double h = step(a, z);
      double fd1 = derivative(a::value, z, h);
      double d1 = a.d1(z);
      assertTrue(Math.abs(fd1 - d1) <= fdTolerance(d1, localScale(a::value, z), z, h),
          a.spec() + ": d1(" + z + ") = " + d1 + ", finite difference " + fd1);
      double fd2 = derivative(a::d1, z, h);
      double d2 = a.d2(z);
      assertTrue(Math.abs(fd2 - d2) <= fdTolerance(d2, localScale(a::d1, z), z, h),
          a.spec() + ": d2(" + z + ") = " + d2 + ", finite difference " + fd2);
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("activations")
  void derivativesAtZeroMatchFiniteDifferencesOrAreNaNAtAKink(Activation a) {
    double[] s = a.derivativesAtZero();
    assertEquals(4, s.length);
    assertEquals(a.value(0), s[0], 0.0, a.spec() + ": sigma_0");
    if (nearKink(a, 0)) {
      // Only the orders that exist at the kink are finite (relu/leaky/selu: none; repu: k < p;
      // elu with a = 1, celu, softsign: σ' only, their σ'' jumps).
      for (int k = 1; k < 4; k++) {
        boolean exists = (a instanceof Repu r && k < r.p())
            || (k == 1 && (a instanceof Elu e && e.a() == 1 || a instanceof Celu
                || a instanceof Softsign));
        assertEquals(exists, !Double.isNaN(s[k]), a.spec() + ": sigma_" + k + " = " + s[k]);
        if (exists) {
          // the common value of the one-sided derivatives: d_k(0) (left) and d_k just right of 0
          double right = k == 1 ? a.d1(Double.MIN_NORMAL) : a.d2(Double.MIN_NORMAL);
          assertEquals(right, s[k], 1e-15 * Math.max(1, Math.abs(right)), a.spec() + " sigma_" + k);
          assertEquals(k == 1 ? a.d1(0) : a.d2(0), s[k], 1e-15 * Math.max(1, Math.abs(right)),
              a.spec() + " sigma_" + k + " from the left");
        }
      }
      return;
    }
    double h = 1e-3;
    double[] fd = {
      Double.NaN, derivative(a::value, 0, h), derivative(a::d1, 0, h), derivative(a::d2, 0, h)
    };
    for (int k = 1; k < 4; k++) {
      double tol = 1e-7 * Math.max(1, Math.abs(s[k]));
      assertEquals(fd[k], s[k], tol, a.spec() + ": sigma_" + k);
    }
    assertEquals(a.d1(0), s[1], 1e-15 * Math.max(1, Math.abs(s[1])), a.spec() + ": sigma_1 vs d1(0)");
    assertEquals(a.d2(0), s[2], 1e-15 * Math.max(1, Math.abs(s[2])), a.spec() + ": sigma_2 vs d2(0)");
  }

  /** a_1 = σ_3/σ_1 + (3/4)(σ_2/σ_1)² (docs/theory.md §1.3, §4.2). */
  private static double a1(Activation a) {
    double[] s = a.derivativesAtZero();
    return s[3] / s[1] + 0.75 * (s[2] / s[1]) * (s[2] / s[1]);
  }

  @Test
  void taylorDataReproduceTheoryValuesOfA1() {
    // docs/theory.md §4.2: tanh −2, sin −1, erf(az) −2a², SWISH 3/4, GELU 6/π; §7.4: MRePU 3q(2q−1)/c².
    double tol = 1e-15; // derivativesAtZero is analytic: a few ulps
    assertEquals(-2, a1(new Tanh()), tol);
    assertEquals(-1, a1(new Sin()), tol);
    assertEquals(-2, a1(new Erf(1)), tol);
    assertEquals(-2 * 0.7 * 0.7, a1(new Erf(0.7)), tol);
    assertEquals(0.75, a1(new Swish(1)), tol);
    assertEquals(6 / Math.PI, a1(new Gelu(1)), 2 * tol);
    assertEquals(18, a1(new Mrepu(1, 2)), 4 * tol * 18);
    assertEquals(3 * 3 * 5 / (0.5 * 0.5), a1(new Mrepu(0.5, 3)), 4 * tol * 180);
    assertEquals(3 * 1.5 * 2 / 4.0, a1(new Mrepu(2, 1.5)), 4 * tol * 3);
    // erf(z): σ_1 = 2/√π, σ_3 = −4/√π (docs/theory.md §4.2)
    double[] erf = new Erf(1).derivativesAtZero();
    assertEquals(2 / Math.sqrt(Math.PI), erf[1], 1e-15);
    assertEquals(-4 / Math.sqrt(Math.PI), erf[3], 4e-15);
    // SWISH: σ_1 = σ_2 = 1/2, σ_3 = 0 at T = 1 (docs/theory.md §4.2)
    double[] swish = new Swish(1).derivativesAtZero();
    assertEquals(0.5, swish[1]);
    assertEquals(0.5, swish[2]);
    assertEquals(0.0, swish[3]);
  }

  @Test
  void temperatureScalingHoldsForTheGatedFamily() {
    // σ_T(z) = T σ_1(z/T) (docs/theory.md §7.1), hence σ_T' (z) = σ_1'(z/T), σ_T''(z) = σ_1''(z/T)/T and
    // σ_p(T) = T^(1−p) σ_p(1) (§7.2). Both sides evaluate the same gate at the same u, so the
    // only difference is the rounding of z vs T·(z/T): 4 ulps.
    double tol = 1e-15;
    for (double t : new double[] {0.1, 0.37, 2, 5.5}) {
      List<Activation> scaled = gated(t);
      List<Activation> unit = gated(1);
      for (int i = 0; i < scaled.size(); i++) {
        Activation at = scaled.get(i);
        Activation a1 = unit.get(i);
        for (double z : POINTS) {
          double u = z / t;
          assertEquals(t * a1.value(u), at.value(z), tol * Math.abs(at.value(z)) + 1e-300, at.spec());
          assertEquals(a1.d1(u), at.d1(z), tol * Math.abs(at.d1(z)) + 1e-300, at.spec());
          assertEquals(a1.d2(u) / t, at.d2(z), tol * Math.abs(at.d2(z)) + 1e-300, at.spec());
        }
        double[] st = at.derivativesAtZero();
        double[] s1 = a1.derivativesAtZero();
        for (int p = 0; p < 4; p++) {
          double expected = Math.pow(t, 1 - p) * s1[p];
          assertEquals(expected, st[p], tol * Math.abs(expected), at.spec() + " sigma_" + p);
        }
      }
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("activations")
  void homogeneityHoldsNumericallyAndOnlyWhereClaimed(Activation a) {
    OptionalDouble p = a.homogeneity();
    double[] zs = {-2.5, -0.7, 0.3, 1.9};
    if (p.isPresent()) {
      for (double lambda : new double[] {0.25, 3, 10}) {
        for (double z : zs) {
          double lhs = a.value(lambda * z);
          double rhs = Math.pow(lambda, p.getAsDouble()) * a.value(z);
          // pow and products round differently on each side: 1e-14 relative (about 45 ulps).
          assertEquals(rhs, lhs, 1e-14 * Math.abs(rhs), a.spec() + " at lambda=" + lambda + ", z=" + z);
        }
      }
    } else {
      // No degree fits: the degree implied at z = 1 fails elsewhere.
      double degree = Math.log(a.value(2) / a.value(1)) / Math.log(2);
      boolean violated = false;
      for (double z : new double[] {-1, 0.3, 3}) {
        double lhs = a.value(2 * z);
        double rhs = Math.pow(2, degree) * a.value(z);
        violated |= !(Math.abs(lhs - rhs) <= 1e-6 * Math.abs(rhs));
      }
      assertTrue(violated, a.spec() + " looks homogeneous of degree " + degree);
    }
  }

  @Test
  void homogeneityDegreesAreTheDocumentedOnes() {
    assertEquals(OptionalDouble.of(1), new Linear().homogeneity());
    assertEquals(OptionalDouble.of(1), new Relu().homogeneity());
    assertEquals(OptionalDouble.of(1), new Leaky(0.3).homogeneity());
    assertEquals(OptionalDouble.of(2.5), new Repu(2.5).homogeneity());
    assertEquals(OptionalDouble.of(3), new Monomial(3).homogeneity());
    assertEquals(OptionalDouble.empty(), new Mrepu(1, 2).homogeneity());
    assertEquals(OptionalDouble.empty(), new Swish(1).homogeneity());
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("activations")
  void noNaNAtLargeOrInfiniteArgumentsWhereALimitExists(Activation a) {
    for (double z : new double[] {-1e300, -1000, 1000, 1e300, Double.NEGATIVE_INFINITY,
        Double.POSITIVE_INFINITY}) {
      if (a instanceof Sin) {
        continue; // sin has no limit at infinity
      }
      assertFalse(Double.isNaN(a.value(z)), a.spec() + ".value(" + z + ")");
      assertFalse(Double.isNaN(a.d1(z)), a.spec() + ".d1(" + z + ")");
      assertFalse(Double.isNaN(a.d2(z)), a.spec() + ".d2(" + z + ")");
    }
    assertTrue(Double.isNaN(a.value(Double.NaN)), a.spec() + " NaN in");
    assertTrue(Double.isNaN(a.d1(Double.NaN)), a.spec() + " NaN in (d1)");
    assertTrue(Double.isNaN(a.d2(Double.NaN)), a.spec() + " NaN in (d2)");
  }

  @Test
  void limitsAtInfinityAreTheMathematicalOnes() {
    double inf = Double.POSITIVE_INFINITY;
    for (Activation a : List.of(new Relu(), new Softplus(), new Swish(1), new Gelu(0.5),
        new GeluTanh(1), new GudermanLU(1), new AlgebraicLU(1), new GumbelLU(1))) {
      assertEquals(0.0, a.value(-inf), a.spec());
      assertEquals(inf, a.value(inf), a.spec());
      assertEquals(0.0, a.d1(-inf), a.spec());
      assertEquals(1.0, a.d1(inf), a.spec());
      assertEquals(0.0, a.d2(-inf), 0.0, a.spec());
      assertEquals(0.0, a.d2(inf), 0.0, a.spec());
      // AlgebraicLU approaches ReLU only algebraically (d1 = 1 + 1/(4u²) + ...): test far out.
      assertEquals(1.0, a.d1(1e8), 1e-15, a.spec());
      assertEquals(1e8, a.value(1e8), 1e-15 * 1e8, a.spec());
    }
    assertEquals(-inf, new Leaky(0.1).value(-inf));
    assertEquals(0.1, new Leaky(0.1).d1(-inf));
    assertEquals(1.0, new Sigmoid().value(inf));
    assertEquals(0.0, new Sigmoid().value(-inf));
    assertEquals(-1.0, new Tanh().value(-inf));
    assertEquals(0.0, new Tanh().d1(inf));
    assertEquals(1.0, new Erf(2).value(inf));
    assertEquals(0.0, new Erf(2).d2(-inf), 0.0);
    assertEquals(inf, new Mrepu(1, 1.5).d2(inf));
    assertEquals(2.0, new Mrepu(1, 1).d2(inf));
    assertEquals(0.0, new Mrepu(1, 2).value(-inf));
    assertEquals(inf, new Repu(1.5).value(inf));
    assertEquals(0.0, new Repu(1.5).d2(inf));
  }

  @Test
  void tailsKeepRelativeAccuracy() {
    // References from BigDecimal exp/erfc (BigDecimalReference); 1e-14 relative.
    double tol = 1e-14;
    BigDecimal e40 = BigDecimalReference.exp(BigDecimal.valueOf(-40));
    double e = e40.doubleValue();
    assertEquals(e / (1 + e), new Sigmoid().value(-40), tol * e);
    assertEquals(-40 * e / (1 + e), new Swish(1).value(-40), tol * 40 * e);
    assertEquals(e * (1 - e / 2), new Softplus().value(-40), tol * e);
    assertEquals(4 * e / ((1 + e) * (1 + e)), new Tanh().d1(20), tol * 4 * e);
    double phi20 = BigDecimalReference.normalCdf(-20).doubleValue();
    assertEquals(-20 * phi20, new Gelu(1).value(-20), tol * 20 * phi20);
    assertEquals(-10 * phi20, new Gelu(0.5).value(-10), tol * 10 * phi20);
    // GudermanLU gate (2/π)atan(e^{2u}) ≈ (2/π)e^{2u} for u = −20 (atan x = x − x³/3, x = e^−40).
    assertEquals(-20 * (2 / Math.PI) * e, new GudermanLU(1).value(-20), tol * 40 * e);
    // AlgebraicLU gate 1/(2r(r − u)) at u = −1e6: ≈ 1/(4u²).
    assertEquals(-1e6 / 4e12, new AlgebraicLU(1).value(-1e6), 1e-11 / 4e6);
  }

  @Test
  void kinksAreSortedAndWhereDocumented() {
    assertEquals(0, new Tanh().kinks().length);
    assertEquals(0.0, new Relu().kinks()[0]);
    assertEquals(0.0, new Leaky(0.1).kinks()[0]);
    assertEquals(0.0, new Repu(3).kinks()[0]); // C² at 0 but not analytic
    assertEquals(-2.0, new Mrepu(2, 2).kinks()[0]);
    for (Activation a : activations()) {
      double[] k = a.kinks();
      for (int i = 1; i < k.length; i++) {
        assertTrue(k[i - 1] < k[i], a.spec());
      }
    }
  }
}
