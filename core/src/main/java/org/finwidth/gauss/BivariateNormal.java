package org.finwidth.gauss;

import org.finwidth.activation.SpecialFunctions;

/**
 * The bivariate normal distribution and the truncated moments of a bivariate normal vector that
 * reduce the two innermost dimensions of a ReLU product average to closed form
 * ({@link GaussianProducts}, docs/theory.md §5.5).
 *
 * <p>{@link #upper(double, double, double)} is A. Genz's method for the bivariate normal upper
 * probability ("Numerical computation of rectangular bivariate and trivariate normal and t
 * probabilities", Statistics and Computing 14 (2004) 251–260, §2.1: Drezner and Wesolowsky's
 * Gauss–Legendre form of Plackett's integral for |ρ| &lt; 0.925, the asymptotic expansion around
 * |ρ| = 1 otherwise), absolute error about 1e-15.
 */
final class BivariateNormal {
  private static final double TWO_PI = 2 * Math.PI;
  private static final double SQRT_TWO_PI = Math.sqrt(TWO_PI);
  // Gauss-Legendre half rules (n = 6, 12, 20) on [-1, 1], as in Genz's code.
  private static final double[] W6 = {0.1713244923791705, 0.3607615730481384, 0.4679139345726904};
  private static final double[] X6 = {0.9324695142031522, 0.6612093864662647, 0.2386191860831970};
  private static final double[] W12 = {0.04717533638651177, 0.1069393259953183, 0.1600783285433464,
      0.2031674267230659, 0.2334925365383547, 0.2491470458134029};
  private static final double[] X12 = {0.9815606342467191, 0.9041172563704750, 0.7699026741943050,
      0.5873179542866171, 0.3678314989981802, 0.1252334085114692};
  private static final double[] W20 = {0.01761400713915212, 0.04060142980038694, 0.06267204833410906,
      0.08327674157670475, 0.1019301198172404, 0.1181945319615184, 0.1316886384491766,
      0.1420961093183821, 0.1491729864726037, 0.1527533871307259};
  private static final double[] X20 = {0.9931285991850949, 0.9639719272779138, 0.9122344282513259,
      0.8391169718222188, 0.7463319064601508, 0.6360536807265150, 0.5108670019508271,
      0.3737060887154196, 0.2277858511416451, 0.07652652113349733};

  private BivariateNormal() {}

  private static double phi(double x) {
    return SpecialFunctions.normalCdf(x);
  }

  /**
   * P(X &gt; h, Y &gt; k) for standard normal X, Y with correlation r (Genz's BVNU).
   *
   * @param h lower limit of X (may be ±∞)
   * @param k lower limit of Y (may be ±∞)
   * @param r the correlation, in [−1, 1]
   * @return the probability, in [0, 1]
   */
  static double upper(double h, double k, double r) {
    if (h == Double.POSITIVE_INFINITY || k == Double.POSITIVE_INFINITY) {
      return 0;
    }
    if (h == Double.NEGATIVE_INFINITY) {
      return k == Double.NEGATIVE_INFINITY ? 1 : phi(-k);
    }
    if (k == Double.NEGATIVE_INFINITY) {
      return phi(-h);
    }
    if (r == 0) {
      return phi(-h) * phi(-k);
    }
    double[] w;
    double[] x;
    double ar = Math.abs(r);
    if (ar < 0.3) {
      w = W6;
      x = X6;
    } else if (ar < 0.75) {
      w = W12;
      x = X12;
    } else {
      w = W20;
      x = X20;
    }
    double hk = h * k;
    double bvn = 0;
    if (ar < 0.925) {
      double hs = (h * h + k * k) / 2;
      double asr = Math.asin(r) / 2;
      for (int i = 0; i < w.length; i++) {
        for (int s = -1; s <= 1; s += 2) {
          double sn = Math.sin(asr * (1 + s * x[i]));
          bvn += w[i] * Math.exp((sn * hk - hs) / (1 - sn * sn));
        }
      }
      bvn = bvn * asr / TWO_PI + phi(-h) * phi(-k);
    } else {
      double kk = k;
      if (r < 0) {
        kk = -k;
        hk = -hk;
      }
      if (ar < 1) {
        double as = (1 - r) * (1 + r);
        double a = Math.sqrt(as);
        double bs = (h - kk) * (h - kk);
        double asr = -(bs / as + hk) / 2;
        double c = (4 - hk) / 8;
        double d = (12 - hk) / 80;
        if (asr > -100) {
          bvn = a * Math.exp(asr) * (1 - c * (bs - as) * (1 - d * bs) / 3 + c * d * as * as);
        }
        if (hk > -100) {
          double b = Math.sqrt(bs);
          double sp = SQRT_TWO_PI * phi(-b / a);
          bvn -= Math.exp(-hk / 2) * sp * b * (1 - c * bs * (1 - d * bs) / 3);
        }
        a /= 2;
        double sum = 0;
        for (int i = 0; i < w.length; i++) {
          for (int s = -1; s <= 1; s += 2) {
            double xs = a * (1 + s * x[i]);
            xs *= xs;
            double asr2 = -(bs / xs + hk) / 2;
            if (asr2 > -100) {
              double sp = 1 + c * xs * (1 + 5 * d * xs);
              double rs = Math.sqrt(1 - xs);
              double ep = Math.exp(-(hk / 2) * xs / ((1 + rs) * (1 + rs))) / rs;
              sum += w[i] * Math.exp(asr2) * (sp - ep);
            }
          }
        }
        bvn = (a * sum - bvn) / TWO_PI;
      }
      if (r > 0) {
        bvn += phi(-Math.max(h, kk));
      } else if (h >= kk) {
        bvn = -bvn;
      } else {
        double l = h < 0 ? phi(kk) - phi(h) : phi(-h) - phi(-kk);
        bvn = l - bvn;
      }
    }
    return Math.max(0, Math.min(1, bvn));
  }

