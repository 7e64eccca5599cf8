package org.finwidth.gauss;

/**
 * The result of a vector quadrature.
 *
 * @param values the integrals, one per component
 * @param errors the error estimates (sums of |Kronrod − Gauss| over the final subintervals;
 *     conservative for smooth integrands, whose actual error is usually far smaller)
 * @param scales the L1 norms ∫|f_j| that the tolerance is relative to (⟨|f_j|⟩_K for a Gaussian
 *     expectation): the run stopped when errors[j] ≤ relTol · scales[j] for every j
 * @param evaluations the number of integrand evaluations spent (in two dimensions: inner ones)
 */
public record Quadrature(double[] values, double[] errors, double[] scales, long evaluations) {
  /** The value of component j. */
  public double value(int j) {
    return values[j];
  }
}
