package org.finwidth.activation;

import java.util.OptionalDouble;

/**
 * σ(z) = erf(a z) with scale {@code a} &gt; 0 (default 1); K* = 0 class with a_1 = −2a²
 * (docs/theory.md §4.2). Closed forms of its Gaussian averages in docs/theory.md §2.1.
 *
 * @param a the scale, finite, a &gt; 0
 */
public record Erf(double a) implements Activation {
  /** Catalogue name. */
  public static final String NAME = "erf";
  /** Default scale. */
  public static final double DEFAULT_A = 1;

  /**
   * erf(a z) with scale a.
   *
   * @throws IllegalArgumentException unless a is finite and &gt; 0
   */
  public Erf {
    a = Params.positive(NAME, "a", a);
  }

  /** erf(z). */
  public Erf() {
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
    return SpecialFunctions.erf(a * z);
  }

  /** (2a/√π) exp(−a²z²). */
  @Override
  public double d1(double z) {
    return a * SpecialFunctions.TWO_OVER_SQRT_PI * SpecialFunctions.expMinusSquare(a * z);
  }

  /** −2a²z σ'(z). */
  @Override
  public double d2(double z) {
    double d1 = d1(z);
    return d1 == 0 ? 0 : -2 * a * a * z * d1;
  }

  @Override
  public double[] kinks() {
    return new double[0];
  }

  /** {0, 2a/√π, 0, −4a³/√π}. */
  @Override
  public double[] derivativesAtZero() {
    double s1 = a * SpecialFunctions.TWO_OVER_SQRT_PI;
    return new double[] {0, s1, 0, -2 * a * a * s1};
  }

  @Override
  public OptionalDouble homogeneity() {
    return OptionalDouble.empty();
  }

  /** 1/a: erf(a z) saturates over |z| ≈ 1/a. */
  @Override
  public double featureScale() {
    return 1 / a;
  }
}
