package org.finwidth.stats;

/**
 * Whether a layer's standard errors can be trusted: its tail share (the largest fraction one
 * network holds in a sum of squares behind an SE, {@link LayerEstimates#tailShare()}) against the
 * share that M networks of a light-tailed statistic would give (docs/theory.md §9.7).
 *
 * <p>The light-tailed reference is a per-network statistic x distributed like a centred
 * exponential, {@code x = E − 1} with {@code E ~ Exp(1)}: a sum of squares of two Gaussians, the
 * heaviest-tailed of the sums of squares of k ≥ 2 Gaussians that make a one-layer network's
 * stochastic metric, and a tail that falls off exponentially (every moment finite). Its fourth
 * central moment is 9, which puts the worst of the shares {@link LayerEstimates#tailShare()}
 * takes — that of the fourth powers, {@code max x⁴ / Σ x⁴} — at
 * <pre>
 *   E[share] ≈ E[T⁴] / (E[T⁴] + 9(M − 1)),   T = max_i E_i − 1,
 *   E[T⁴] = μ⁴ + π²μ² + 8ζ(3)μ + 27π⁴/60,    μ = H_M − 1 (H_M the harmonic number, ≈ ln M + γ)
 * </pre>
 * (the maximum of M exponentials is {@code H_M} plus a centred Gumbel variable: variance π²/6,
 * third moment 2ζ(3), fourth 27π⁴/60), about 2·10⁻² at M = 10⁵. A layer is called heavy-tailed when
 * its share exceeds {@link #bound(long)}: the share that the reference exceeds with probability
 * at most {@value #FALSE_ALARM} (the maximum passes {@code t = ln(M/α)} with probability
 * {@code 1 − (1 − e^{−t})^M ≤ M e^{−t} = α}):
 * <pre>
 *   bound(M) = (t − 1)⁴ / ((t − 1)⁴ + 9(M − 1)),   t = ln(M/α)
 * </pre>
 * 0.20 at M = 3·10⁴, 0.093 at 10⁵, 0.017 at 10⁶. The bound ignores the fluctuation of the other
 * M − 1 terms of the sum; measured on exponential samples the reference exceeds it with probability
 * about 1·10⁻³ for M ≥ 10³, 1·10⁻² at M = 100 and 3·10⁻² at M = 30 (TailCheckTest). Heavier tails than
 * exponential (a log-normal metric of deep narrow ReLU networks, power laws of super-linear ones,
 * docs/theory.md §6.2) give shares far above it, up to 1.
 *
 * @param share the layer's tail share, in [0, 1] (NaN if undefined)
 * @param networks the number of networks M behind it
 */
public record TailCheck(double share, long networks) {
  /** The probability α with which a light-tailed layer is called heavy-tailed (per sum of squares). */
  public static final double FALSE_ALARM = 1e-3;

  /** Fourth central moment of the reference, the centred Exp(1). */
  private static final double FOURTH_MOMENT = 9;

  /** The check of a layer's estimates. */
  public static TailCheck of(LayerEstimates e) {
    return new TailCheck(e.tailShare(), e.networks());
  }

  /**
   * The share above which M networks are called heavy-tailed (see the class documentation); NaN
   * for fewer than 2 networks.
   */
  public static double bound(long networks) {
    if (networks < 2) {
      return Double.NaN;
    }
    double t = Math.log(networks / FALSE_ALARM) - 1;
    double t4 = t * t * t * t;
    return t4 / (t4 + FOURTH_MOMENT * (networks - 1));
  }

  /**
   * The expected share of M networks of the light-tailed reference (see the class documentation;
   * the large-M approximation, within 1% of simulation for M ≥ 10⁴); NaN for fewer than 2 networks.
   */
  public static double expectedLightTailed(long networks) {
    if (networks < 2) {
      return Double.NaN;
    }
    double h = networks < 1_000_000 ? harmonic(networks) : Math.log(networks) + 0.5772156649015329 + 0.5 / networks;
    double mu = h - 1;
    double zeta3 = 1.2020569031595942;
    double t4 = Math.pow(mu, 4) + Math.PI * Math.PI * mu * mu + 8 * zeta3 * mu + 27 * Math.pow(Math.PI, 4) / 60;
    return t4 / (t4 + FOURTH_MOMENT * (networks - 1));
  }

  private static double harmonic(long m) {
    double h = 0;
    for (long i = m; i >= 1; i--) {
      h += 1.0 / i;
    }
    return h;
  }

  /** {@link #bound(long)} of this check's networks. */
  public double bound() {
    return bound(networks);
  }

  /** Whether the share exceeds what light-tailed networks would give: the SEs of the layer are unreliable. */
  public boolean heavy() {
    return Double.isFinite(share) && networks >= 2 && share > bound(networks);
  }
}
