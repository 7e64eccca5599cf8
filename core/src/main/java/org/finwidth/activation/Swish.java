package org.finwidth.activation;

import java.util.OptionalDouble;

/**
 * SWISH with a temperature ("controlled swish"): σ_T(z) = z·sigmoid(z/T) (docs/theory.md §7.1,
 * the smooth-ReLU authors' code). Half-stable class; at T = 1 critical at K* = 14.3201736180258,
 * C_W = 1.98800467826949, C_b = 0.55514317072153 (docs/theory.md §4.3); K* and C_b scale with T².
 *
 * @param T the temperature, finite, T &gt; 0 (default 1); σ_T(z) = T σ_1(z/T) → ReLU as T → 0
 */
public record Swish(double T) implements Activation {
  /** Catalogue name. */
  public static final String NAME = "swish";
  /** Default temperature. */
  public static final double DEFAULT_T = 1;

  /** @throws IllegalArgumentException unless T is finite and &gt; 0 */
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

  /** {0, 1/2, 1/(2T), 0}: the gate s(u) has s(0) = 1/2, s'(0) = 1/4, s''(0) = 0. */
  @Override
  public double[] derivativesAtZero() {
    return Gated.derivativesAtZero(0.5, 0.25, 0, T);
  }

  @Override
  public OptionalDouble homogeneity() {
    return OptionalDouble.empty();
  }

  private static double gate(double u) {
    return SpecialFunctions.logistic(u);
  }

  private static double gate1(double u) {
    return SpecialFunctions.logisticD1(u);
  }

  private static double gate2(double u) {
    return SpecialFunctions.logisticD2(u);
  }
}
