package org.finwidth.activation;

import java.util.OptionalDouble;

/**
 * Softsign σ(z) = z/(1 + |z|) (Bergstra et al. 2009; Glorot &amp; Bengio 2010). σ' = 1/(1 + |z|)²,
 * σ'' = −2 sign(z)/(1 + |z|)³: a kink at 0, where σ'' jumps from 2 to −2 (left-hand limit 2).
 * K* = 0 class with a non-analytic approach at C_b = 0, C_W = 1 (docs/theory.md §7.5).
 */
public record Softsign() implements Activation {
  /** Catalogue name. */
  public static final String NAME = "softsign";

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
    if (Double.isInfinite(z)) {
      return Math.signum(z);
    }
    return z / (1 + Math.abs(z));
  }

  @Override
  public double d1(double z) {
    double d = 1 + Math.abs(z);
    return 1 / (d * d);
  }

  @Override
  public double d2(double z) {
    double d = 1 + Math.abs(z);
    return (z > 0 ? -2 : (z <= 0 ? 2 : z)) / (d * d * d);
  }

  /** {0}. */
  @Override
  public double[] kinks() {
    return new double[] {0};
  }

  /** {0, 1, NaN, NaN}: σ' = 1 from both sides, σ'' is 2 on the left and −2 on the right. */
  @Override
  public double[] derivativesAtZero() {
    return new double[] {0, 1, Double.NaN, Double.NaN};
  }

  @Override
  public OptionalDouble homogeneity() {
    return OptionalDouble.empty();
  }
}
