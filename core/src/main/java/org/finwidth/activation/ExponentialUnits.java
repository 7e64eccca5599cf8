package org.finwidth.activation;

/**
 * The exponential-unit family shared by elu, selu and celu: σ(z) = s·z for z &gt; 0 and
 * s·a·(e^{cz} − 1) for z ≤ 0 (elu: s = c = 1; selu: s = λ, a = α, c = 1; celu: s = 1, c = 1/a).
 * e^{cz} − 1 by expm1 (relative accuracy near 0); derivatives as left-hand limits at 0.
 */
final class ExponentialUnits {
  private ExponentialUnits() {}

  static double value(double z, double s, double a, double c) {
    if (z > 0) {
      return s * z;
    }
    return z <= 0 ? s * a * Math.expm1(c * z) : z; // NaN stays NaN
  }

  static double d1(double z, double s, double a, double c) {
    if (z > 0) {
      return s;
    }
    return z <= 0 ? s * a * c * Math.exp(c * z) : z;
  }

  static double d2(double z, double s, double a, double c) {
    if (z > 0) {
      return 0;
    }
    return z <= 0 ? s * a * c * c * Math.exp(c * z) : z;
  }
}
