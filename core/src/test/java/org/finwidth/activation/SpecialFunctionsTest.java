package org.finwidth.activation;

import static org.finwidth.activation.BigDecimalReference.relativeError;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** erf, erfc and Φ against independent 60-digit BigDecimal references. */
class SpecialFunctionsTest {
  /**
   * Relative tolerance: 1e-15 ≈ 4.5 ulp. The Chebyshev interpolants of erfcx have 1.8e-16 worst
   * error (tools/erfcx_chebyshev.py), exp adds 1 ulp, products and the final subtraction a few
   * more.
   */
  private static final double REL_TOL = 1e-15;

  @Test
  void erfMatchesSeriesAndContinuedFraction() {
    double[] xs = {1e-300, 1e-30, 1e-10, 1e-5, 0.01, 0.1, 0.25, 0.4, 0.4999999, 0.5, 0.5000001, 0.6,
        0.75, 0.99, 1, 1.3, 1.9, 2, 2.5, 3, 4, 5.5};
    for (double x : xs) {
      for (double s : new double[] {x, -x}) {
        double rel = relativeError(SpecialFunctions.erf(s), BigDecimalReference.erf(s));
        assertTrue(rel <= REL_TOL, "erf(" + s + ") relative error " + rel);
      }
    }
    assertEquals(1.0, SpecialFunctions.erf(6.5));
    assertEquals(1.0, SpecialFunctions.erf(Double.POSITIVE_INFINITY));
    assertEquals(-1.0, SpecialFunctions.erf(Double.NEGATIVE_INFINITY));
    assertTrue(Double.isNaN(SpecialFunctions.erf(Double.NaN)));
    assertEquals(0.0, SpecialFunctions.erf(0.0));
  }

  @Test
  void erfcKeepsRelativeAccuracyInTheTail() {
    double[] xs = {-5, -3, -1.5, -0.5, -0.3, 0, 1e-8, 0.3, 0.4999, 0.5, 0.7, 1, 1.3, 1.5, 2, 2.9,
        3, 4, 4.5, 6, 8.9, 9, 10, 13, 14, 17, 20, 21, 25, 26.5};
    for (double x : xs) {
      double rel = relativeError(SpecialFunctions.erfc(x), BigDecimalReference.erfc(new BigDecimal(x)));
      assertTrue(rel <= REL_TOL, "erfc(" + x + ") relative error " + rel);
    }
    // Fixed seed: 300 points spread over every Chebyshev interval [0.5, 26.5].
    SplittableRandom rng = new SplittableRandom(20260101L);
    for (int i = 0; i < 300; i++) {
      double x = 0.5 + 26 * rng.nextDouble();
      double rel = relativeError(SpecialFunctions.erfc(x), BigDecimalReference.erfc(new BigDecimal(x)));
      assertTrue(rel <= REL_TOL, "erfc(" + x + ") relative error " + rel);
    }
    assertEquals(0.0, SpecialFunctions.erfc(27.5));
    assertEquals(0.0, SpecialFunctions.erfc(Double.POSITIVE_INFINITY));
    assertEquals(2.0, SpecialFunctions.erfc(Double.NEGATIVE_INFINITY));
    assertTrue(Double.isNaN(SpecialFunctions.erfc(Double.NaN)));
  }

  @Test
  void normalCdfIsAccurateInTheLowerTail() {
    double[] us = {-37, -30, -20, -12.3, -8, -5, -3, -1.4142135, -1, -0.7071, -0.5, 0, 0.3, 0.7072, 1,
        2, 5, 8};
    for (double u : us) {
      double rel = relativeError(SpecialFunctions.normalCdf(u), BigDecimalReference.normalCdf(u));
      assertTrue(rel <= REL_TOL, "Phi(" + u + ") relative error " + rel);
    }
    SplittableRandom rng = new SplittableRandom(7L);
    for (int i = 0; i < 200; i++) {
      double u = -37 + 40 * rng.nextDouble();
      double rel = relativeError(SpecialFunctions.normalCdf(u), BigDecimalReference.normalCdf(u));
      assertTrue(rel <= REL_TOL, "Phi(" + u + ") relative error " + rel);
    }
    assertEquals(0.0, SpecialFunctions.normalCdf(Double.NEGATIVE_INFINITY));
    assertEquals(1.0, SpecialFunctions.normalCdf(Double.POSITIVE_INFINITY));
    assertEquals(0.5, SpecialFunctions.normalCdf(0));
  }

  @Test
  void normalPdfAndExpKeepRelativeAccuracy() {
    // Results down to 1e-298 (u = 37): below the normal range (u > 37.6) precision degrades gradually.
    for (double u : new double[] {0, 0.3, 1, 3.7, 10.1, 25.3, 37}) {
      BigDecimal ref = BigDecimalReference.exp(new BigDecimal(u).pow(2).divide(BigDecimal.valueOf(-2)))
          .divide(BigDecimalReference.PI.multiply(BigDecimal.valueOf(2)).sqrt(BigDecimalReference.MC),
              BigDecimalReference.MC);
      double rel = relativeError(SpecialFunctions.normalPdf(u), ref);
      assertTrue(rel <= REL_TOL, "phi(" + u + ") relative error " + rel);
      assertEquals(SpecialFunctions.normalPdf(u), SpecialFunctions.normalPdf(-u));
    }
    assertEquals(0.0, SpecialFunctions.normalPdf(Double.POSITIVE_INFINITY));
  }

  @Test
  void logisticHasNoOverflowAndFullTailAccuracy() {
    for (double x : new double[] {-700, -40, -3, -0.1, 0, 0.2, 5, 40, 700, 1000}) {
      BigDecimal e = BigDecimalReference.exp(new BigDecimal(-x));
      BigDecimal s = BigDecimal.ONE.divide(BigDecimal.ONE.add(e), BigDecimalReference.MC);
      BigDecimal d1 = s.multiply(BigDecimal.ONE.subtract(s, BigDecimalReference.MC), BigDecimalReference.MC);
      double rel = relativeError(SpecialFunctions.logistic(x), s);
      assertTrue(rel <= 4e-16, "s(" + x + ") " + rel);
      if (x > -700 && x < 700) {
        double rd = relativeError(SpecialFunctions.logisticD1(x), d1);
        assertTrue(rd <= 1e-15, "s'(" + x + ") " + rd);
      }
    }
    // Subnormal and underflowing tails: no NaN, no negative values.
    assertTrue(SpecialFunctions.logistic(-745) >= 0 && SpecialFunctions.logistic(-1e6) == 0);
    assertEquals(0.0, SpecialFunctions.logisticD1(Double.POSITIVE_INFINITY));
    assertEquals(0.0, SpecialFunctions.logisticD2(Double.NEGATIVE_INFINITY));
  }
}
