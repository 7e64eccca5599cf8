package org.finwidth.activation;

/**
 * AlgebraicLU with a temperature: σ_T(z) = (z/2)(1 + u/√(1+u²)), u = z/T, the algebraic-sigmoid
 * gate (docs/theory.md §7.1, [UNCONFIRMED] form: the natural algebraic gate; the paper's exact form was
 * not found). The gate is evaluated as 1/(2r(r−u)) for u &lt; 0 and 1 − 1/(2r(r+u)) for u ≥ 0,
 * r = √(1+u²), so neither tail cancels.
 *
 * @param T the temperature, finite, T &gt; 0 (default 1); σ_T(z) = T σ_1(z/T) → ReLU as T → 0
 */
public record AlgebraicLU(double T) implements GatedActivation {
  /** Catalogue name. */
  public static final String NAME = "algebraiclu";

  /**
   * An AlgebraicLU of temperature T.
   *
   * @throws IllegalArgumentException unless T is finite and &gt; 0
   */
  public AlgebraicLU {
    T = Params.positive(NAME, "T", T);
  }

  /** The activation at temperature 1. */
  public AlgebraicLU() {
    this(DEFAULT_T);
  }

  @Override
  public String name() {
    return NAME;
  }

  /** {h(0), h'(0), h''(0)} = {1/2, 1/2, 0}: σ = {0, 1/2, 1/T, 0} at 0. */
  @Override
  public double[] gateAtZero() {
    return new double[] {0.5, 0.5, 0};
  }

  /** √(1+u²) without overflow. */
  private static double r(double u) {
    double a = Math.abs(u);
    return a < 1e150 ? Math.sqrt(1 + a * a) : a;
  }

  @Override
  public double gate(double u) {
    double r = r(u);
    return u < 0 ? 1 / (2 * r * (r - u)) : (u >= 0 ? 1 - 1 / (2 * r * (r + u)) : u);
  }

  /** h' = (1+u²)^(−3/2)/2. */
  @Override
  public double gateD1(double u) {
    double w = 1 / r(u);
    return 0.5 * w * w * w;
  }

  /** h'' = −(3/2) u (1+u²)^(−5/2). */
  @Override
  public double gateD2(double u) {
    if (Double.isInfinite(u)) {
      return 0;
    }
    double w = 1 / r(u);
    double w2 = w * w;
    return -1.5 * (u * w) * w2 * w2;
  }
}
