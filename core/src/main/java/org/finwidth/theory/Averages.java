package org.finwidth.theory;

import org.finwidth.activation.Activation;
import org.finwidth.gauss.ActivationAverages;
import org.finwidth.gauss.GaussHermite;
import org.finwidth.gauss.Quadrature;
import org.finwidth.gauss.GaussianExpectation;

/**
 * The Gaussian averages of one activation that the recursions need, with the fastest accurate
 * method for each case. Not thread-safe (owns a {@link GaussianExpectation}).
 *
 * <ul>
 *   <li><b>Positively homogeneous σ</b> (σ(λz) = λ^p σ(z), λ &gt; 0: linear, relu, leaky, repu,
 *       monomial): ⟨σ²⟩_K = K^p ⟨σ²⟩_1 etc., with the unit-variance averages computed once, in
 *       closed form from σ(±1), σ'(±1) and the absolute moments E|u|^r = (r−1)!! (times √(2/π)
 *       for odd r) when 2p is an integer, by quadrature otherwise. The K-derivatives follow
 *       exactly: χ_∥/C_W = pK^{p−1}⟨σ²⟩_1 and ⟨(σ²)''''⟩ = 4 d²⟨σ²⟩/dK² = 4p(p−1)K^{p−2}⟨σ²⟩_1
 *       (docs/theory.md §1.2: d⟨f⟩/dK = ½⟨f''⟩), so that K1 ≡ 0 for p = 1 holds exactly (§4.1).
 *   <li><b>Analytic σ</b> (no kinks): a product Gauss–Hermite rule, accepted only if the
 *       {@value GaussHermite#SMALL}- and {@value GaussHermite#LARGE}-point rules agree to the
 *       tolerance for every component (true at small K, e.g. deep in the K* = 0 class), else:
 *   <li><b>Adaptive Gauss–Kronrod</b> of {@link GaussianExpectation}, split at kinks.
 * </ul>
 *
 * <p>K = 0 (a deterministic preactivation) is a point mass; the susceptibilities then take their
 * limits K → 0+.
 */
final class Averages {
  /** Components of {@link #pair}: ⟨σ0σ1⟩ only (the kernel). */
  static final int KERNEL = 1;
  /** Components of {@link #pair}: the kernel and the vertex sources ⟨σ0³σ1⟩, ⟨σ0²σ1²⟩, ⟨σ0σ1³⟩. */
  static final int SOURCES = 4;
  /** Components of {@link #pair}: all of them, with the derivative terms (needs det K &gt; 0). */
  static final int FULL = 12;
  /** Index of ⟨σ0σ1⟩. */
  static final int SS = 0;
  /** Indices of ⟨σ0³σ1⟩, ⟨σ0²σ1²⟩, ⟨σ0σ1³⟩. */
  static final int S3S1 = 1;
  static final int S2S2 = 2;
  static final int S1S3 = 3;
  /** First of the three ⟨∂_a∂_b(σ0σ1)⟩, ab = 00, 01, 11. */
  static final int D2 = 4;
  /** First of the five ⟨∂_a∂_b∂_c∂_d(σ0σ1)⟩ with n = 0..4 indices equal to 1. */
  static final int D4 = 7;

  /**
   * Single-input averages at variance K, per unit C_W.
   *
   * @param k the variance K ≥ 0
   * @param sigma2 ⟨σ²⟩_K
   * @param sigma4 ⟨σ⁴⟩_K
   * @param chiParallel χ_∥/C_W = ⟨σ²(z² − K)⟩/(2K²) (docs/theory.md §3.1)
   * @param chiPerp χ_⊥/C_W = ⟨σ'²⟩
   * @param k1Source ⟨(σ²)''''⟩_K = ⟨σ²(z⁴ − 6Kz² + 3K²)⟩/K⁴ (docs/theory.md §5.3)
   * @param sigmaSigma2 ⟨σσ''⟩ (pointwise σ''; = (χ_∥ − χ_⊥)/C_W for smooth σ)
   */
  record Single(double k, double sigma2, double sigma4, double chiParallel, double chiPerp,
      double k1Source, double sigmaSigma2) {}

