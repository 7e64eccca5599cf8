package org.finwidth.stats;

/**
 * A Monte Carlo estimate and its standard error (one standard deviation of the estimator's
 * sampling distribution, estimated from the same data). NaN for both when the data cannot define
 * them (fewer than two networks, a width of 1 for distinct-neuron quantities).
 *
 * @param mean the estimate
 * @param standardError its estimated standard error (≥ 0, or NaN)
 */
public record Estimate(double mean, double standardError) {
  /** The estimate of nothing: NaN and NaN. */
  public static final Estimate UNDEFINED = new Estimate(Double.NaN, Double.NaN);

  /** Whether {@code |mean − value| ≤ k · standardError}. */
  public boolean within(double value, double k) {
    return Math.abs(mean - value) <= k * standardError;
  }

  /** {@code (mean − value) / standardError}: how many standard errors the estimate is off. */
  public double zScore(double value) {
    return (mean - value) / standardError;
  }
}
