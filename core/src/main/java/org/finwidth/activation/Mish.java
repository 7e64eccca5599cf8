package org.finwidth.activation;

import java.util.OptionalDouble;

/**
 * Mish σ(z) = z·tanh(softplus(z)) (Misra, arXiv:1908.08681). With w = e^z the gate is
 * g = tanh(log(1 + w)) = n/(n + 2), n = w(w + 2), and for z &gt; 0 with u = e^{−z}
 * g = (1 + 2u)/(1 + 2u + 2u²): one exponential, no cancellation, no overflow in either tail.
 * σ = z g, σ' = g + z g', σ'' = 2g' + z g''. Taylor data {0, 3/5, 16/25, −12/125}, a_1 = 52/75 &gt; 0:
 * half-stable class (docs/theory.md §7.5).
 */
public record Mish() implements Activation {
  /** Catalogue name. */
  public static final String NAME = "mish";

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public String spec() {
    return NAME;
  }

  /** {g, g', g''} at z. */
  static double[] gate(double z) {
    if (z > 0) {
      double u = Math.exp(-z);
      double q = 1 + 2 * u + 2 * u * u;
      double g = (1 + 2 * u) / q;
      double u2 = u * u;
      double g1 = 4 * u2 * (1 + u) / (q * q);
      double g2 = (-8 * u2 - 12 * u2 * u) / (q * q) + 2 * (4 * u2 + 4 * u2 * u) * (2 * u + 4 * u2) / (q * q * q);
      return new double[] {g, g1, g2};
    }
    if (!(z <= 0)) {
      return new double[] {z, z, z};
    }
    double w = Math.exp(z);
    double n = w * (w + 2);
    double d = n + 2;
    double g = n / d;
    double g1 = 4 * w * (w + 1) / (d * d);
    double g2 = 4 * w * (2 * w + 1) / (d * d) - 16 * w * w * (w + 1) * (w + 1) / (d * d * d);
    return new double[] {g, g1, g2};
  }

  @Override
  public double value(double z) {
    double g = gate(z)[0];
    return g == 0 ? 0 : z * g; // −∞·0 at −∞: the limit 0
  }

  @Override
  public double d1(double z) {
    double[] g = gate(z);
    return g[0] + (g[1] == 0 ? 0 : z * g[1]);
  }

  @Override
  public double d2(double z) {
    double[] g = gate(z);
    return 2 * g[1] + (g[2] == 0 ? 0 : z * g[2]);
  }

  @Override
  public double[] kinks() {
    return new double[0];
  }

  /** {0, 3/5, 16/25, −12/125}: g(0) = 3/5, g'(0) = 8/25, g''(0) = −4/125. */
  @Override
  public double[] derivativesAtZero() {
    return new double[] {0, 0.6, 0.64, -0.096};
  }

  @Override
  public OptionalDouble homogeneity() {
    return OptionalDouble.empty();
  }
}