  /**
   * E[X₊] for X ~ N(μ, s²), s &gt; 0: s(aΦ(a) + φ(a)) with a = μ/s.
   */
  static double positivePart(double mu, double s) {
    double a = mu / s;
    return s * (a * phi(a) + SpecialFunctions.normalPdf(a));
  }

  /**
   * E[X₊Y₊] for (X, Y) bivariate normal with means μx, μy, standard deviations sx, sy &gt; 0 and
   * correlation r, |r| &lt; 1 (the truncated bivariate moments of Rosenbaum, J. R. Stat. Soc. B 23
   * (1961) 405–408): with a = μx/sx, b = μy/sy, U, V standard with correlation r,
   * E[(a + U)(b + V); U &gt; −a, V &gt; −b] = ab·P + a·E[V; ·] + b·E[U; ·] + E[UV; ·], where
   * P = P(U &gt; −a, V &gt; −b), E[U; ·] = φ(a)Φ((b − ra)/ρ') + rφ(b)Φ((a − rb)/ρ'),
   * E[UV; ·] = rP − r(aφ(a)Φ((b − ra)/ρ') + bφ(b)Φ((a − rb)/ρ')) + ρ'²φ₂(a, b; r), ρ' = √(1 − r²).
   */
  static double positiveProduct(double mx, double sx, double my, double sy, double r) {
    double a = mx / sx;
    double b = my / sy;
    double rr = Math.sqrt((1 - r) * (1 + r));
    double p = upper(-a, -b, r);
    double pa = SpecialFunctions.normalPdf(a);
    double pb = SpecialFunctions.normalPdf(b);
    double qa = phi((b - r * a) / rr); // P(V > −b | U = −a)
    double qb = phi((a - r * b) / rr); // P(U > −a | V = −b)
    double eu = pa * qa + r * pb * qb;
    double ev = pb * qb + r * pa * qa;
    // φ₂(−a, −b; r) = φ(a) φ((b − ra)/ρ')/ρ'.
    double joint = pa * SpecialFunctions.normalPdf((b - r * a) / rr) / rr;
    double euv = r * p - r * (a * pa * qa + b * pb * qb) + rr * rr * joint;
    return sx * sy * (a * b * p + a * ev + b * eu + euv);
  }

  /**
   * E[X Φ(X/t)] for X ~ N(μ, s²), t &gt; 0 (GELU of temperature t): with A = X − tG, G an
   * independent standard normal, Φ(X/t) = P(A &gt; 0 | X), so the value is E[X; A &gt; 0] =
   * μΦ(μ/s_A) + (s²/s_A)φ(μ/s_A), s_A = √(s² + t²).
   */
  static double gatedPart(double mu, double s, double t) {
    double sa = Math.sqrt(s * s + t * t);
    double a = mu / sa;
    return mu * phi(a) + s * s / sa * SpecialFunctions.normalPdf(a);
  }

