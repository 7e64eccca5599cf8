package org.finwidth.stats;

import java.util.Arrays;
import java.util.Locale;

/**
 * Weighted least-squares fit of a polynomial {@code y = a_0 + a_1 x + … + a_d x^d} to measured
 * points {@code (x_i, y_i ± s_i)} with weights {@code 1/s_i²}: the coefficients, their covariance
 * {@code (XᵀWX)⁻¹} (the standard errors assume the s_i are the true standard deviations and the
 * model is exact), and the χ² of the residuals.
 *
 * <p>Used to extrapolate Monte Carlo measurements at several widths to infinite width with
 * {@code x = 1/n}: {@code V(n) = V∞ + b/n + c/n²} (docs/theory.md §5.4 note and §9.4: at n ≤ 64 the
 * O(1/n²) terms are visible, so a single width, or a straight line through few widths, is not
 * enough). Immutable.
 */
public final class PolynomialFit {
  private final double[] coefficients;
  private final double[][] covariance;
  private final double chiSquared;
  private final int points;

  private PolynomialFit(double[] coefficients, double[][] covariance, double chiSquared, int points) {
    this.coefficients = coefficients;
    this.covariance = covariance;
    this.chiSquared = chiSquared;
    this.points = points;
  }

  /**
   * Fits a polynomial of the given degree.
   *
   * @param degree d ≥ 0
   * @param x abscissae (finite)
   * @param y measured values (finite)
   * @param se standard errors of y (finite, &gt; 0)
   * @throws IllegalArgumentException if the arrays differ in length, hold fewer than d + 1
   *     points, hold a non-finite value or a standard error that is not positive, or if the
   *     abscissae do not determine the polynomial (fewer than d + 1 distinct values)
   */
  public static PolynomialFit fit(int degree, double[] x, double[] y, double[] se) {
    if (degree < 0) {
      throw new IllegalArgumentException("degree must be >= 0, got " + degree);
    }
    if (x.length != y.length || x.length != se.length) {
      throw new IllegalArgumentException("x, y and se differ in length: " + x.length + ", "
          + y.length + ", " + se.length);
    }
    int m = degree + 1;
    if (x.length < m) {
      throw new IllegalArgumentException("a polynomial of degree " + degree + " needs at least " + m
          + " points, got " + x.length);
    }
    for (int i = 0; i < x.length; i++) {
      if (!Double.isFinite(x[i]) || !Double.isFinite(y[i]) || !(se[i] > 0) || Double.isInfinite(se[i])) {
        throw new IllegalArgumentException(String.format(Locale.ROOT,
            "point %d must have finite x and y and a finite se > 0, got x=%s, y=%s, se=%s",
            i, x[i], y[i], se[i]));
      }
    }
    double[][] normal = new double[m][m];
    double[] rhs = new double[m];
    for (int i = 0; i < x.length; i++) {
      double w = 1 / (se[i] * se[i]);
      double[] f = powers(x[i], m);
      for (int j = 0; j < m; j++) {
        rhs[j] += w * f[j] * y[i];
        for (int k = 0; k < m; k++) {
          normal[j][k] += w * f[j] * f[k];
        }
      }
    }
    double[][] covariance = invert(normal);
    double[] a = new double[m];
    for (int j = 0; j < m; j++) {
      for (int k = 0; k < m; k++) {
        a[j] += covariance[j][k] * rhs[k];
      }
    }
    double chi2 = 0;
    for (int i = 0; i < x.length; i++) {
      double r = (y[i] - evaluate(a, x[i])) / se[i];
      chi2 += r * r;
    }
    return new PolynomialFit(a, covariance, chi2, x.length);
  }

  /** The degree d. */
  public int degree() {
    return coefficients.length - 1;
  }

  /** Coefficient a_j with its standard error √cov_jj. */
  public Estimate coefficient(int j) {
    return new Estimate(coefficients[j], Math.sqrt(covariance[j][j]));
  }

  /** The intercept a_0 (the value at x = 0: the infinite-width limit for x = 1/n). */
  public Estimate intercept() {
    return coefficient(0);
  }

  /** All coefficients a_0..a_d. */
  public double[] coefficients() {
    return coefficients.clone();
  }

  /** The covariance matrix of the coefficients. */
  public double[][] covariance() {
    double[][] c = new double[covariance.length][];
    for (int i = 0; i < c.length; i++) {
      c[i] = covariance[i].clone();
    }
    return c;
  }

  /** The fitted polynomial at x. */
  public double valueAt(double x) {
    return evaluate(coefficients, x);
  }

  /** Σ ((y_i − fit(x_i))/s_i)². */
  public double chiSquared() {
    return chiSquared;
  }

  /** Degrees of freedom: points − (d + 1). */
  public int degreesOfFreedom() {
    return points - coefficients.length;
  }

  @Override
  public String toString() {
    return "PolynomialFit" + Arrays.toString(coefficients) + " chi2=" + chiSquared + "/"
        + degreesOfFreedom();
  }

  private static double[] powers(double x, int m) {
    double[] f = new double[m];
    double p = 1;
    for (int j = 0; j < m; j++) {
      f[j] = p;
      p *= x;
    }
    return f;
  }

  private static double evaluate(double[] a, double x) {
    double s = 0;
    for (int j = a.length - 1; j >= 0; j--) {
      s = s * x + a[j];
    }
    return s;
  }

  /**
   * Inverse of the symmetric positive normal matrix: equilibrated to unit diagonal first (the
   * columns 1, x, x² of x = 1/n differ in scale by orders of magnitude), then Gauss–Jordan with
   * partial pivoting.
   */
  private static double[][] invert(double[][] a) {
    int m = a.length;
    double[] d = new double[m];
    for (int i = 0; i < m; i++) {
      d[i] = Math.sqrt(a[i][i]);
    }
    double[][] w = new double[m][2 * m];
    for (int i = 0; i < m; i++) {
      for (int k = 0; k < m; k++) {
        w[i][k] = a[i][k] / (d[i] * d[k]);
      }
      w[i][m + i] = 1;
    }
    for (int col = 0; col < m; col++) {
      int pivot = col;
      for (int r = col + 1; r < m; r++) {
        if (Math.abs(w[r][col]) > Math.abs(w[pivot][col])) {
          pivot = r;
        }
      }
      // A pivot at rounding level: two columns of X (nearly) coincide, too few distinct abscissae.
      if (!(Math.abs(w[pivot][col]) > 1e-12)) {
        throw new IllegalArgumentException("the abscissae do not determine a polynomial of degree "
            + (m - 1) + " (too few distinct x values)");
      }
      double[] t = w[col];
      w[col] = w[pivot];
      w[pivot] = t;
      double p = w[col][col];
      for (int k = 0; k < 2 * m; k++) {
        w[col][k] /= p;
      }
      for (int r = 0; r < m; r++) {
        if (r != col && w[r][col] != 0) {
          double f = w[r][col];
          for (int k = 0; k < 2 * m; k++) {
            w[r][k] -= f * w[col][k];
          }
        }
      }
    }
    double[][] inv = new double[m][m];
    for (int i = 0; i < m; i++) {
      for (int k = 0; k < m; k++) {
        inv[i][k] = w[i][m + k] / (d[i] * d[k]);
      }
    }
    return inv;
  }
}
