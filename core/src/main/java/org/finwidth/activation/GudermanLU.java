package org.finwidth.activation;

import java.util.OptionalDouble;

/**
 * GudermanLU with a temperature: σ_T(z) = z·(1/2 + (2/π) atan(tanh(z/T))) (docs/theory.md §7.1,
 * the smooth-ReLU authors' code). The gate equals (2/π) atan(e^{2u}) = 1 − (2/π) atan(e^{−2u}),
 * which is how it is evaluated (no cancellation in either tail); its derivative is
 * (2/π) sech(2u).
 *
 * @param T the temperature, finite, T &gt; 0 (default 1); σ_T(z) = T σ_1(z/T) → ReLU as T → 0
 */
public record GudermanLU(double T) implements Activation {
  /** Catalogue name. */
  public static final String NAME = "gudermanlu";
  /** Default temperature. */
  public static final double DEFAULT_T = 1;
  private static final double TWO_OVER_PI = 2 / Math.PI;

  /** @throws IllegalArgumentException unless T is finite and &gt; 0 */
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

  @Override
  public String spec() {
    return Params.spec(NAME, new String[] {"T"}, new double[] {T}, new double[] {DEFAULT_T});
  }

  @Override
  public double value(double z) {
    return Gated.value(z, gate(z / T));
  }

  @Override
  public double d1(double z) {
    double u = z / T;
    return Gated.d1(u, gate(u), gate1(u));
  }

  @Override
  public double d2(double z) {
    double u = z / T;
    return Gated.d2(u, gate1(u), gate2(u), T);
  }

  @Override
  public double[] kinks() {
    return new double[0];
  }

  /** {0, 1/2, 4/(πT), 0}: h(0) = 1/2, h'(0) = 2/π, h''(0) = 0. */
  @Override
  public double[] derivativesAtZero() {
    return Gated.derivativesAtZero(0.5, TWO_OVER_PI, 0, T);
  }

  @Override
  public OptionalDouble homogeneity() {
    return OptionalDouble.empty();
  }

  private static double gate(double u) {
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

  private static double gate1(double u) {
    return TWO_OVER_PI * sech(2 * u);
  }

  /** −(4/π) sech(2u) tanh(2u). */
  private static double gate2(double u) {
    double s = sech(2 * u);
    return s == 0 ? 0 : -2 * TWO_OVER_PI * s * Math.tanh(2 * u);
  }
}
