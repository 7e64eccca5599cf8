package org.finwidth.network;

/**
 * Lower Cholesky factor of a small symmetric positive semi-definite matrix in double,
 * {@code L L^T = G}, where zero pivots are allowed: a pivot whose Schur complement
 * {@code s = G_jj − Σ_{k<j} L_jk²} is at most {@link #RELATIVE_TOLERANCE}·G_jj (including
 * negative values from rounding) is set to 0 and its column below the diagonal to 0.
 *
 * <p>Why this is exact enough: for an exactly singular G the rounding of the Gram sums leaves
 * Schur complements of order n·2<sup>-53</sup>·G_jj; a dropped pivot carries a variance below
 * 2<sup>-44</sup>·G_jj, i.e. a component of z below 2<sup>-22</sup> of its scale, under the
 * float resolution of the preactivations the factor multiplies.
 */
final class PsdCholesky {

  /** Pivots with Schur complement ≤ 2<sup>-44</sup>·G_jj are taken as zero. */
  static final double RELATIVE_TOLERANCE = 0x1p-44;

  private PsdCholesky() {
  }

  /**
   * Writes L (row-major d×d, zeros above the diagonal) for the row-major G (only the lower
   * triangle is read). G must be finite, with G_jj ≥ 0.
   */
  static void factor(double[] g, int d, double[] l) {
    assert g.length >= d * d && l.length >= d * d;
    for (int j = 0; j < d; j++) {
      double s = g[j * d + j];
      for (int k = 0; k < j; k++) {
        s -= l[j * d + k] * l[j * d + k];
      }
      double pivot = s > RELATIVE_TOLERANCE * g[j * d + j] ? Math.sqrt(s) : 0;
      l[j * d + j] = pivot;
      for (int i = j + 1; i < d; i++) {
        double t = g[i * d + j];
        for (int k = 0; k < j; k++) {
          t -= l[i * d + k] * l[j * d + k];
        }
        l[i * d + j] = pivot > 0 ? t / pivot : 0;
        l[j * d + i] = 0;
      }
    }
  }
}
