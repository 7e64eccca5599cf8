package org.finwidth.activation;

import java.util.OptionalDouble;

/**
 * CELU σ(z) = z for z &gt; 0, a(e^{z/a} − 1) for z ≤ 0 (Barron, arXiv:1704.07483), a &gt; 0
 * (default 1; celu:a=1 is elu). Continuously differentiable for every a (σ'(0) = 1), σ'' jumps
 * from 1/a to 0 at the kink 0. K* = 0 class with a non-analytic approach at C_b = 0, C_W = 1
 * (docs/theory.md §7.5).
 *
 * @param a the scale, finite, a &gt; 0
 */
public record Celu(double a) implements Activation {
  /** Catalogue name. */
  public static final String NAME = "celu";
  /** Default scale. */
  public static final double DEFAULT_A = 1;

  /**
   * CELU with scale a.
   *
   * @throws IllegalArgumentException unless a is finite and &gt; 0
   */
  public Celu {
    a = Params.positive(NAME, "a", a);
  }

  /** CELU with a = 1. */
  public Celu() {
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
    return ExponentialUnits.value(z, 1, a, 1 / a);
  }

  @Override
  public double d1(double z) {
    return ExponentialUnits.d1(z, 1, a, 1 / a);
  }

  @Override
  public double d2(double z) {
    return ExponentialUnits.d2(z, 1, a, 1 / a);
  }

  /** {0}. */
  @Override
  public double[] kinks() {
    return new double[] {0};
  }

  /** {0, 1, NaN, NaN}: σ' = 1 from both sides, σ'' is 1/a on the left and 0 on the right. */
  @Override
  public double[] derivativesAtZero() {
    return new double[] {0, 1, Double.NaN, Double.NaN};
  }

  @Override
  public OptionalDouble homogeneity() {
    return OptionalDouble.empty();
  }
}
