package org.finwidth.activation;

import java.math.BigDecimal;

/** Parameter checks and canonical number formatting shared by the activation records. */
final class Params {
  private Params() {}

  /** Rejects NaN and ±Infinity: "swish: parameter T must be a finite number, got NaN". */
  static double finite(String activation, String param, double v) {
    if (!Double.isFinite(v)) {
      throw new IllegalArgumentException(
          activation + ": parameter " + param + " must be a finite number, got " + format(v));
    }
    return v + 0.0; // -0.0 -> 0.0, so that records compare equal to their parsed spec
  }

  /** v &gt; 0 and finite. */
  static double positive(String activation, String param, double v) {
    finite(activation, param, v);
    if (!(v > 0)) {
      throw domain(activation, param, "> 0", v);
    }
    return v;
  }

  /** v &gt;= min and finite. */
  static double atLeast(String activation, String param, double v, double min) {
    finite(activation, param, v);
    if (!(v >= min)) {
      throw domain(activation, param, ">= " + format(min), v);
    }
    return v + 0.0;
  }

  static IllegalArgumentException domain(String activation, String param, String rule, double v) {
    return new IllegalArgumentException(
        activation + ": parameter " + param + " must be " + rule + ", got " + format(v));
  }

  /**
   * The shortest decimal that parses back to exactly {@code v}: {@code 2}, {@code 0.5},
   * {@code 0.0001}, {@code 1.0E-12}; NaN and infinities as Java spells them.
   */
  static String format(double v) {
    if (!Double.isFinite(v)) {
      return Double.toString(v);
    }
    if (v == 0) {
      return "0";
    }
    BigDecimal d = new BigDecimal(Double.toString(v)).stripTrailingZeros();
    int exponent = d.precision() - d.scale() - 1; // decimal exponent of the leading digit
    if (exponent >= -6 && exponent < 16) {
      return d.toPlainString();
    }
    return Double.toString(v);
  }

  /** "name" or "name:p1=v1,p2=v2" listing only parameters that differ from their defaults. */
  static String spec(String name, String[] params, double[] values, double[] defaults) {
    StringBuilder sb = new StringBuilder(name);
    char sep = ':';
    for (int i = 0; i < params.length; i++) {
      if (Double.compare(values[i], defaults[i]) != 0) {
        sb.append(sep).append(params[i]).append('=').append(format(values[i]));
        sep = ',';
      }
    }
    return sb.toString();
  }

  /** z * h where a vanishing gate wins over an infinite z (the limit z h(z) -> 0). */
  static double timesGate(double z, double h) {
    return h == 0 ? 0 : z * h;
  }
}
