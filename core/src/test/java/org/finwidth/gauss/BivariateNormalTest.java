package org.finwidth.gauss;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.finwidth.activation.Activation;
import org.finwidth.activation.SpecialFunctions;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The closed forms of {@link BivariateNormal} against adaptive quadrature of their definitions
 * (an independent method: {@link GaussianExpectation}, asked 1e-13 relative).
 */
class BivariateNormalTest {
  /**
   * P(X &gt; h, Y &gt; k) = E[1{X &gt; h} Φ((rX − k)/√(1 − r²))] (one dimension, kink at h), over
   * the three regimes of Genz's method (|r| &lt; 0.3, &lt; 0.75, &lt; 0.925 and the expansion near
   * |r| = 1). Tolerance 2e-15 absolute: Genz states double accuracy (about 1e-15 absolute), the
   * reference is asked 1e-13 of a scale at most 1 and measured far inside it.
   */
  @ParameterizedTest(name = "h={0} k={1} r={2}")
  @CsvSource({"0.3,-0.4,0.1", "-1.2,0.8,-0.2", "0.5,0.5,0.6", "-2,1,-0.7", "1,1.3,0.9", "-0.7,-1.9,-0.9",
      "0.2,0.1,0.95", "-1.5,2,-0.97", "2.5,2.2,0.999", "-0.3,-0.31,0.99999", "0.4,-0.6,-0.9999", "3,-3,0.5"})
  void upperProbabilityAgreesWithItsDefinition(double h, double k, double r) {
    double rr = Math.sqrt((1 - r) * (1 + r));
    double want = new GaussianExpectation().expect(
        x -> x > h ? SpecialFunctions.normalCdf((r * x - k) / rr) : 0, 1, h);
    assertEquals(want, BivariateNormal.upper(h, k, r), 2e-15);
  }

  /**
   * E[X₊Y₊], E[X₊²Y₊] (and the other powers of the triples) and E[XΦ(X/T)·YΦ(Y/T)] for a
   * bivariate normal with means against the two-dimensional
   * adaptive quadrature of {@link GaussianExpectation} (kinks at −μ for ReLU). Tolerance 1e-12 of
   * ⟨|f|⟩ (the reference is asked 1e-13 of its conservative estimate) plus the rounding of the
   * closed forms: sums of terms bounded by sx·sy·(1 + |μx/sx|)(1 + |μy/sy|), so an absolute error of
   * a few ulps of that bound (times the third factor's size for the cubic moments), visible only
   * where the sum cancels to a value far below it (a mean
   * several deviations below the kink: the third case, 2.3e-6 with terms of order 1). In
   * {@link GaussianProducts} that absolute error is what reaches the outer integral.
   */
  @ParameterizedTest(name = "mx={0} sx={1} my={2} sy={3} r={4}")
  @CsvSource({"0.3,1.2,-0.4,0.7,0.6", "2,0.1,1.5,0.2,0.99", "-1,0.5,0.3,0.9,-0.8", "0.1,1,0.1,1,0",
      "-0.2,0.05,0.4,0.3,0.9995", "1.7,0.8,-2.5,0.6,-0.3"})
  void pairAveragesAgreeWithQuadrature(double mx, double sx, double my, double sy, double r) {
    GaussianExpectation g = new GaussianExpectation();
    double c = r * sx * sy;
    double rounding = 1e-15 * sx * sy * (1 + Math.abs(mx / sx)) * (1 + Math.abs(my / sy));
    double rounding1 = 1e-15 * sx * (1 + Math.abs(mx / sx));
    Quadrature relu = g.expect((x, y, out) -> out[0] = Math.max(0, mx + x) * Math.max(0, my + y), 1,
        sx * sx, c, sy * sy, new double[] {-mx}, new double[] {-my});
    assertEquals(relu.value(0), BivariateNormal.positiveProduct(mx, sx, my, sy, r),
        1e-12 * relu.scales()[0] + rounding, "relu");
    for (int[] pq : new int[][] {{2, 1}, {1, 2}, {2, 0}, {0, 1}}) {
      Quadrature w = g.expect((x, y, out) -> out[0] = Math.pow(Math.max(0, mx + x), pq[0]) * Math.pow(Math.max(0, my + y), pq[1]),
          1, sx * sx, c, sy * sy, new double[] {-mx}, new double[] {-my});
      double bound = rounding * (1 + Math.abs(mx) + Math.abs(my) + sx + sy);
      assertEquals(w.value(0), BivariateNormal.positivePowers(mx, sx, pq[0], my, sy, pq[1], r),
          1e-12 * w.scales()[0] + bound, "relu powers " + pq[0] + ", " + pq[1]);
    }
    Quadrature one = g.expect((x, out) -> out[0] = Math.max(0, mx + x), 1, sx * sx, -mx);
    assertEquals(one.value(0), BivariateNormal.positivePart(mx, sx), 1e-12 * one.scales()[0] + rounding1, "relu, one");
    for (double t : new double[] {1, 0.3}) {
      Activation gelu = Activation.parse("gelu:T=" + t);
      Quadrature want = g.expectWithScale((x, y, out) -> out[0] = gelu.value(mx + x) * gelu.value(my + y), 1,
          sx * sx, c, sy * sy, t, new double[0], new double[0]);
      assertEquals(want.value(0), BivariateNormal.gatedProduct(mx, sx, my, sy, r, t),
          1e-12 * want.scales()[0] + rounding, "gelu T=" + t);
      Quadrature w1 = g.expectWithScale((x, out) -> out[0] = gelu.value(mx + x), 1, sx * sx, t);
      assertEquals(w1.value(0), BivariateNormal.gatedPart(mx, sx, t), 1e-12 * w1.scales()[0] + rounding1, "gelu, one");
    }
  }
}
