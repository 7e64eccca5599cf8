package org.finwidth.activation;

import java.util.OptionalDouble;

/**
 * The rectifier σ(z) = max(0, z); scale-invariant class, critical at C_b = 0, C_W = 2
 * (docs/theory.md §4.1). Kink at 0, where d1 and d2 take their left-hand limit 0.
 */
public record Relu() implements Activation {
  /** Catalogue name. */
  public static final String NAME = "relu";

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
    return Math.max(0.0, z); // NaN propagates; -0.0 -> 0.0
  }

  @Override
  public double d1(double z) {
    return z > 0 ? 1 : (z <= 0 ? 0 : z);
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

  /** {0, NaN, NaN, NaN}: σ is not differentiable at 0. */
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
