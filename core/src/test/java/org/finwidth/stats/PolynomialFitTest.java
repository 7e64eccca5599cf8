package org.finwidth.stats;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class PolynomialFitTest {
  static final double[] WIDTHS = {16, 24, 32, 48, 64, 96, 128, 192, 256};

  private static double[] inverse(double[] n) {
    double[] x = new double[n.length];
    for (int i = 0; i < n.length; i++) {
      x[i] = 1 / n[i];
    }
    return x;
  }

  @Test
  void recoversAnExactQuadraticInOneOverN() {
    double[] x = inverse(WIDTHS);
    double[] y = new double[x.length];
    double[] se = new double[x.length];
    for (int i = 0; i < x.length; i++) {
      y[i] = 0.0678 - 0.5 * x[i] + 3 * x[i] * x[i];
      se[i] = 1e-3 * (1 + i); // unequal weights do not matter for exact data
    }
    PolynomialFit fit = PolynomialFit.fit(2, x, y, se);
    // tolerance: rounding of the normal equations, relative 1e-10 of the coefficient scale
    assertEquals(0.0678, fit.intercept().mean(), 1e-12);
    assertEquals(-0.5, fit.coefficient(1).mean(), 1e-9);
    assertEquals(3, fit.coefficient(2).mean(), 1e-7);
    assertEquals(0, fit.chiSquared(), 1e-15);
    assertEquals(6, fit.degreesOfFreedom());
    assertEquals(0.0678 - 0.5 / 100 + 3e-4, fit.valueAt(0.01), 1e-12);
  }

  @Test
  void straightLineCovarianceMatchesTheClosedForm() {
    // Equal errors s: Var(a0) = s² Σx² / (N Σx² − (Σx)²), Var(a1) = s² N / (same),
    // Cov = −s² Σx / (same) — the textbook formulas.
    double[] x = {1, 2, 4, 7};
    double[] y = {0.9, 2.2, 3.8, 7.1};
    double s = 0.3;
    double[] se = {s, s, s, s};
    PolynomialFit fit = PolynomialFit.fit(1, x, y, se);
    double sx = 14;
    double sxx = 70;
    double sy = 14;
    double sxy = 0.9 + 4.4 + 15.2 + 49.7;
    double den = 4 * sxx - sx * sx;
    double b = (4 * sxy - sx * sy) / den;
    double a = (sy - b * sx) / 4;
    assertEquals(a, fit.intercept().mean(), 1e-13);
    assertEquals(b, fit.coefficient(1).mean(), 1e-13);
    assertEquals(Math.sqrt(s * s * sxx / den), fit.intercept().standardError(), 1e-14);
    assertEquals(Math.sqrt(s * s * 4 / den), fit.coefficient(1).standardError(), 1e-14);
    assertEquals(-s * s * sx / den, fit.covariance()[0][1], 1e-14);
    double chi2 = 0;
    for (int i = 0; i < 4; i++) {
      double r = (y[i] - a - b * x[i]) / s;
      chi2 += r * r;
    }
    assertEquals(chi2, fit.chiSquared(), 1e-12);
  }

  @Test
  void weightedMeanIsTheDegreeZeroFit() {
    double[] x = {0, 1, 2};
    double[] y = {1, 2, 4};
    double[] se = {1, 2, 4};
    PolynomialFit fit = PolynomialFit.fit(0, x, y, se);
    double w = 1 + 0.25 + 1.0 / 16;
    assertEquals((1 + 2 * 0.25 + 4.0 / 16) / w, fit.intercept().mean(), 1e-15);
    assertEquals(Math.sqrt(1 / w), fit.intercept().standardError(), 1e-15);
  }

  @Test
  void rejectsBadInput() {
    double[] one = {1};
    assertThrows(IllegalArgumentException.class, () -> PolynomialFit.fit(1, one, one, one));
    assertThrows(IllegalArgumentException.class,
        () -> PolynomialFit.fit(1, new double[] {1, 2}, new double[] {1}, new double[] {1, 1}));
    assertThrows(IllegalArgumentException.class,
        () -> PolynomialFit.fit(1, new double[] {1, 2}, new double[] {1, 2}, new double[] {1, 0}));
    assertThrows(IllegalArgumentException.class,
        () -> PolynomialFit.fit(1, new double[] {1, 2}, new double[] {1, Double.NaN}, new double[] {1, 1}));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> PolynomialFit.fit(2, new double[] {1, 1, 2}, new double[] {1, 1, 2}, new double[] {1, 1, 1}));
    assertTrue(e.getMessage().contains("distinct"), e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> PolynomialFit.fit(-1, one, one, one));
  }
}
