package org.finwidth.activation;

/**
 * The algebra shared by the gated activations σ_T(z) = z·h(z/T) (swish, gelu, gelu-tanh,
 * gudermanlu, algebraiclu, gumbellu; docs/theory.md §7.1). With u = z/T:
 * <pre>
 *   σ   = z h(u)
 *   σ'  = h(u) + u h'(u)
 *   σ'' = (2 h'(u) + u h''(u)) / T
 *   σ_p(0) = p h^(p-1)(0) / T^(p-1)       (so σ_T^(p)(0) = T^(1-p) σ_1^(p)(0), docs/theory.md §7.2)
 * </pre>
 * A vanishing gate factor wins over an infinite u, so that the limits at ±Infinity come out
 * (z h(z) → 0 as h → 0) instead of {@code Infinity * 0 = NaN}.
 */
final class Gated {
  private Gated() {}

  static double value(double z, double h) {
    return Params.timesGate(z, h);
  }

  static double d1(double u, double h, double h1) {
    return h + Params.timesGate(u, h1);
  }

  static double d2(double u, double h1, double h2, double temperature) {
    return (2 * h1 + Params.timesGate(u, h2)) / temperature;
  }

  /** {0, h(0), 2h'(0)/T, 3h''(0)/T²}. */
  static double[] derivativesAtZero(double h0, double h1, double h2, double temperature) {
    return new double[] {0, h0, 2 * h1 / temperature, 3 * h2 / (temperature * temperature)};
  }
}
