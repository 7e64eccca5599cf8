package org.finwidth.activation;

import java.util.OptionalDouble;

/**
 * GELU with a temperature, exact erf form: σ_T(z) = z·Φ(z/T), Φ the standard normal
 * distribution function (docs/theory.md §7.1). Half-stable class; at T = 1 critical at
 * K* = (3+√17)/2 (docs/theory.md §4.3). Taylor data σ = {0, 1/2, √(2/π)/T, 0}, a_1 = 6/π.
 *
 * @param T the temperature, finite, T &gt; 0 (default 1); σ_T(z) = T σ_1(z/T) → ReLU as T → 0
 */
public record Gelu(double T) implements Activation {
  /** Catalogue name. */
  public static final String NAME = "gelu";
  /** Default temperature. */
  public static final double DEFAULT_T = 1;

  /** @throws IllegalArgumentException unless T is finite and &gt; 0 */
  public Gelu {
    T = Params.positive(NAME, "T", T);
  }

  /** The activation at temperature 1. */
  public Gelu() {
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

  /** {0, 1/2, √(2/π)/T, 0}: Φ(0) = 1/2, Φ'(0) = 1/√(2π), Φ''(0) = 0. */
  @Override
  public double[] derivativesAtZero() {
    return Gated.derivativesAtZero(0.5, SpecialFunctions.INV_SQRT_2PI, 0, T);
  }

  @Override
  public OptionalDouble homogeneity() {
    return OptionalDouble.empty();
  }

  private static double gate(double u) {
    return SpecialFunctions.normalCdf(u);
  }

  private static double gate1(double u) {
    return SpecialFunctions.normalPdf(u);
  }

  /** Φ''(u) = −u φ(u). */
  private static double gate2(double u) {
    double phi = SpecialFunctions.normalPdf(u);
    return phi == 0 ? 0 : -u * phi;
  }
}
