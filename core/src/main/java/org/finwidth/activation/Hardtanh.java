package org.finwidth.activation;

import java.util.OptionalDouble;

/**
 * Hard tanh σ(z) = max(−1, min(1, z)): kinks at ±1, σ' = 1 on (−1, 1] and 0 elsewhere (left-hand
 * limits), σ'' = 0. Linear near 0, so σ = {0, 1, 0, 0} and a_1 = 0: at C_b = 0, C_W = 1,
 * C_W⟨σ²⟩_K − K = −⟨(z² − 1)1{|z| &gt; 1}⟩_K is negative but vanishes faster than any power of K:
 * K* = 0, approached from above more slowly than any power law (docs/theory.md §7.5).
 */
public record Hardtanh() implements Activation {
  /** Catalogue name. */
  public static final String NAME = "hardtanh";

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public String spec() {
    return NAME;
  }

  @Override
  public double value(double z) {
    return z > 1 ? 1 : (z < -1 ? -1 : z);
  }

  @Override
  public double d1(double z) {
    return z > -1 && z <= 1 ? 1 : (z == z ? 0 : z);
  }

  @Override
  public double d2(double z) {
    return z == z ? 0 : z;
  }

  /** {−1, 1}. */
  @Override
  public double[] kinks() {
    return new double[] {-1, 1};
  }

  /** {0, 1, 0, 0}. */
  @Override
  public double[] derivativesAtZero() {
    return new double[] {0, 1, 0, 0};
  }

  @Override
  public OptionalDouble homogeneity() {
    return OptionalDouble.empty();
  }
}
