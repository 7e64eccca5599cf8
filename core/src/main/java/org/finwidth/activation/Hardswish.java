package org.finwidth.activation;

import java.util.OptionalDouble;

/**
 * Hard swish σ(z) = z·min(max(z + 3, 0), 6)/6 (Howard et al., "Searching for MobileNetV3",
 * arXiv:1905.02244): 0 for z ≤ −3, z(z + 3)/6 between, z for z ≥ 3. Kinks at ±3 (σ' jumps from 1.5
 * to 1 at 3; σ'' from 1/3 to 0 at both). Taylor data {0, 1/2, 1/3, 0}, a_1 = 1/3 &gt; 0:
 * half-stable class (docs/theory.md §7.5).
 */
public record Hardswish() implements Activation {
  /** Catalogue name. */
  public static final String NAME = "hardswish";

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
    if (z >= 3) {
      return z;
    }
    return z <= -3 ? 0 : (z == z ? z * (z + 3) / 6 : z);
  }

  @Override
  public double d1(double z) {
    if (z > 3) {
      return 1;
    }
    return z <= -3 ? 0 : (z == z ? (2 * z + 3) / 6 : z);
  }

  @Override
  public double d2(double z) {
    if (z > 3 || z <= -3) {
      return 0;
    }
    return z == z ? 1.0 / 3 : z;
  }

  /** {−3, 3}. */
  @Override
  public double[] kinks() {
    return new double[] {-3, 3};
  }

  /** {0, 1/2, 1/3, 0}. */
  @Override
  public double[] derivativesAtZero() {
    return new double[] {0, 0.5, 1.0 / 3, 0};
  }

  @Override
  public OptionalDouble homogeneity() {
    return OptionalDouble.empty();
  }
}
