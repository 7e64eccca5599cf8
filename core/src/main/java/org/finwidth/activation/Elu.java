package org.finwidth.activation;

import java.util.OptionalDouble;

/**
 * ELU σ(z) = z for z &gt; 0, a(e^z − 1) for z ≤ 0 (Clevert, Unterthiner &amp; Hochreiter,
 * arXiv:1511.07289), a &gt; 0 (default 1). Kink at 0: σ' is continuous only for a = 1 (then σ''
 * jumps from 1 to 0). K* = 0 class with a non-analytic approach: at C_b = 0, C_W = 2/(1 + a²),
 * C_W⟨σ²⟩_K − K ≈ −c K^{3/2} (docs/theory.md §7.5).
 *
 * @param a the scale of the negative branch, finite, a &gt; 0
 */
public record Elu(double a) implements Activation {
  /** Catalogue name. */
  public static final String NAME = "elu";
  /** Default scale. */
  public static final double DEFAULT_A = 1;

  /**
   * ELU with scale a.
   *
   * @throws IllegalArgumentException unless a is finite and &gt; 0
   */
  public Elu {
    a = Params.positive(NAME, "a", a);
  }

  /** ELU with a = 1. */
  public Elu() {
    this(DEFAULT_A);
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public String spec() {
    return Params.spec(NAME, new String[] {"a"}, new double[] {a}, new double[] {DEFAULT_A});
  }

  @Override
  public double value(double z) {
    return ExponentialUnits.value(z, 1, a, 1);
  }

  @Override
  public double d1(double z) {
    return ExponentialUnits.d1(z, 1, a, 1);
  }

  @Override
  public double d2(double z) {
    return ExponentialUnits.d2(z, 1, a, 1);
  }

  /** {0}. */
  @Override
  public double[] kinks() {
    return new double[] {0};
  }

  /** {0, 1, NaN, NaN} for a = 1 (σ' continuous, σ'' not), else {0, NaN, NaN, NaN}. */
  @Override
  public double[] derivativesAtZero() {
    return new double[] {0, a == 1 ? 1 : Double.NaN, Double.NaN, Double.NaN};
  }

  @Override
  public OptionalDouble homogeneity() {
    return OptionalDouble.empty();
  }
}
