package org.finwidth.activation;

/**
 * The tanh approximation of GELU with a temperature:
 * σ_T(z) = (z/2)(1 + tanh(√(2/π)(u + 0.044715u³))), u = z/T (docs/theory.md §7.1). Evaluated as
 * z·s(2g(u)) with s the logistic and g(u) = √(2/π)(u + 0.044715u³) (1 + tanh x = 2 s(2x)), which
 * keeps relative accuracy for negative z. Same Taylor data at 0 as GELU to third order.
 *
 * @param T the temperature, finite, T &gt; 0 (default 1); σ_T(z) = T σ_1(z/T) → ReLU as T → 0
 */
public record GeluTanh(double T) implements GatedActivation {
  /** Catalogue name. */
  public static final String NAME = "gelu-tanh";
  /** The cubic coefficient of the tanh approximation. */
  public static final double CUBIC = 0.044715;

  /**
   * A GeluTanh of temperature T.
   *
   * @throws IllegalArgumentException unless T is finite and &gt; 0
   */
  public GeluTanh {
    T = Params.positive(NAME, "T", T);
  }

  /** The activation at temperature 1. */
  public GeluTanh() {
    this(DEFAULT_T);
  }

  @Override
  public String name() {
    return NAME;
  }

  /** With h(u) = s(2g(u)): {h(0), h'(0), h''(0)} = {1/2, √(2/π)/2, 0}, σ = {0, 1/2, √(2/π)/T, 0}. */
  @Override
  public double[] gateAtZero() {
    return new double[] {0.5, 0.5 * SpecialFunctions.SQRT_2_OVER_PI, 0};
  }

  /** 2 g(u) = 2√(2/π) u (1 + 0.044715 u²). */
  private static double twoG(double u) {
    return 2 * SpecialFunctions.SQRT_2_OVER_PI * u * (1 + CUBIC * u * u);
  }

  @Override
  public double gate(double u) {
    return SpecialFunctions.logistic(twoG(u));
  }

  /** h' = s'(2g) 2g'. */
  @Override
  public double gateD1(double u) {
    double sp = SpecialFunctions.logisticD1(twoG(u));
    return sp == 0 ? 0 : sp * 2 * SpecialFunctions.SQRT_2_OVER_PI * (1 + 3 * CUBIC * u * u);
  }

  /** h'' = s''(2g) (2g')² + s'(2g) 2g''. */
  @Override
  public double gateD2(double u) {
    double x = twoG(u);
    double sp = SpecialFunctions.logisticD1(x);
    if (sp == 0) {
      return 0; // s'' vanishes with s'; avoids 0 * Infinity for huge |u|
    }
    double g1 = 2 * SpecialFunctions.SQRT_2_OVER_PI * (1 + 3 * CUBIC * u * u);
    double g2 = 2 * SpecialFunctions.SQRT_2_OVER_PI * 6 * CUBIC * u;
    return SpecialFunctions.logisticD2(x) * g1 * g1 + sp * g2;
  }
}
