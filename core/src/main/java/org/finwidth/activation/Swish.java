package org.finwidth.activation;

/**
 * SWISH with a temperature ("controlled swish"): σ_T(z) = z·sigmoid(z/T) (docs/theory.md §7.1,
 * the smooth-ReLU authors' code). Half-stable class; at T = 1 critical at K* = 14.3201736180258,
 * C_W = 1.98800467826949, C_b = 0.55514317072153 (docs/theory.md §4.3); K* and C_b scale with T².
 *
 * @param T the temperature, finite, T &gt; 0 (default 1); σ_T(z) = T σ_1(z/T) → ReLU as T → 0
 */
public record Swish(double T) implements GatedActivation {
  /** Catalogue name. */
  public static final String NAME = "swish";

  /**
   * A SWISH of temperature T.
   *
   * @throws IllegalArgumentException unless T is finite and &gt; 0
   */
  public Swish {
    T = Params.positive(NAME, "T", T);
  }

  /** The activation at temperature 1. */
  public Swish() {
    this(DEFAULT_T);
  }

  @Override
  public String name() {
    return NAME;
  }

  /** {s(0), s'(0), s''(0)} = {1/2, 1/4, 0} for the logistic s: σ = {0, 1/2, 1/(2T), 0} at 0. */
  @Override
  public double[] gateAtZero() {
    return new double[] {0.5, 0.25, 0};
  }

  @Override
  public double gate(double u) {
    return SpecialFunctions.logistic(u);
  }

  @Override
  public double gateD1(double u) {
    return SpecialFunctions.logisticD1(u);
  }

  @Override
  public double gateD2(double u) {
    return SpecialFunctions.logisticD2(u);
  }
}
