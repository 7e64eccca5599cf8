package org.finwidth.activation;

import java.util.OptionalDouble;

/** σ(z) = tanh z; K* = 0 class with a_1 = −2 (docs/theory.md §4.2). */
public record Tanh() implements Activation {
  /** Catalogue name. */
  public static final String NAME = "tanh";

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
    return Math.tanh(z);
  }

  /** sech² z = 4e/(1+e)² with e = exp(−2|z|): keeps relative accuracy where 1 − tanh² z = 0. */
  @Override
  public double d1(double z) {
    double e = Math.exp(-2 * Math.abs(z));
    double d = 1 + e;
    return 4 * e / (d * d);
  }

  /** −2 tanh z sech² z. */
  @Override
  public double d2(double z) {
    double s = d1(z);
    return s == 0 ? 0 : -2 * Math.tanh(z) * s;
  }

  @Override
  public double[] kinks() {
    return new double[0];
  }

  /** {0, 1, 0, −2}. */
  @Override
  public double[] derivativesAtZero() {
    return new double[] {0, 1, 0, -2};
  }

  @Override
  public OptionalDouble homogeneity() {
    return OptionalDouble.empty();
  }
}
