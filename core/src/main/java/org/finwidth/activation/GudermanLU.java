package org.finwidth.activation;

/**
 * GudermanLU with a temperature: σ_T(z) = z·(1/2 + (2/π) atan(tanh(z/T))) (docs/theory.md §7.1,
 * the smooth-ReLU authors' code). The gate equals (2/π) atan(e^{2u}) = 1 − (2/π) atan(e^{−2u}),
 * which is how it is evaluated (no cancellation in either tail); its derivative is
 * (2/π) sech(2u).
 *
 * @param T the temperature, finite, T &gt; 0 (default 1); σ_T(z) = T σ_1(z/T) → ReLU as T → 0
 */
public record GudermanLU(double T) implements GatedActivation {
  /** Catalogue name. */
  public static final String NAME = "gudermanlu";
  private static final double TWO_OVER_PI = 2 / Math.PI;

  /**
   * A GudermanLU of temperature T.
   *
   * @throws IllegalArgumentException unless T is finite and &gt; 0
   */
  public GudermanLU {
    T = Params.positive(NAME, "T", T);
  }

  /** The activation at temperature 1. */
  public GudermanLU() {
    this(DEFAULT_T);
  }

  @Override
  public String name() {
    return NAME;
  }

  /** {h(0), h'(0), h''(0)} = {1/2, 2/π, 0}: σ = {0, 1/2, 4/(πT), 0} at 0. */
  @Override
  public double[] gateAtZero() {
    return new double[] {0.5, TWO_OVER_PI, 0};
  }

  @Override
  public double gate(double u) {
    // atan(e^{2u}) + atan(e^{-2u}) = π/2: take the small one so neither tail cancels.
    return u <= 0
        ? TWO_OVER_PI * Math.atan(Math.exp(2 * u))
        : 1 - TWO_OVER_PI * Math.atan(Math.exp(-2 * u));
  }

  /** sech x = 2e/(1 + e²), e = exp(−|x|): no overflow. */
  private static double sech(double x) {
    double e = Math.exp(-Math.abs(x));
    return 2 * e / (1 + e * e);
  }

  @Override
  public double gateD1(double u) {
    return TWO_OVER_PI * sech(2 * u);
  }

  /** −(4/π) sech(2u) tanh(2u). */
  @Override
  public double gateD2(double u) {
    double s = sech(2 * u);
    return s == 0 ? 0 : -2 * TWO_OVER_PI * s * Math.tanh(2 * u);
  }
}