  private final Activation sigma;
  private final GaussianExpectation g;
  private final boolean analytic;
  private final double featureScale;
  // Homogeneous σ: degree p and the unit-variance averages ⟨σ²⟩_1, ⟨σ⁴⟩_1, ⟨σ'²⟩_1.
  private final double p;
  private final double unitSigma2;
  private final double unitSigma4;
  private final double unitPrime2;

  Averages(Activation sigma) {
    this(sigma, new GaussianExpectation());
  }

  Averages(Activation sigma, GaussianExpectation g) {
    this.sigma = sigma;
    this.g = g;
    this.analytic = sigma.kinks().length == 0;
    this.featureScale = ActivationAverages.featureScale(sigma);
    this.p = sigma.homogeneity().orElse(Double.NaN);
    if (isHomogeneous()) {
      double plus = sigma.value(1);
      double minus = sigma.value(-1);
      double dPlus = sigma.d1(1);
      double dMinus = sigma.d1(-1);
      if (2 * p == Math.rint(2 * p)) {
        unitSigma2 = absoluteMoment(2 * p) * (plus * plus + minus * minus) / 2;
        unitSigma4 = absoluteMoment(4 * p) * (Math.pow(plus, 4) + Math.pow(minus, 4)) / 2;
        unitPrime2 = absoluteMoment(2 * p - 2) * (dPlus * dPlus + dMinus * dMinus) / 2;
      } else {
        ActivationAverages.Single s = ActivationAverages.single(g, sigma, 1);
        unitSigma2 = s.sigma2();
        unitSigma4 = s.sigma4();
        unitPrime2 = s.sigmaPrime2();
      }
    } else {
      unitSigma2 = unitSigma4 = unitPrime2 = Double.NaN;
    }
  }

  Activation activation() {
    return sigma;
  }

  boolean isHomogeneous() {
    return !Double.isNaN(p);
  }

  /** Degree of homogeneity, NaN if none. */
  double degree() {
    return p;
  }

  /** ⟨σ²⟩_1 of a homogeneous σ. */
  double unitSigma2() {
    return unitSigma2;
  }

  /** ⟨σ'²⟩_1 of a homogeneous σ. */
  double unitPrime2() {
    return unitPrime2;
  }

  /**
   * E|u|^r for u ~ N(0, 1) and an integer r ≥ 0: (r−1)!! for even r, √(2/π)(r−1)!! for odd r
   * (computed in double; exact for the even moments up to r ≈ 40).
   */
  static double absoluteMoment(double r) {
    int n = (int) r;
    double m = 1;
    for (int j = n - 1; j > 0; j -= 2) {
      m *= j;
    }
    return n % 2 == 0 ? m : m * Math.sqrt(2 / Math.PI);
  }

  /**
   * Single-input averages at variance K ≥ 0.
   *
   * @throws IllegalArgumentException if K is negative or not finite
   * @throws IllegalStateException if the quadrature fails or a value is not finite
   */
  Single single(double k) {
    if (!(k >= 0) || k == Double.POSITIVE_INFINITY) {
      throw new IllegalArgumentException("K must be finite and >= 0, got " + k);
    }
    Single s;
    if (isHomogeneous()) {
      s = homogeneous(k);
    } else if (k == 0) {
      s = pointMass();
    } else if (analytic) {
      s = singleGaussHermite(k);
      if (s == null) {
        s = singleAdaptive(k);
      }
    } else {
      s = singleAdaptive(k);
    }
    String bad = nonFinite(new String[] {"<sigma^2>", "<sigma^4>", "chi_par", "chi_perp", "K1 source"},
        s.sigma2(), s.sigma4(), s.chiParallel(), s.chiPerp(), s.k1Source());
    if (bad != null) {
      // At a small K the K1 source, which divides by K^4, is what leaves the range first (its
      // numerator underflows or its denominator does): say so, not "overflow".
      throw new IllegalStateException("Gaussian averages of " + sigma.spec() + " at K = " + k
          + (k < 1 ? " cannot be computed in double precision: K is too small (" + bad + " not finite"
              + (k * k * k * k < Double.MIN_NORMAL ? "; the K1 source divides by K^4, which underflows" : "") + ")"
              : " overflow the double range (" + bad + " beyond " + Double.MAX_VALUE + ")"));
    }
    return s;
  }

