package org.finwidth.activation;

/**
 * GumbelLU with a temperature: σ_T(z) = z·exp(−exp(−z/T)), the Gumbel-CDF gate (docs/theory.md
 * §7.1, [UNCONFIRMED]: one public version has x·exp(−exp(x/T)), which tends to min(0, x); this
 * form is the one that relaxes ReLU). As docs/theory.md §9.3 asks, the double exponential is cut off
 * in the far tail: where exp(−u) &gt; 400 (gate below e^−400 ≈ 1.9e−174, u &lt; −ln 400 ≈ −5.99)
 * the gate and its derivatives are exactly 0.
 *
 * @param T the temperature, finite, T &gt; 0 (default 1); σ_T(z) = T σ_1(z/T) → ReLU as T → 0
 */
public record GumbelLU(double T) implements GatedActivation {
  /** Catalogue name. */
  public static final String NAME = "gumbellu";
  /** The gate is set to 0 where exp(−u) exceeds this (docs/theory.md §9.3). */
  public static final double GATE_CUTOFF = 400;
  private static final double INV_E = Math.exp(-1);

  /**
   * A GumbelLU of temperature T.
   *
   * @throws IllegalArgumentException unless T is finite and &gt; 0
   */
  public GumbelLU {
    T = Params.positive(NAME, "T", T);
  }

  /** The activation at temperature 1. */
  public GumbelLU() {
    this(DEFAULT_T);
  }

  @Override
  public String name() {
    return NAME;
  }

  /** {h(0), h'(0), h''(0)} = {1/e, 1/e, 0}: σ = {0, 1/e, 2/(eT), 0} at 0. */
  @Override
  public double[] gateAtZero() {
    return new double[] {INV_E, INV_E, 0};
  }

  @Override
  public double gate(double u) {
    double e = Math.exp(-u);
    return e > GATE_CUTOFF ? 0 : Math.exp(-e);
  }

  /** h' = h e^−u. */
  @Override
  public double gateD1(double u) {
    double e = Math.exp(-u);
    return e > GATE_CUTOFF ? 0 : Math.exp(-e) * e;
  }

  /** h'' = h e^−u (e^−u − 1). */
  @Override
  public double gateD2(double u) {
    double e = Math.exp(-u);
    return e > GATE_CUTOFF ? 0 : Math.exp(-e) * e * (e - 1);
  }
}
