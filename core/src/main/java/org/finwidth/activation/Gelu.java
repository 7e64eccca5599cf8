package org.finwidth.activation;

/**
 * GELU with a temperature, exact erf form: σ_T(z) = z·Φ(z/T), Φ the standard normal
 * distribution function (docs/theory.md §7.1). Half-stable class; at T = 1 critical at
 * K* = (3+√17)/2 (docs/theory.md §4.3). Taylor data σ = {0, 1/2, √(2/π)/T, 0}, a_1 = 6/π.
 *
 * @param T the temperature, finite, T &gt; 0 (default 1); σ_T(z) = T σ_1(z/T) → ReLU as T → 0
 */
public record Gelu(double T) implements GatedActivation {
  /** Catalogue name. */
  public static final String NAME = "gelu";

  /**
   * A Gelu of temperature T.
   *
   * @throws IllegalArgumentException unless T is finite and &gt; 0
   */
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

  /** {Φ(0), Φ'(0), Φ''(0)} = {1/2, 1/√(2π), 0}: σ = {0, 1/2, √(2/π)/T, 0} at 0. */
  @Override
  public double[] gateAtZero() {
    return new double[] {0.5, SpecialFunctions.INV_SQRT_2PI, 0};
  }

  @Override
  public double gate(double u) {
    return SpecialFunctions.normalCdf(u);
  }

  @Override
  public double gateD1(double u) {
    return SpecialFunctions.normalPdf(u);
  }

  /** Φ''(u) = −u φ(u). */
  @Override
  public double gateD2(double u) {
    double phi = SpecialFunctions.normalPdf(u);
    return phi == 0 ? 0 : -u * phi;
  }
}