  /** The names of the non-finite values, or null if all are finite. */
  private static String nonFinite(String[] names, double... values) {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < values.length; i++) {
      if (!Double.isFinite(values[i])) {
        sb.append(sb.isEmpty() ? "" : ", ").append(names[i]);
      }
    }
    return sb.isEmpty() ? null : sb.toString();
  }

  private Single homogeneous(double k) {
    if (k == 0) {
      // Limits K → 0+: only degree 1 keeps finite nonzero susceptibilities.
      double chiPar = p == 1 ? p * unitSigma2 : (p > 1 ? 0 : Double.POSITIVE_INFINITY);
      double chiPerp = p == 1 ? unitPrime2 : (p > 1 ? 0 : Double.POSITIVE_INFINITY);
      double source = p == 1 || p > 2 ? 0 : (p == 2 ? 8 * unitSigma2 : Double.POSITIVE_INFINITY);
      return new Single(0, 0, 0, chiPar, chiPerp, source, 0);
    }
    double kp = Math.pow(k, p);
    double kp1 = Math.pow(k, p - 1);
    double sigma2 = kp * unitSigma2;
    double chiPar = p * kp1 * unitSigma2;
    double chiPerp = kp1 * unitPrime2;
    double source = p == 1 ? 0 : 4 * p * (p - 1) * Math.pow(k, p - 2) * unitSigma2;
    return new Single(k, sigma2, kp * kp * unitSigma4, chiPar, chiPerp, source, chiPar - chiPerp);
  }

  private Single pointMass() {
    double s = sigma.value(0);
    double d = sigma.d1(0);
    double dd = sigma.d2(0);
    double[] taylor = sigma.derivativesAtZero();
    // (σ²)'''' = 2σσ'''' + 8σ'σ''' + 6σ''²; σ'''' is not available, so only for σ(0) = 0.
    double source = s == 0 ? 8 * taylor[1] * taylor[3] + 6 * taylor[2] * taylor[2] : Double.NaN;
    return new Single(0, s * s, s * s * s * s, d * d + s * dd, d * d,
        Double.isFinite(source) ? source : 0, s * dd);
  }

  private Single singleAdaptive(double k) {
    ActivationAverages.Single a = ActivationAverages.single(g, sigma, k);
    return new Single(k, a.sigma2(), a.sigma4(), a.chiParallel(), a.chiPerp(),
        a.sigma2He4() / (k * k * k * k), a.sigmaSigma2());
  }

  /** Components of the single-input integrand (see {@link #fillSingle}). */
  private static final int SINGLE_COMPONENTS = 6;

  private void fillSingle(double z, double k, double[] out) {
    double s = sigma.value(z);
    double d = sigma.d1(z);
    double s2 = s * s;
    double z2 = z * z;
    out[0] = s2;
    out[1] = s2 * s2;
    out[2] = d * d;
    out[3] = s2 * (z2 - k);
    out[4] = s2 * (z2 * (z2 - 6 * k) + 3 * k * k);
    out[5] = s == 0 ? 0 : s * sigma.d2(z);
  }

  private final double[] singleSmall = new double[SINGLE_COMPONENTS];
  private final double[] singleLarge = new double[SINGLE_COMPONENTS];
  private final double[] singleScale = new double[SINGLE_COMPONENTS];
  private final double[] singleBuffer = new double[SINGLE_COMPONENTS];

  /** The verified Gauss–Hermite fast path, or null if the two rules disagree. */
  private Single singleGaussHermite(double k) {
    double sqrtK = Math.sqrt(k);
    integrate1(GaussHermite.small(), sqrtK, k, singleSmall, null);
    integrate1(GaussHermite.large(), sqrtK, k, singleLarge, singleScale);
    if (!agree(singleSmall, singleLarge, singleScale, SINGLE_COMPONENTS)) {
      return null;
    }
    double[] v = singleLarge;
    return new Single(k, v[0], v[1], v[3] / (2 * k * k), v[2], v[4] / (k * k * k * k), v[5]);
  }

  private void integrate1(double[][] rule, double sqrtK, double k, double[] sum, double[] scale) {
    java.util.Arrays.fill(sum, 0);
    if (scale != null) {
      java.util.Arrays.fill(scale, 0);
    }
    double[] u = rule[0];
    double[] w = rule[1];
    for (int i = 0; i < u.length; i++) {
      fillSingle(sqrtK * u[i], k, singleBuffer);
      for (int j = 0; j < SINGLE_COMPONENTS; j++) {
        sum[j] += w[i] * singleBuffer[j];
        if (scale != null) {
          scale[j] += w[i] * Math.abs(singleBuffer[j]);
        }
      }
    }
  }

  /** Tolerance of the fast path, as a fraction of each component's ⟨|f|⟩. */
  static final double FAST_PATH_TOLERANCE = GaussianExpectation.DEFAULT_RELATIVE_TOLERANCE;

  private static boolean agree(double[] a, double[] b, double[] scale, int m) {
    for (int j = 0; j < m; j++) {
      if (!(Math.abs(a[j] - b[j]) <= FAST_PATH_TOLERANCE * scale[j])) {
        return false;
      }
    }
    return true;
  }

  /**
   * Two-input averages over the covariance [[k00, k01], [k01, k11]], the first m of: ⟨σ0σ1⟩,
   * ⟨σ0³σ1⟩, ⟨σ0²σ1²⟩, ⟨σ0σ1³⟩ (m = {@link #KERNEL}, {@link #SOURCES}: any PSD covariance), then the
   * three ⟨∂_a∂_b(σ0σ1)⟩ = ⟨σ0σ1(y_a y_b − K^{ab})⟩ (ab = 00, 01, 11) and the five
   * ⟨∂_a∂_b∂_c∂_d(σ0σ1)⟩ = ⟨σ0σ1 H_abcd⟩ (by the number of indices equal to 1), y = K^{-1}z
   * (m = {@link #FULL}, needs det K &gt; 0; docs/theory.md §1.2, derivative-free: valid across kinks).
   *
   * @throws IllegalStateException if the quadrature fails or a value is not finite
   */
  double[] pair(double k00, double k01, double k11, int m) {
    double[] result = null;
    double det = determinant(k00, k01, k11);
    if (analytic && k00 > 0 && k11 > 0 && det > 0) {
      result = pairGaussHermite(k00, k01, k11, m);
    }
    if (result == null) {
      result = pairAdaptive(k00, k01, k11, m);
    }
    for (int j = 0; j < m; j++) {
      if (!Double.isFinite(result[j])) {
        throw new IllegalStateException("two-input Gaussian average " + j + " of " + sigma.spec()
            + " at K = [[" + k00 + ", " + k01 + "], [" + k01 + ", " + k11
            + "]] overflows the double range");
      }
    }
    return result;
  }

  /**
   * K00 K11 − K01² with the product K01² split exactly (two fused multiply-adds), so that a
   * nearly singular covariance keeps the relative accuracy of its small determinant.
   */
  static double determinant(double k00, double k01, double k11) {
    double q = k01 * k01;
    return Math.fma(k00, k11, -q) - Math.fma(k01, k01, -q);
  }

  /**
   * The pair integrand in the standardised variables z0 = √K00 u, z1 = r z0 + s v (r = K01/K00,
   * s² = det K/K00), where y = K^{-1}z = (u/√K00 − (K01/(K00 s)) v, v/s) exactly, without the
   * cancellation of K^{-1}z.
   */
  private final class PairIntegrand {
    final double sqrtA;
    final double s;
    final double r;
    final double kInv00;
    final double kInv01;
    final double kInv11;
    final double y0v;
    final int m;

    PairIntegrand(double k00, double k01, double k11, int m) {
      this.m = m;
      sqrtA = Math.sqrt(k00);
      r = k01 / k00;
      double det = determinant(k00, k01, k11);
      s = Math.sqrt(Math.max(det, 0) / k00);
      kInv00 = k11 / det;
      kInv01 = -k01 / det;
      kInv11 = k00 / det;
      y0v = -k01 / (k00 * s);
    }

    /** Fills out[0..m) at (u, v) given σ0 = σ(z0), σ1 = σ(z1). */
    void fill(double u, double v, double s0, double s1, double[] out) {
      double p = s0 * s1;
      out[SS] = p;
      if (m == 1) {
        return;
      }
      out[S3S1] = p * s0 * s0;
      out[S2S2] = p * p;
      out[S1S3] = p * s1 * s1;
      if (m == SOURCES) {
        return;
      }
      double y0 = u / sqrtA + y0v * v;
      double y1 = v / s;
      double y00 = y0 * y0;
      double y01 = y0 * y1;
      double y11 = y1 * y1;
      out[D2] = p * (y00 - kInv00);
      out[D2 + 1] = p * (y01 - kInv01);
      out[D2 + 2] = p * (y11 - kInv11);
      // H_abcd (docs/theory.md §1.2) by the number n of indices equal to 1.
      double a = kInv00;
      double b = kInv01;
      double c = kInv11;
      out[D4] = p * (y00 * y00 - 6 * a * y00 + 3 * a * a);
      out[D4 + 1] = p * (y00 * y01 - 3 * a * y01 - 3 * b * y00 + 3 * a * b);
      out[D4 + 2] = p * (y00 * y11 - a * y11 - c * y00 - 4 * b * y01 + a * c + 2 * b * b);
      out[D4 + 3] = p * (y11 * y01 - 3 * c * y01 - 3 * b * y11 + 3 * c * b);
      out[D4 + 4] = p * (y11 * y11 - 6 * c * y11 + 3 * c * c);
    }
  }

  private double[] pairGaussHermite(double k00, double k01, double k11, int m) {
    PairIntegrand f = new PairIntegrand(k00, k01, k11, m);
    double[] small = new double[m];
    double[] large = new double[m];
    double[] scale = new double[m];
    integrate2(f, GaussHermite.small(), small, null);
    integrate2(f, GaussHermite.large(), large, scale);
    return agree(small, large, scale, m) ? large : null;
  }

  private void integrate2(PairIntegrand f, double[][] rule, double[] sum, double[] scale) {
    double[] u = rule[0];
    double[] w = rule[1];
    int n = u.length;
    int m = f.m;
    double[] buffer = new double[m];
    double[] s1 = new double[n];
    for (int i = 0; i < n; i++) {
      double z0 = f.sqrtA * u[i];
      double s0 = sigma.value(z0);
      double mean = f.r * z0;
      for (int j = 0; j < n; j++) {
        s1[j] = sigma.value(mean + f.s * u[j]);
      }
      for (int j = 0; j < n; j++) {
        f.fill(u[i], u[j], s0, s1[j], buffer);
        double wij = w[i] * w[j];
        for (int c = 0; c < m; c++) {
          sum[c] += wij * buffer[c];
          if (scale != null) {
            scale[c] += wij * Math.abs(buffer[c]);
          }
        }
      }
    }
  }

  /**
   * The derivative terms of {@link #pair} in mode {@link #FULL} (indices D2.., D4..) from the
   * derivatives of a smooth σ instead of K^{-1}: ⟨∂_0^i∂_1^j(σ0σ1)⟩ = ⟨σ0^{(i)}σ1^{(j)}⟩ with σ', σ''
   * pointwise, and the third and fourth derivatives by Gaussian integration by parts along the
   * variable with positive variance (Stein: E[z_a F] = Σ_c K_ac E[∂_c F], so
   * ⟨σ_a'''σ_b'⟩ = (⟨z_a σ_a''σ_b'⟩ − K_ab⟨σ_a''σ_b''⟩)/K_aa and ⟨σ_a''''σ_b⟩ likewise), which divides
   * by K_aa only: valid at any rank of the 2×2 kernel, e.g. for collinear inputs. Needs
   * K00, K11 &gt; 0 and σ without kinks (σ'' has no Dirac mass).
   *
   * @throws IllegalStateException if the quadrature fails or a value is not finite
   */
  double[] pairDerivativeForms(double k00, double k01, double k11) {
    double[] r = new double[FULL];
    double[] cache = {Double.NaN, 0, 0, 0};
    Quadrature e = g.expectWithScale((z0, z1, out) -> {
      if (Double.compare(z0, cache[0]) != 0) {
        cache[0] = z0;
        cache[1] = sigma.value(z0);
        cache[2] = sigma.d1(z0);
        cache[3] = sigma.d2(z0);
      }
      double s0 = cache[1];
      double d0 = cache[2];
      double dd0 = cache[3];
      double s1 = sigma.value(z1);
      double d1 = sigma.d1(z1);
      double dd1 = sigma.d2(z1);
      out[0] = dd0 * s1;
      out[1] = d0 * d1;
      out[2] = s0 * dd1;
      out[3] = dd0 * dd1;
      out[4] = z0 * dd0 * d1;
      out[5] = z0 * z0 * dd0 * s1;
      out[6] = z1 * d0 * dd1;
      out[7] = z1 * z1 * s0 * dd1;
    }, 8, k00, k01, k11, featureScale, new double[0], new double[0]);
    double[] c = e.values();
    r[D2] = c[0];
    r[D2 + 1] = c[1];
    r[D2 + 2] = c[2];
    r[D4 + 2] = c[3];
    // Side 0: ⟨σ0'''σ1'⟩ and ⟨σ0''''σ1⟩.
    double a3 = (c[4] - k01 * c[3]) / k00;
    double z3 = (c[5] - k00 * c[0] - k01 * c[4]) / k00;
    r[D4 + 1] = a3;
    r[D4] = (z3 - k01 * a3) / k00;
    // Side 1, the same with the roles swapped.
    double b3 = (c[6] - k01 * c[3]) / k11;
    double w3 = (c[7] - k11 * c[2] - k01 * c[6]) / k11;
    r[D4 + 3] = b3;
    r[D4 + 4] = (w3 - k01 * b3) / k11;
    for (int j = D2; j < FULL; j++) {
      if (!Double.isFinite(r[j])) {
        throw new IllegalStateException("two-input derivative term " + j + " of " + sigma.spec()
            + " is not finite");
      }
    }
    return r;
  }

  private double[] pairAdaptive(double k00, double k01, double k11, int m) {
    double[] kinks = sigma.kinks();
    double[] cache = {Double.NaN, 0};
    Quadrature e;
    if (m != FULL) {
      e = g.expectWithScale((z0, z1, out) -> {
        if (Double.compare(z0, cache[0]) != 0) {
          cache[0] = z0;
          cache[1] = sigma.value(z0);
        }
        double s0 = cache[1];
        double s1 = sigma.value(z1);
        double p = s0 * s1;
        out[SS] = p;
        if (m == SOURCES) {
          out[S3S1] = p * s0 * s0;
          out[S2S2] = p * p;
          out[S1S3] = p * s1 * s1;
        }
      }, m, k00, k01, k11, featureScale, kinks, kinks);
    } else {
      PairIntegrand f = new PairIntegrand(k00, k01, k11, m);
      double invSqrtA = 1 / f.sqrtA;
      e = g.expectWithScale((z0, z1, out) -> {
        if (Double.compare(z0, cache[0]) != 0) {
          cache[0] = z0;
          cache[1] = sigma.value(z0);
        }
        f.fill(z0 * invSqrtA, (z1 - f.r * z0) / f.s, cache[1], sigma.value(z1), out);
      }, m, k00, k01, k11, featureScale, kinks, kinks);
    }
    return e.values().clone();
  }
}
