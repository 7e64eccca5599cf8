package org.finwidth.activation;

import java.util.OptionalDouble;

/** σ(z) = ln(1 + e^z); no criticality (σ &gt; 0, σ'' &gt; 0, docs/theory.md §4.4). */
public record Softplus() implements Activation {
  /** Catalogue name. */
  public static final String NAME = "softplus";

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public String spec() {
    return NAME;
  }

  /** max(z, 0) + log1p(e^−|z|): no overflow, full accuracy in both tails. */
  @Override
  public double value(double z) {
    return Math.max(z, 0) + Math.log1p(Math.exp(-Math.abs(z)));
  }

  /** The logistic sigmoid. */
  @Override
  public double d1(double z) {
    return SpecialFunctions.logistic(z);
  }

  @Override
  public double d2(double z) {
    return SpecialFunctions.logisticD1(z);
  }

  @Override
  public double[] kinks() {
    return new double[0];
  }

  /** {ln 2, 1/2, 1/4, 0}. */
  @Override
  public double[] derivativesAtZero() {
    return new double[] {Math.log(2), 0.5, 0.25, 0};
  }

  @Override
  public OptionalDouble homogeneity() {
    return OptionalDouble.empty();
  }
}
