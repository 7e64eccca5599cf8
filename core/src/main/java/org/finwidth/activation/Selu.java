package org.finwidth.activation;

import java.util.OptionalDouble;

/**
 * SELU σ(z) = λz for z &gt; 0, λα(e^z − 1) for z ≤ 0 with the published constants
 * λ = 1.0507009873554805, α = 1.6732632423543772 (Klambauer et al., "Self-normalizing neural
 * networks", arXiv:1706.02515, eq. 2 and the fixed point (μ, ν) = (0, 1)). Kink at 0, where σ'
 * jumps from λα to λ. K* = 0 class with a non-analytic approach at C_b = 0,
 * C_W = 2/(λ²(1 + α²)) (docs/theory.md §7.5).
 */
public record Selu() implements Activation {
  /** Catalogue name. */
  public static final String NAME = "selu";
  /** λ of the paper (its 1.0507009873554804934193349852946 rounded to double). */
  public static final double LAMBDA = 1.0507009873554805;
  /** α of the paper (its 1.6732632423543772848170429916717 rounded to double). */
  public static final double ALPHA = 1.6732632423543772;

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
    return ExponentialUnits.value(z, LAMBDA, ALPHA, 1);
  }

  @Override
  public double d1(double z) {
    return ExponentialUnits.d1(z, LAMBDA, ALPHA, 1);
  }

  @Override
  public double d2(double z) {
    return ExponentialUnits.d2(z, LAMBDA, ALPHA, 1);
  }

  /** {0}. */
  @Override
  public double[] kinks() {
    return new double[] {0};
  }

  /** {0, NaN, NaN, NaN}: σ' jumps at 0. */
  @Override
  public double[] derivativesAtZero() {
    return new double[] {0, Double.NaN, Double.NaN, Double.NaN};
  }

  @Override
  public OptionalDouble homogeneity() {
    return OptionalDouble.empty();
  }
}
