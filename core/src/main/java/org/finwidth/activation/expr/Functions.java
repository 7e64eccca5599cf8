package org.finwidth.activation.expr;

import org.finwidth.activation.SpecialFunctions;

/**
 * The one-argument functions of the formula language in double, with their first three derivatives
 * (for the jets of {@link Jets}). Each keeps relative accuracy where its catalogue counterpart does:
 * sech² and the logistic's derivatives without cancellation, e^{−x²} with the rounding of x² put
 * back by an FMA.
 */
final class Functions {
  private Functions() {}

  static final double TWO_OVER_SQRT_PI = 2 / Math.sqrt(Math.PI);

  /** f(x). */
  static double value(Expr.Fn f, double x) {
    return switch (f) {
      case EXP -> Math.exp(x);
      case LOG -> Math.log(x);
      case LOG1P -> Math.log1p(x);
      case EXPM1 -> Math.expm1(x);
      case SQRT -> Math.sqrt(x);
      case TANH -> Math.tanh(x);
      case SINH -> Math.sinh(x);
      case COSH -> Math.cosh(x);
      case SIN -> Math.sin(x);
      case COS -> Math.cos(x);
      case ATAN -> Math.atan(x);
      case ERF -> SpecialFunctions.erf(x);
      case ERFC -> SpecialFunctions.erfc(x);
      case ABS -> Math.abs(x);
      case SIGMOID -> SpecialFunctions.logistic(x);
      case SOFTPLUS -> softplus(x);
      case RELU -> Math.max(0.0, x);
      case STEP -> x > 0 ? 1 : (x <= 0 ? 0 : x);
      case MAX, MIN -> throw new IllegalArgumentException(f + " takes two arguments");
    };
  }

  /** log(1 + e^x) without overflow or cancellation. */
  static double softplus(double x) {
    return Math.max(x, 0) + Math.log1p(Math.exp(-Math.abs(x)));
  }

  /** sech² x = 4e/(1+e)², e = exp(−2|x|). */
  static double sech2(double x) {
    double e = Math.exp(-2 * Math.abs(x));
    double d = 1 + e;
    return 4 * e / (d * d);
  }

  /** e^{−x²} with the rounding error of x² compensated. */
  static double expMinusSquare(double x) {
    double x2 = x * x;
    double lo = Math.fma(x, x, -x2);
    double e = Math.exp(-x2);
    return e == 0 ? 0 : e - e * lo;
  }

  /** a·b, but 0 when either factor is exactly 0 (a vanishing factor wins over an infinite one). */
  static double times(double a, double b) {
    return a == 0 || b == 0 ? 0 : a * b;
  }

  /**
   * {f, f', f'', f'''} at x for a one-argument function away from its kinks (abs, relu, step: the
   * derivatives of the branch x selects; at x = 0 the jets choose the side).
   */
  static void derivatives(Expr.Fn f, double x, double[] out) {
    double v;
    double d1;
    double d2;
    double d3;
    switch (f) {
      case EXP -> {
        v = Math.exp(x);
        d1 = v;
        d2 = v;
        d3 = v;
      }
      case EXPM1 -> {
        v = Math.expm1(x);
        d1 = Math.exp(x);
        d2 = d1;
        d3 = d1;
      }
      case LOG, LOG1P -> {
        v = f == Expr.Fn.LOG ? Math.log(x) : Math.log1p(x);
        double r = f == Expr.Fn.LOG ? 1 / x : 1 / (1 + x);
        d1 = r;
        d2 = -r * r;
        d3 = 2 * r * r * r;
      }
      case SQRT -> {
        v = Math.sqrt(x);
        d1 = 0.5 / v;
        d2 = -0.25 / (x * v);
        d3 = 0.375 / (x * x * v);
      }
      case TANH -> {
        v = Math.tanh(x);
        double s = sech2(x);
        d1 = s;
        d2 = times(-2 * v, s);
        d3 = times(s, 6 * v * v - 2);
      }
      case SINH -> {
        v = Math.sinh(x);
        d1 = Math.cosh(x);
        d2 = v;
        d3 = d1;
      }
      case COSH -> {
        v = Math.cosh(x);
        d1 = Math.sinh(x);
        d2 = v;
        d3 = d1;
      }
      case SIN -> {
        v = Math.sin(x);
        d1 = Math.cos(x);
        d2 = -v;
        d3 = -d1;
      }
      case COS -> {
        v = Math.cos(x);
        d1 = -Math.sin(x);
        d2 = -v;
        d3 = -d1;
      }
      case ATAN -> {
        v = Math.atan(x);
        if (Math.abs(x) <= 1e100) {
          double w = 1 / (1 + x * x);
          d1 = w;
          d2 = -2 * x * w * w;
          d3 = (6 * x * x - 2) * w * w * w;
        } else {
          double r = 1 / x;
          d1 = r * r;
          d2 = -2 * r * r * r;
          d3 = 6 * r * r * r * r;
        }
      }
      case ERF, ERFC -> {
        double sign = f == Expr.Fn.ERF ? 1 : -1;
        v = f == Expr.Fn.ERF ? SpecialFunctions.erf(x) : SpecialFunctions.erfc(x);
        double g = sign * TWO_OVER_SQRT_PI * expMinusSquare(x);
        d1 = g;
        d2 = times(-2 * x, g);
        d3 = times(4 * x * x - 2, g);
      }
      case SIGMOID, SOFTPLUS -> {
        double s = SpecialFunctions.logistic(x);
        double q = SpecialFunctions.logistic(-x);
        double sq = s * q;
        if (f == Expr.Fn.SIGMOID) {
          v = s;
          d1 = sq;
          d2 = times(sq, q - s);
          d3 = times(sq, 1 - 6 * sq);
        } else {
          v = softplus(x);
          d1 = s;
          d2 = sq;
          d3 = times(sq, q - s);
        }
      }
      case ABS -> {
        v = Math.abs(x);
        d1 = x > 0 ? 1 : (x < 0 ? -1 : (x == 0 ? 0 : x));
        d2 = x == x ? 0 : x;
        d3 = d2;
      }
      case RELU -> {
        v = Math.max(0.0, x);
        d1 = x > 0 ? 1 : (x <= 0 ? 0 : x);
        d2 = x == x ? 0 : x;
        d3 = d2;
      }
      case STEP -> {
        v = value(f, x);
        d1 = x == x ? 0 : x;
        d2 = d1;
        d3 = d1;
      }
      default -> throw new IllegalArgumentException(f + " takes two arguments");
    }
    if (Double.isNaN(v)) {
      d1 = d2 = d3 = v; // outside the domain (log of a negative number): no derivatives either
    }
    out[0] = v;
    out[1] = d1;
    out[2] = d2;
    out[3] = d3;
  }
}
