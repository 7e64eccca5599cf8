package org.finwidth.theory;

import java.util.function.DoubleUnaryOperator;

/**
 * Brent's bracketing root finder (R. P. Brent, <i>Algorithms for Minimization without
 * Derivatives</i>, 1973, ch. 4, procedure {@code zero}): inverse quadratic interpolation and
 * secant steps, safeguarded by bisection, so that the bracket shrinks at least geometrically and
 * the number of evaluations is bounded (at most about (log2(width/tolerance))² in the worst case).
 */
final class BrentSolver {
  private BrentSolver() {}

  /** Evaluation budget: far above the ~(log2(1e30))² worst case of the safeguarded iteration. */
  static final int MAX_EVALUATIONS = 4000;

  /**
   * A root of f in [a, b], where f(a) and f(b) have opposite signs (or one is zero), located to
   * |x − root| ≤ 2·eps·|x| + absTol/2 in exact arithmetic (Brent's tol), or to the resolution of
   * the noise in f.
   *
   * @param f the function
   * @param a one end of the bracket
   * @param fa f(a)
   * @param b the other end
   * @param fb f(b)
   * @param relTol relative tolerance in x, ≥ 1e-16
   * @param absTol absolute tolerance in x, ≥ 0
   * @throws IllegalArgumentException if the values do not bracket a root or are not finite
   * @throws IllegalStateException if the budget is exhausted or f returns a non-finite value
   */
  static double solve(DoubleUnaryOperator f, double a, double fa, double b, double fb,
      double relTol, double absTol) {
    if (!(Double.isFinite(a) && Double.isFinite(b) && Double.isFinite(fa) && Double.isFinite(fb))) {
      throw new IllegalArgumentException("bracket must be finite, got f(" + a + ") = " + fa
          + ", f(" + b + ") = " + fb);
    }
    if (fa == 0) {
      return a;
    }
    if (fb == 0) {
      return b;
    }
    if ((fa > 0) == (fb > 0)) {
      throw new IllegalArgumentException("no sign change: f(" + a + ") = " + fa + ", f(" + b
          + ") = " + fb);
    }
    double c = a;
    double fc = fa;
    double d = b - a;
    double e = d;
    for (int evaluations = 2; evaluations < MAX_EVALUATIONS; evaluations++) {
      if ((fb > 0) == (fc > 0)) {
        c = a;
        fc = fa;
        d = b - a;
        e = d;
      }
      if (Math.abs(fc) < Math.abs(fb)) {
        a = b;
        b = c;
        c = a;
        fa = fb;
        fb = fc;
        fc = fa;
      }
      double tol = 2 * relTol * Math.abs(b) + 0.5 * absTol;
      double m = 0.5 * (c - b);
      if (Math.abs(m) <= tol || fb == 0) {
        return b;
      }
      if (Math.abs(e) >= tol && Math.abs(fa) > Math.abs(fb)) {
        // Interpolation: secant if only two distinct points, inverse quadratic otherwise.
        double s = fb / fa;
        double p;
        double q;
        if (a == c) {
          p = 2 * m * s;
          q = 1 - s;
        } else {
          double qq = fa / fc;
          double r = fb / fc;
          p = s * (2 * m * qq * (qq - r) - (b - a) * (r - 1));
          q = (qq - 1) * (r - 1) * (s - 1);
        }
        if (p > 0) {
          q = -q;
        } else {
          p = -p;
        }
        if (2 * p < Math.min(3 * m * q - Math.abs(tol * q), Math.abs(e * q))) {
          e = d;
          d = p / q;
        } else {
          d = m;
          e = m;
        }
      } else {
        d = m;
        e = m;
      }
      a = b;
      fa = fb;
      b += Math.abs(d) > tol ? d : (m > 0 ? tol : -tol);
      fb = f.applyAsDouble(b);
      if (!Double.isFinite(fb)) {
        throw new IllegalStateException("root finder: f(" + b + ") is not finite");
      }
    }
    throw new IllegalStateException("root finder did not converge within " + MAX_EVALUATIONS
        + " evaluations (bracket [" + Math.min(b, c) + ", " + Math.max(b, c) + "])");
  }
}
