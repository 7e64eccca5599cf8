package org.finwidth.network;

import java.util.OptionalDouble;
import org.finwidth.activation.Activation;

/**
 * The powers of two in which the samplers hold a network's numbers, so that float arithmetic
 * stays inside its range (about 1.2e-38 to 3.4e38) however small or large the kernel is.
 *
 * <p>Layer ℓ's preactivations and metric are held in units of {@code 2^e[ℓ]} and {@code 4^e[ℓ]}:
 * the samplers hand the {@link LayerSink} {@code z / 2^e[ℓ]} and {@code Ĝ / 4^e[ℓ]}, the
 * statistics are accumulated in these units, and {@link org.finwidth.stats.LayerEstimates}
 * multiplies the estimates back (G by {@code 4^e}, V by {@code 16^e}). Scaling by a power of two
 * is exact in floating point as long as nothing under- or overflows, so:
 * <ul>
 *   <li>{@code e[ℓ] = 0} whenever the layer's infinite-width kernel K^(ℓ) (its largest diagonal
 *       entry) lies within {@code [2^-100, 2^100]}: every network whose numbers fit the float
 *       range is computed bit for bit as without scaling;</li>
 *   <li>{@code e[0]}, the unit of the inputs, may be nonzero for every activation (layer 1 is
 *       linear in the inputs, so the weights sampler folds {@code 2^e[0]} into the weight
 *       scale); {@code e[ℓ]} for ℓ ≥ 1 only for activations positively homogeneous of degree 1
 *       (linear, relu, leaky: σ(2^e z) = 2^e σ(z) exactly in float), for which K^(ℓ) follows
 *       {@code K^(ℓ+1) = C_b + C_W c₂ K^(ℓ)} with {@code c₂ = (σ(1)² + σ(−1)²)/2}, so that
 *       off-critical networks whose kernel shrinks or grows geometrically with depth stay in
 *       range at every layer;</li>
 *   <li>a network whose numbers leave the range anyway (any other activation at an extreme
 *       scale, or a fluctuation far beyond the kernel) is caught where it happens: a positive
 *       metric diagonal below {@link #MIN_METRIC} (in the layer's units), or activations that
 *       flushed to zero in float but not in double, end the network at that layer, counted
 *       like a divergence ({@link Sampler#sample}) — never a wrong measurement.</li>
 * </ul>
 */
public final class FloatScale {
  /** Kernels within {@code [2^-WINDOW, 2^WINDOW]} are held as they are. */
  static final int WINDOW = 100;
  /**
   * The exponents stay within ±{@value}: a bound that never binds for a finite positive kernel
   * (log2 of a double lies within [−1074, 1024]), only for an infinite one. The estimates are
   * multiplied back with {@link Math#scalb}, which needs no power as a double; one whose true
   * value lies outside double's normal range is undefined.
   */
  static final int MAX_EXPONENT = 540;
  /**
   * The smallest positive metric diagonal entry (in the layer's units) a layer may have:
   * 2<sup>−200</sup>, preactivations of typical size 2<sup>−100</sup>, far above float's
   * subnormal range (2<sup>−126</sup>) and with their eighth powers (the four-point statistics
   * square products of squares) within double's range.
   */
  public static final double MIN_METRIC = 0x1p-200;

  private FloatScale() {}

  /**
   * The exponents {@code e[0..L]} of a network ({@code e[0]}: the inputs; {@code e[ℓ]}: layer
   * ℓ), as described above; all 0 for a network whose kernels lie within the float range.
   */
  public static int[] exponents(NetworkSpec spec) {
    int depth = spec.depth();
    int[] e = new int[depth + 1];
    double[][] gram = spec.gram();
    double gmax = 0;
    for (int a = 0; a < gram.length; a++) {
      gmax = Math.max(gmax, gram[a][a]);
    }
    e[0] = exponent(log2(gmax));
    if (!isScaleInvariant(spec.activation())) {
      return e;
    }
    Activation s = spec.activation();
    double c2 = (s.value(1) * s.value(1) + s.value(-1) * s.value(-1)) / 2;
    double logCb = log2(spec.cb());
    double logK = logSum(logCb, log2(spec.cw()) + log2(gmax));
    double logGain = log2(spec.cw() * c2);
    for (int l = 1; l <= depth; l++) {
      e[l] = exponent(logK);
      logK = logSum(logCb, logGain + logK);
    }
    return e;
  }

  /** Whether σ is positively homogeneous of degree 1 (scaling commutes with it exactly). */
  static boolean isScaleInvariant(Activation sigma) {
    OptionalDouble p = sigma.homogeneity();
    return p.isPresent() && p.getAsDouble() == 1;
  }

  /** log2 x, −∞ for 0. */
  private static double log2(double x) {
    return x > 0 ? Math.log(x) / Math.log(2) : Double.NEGATIVE_INFINITY;
  }

  /** log2(2^a + 2^b) without overflow. */
  private static double logSum(double a, double b) {
    double hi = Math.max(a, b);
    double lo = Math.min(a, b);
    if (hi == Double.NEGATIVE_INFINITY) {
      return hi;
    }
    return hi + log2(1 + Math.pow(2, lo - hi));
  }

  /** 0 inside the window, else ⌊log2(K)/2⌋ (so that K/4^e is of order 1), within ±MAX_EXPONENT. */
  private static int exponent(double log2K) {
    if (!(Math.abs(log2K) > WINDOW)) { // also NaN
      return 0;
    }
    if (Double.isInfinite(log2K)) {
      return log2K > 0 ? MAX_EXPONENT : 0;
    }
    return (int) Math.max(-MAX_EXPONENT, Math.min(MAX_EXPONENT, Math.floor(log2K / 2)));
  }
}
