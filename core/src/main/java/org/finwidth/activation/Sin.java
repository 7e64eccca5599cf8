package org.finwidth.activation;

import java.util.OptionalDouble;

/** σ(z) = sin z; K* = 0 class with a_1 = −1 (docs/theory.md §4.2). No limit at ±Infinity (NaN). */
public record Sin() implements Activation {
  /** Catalogue name. */
  public static final String NAME = "sin";

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
    return Math.sin(z);
  }

  @Override
  public double d1(double z) {
    return Math.cos(z);
  }

  @Override
  public double d2(double z) {
    return -Math.sin(z);
  }

  @Override
  public double[] kinks() {
    return new double[0];
  }

  /** {0, 1, 0, −1}. */
  @Override
  public double[] derivativesAtZero() {
    return new double[] {0, 1, 0, -1};
  }

  @Override
  public OptionalDouble homogeneity() {
    return OptionalDouble.empty();
  }
}
