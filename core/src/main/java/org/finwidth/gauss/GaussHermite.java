package org.finwidth.gauss;

/**
 * Gauss–Hermite rules for the standard normal weight φ(u) = e^{−u²/2}/√(2π): ∫ f φ du ≈ Σ w_i f(u_i),
 * exact for polynomials of degree ≤ 2n − 1. Nodes by Newton's method on the orthonormal Hermite
 * recurrence with the asymptotic initial guesses of Numerical Recipes ({@code gauher}), which
 * keeps every weight to full relative accuracy (the Golub–Welsch eigenvector weights lose it in
 * the tails).
 *
 * <p>Used only as a verified fast path (org.finwidth.theory.Averages, {@link GaussianProducts}):
 * two rules of different sizes must agree to the requested tolerance, otherwise the adaptive
 * quadrature of {@link GaussianExpectation} is used. Plain Gauss–Hermite is not reliable on
 * its own (docs/theory.md §9.1: for tanh at K = 14 it is off by 1e-4 with 200 nodes), but for analytic
 * integrands at small variance it converges geometrically (tanh at K ≤ 0.1: 1e-15 with 32 nodes).
 */
public final class GaussHermite {
  private GaussHermite() {}

  /** Sizes of the two rules compared by the fast path. */
  public static final int SMALL = 32;
  /** Size of the larger rule. */
  public static final int LARGE = 48;

  private static final class Holder {
    static final double[][] SMALL_RULE = rule(SMALL);
    static final double[][] LARGE_RULE = rule(LARGE);
  }

  /** {nodes, weights} of the {@value #SMALL}-point rule (shared; do not modify). */
  public static double[][] small() {
    return Holder.SMALL_RULE;
  }

  /** {nodes, weights} of the {@value #LARGE}-point rule (shared; do not modify). */
  public static double[][] large() {
    return Holder.LARGE_RULE;
  }

  /**
   * The n-point rule {nodes u_i, weights w_i} for the standard normal weight, nodes descending.
   *
   * @throws IllegalArgumentException unless 1 ≤ n ≤ 400
   * @throws IllegalStateException if Newton's method does not converge
   */
  public static double[][] rule(int n) {
    if (n < 1 || n > 400) {
      throw new IllegalArgumentException("Gauss-Hermite rule size must be in [1, 400], got " + n);
    }
    double[] x = new double[n];
    double[] w = new double[n];
    double pim4 = Math.pow(Math.PI, -0.25);
    double z = 0;
    for (int i = 0; i < (n + 1) / 2; i++) {
      // Initial guesses for the i-th largest root of the physicists' H_n (Numerical Recipes §4.6).
      if (i == 0) {
        z = Math.sqrt(2.0 * n + 1) - 1.85575 * Math.pow(2.0 * n + 1, -0.16667);
      } else if (i == 1) {
        z -= 1.14 * Math.pow(n, 0.426) / z;
      } else if (i == 2) {
        z = 1.86 * z - 0.86 * x[0];
      } else if (i == 3) {
        z = 1.91 * z - 0.91 * x[1];
      } else {
        z = 2 * z - x[i - 2];
      }
      double derivative = 0;
      boolean converged = false;
      for (int iteration = 0; iteration < 100 && !converged; iteration++) {
        // Orthonormal recurrence p_j = x sqrt(2/j) p_{j-1} - sqrt((j-1)/j) p_{j-2}.
        double p1 = pim4;
        double p2 = 0;
        for (int j = 1; j <= n; j++) {
          double p3 = p2;
          p2 = p1;
          p1 = z * Math.sqrt(2.0 / j) * p2 - Math.sqrt((j - 1.0) / j) * p3;
        }
        derivative = Math.sqrt(2.0 * n) * p2;
        double previous = z;
        z = previous - p1 / derivative;
        converged = Math.abs(z - previous) <= 1e-15 * Math.max(1, Math.abs(z));
      }
      if (!converged) {
        throw new IllegalStateException("Gauss-Hermite node " + i + " of " + n + " did not converge");
      }
      x[i] = z;
      x[n - 1 - i] = -z;
      w[i] = 2 / (derivative * derivative);
      w[n - 1 - i] = w[i];
    }
    if (n % 2 == 1) {
      x[n / 2] = 0; // exactly
    }
    // Physicists' weight e^{-x²} → standard normal: u = √2 x, w/√π.
    double[] u = new double[n];
    double[] wu = new double[n];
    for (int i = 0; i < n; i++) {
      u[i] = Math.sqrt(2) * x[i];
      wu[i] = w[i] / Math.sqrt(Math.PI);
    }
    return new double[][] {u, wu};
  }
}
