package org.finwidth.activation;

import java.util.OptionalDouble;

/**
 * GumbelLU with a temperature: σ_T(z) = z·exp(−exp(−z/T)), the Gumbel-CDF gate (docs/theory.md
 * §7.1, [UNCONFIRMED]: one public version has x·exp(−exp(x/T)), which tends to min(0, x); this
 * form is the one that relaxes ReLU). As docs/theory.md §9.3 asks, the double exponential is cut off
 * in the far tail: where exp(−u) &gt; 400 (gate below e^−400 ≈ 1.9e−174, u &lt; −ln 400 ≈ −5.99)
 * the gate and its derivatives are exactly 0.
 *
 * @param T the temperature, finite, T &gt; 0 (default 1); σ_T(z) = T σ_1(z/T) → ReLU as T → 0
 */
public record GumbelLU(double T) implements Activation {
  /** Catalogue name. */
  public static final String NAME = "gumbellu";
  /** Default temperature. */
  public static final double DEFAULT_T = 1;
  /** The gate is set to 0 where exp(−u) exceeds this (docs/theory.md §9.3). */
  public static final double GATE_CUTOFF = 400;
  private static final double INV_E = Math.exp(-1);

  /** @throws IllegalArgumentException unless T is finite and &gt; 0 */
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

  /** {0, 1/e, 2/(eT), 0}: h(0) = h'(0) = 1/e, h''(0) = 0. */
  @Override
  public double[] derivativesAtZero() {
    return Gated.derivativesAtZero(INV_E, INV_E, 0, T);
  }

  @Override
  public OptionalDouble homogeneity() {
    return OptionalDouble.empty();
  }

  private static double gate(double u) {
    double e = Math.exp(-u);
    return e > GATE_CUTOFF ? 0 : Math.exp(-e);
  }

  /** h' = h e^−u. */
  private static double gate1(double u) {
    double e = Math.exp(-u);
    return e > GATE_CUTOFF ? 0 : Math.exp(-e) * e;
  }

  /** h'' = h e^−u (e^−u − 1). */
  private static double gate2(double u) {
    double e = Math.exp(-u);
    return e > GATE_CUTOFF ? 0 : Math.exp(-e) * e * (e - 1);
  }
}
