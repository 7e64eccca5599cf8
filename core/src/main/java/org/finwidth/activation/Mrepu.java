package org.finwidth.activation;

import java.util.OptionalDouble;

/**
 * Modified RePU σ(z) = z·max(0, z + c)^q with shift c &gt; 0 (default 1) and power q ≥ 1 (default
 * 2) (Kim &amp; Kang, arXiv:2408.02697; [UNCONFIRMED] definition, taken from a public
 * implementation, docs/theory.md §7.4). Kink at −c (derivatives take their left-hand limit 0 there).
 * Analytic at 0 with σ = {0, c^q, 2q c^(q−1), 3q(q−1) c^(q−2)} and a_1 = 3q(2q−1)/c² &gt; 0.
 *
 * @param c the shift, finite, c &gt; 0
 * @param q the power, finite, q ≥ 1
 */
public record Mrepu(double c, double q) implements Activation {
  /** Catalogue name. */
  public static final String NAME = "mrepu";
  /** Default shift. */
  public static final double DEFAULT_C = 1;
  /** Default power. */
  public static final double DEFAULT_Q = 2;

  /**
   * z·max(0, z + c)^q.
   *
   * @throws IllegalArgumentException unless c &gt; 0 and q ≥ 1, both finite
   */
  public Mrepu {
    c = Params.positive(NAME, "c", c);
    q = Params.atLeast(NAME, "q", q, 1);
  }

  /** z·max(0, z + 1)². */
  public Mrepu() {
    this(DEFAULT_C, DEFAULT_Q);
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public String spec() {
    return Params.spec(
        NAME, new String[] {"c", "q"}, new double[] {c, q}, new double[] {DEFAULT_C, DEFAULT_Q});
  }

  @Override
  public double value(double z) {
    double w = z + c;
    return w > 0 ? z * Math.pow(w, q) : (w <= 0 ? 0 : w);
  }

  /** (z+c)^q + q z (z+c)^(q−1). */
  @Override
  public double d1(double z) {
    double w = z + c;
    if (w > 0) {
      if (z == Double.POSITIVE_INFINITY) {
        return z;
      }
      return Math.pow(w, q) + q * z * Math.pow(w, q - 1);
    }
    return w <= 0 ? 0 : w;
  }

  /** 2q (z+c)^(q−1) + q(q−1) z (z+c)^(q−2). */
  @Override
  public double d2(double z) {
    double w = z + c;
    if (w > 0) {
      if (q == 1) {
        return 2; // σ = z(z + c)
      }
      if (z == Double.POSITIVE_INFINITY) {
        return z;
      }
      return 2 * q * Math.pow(w, q - 1) + q * (q - 1) * z * Math.pow(w, q - 2);
    }
    return w <= 0 ? 0 : w;
  }

  /** {−c}. */
  @Override
  public double[] kinks() {
    return new double[] {-c};
  }

  /** {0, c^q, 2q c^(q−1), 3q(q−1) c^(q−2)} (docs/theory.md §7.4). */
  @Override
  public double[] derivativesAtZero() {
    return new double[] {
      0, Math.pow(c, q), 2 * q * Math.pow(c, q - 1), 3 * q * (q - 1) * Math.pow(c, q - 2)
    };
  }

  @Override
  public OptionalDouble homogeneity() {
    return OptionalDouble.empty();
  }
}
