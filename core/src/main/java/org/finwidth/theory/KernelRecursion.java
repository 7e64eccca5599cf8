package org.finwidth.theory;

import java.util.Objects;
import org.finwidth.activation.Activation;

/**
 * The infinite-width kernel recursion (docs/theory.md §2; PDLT (4.8), (4.37), (4.41)):
 * <pre>
 *   K^(1)_{αβ}   = C_b + C_W (1/n_0) x_α·x_β
 *   K^(ℓ+1)_{αβ} = C_b + C_W ⟨σ(z_α) σ(z_β)⟩_{K^(ℓ)}
 * </pre>
 * for one input (K' = C_b + C_W⟨σ²⟩_K) or several (each off-diagonal entry needs a
 * two-dimensional average over the 2×2 block of its pair; diagonal entries evolve on their own).
 * The averages reuse one quadrature workspace and take the fastest accurate path ({@link Averages}:
 * closed forms for homogeneous σ, verified Gauss–Hermite at small K, adaptive Gauss–Kronrod
 * otherwise); a depth of 10^4 costs well under a second for one input.
 */
public final class KernelRecursion {
  private KernelRecursion() {}

  /**
   * One step of the single-input map, K' = C_b + C_W⟨σ²⟩_K.
   *
   * @throws IllegalArgumentException if K is negative or not finite
   * @throws IllegalStateException if the average overflows or the quadrature fails
   */
  public static double next(Activation sigma, double cb, double cw, double k) {
    return cb + cw * new Averages(sigma).single(k).sigma2();
  }

  /**
   * K^(1..L) for one input.
   *
   * @param k1 K^(1) ≥ 0
   * @param depth L ≥ 1
   * @return K^(ℓ) at index ℓ − 1
   * @throws IllegalArgumentException for a bad parameter (named with its value)
   * @throws IllegalStateException naming the layer where the recursion overflows
   */
  public static double[] single(Activation sigma, double cb, double cw, double k1, int depth) {
    check(sigma, cb, cw, depth);
    if (!(k1 >= 0) || Double.isInfinite(k1)) {
      throw new IllegalArgumentException("K^(1) must be a finite number >= 0, got " + k1);
    }
    Averages averages = new Averages(sigma);
    double[] k = new double[depth];
    k[0] = k1;
    for (int l = 1; l < depth; l++) {
      double next;
      try {
        next = cb + cw * averages.single(k[l - 1]).sigma2();
      } catch (IllegalStateException e) {
        throw new IllegalStateException("kernel recursion fails at layer " + (l + 1) + ": "
            + e.getMessage(), e);
      }
      if (!Double.isFinite(next)) {
        throw new IllegalStateException("kernel recursion overflows at layer " + (l + 1)
            + " (K^(" + l + ") = " + k[l - 1] + ")");
      }
      k[l] = next;
    }
    return k;
  }

  /**
   * K^(1..L) for d inputs: {@code result[ℓ−1][α][β]}.
   *
   * @param k1 K^(1), d×d symmetric positive semi-definite
   * @throws IllegalArgumentException for a bad parameter (named with its value)
   * @throws IllegalStateException naming the layer where the recursion overflows
   */
  public static double[][][] multi(Activation sigma, double cb, double cw, double[][] k1, int depth) {
    check(sigma, cb, cw, depth);
    Objects.requireNonNull(k1, "K^(1)");
    int d = k1.length;
    for (int a = 0; a < d; a++) {
      if (k1[a].length != d) {
        throw new IllegalArgumentException("K^(1) must be square, row " + (a + 1) + " has "
            + k1[a].length + " entries for d=" + d);
      }
      for (int b = 0; b < d; b++) {
        if (!Double.isFinite(k1[a][b]) || k1[a][b] != k1[b][a]) {
          throw new IllegalArgumentException("K^(1) must be finite and symmetric, got entry ("
              + (a + 1) + "," + (b + 1) + ")=" + k1[a][b]);
        }
      }
      if (!(k1[a][a] >= 0)) {
        throw new IllegalArgumentException("K^(1) diagonal entry (" + (a + 1) + "," + (a + 1)
            + ") must be >= 0, got " + k1[a][a]);
      }
    }
    Averages averages = new Averages(sigma);
    double[][][] k = new double[depth][d][d];
    for (int a = 0; a < d; a++) {
      k[0][a] = k1[a].clone();
    }
    for (int l = 1; l < depth; l++) {
      double[][] prev = k[l - 1];
      try {
        for (int a = 0; a < d; a++) {
          k[l][a][a] = cb + cw * averages.single(prev[a][a]).sigma2();
          for (int b = 0; b < a; b++) {
            double s = averages.pair(prev[a][a], prev[a][b], prev[b][b], Averages.KERNEL)[0];
            k[l][a][b] = k[l][b][a] = cb + cw * s;
          }
        }
      } catch (IllegalStateException e) {
        throw new IllegalStateException("kernel recursion fails at layer " + (l + 1) + ": "
            + e.getMessage(), e);
      }
      for (double[] row : k[l]) {
        for (double x : row) {
          if (!Double.isFinite(x)) {
            throw new IllegalStateException("kernel recursion overflows at layer " + (l + 1));
          }
        }
      }
    }
    return k;
  }

  static void check(Activation sigma, double cb, double cw, int depth) {
    Objects.requireNonNull(sigma, "activation");
    if (!(cb >= 0) || Double.isInfinite(cb)) {
      throw new IllegalArgumentException("C_b must be a finite number >= 0, got cb=" + cb);
    }
    if (!(cw > 0) || Double.isInfinite(cw)) {
      throw new IllegalArgumentException("C_W must be a finite number > 0, got cw=" + cw);
    }
    if (depth < 1) {
      throw new IllegalArgumentException("the depth L must be >= 1, got depth=" + depth);
    }
  }
}
