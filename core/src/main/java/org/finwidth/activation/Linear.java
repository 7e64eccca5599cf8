package org.finwidth.activation;

import java.util.OptionalDouble;

/**
 * The identity σ(z) = z. The network is then Gaussian-linear; scale-invariant class, critical at
 * C_b = 0, C_W = 1 (docs/theory.md §4.1).
 */
public record Linear() implements Activation {
  /** Catalogue name. */
  public static final String NAME = "linear";

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
    return z;
  }

  @Override
  public double d1(double z) {
    return z == z ? 1 : z; // NaN in, NaN out
  }

  @Override
  public double d2(double z) {
    return z == z ? 0 : z;
  }

  @Override
  public double[] kinks() {
    return new double[0];
  }

  /** {0, 1, 0, 0}. */
  @Override
  public double[] derivativesAtZero() {
    return new double[] {0, 1, 0, 0};
  }

  /** 1. */
  @Override
  public OptionalDouble homogeneity() {
    return OptionalDouble.of(1);
  }
}
