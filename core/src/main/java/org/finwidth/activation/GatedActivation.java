package org.finwidth.activation;

import java.util.OptionalDouble;

/**
 * The gated form σ_T(z) = z·h(z/T) shared by swish, gelu, gelu-tanh, gudermanlu, algebraiclu and
 * gumbellu (docs/theory.md §7.1): each record supplies its temperature and its gate h with h', h''
 * and their values at 0; everything else is derived here once. With u = z/T:
 * <pre>
 *   σ   = z h(u)
 *   σ'  = h(u) + u h'(u)
 *   σ'' = (2 h'(u) + u h''(u)) / T
 *   σ_p(0) = p h^(p-1)(0) / T^(p-1)       (so σ_T^(p)(0) = T^(1-p) σ_1^(p)(0), docs/theory.md §7.2)
 * </pre>
 * A vanishing gate factor wins over an infinite z or u, so that the limits at ±Infinity come out
 * (z h(z) → 0 as h → 0) instead of {@code Infinity * 0 = NaN}. No kinks, no homogeneity, spec
 * {@code name} or {@code name:T=value}.
 */
public sealed interface GatedActivation extends Activation
    permits Swish, Gelu, GeluTanh, GudermanLU, AlgebraicLU, GumbelLU {

  /** Default temperature of every gated activation. */
  double DEFAULT_T = 1;

  /** The temperature T &gt; 0. */
  double T();

  /** The gate h(u), in [0, 1], with h(−∞) = 0 and h(+∞) = 1. */
  double gate(double u);

  /** h'(u); 0 where h has saturated. */
  double gateD1(double u);

  /** h''(u); 0 where h has saturated. */
  double gateD2(double u);

  /** {h(0), h'(0), h''(0)} (a fresh array each call). */
  double[] gateAtZero();

  @Override
  default String spec() {
    return Params.spec(name(), new String[] {"T"}, new double[] {T()}, new double[] {DEFAULT_T});
  }

  @Override
  default double value(double z) {
    return timesGate(z, gate(z / T()));
  }

  @Override
  default double d1(double z) {
    double u = z / T();
    return gate(u) + timesGate(u, gateD1(u));
  }

  @Override
  default double d2(double z) {
    double u = z / T();
    return (2 * gateD1(u) + timesGate(u, gateD2(u))) / T();
  }

  /** None. */
  @Override
  default double[] kinks() {
    return new double[0];
  }

  /** {0, h(0), 2h'(0)/T, 3h''(0)/T²}. */
  @Override
  default double[] derivativesAtZero() {
    double[] h = gateAtZero();
    double t = T();
    return new double[] {0, h[0], 2 * h[1] / t, 3 * h[2] / (t * t)};
  }

  /** None. */
  @Override
  default OptionalDouble homogeneity() {
    return OptionalDouble.empty();
  }

  /** T: the gate's transition width in z. */
  @Override
  default double featureScale() {
    return T();
  }

  /** z·h where a vanishing gate wins over an infinite z (the limit z h(z) → 0). */
  private static double timesGate(double z, double h) {
    return h == 0 ? 0 : z * h;
  }
}
