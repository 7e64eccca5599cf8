package org.finwidth.activation;

import java.util.OptionalDouble;

/**
 * Leaky ReLU σ(z) = z for z ≥ 0, a·z for z &lt; 0, with negative slope {@code a} in [0, 1)
 * (default 0.01). Scale-invariant class, critical at C_b = 0, C_W = 2/(1 + a²) (docs/theory.md §4.1).
 *
 * <p>Domain: a = 0 is relu; a = 1 would be linear and a &gt; 1 or a &lt; 0 (|z|-like, non-monotone)
 * are not leaky rectifiers, so they are rejected; use {@code linear} for a = 1.
 *
 * @param a the negative-side slope, finite, 0 ≤ a &lt; 1
 */
public record Leaky(double a) implements Activation {
  /** Catalogue name. */
  public static final String NAME = "leaky";
  /** Default negative slope. */
  public static final double DEFAULT_A = 0.01;

  /**
   * A leaky ReLU of negative slope a.
   *
   * @throws IllegalArgumentException unless 0 ≤ a &lt; 1
   */
  public Leaky {
    a = Params.finite(NAME, "a", a);
    if (!(a >= 0 && a < 1)) {
      throw Params.domain(NAME, "a", "in [0, 1)", a);
    }
  }

  /** Leaky ReLU with the default slope 0.01. */
  public Leaky() {
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
    if (z >= 0) {
      return z;
    }
    return a == 0 && z < 0 ? 0 : a * z; // a = 0: the limit at -Infinity is 0, not 0 * -Infinity
  }

  @Override
  public double d1(double z) {
    return z > 0 ? 1 : (z <= 0 ? a : z);
  }

  @Override
  public double d2(double z) {
    return z == z ? 0 : z;
  }

  /** {0}. */
  @Override
  public double[] kinks() {
    return new double[] {0};
  }

  /** {0, NaN, NaN, NaN}. */
  @Override
  public double[] derivativesAtZero() {
    return new double[] {0, Double.NaN, Double.NaN, Double.NaN};
  }

  /** 1. */
  @Override
  public OptionalDouble homogeneity() {
    return OptionalDouble.of(1);
  }
}
