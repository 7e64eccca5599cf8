package org.finwidth.activation;

import java.util.OptionalDouble;

/** The logistic σ(z) = 1/(1 + e^−z); no criticality (σ_0 = 1/2, docs/theory.md §4.4). */
public record Sigmoid() implements Activation {
  /** Catalogue name. */
  public static final String NAME = "sigmoid";

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
    return SpecialFunctions.logistic(z);
  }

  @Override
  public double d1(double z) {
    return SpecialFunctions.logisticD1(z);
  }

  @Override
  public double d2(double z) {
    return SpecialFunctions.logisticD2(z);
  }

  @Override
  public double[] kinks() {
    return new double[0];
  }

  /** {1/2, 1/4, 0, −1/8} (σ = 1/2 + tanh(z/2)/2). */
  @Override
  public double[] derivativesAtZero() {
    return new double[] {0.5, 0.25, 0, -0.125};
  }

  @Override
  public OptionalDouble homogeneity() {
    return OptionalDouble.empty();
  }
}
