package org.finwidth.activation;

import java.util.OptionalDouble;

/**
 * The rectified power unit σ(z) = max(0, z)^p for a real p ≥ 1 (default 2; p = 1 is ReLU).
 * Positively homogeneous of degree p; no criticality (χ_⊥/χ_∥ = p/(2p−1), docs/theory.md §4.4, §7.3);
 * exact finite-width moments for integer p (docs/theory.md §6.1).
 *
 * <p>0 is a kink for every p: σ is C^(⌈p⌉−1) there but never analytic (for integer p ≥ 3 it is
 * C² at 0, yet σ^(p) jumps). For 1 &lt; p &lt; 2, σ''(0+) is infinite; d2 returns its left-hand
 * limit 0 at z = 0 like every kink.
 *
 * @param p the power, finite, p ≥ 1
 */
public record Repu(double p) implements Activation {
  /** Catalogue name. */
  public static final String NAME = "repu";
  /** Default power (ReQU). */
  public static final double DEFAULT_P = 2;

  /**
   * max(0, z)^p.
   *
   * @throws IllegalArgumentException unless p is finite and ≥ 1
   */
  public Repu {
    p = Params.atLeast(NAME, "p", p, 1);
  }

  /** max(0, z)². */
  public Repu() {
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
    return z > 0 ? Math.pow(z, p) : (z <= 0 ? 0 : z);
  }

  @Override
  public double d1(double z) {
    return z > 0 ? p * Math.pow(z, p - 1) : (z <= 0 ? 0 : z);
  }

  @Override
  public double d2(double z) {
    if (z > 0) {
      return p == 1 ? 0 : p * (p - 1) * Math.pow(z, p - 2);
    }
    return z <= 0 ? 0 : z;
  }

  /** {0}. */
  @Override
  public double[] kinks() {
    return new double[] {0};
  }

  /**
   * σ_k = 0 for k &lt; p, NaN for k ≥ p (the p-th derivative jumps at 0 for integer p, and for
   * non-integer p the derivatives of order above p blow up at 0+).
   */
  @Override
  public double[] derivativesAtZero() {
    double[] s = new double[4];
    for (int k = 0; k < 4; k++) {
      s[k] = k < p ? 0 : Double.NaN;
    }
    return s;
  }

  /** p. */
  @Override
  public OptionalDouble homogeneity() {
    return OptionalDouble.of(p);
  }
}