  /**
   * E[X Φ(X/t) Y Φ(Y/t)] for (X, Y) bivariate normal with means μx, μy, standard deviations
   * sx, sy ≥ 0 and correlation r, t &gt; 0 (a product of two GELUs of temperature t). With
   * A = X − tG₁, B = Y − tG₂ (G₁, G₂ independent standard normals) the value is E[XY; A &gt; 0,
   * B &gt; 0]; given (A, B), X and Y are normal with means linear in (A, B) and a fixed
   * covariance, so it is a quadratic form in the truncated moments of order 0, 1 and 2 of the
   * bivariate normal (A, B) on the positive quadrant (Rosenbaum's formulas, as in
   * {@link #positiveProduct}).
   */
  static double gatedProduct(double mx, double sx, double my, double sy, double r, double t) {
    double c = r * sx * sy;
    double t2 = t * t;
    double vaa = sx * sx + t2;
    double vbb = sy * sy + t2;
    double det = vaa * vbb - c * c;
    // Regression of X and Y on (A, B): β = Σ_AB⁻¹ Cov((A, B), ·).
    double bxa = (vbb * sx * sx - c * c) / det;
    double bxb = (vaa * c - c * sx * sx) / det;
    double bya = (vbb * c - c * sy * sy) / det;
    double byb = (vaa * sy * sy - c * c) / det;
    double residual = c - (bxa * c + bxb * sy * sy);
    double sa = Math.sqrt(vaa);
    double sb = Math.sqrt(vbb);
    double rab = c / (sa * sb);
    double a = mx / sa;
    double b = my / sb;
    double rr = Math.sqrt((1 - rab) * (1 + rab));
    double p = upper(-a, -b, rab);
    double pa = SpecialFunctions.normalPdf(a);
    double pb = SpecialFunctions.normalPdf(b);
    double qa = phi((b - rab * a) / rr);
    double qb = phi((a - rab * b) / rr);
    double joint = pa * SpecialFunctions.normalPdf((b - rab * a) / rr); // ρ'φ₂
    double eu = pa * qa + rab * pb * qb;
    double ev = pb * qb + rab * pa * qa;
    double euu = p - a * pa * qa - rab * rab * b * pb * qb + rab * rr * joint;
    double evv = p - b * pb * qb - rab * rab * a * pa * qa + rab * rr * joint;
    double euv = rab * p - rab * (a * pa * qa + b * pb * qb) + rr * joint;
    // δ = (A − μx, B − μy) = (sa U, sb V).
    double da = sa * eu;
    double db = sb * ev;
    double daa = sa * sa * euu;
    double dab = sa * sb * euv;
    double dbb = sb * sb * evv;
    double quadratic = bxa * bya * daa + (bxa * byb + bxb * bya) * dab + bxb * byb * dbb;
    return mx * my * p + mx * (bya * da + byb * db) + my * (bxa * da + bxb * db) + quadratic
        + residual * p;
  }

  /**
   * E[X₊^px Y₊^py] for px, py in 0..2 with px + py ≤ 3, (X, Y) as in {@link #positiveProduct}: the
   * truncated moments of order up to three, E[U²V; ·] by Stein's identity E[Vg] = rE[∂_U g] +
   * E[∂_V g], which brings in E[U²; U &gt; −a | V = −b] of the conditional normal N(−rb, 1 − r²).
   *
   * @throws IllegalArgumentException for powers outside that range
   */
  static double positivePowers(double mx, double sx, int px, double my, double sy, int py, double r) {
    if (px + py > 3 || px < 0 || py < 0 || px > 2 || py > 2) {
      throw new IllegalArgumentException("powers " + px + ", " + py);
    }
    if (py > px) {
      return positivePowers(my, sy, py, mx, sx, px, r);
    }
    if (py == 0) {
      if (px == 0) {
        return 1;
      }
      double a = mx / sx;
      double cdf = phi(a);
      double pdf = SpecialFunctions.normalPdf(a);
      return px == 1 ? sx * (a * cdf + pdf) : sx * sx * ((a * a + 1) * cdf + a * pdf);
    }
    if (px == 1) {
      return positiveProduct(mx, sx, my, sy, r);
    }
    // px = 2, py = 1: E[(a + U)²(b + V); U > −a, V > −b] sx² sy.
    double a = mx / sx;
    double b = my / sy;
    double rr = Math.sqrt((1 - r) * (1 + r));
    double p = upper(-a, -b, r);
    double pa = SpecialFunctions.normalPdf(a);
    double pb = SpecialFunctions.normalPdf(b);
    double qa = phi((b - r * a) / rr);
    double qb = phi((a - r * b) / rr);
    double joint = pa * SpecialFunctions.normalPdf((b - r * a) / rr); // ρ'φ₂(−a, −b; r)
    double eu = pa * qa + r * pb * qb;
    double ev = pb * qb + r * pa * qa;
    double euu = p - a * pa * qa - r * r * b * pb * qb + r * rr * joint;
    double euv = r * p - r * (a * pa * qa + b * pb * qb) + rr * joint;
    double euuv = r * (2 * eu + a * a * pa * qa) + (r * r * b * b + rr * rr) * pb * qb
        - (a + r * b) * rr * joint;
    return sx * sx * sy * (a * a * b * p + a * a * ev + 2 * a * b * eu + 2 * a * euv + b * euu + euuv);
  }
}
