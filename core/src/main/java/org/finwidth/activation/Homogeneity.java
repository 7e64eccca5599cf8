package org.finwidth.activation;

import java.util.OptionalDouble;
import java.util.function.DoubleUnaryOperator;

/**
 * Numerical detection of positive homogeneity σ(λz) = λ^p σ(z) (λ &gt; 0) for activations given
 * only as functions (formulas, user classes).
 */
final class Homogeneity {
  private Homogeneity() {}

  /** Relative tolerance of the check σ(λz) = λ^p σ(z). */
  static final double TOLERANCE = 1e-12;
  /** A degree within this of a multiple of 1/2 is taken to be that multiple. */
  static final double SNAP = 1e-9;
  /** Smallest degree reported (below 1/2, ⟨σ'²⟩ = ∞ and the homogeneous shortcuts do not apply). */
  static final double MIN_DEGREE = 0.5;

  private static final double[] Z = {0.3, 0.7, 1, 1.9, 3.1, 7.3};
  private static final double[] LAMBDA = {0.25, 0.5, 0.8, 2, 3, 10};

  /**
   * The degree p if σ is positively homogeneous of a degree p ≥ 1/2 on the test grid, else empty.
   * The degree comes from σ(2z)/σ(z) at the grid point of largest |σ(z)|, is snapped to a multiple
   * of 1/2 within {@link #SNAP}, and is then checked at every (λ, ±z) of the grid to
   * {@link #TOLERANCE} relative; σ(0) must be 0.
   */
  static OptionalDouble detect(DoubleUnaryOperator sigma) {
    if (sigma.applyAsDouble(0) != 0) {
      return OptionalDouble.empty();
    }
    double best = 0;
    double bestZ = Double.NaN;
    for (double z : Z) {
      for (double s : new double[] {z, -z}) {
        double v = Math.abs(sigma.applyAsDouble(s));
        if (v > best && Double.isFinite(v)) {
          best = v;
          bestZ = s;
        }
      }
    }
    if (!(best > 0)) {
      return OptionalDouble.empty(); // zero on the grid: nothing to measure
    }
    double ratio = sigma.applyAsDouble(2 * bestZ) / sigma.applyAsDouble(bestZ);
    if (!(ratio > 0) || !Double.isFinite(ratio)) {
      return OptionalDouble.empty();
    }
    double p = Math.log(ratio) / Math.log(2);
    double half = Math.rint(2 * p) / 2;
    if (Math.abs(p - half) <= SNAP) {
      p = half;
    }
    if (!(p >= MIN_DEGREE)) {
      return OptionalDouble.empty();
    }
    for (double lambda : LAMBDA) {
      double scale = Math.pow(lambda, p);
      for (double z : Z) {
        for (double s : new double[] {z, -z}) {
          double lhs = sigma.applyAsDouble(lambda * s);
          double rhs = scale * sigma.applyAsDouble(s);
          if (!(Math.abs(lhs - rhs) <= TOLERANCE * Math.abs(rhs)) && lhs != rhs) {
            return OptionalDouble.empty();
          }
        }
      }
    }
    return OptionalDouble.of(p);
  }
}
