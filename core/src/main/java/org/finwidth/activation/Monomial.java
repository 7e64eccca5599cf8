package org.finwidth.activation;

import java.util.OptionalDouble;

/**
 * The monomial σ(z) = z^p for an integer p ≥ 1 (default 2); no criticality for p ≥ 2 (docs/theory.md
 * §4.4). Positively homogeneous of degree p; Gaussian averages ⟨σ²⟩_K = (2p−1)!! K^p.
 *
 * @param p the power, an integer ≥ 1
 */
public record Monomial(int p) implements Activation {
  /** Catalogue name. */
  public static final String NAME = "monomial";
  /** Default power. */
  public static final int DEFAULT_P = 2;

  /**
   * z^p for an integer p.
   *
   * @throws IllegalArgumentException unless p ≥ 1
   */
  public Monomial {
    if (p < 1) {
      throw new IllegalArgumentException(NAME + ": parameter p must be an integer >= 1, got " + p);
    }
  }

  /** z². */
  public Monomial() {
    this(DEFAULT_P);
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public String spec() {
    return Params.spec(NAME, new String[] {"p"}, new double[] {p}, new double[] {DEFAULT_P});
  }

  @Override
  public double value(double z) {
    return Math.pow(z, p); // integral exponent: exact sign for negative z, within 1 ulp
  }

  @Override
  public double d1(double z) {
    return z == z ? p * Math.pow(z, p - 1) : z; // pow(NaN, 0) would be 1
  }

  @Override
  public double d2(double z) {
    if (z != z) {
      return z; // pow(NaN, 0) would be 1
    }
    return p == 1 ? 0 : (double) p * (p - 1) * Math.pow(z, p - 2);
  }

  @Override
  public double[] kinks() {
    return new double[0];
  }

  /** σ_k = k! for k = p, else 0 (k = 0..3). */
  @Override
  public double[] derivativesAtZero() {
    double[] s = new double[4];
    if (p <= 3) {
      s[p] = p == 3 ? 6 : p; // p! for p = 1, 2, 3
    }
    return s;
  }

  /** p. */
  @Override
  public OptionalDouble homogeneity() {
    return OptionalDouble.of(p);
  }
}
