package org.finwidth.activation;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;

/**
 * Independent high-precision references for the special functions, in {@link BigDecimal} with
 * 60 significant digits: the Maclaurin series of erf for |x| &lt; 2 and Laplace's continued
 * fraction of erfc for x ≥ 2 (400 terms: converged beyond 40 digits there, checked against
 * mpmath while writing this test).
 */
final class BigDecimalReference {
  private BigDecimalReference() {}

  static final MathContext MC = new MathContext(60, RoundingMode.HALF_EVEN);
  /** π to 62 digits. */
  static final BigDecimal PI =
      new BigDecimal("3.14159265358979323846264338327950288419716939937510582097494459");
  static final BigDecimal SQRT_PI = PI.sqrt(MC);
  private static final BigDecimal TWO = BigDecimal.valueOf(2);
  private static final BigDecimal EPS = new BigDecimal("1e-70");

  /** exp(y) by halving until |y| &lt; 1/2, Taylor series, then repeated squaring. */
  static BigDecimal exp(BigDecimal y) {
    if (y.signum() < 0) {
      return BigDecimal.ONE.divide(exp(y.negate()), MC);
    }
    int halvings = 0;
    BigDecimal r = y;
    while (r.compareTo(new BigDecimal("0.5")) > 0) {
      r = r.divide(TWO, MC);
      halvings++;
    }
    MathContext wide = new MathContext(MC.getPrecision() + 10, RoundingMode.HALF_EVEN);
    BigDecimal sum = BigDecimal.ONE;
    BigDecimal term = BigDecimal.ONE;
    for (int n = 1; n < 200; n++) {
      term = term.multiply(r, wide).divide(BigDecimal.valueOf(n), wide);
      sum = sum.add(term, wide);
      if (term.abs().compareTo(EPS) < 0) {
        break;
      }
    }
    for (int i = 0; i < halvings; i++) {
      sum = sum.multiply(sum, wide);
    }
    return sum.round(MC);
  }

  /** erf(x) = (2/√π) Σ (−1)^n x^(2n+1) / (n! (2n+1)), for |x| &lt; 2 (extra digits absorb the e^{x²} growth). */
  static BigDecimal erfSeries(BigDecimal x) {
    MathContext wide = new MathContext(MC.getPrecision() + 20, RoundingMode.HALF_EVEN);
    BigDecimal x2 = x.multiply(x, wide);
    BigDecimal power = x; // (-1)^n x^(2n+1) / n!
    BigDecimal sum = x;
    for (int n = 1; n < 500; n++) {
      power = power.multiply(x2, wide).divide(BigDecimal.valueOf(-n), wide);
      BigDecimal term = power.divide(BigDecimal.valueOf(2L * n + 1), wide);
      sum = sum.add(term, wide);
      if (term.abs().compareTo(EPS.multiply(x.abs())) < 0) {
        break;
      }
    }
    return sum.multiply(TWO, wide).divide(SQRT_PI, MC);
  }

  /** erfc(x) for x ≥ 2 by the continued fraction e^{−x²}/√π · 1/(x + (1/2)/(x + 1/(x + (3/2)/(x + ...)))). */
  static BigDecimal erfcContinuedFraction(BigDecimal x) {
    BigDecimal t = x;
    for (int k = 400; k >= 1; k--) {
      t = x.add(BigDecimal.valueOf(k).divide(TWO.multiply(t, MC), MC), MC);
    }
    return exp(x.multiply(x, MC).negate()).divide(SQRT_PI.multiply(t, MC), MC);
  }

  static BigDecimal erf(double x) {
    BigDecimal bx = new BigDecimal(x);
    if (Math.abs(x) < 2) {
      return erfSeries(bx);
    }
    BigDecimal c = erfcContinuedFraction(bx.abs());
    BigDecimal r = BigDecimal.ONE.subtract(c, MC);
    return x > 0 ? r : r.negate();
  }

  static BigDecimal erfc(BigDecimal x) {
    if (x.compareTo(TWO) >= 0) {
      return erfcContinuedFraction(x);
    }
    if (x.compareTo(TWO.negate()) <= 0) {
      return TWO.subtract(erfcContinuedFraction(x.negate()), MC);
    }
    return BigDecimal.ONE.subtract(erfSeries(x), MC);
  }

  /** Φ(u) = erfc(−u/√2)/2 with −u/√2 formed in 60 digits. */
  static BigDecimal normalCdf(double u) {
    BigDecimal t = new BigDecimal(u).negate().divide(TWO.sqrt(MC), MC);
    return erfc(t).divide(TWO, MC);
  }

  /** Relative difference |computed − ref|/|ref| in double. */
  static double relativeError(double computed, BigDecimal ref) {
    if (ref.signum() == 0) {
      return computed == 0 ? 0 : Double.POSITIVE_INFINITY;
    }
    return new BigDecimal(computed).subtract(ref, MC).divide(ref, MC).abs().doubleValue();
  }
}
