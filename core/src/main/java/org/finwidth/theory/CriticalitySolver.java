package org.finwidth.theory;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.function.DoubleUnaryOperator;
import org.finwidth.activation.Activation;
import org.finwidth.gauss.ActivationAverages;
import org.finwidth.gauss.GaussianExpectation;

/**
 * Finds every critical initialisation of an activation (docs/theory.md §3.2, §4) and its universality
 * class, from computed Gaussian averages only.
 *
 * <ol>
 *   <li><b>Scale-invariant</b> (σ positively homogeneous of degree 1): ⟨σ²⟩_K = A₂K with
 *       A₂ = (σ(1)² + σ(−1)²)/2, χ_∥ = χ_⊥ = C_W A₂ at every K: a line of fixed points at
 *       (C_b, C_W) = (0, 1/A₂), K* = any (docs/theory.md §4.1).
 *   <li><b>K* = 0</b>: σ_0 = 0, σ_1 ≠ 0 and a_1 = σ_3/σ_1 + (3/4)(σ_2/σ_1)² &lt; 0: critical point
 *       (0, 1/σ_1², 0), attractive from above since K' = K + a_1K² + O(K³) (docs/theory.md §4.2).
 *       Where a_1 cannot decide (σ not twice differentiable at 0, as elu, selu, softsign, or
 *       a_1 = 0, as hardtanh) but σ(0) = 0 with finite one-sided slopes a₋, a₊: the point
 *       (0, 2/(a₊² + a₋²), 0) when C_W⟨σ²⟩_K − K is negative at the smallest K where it is
 *       resolved (docs/theory.md §7.5); its curvature is then NaN.
 *   <li><b>Nontrivial K*</b>: roots of ⟨σσ''⟩_K (smooth σ; the lemma of docs/theory.md §3.2:
 *       χ_∥ = χ_⊥ ⇔ ⟨σσ''⟩ = 0), or of χ_∥ − χ_⊥ at C_W = 1 with the derivative-free χ_∥ when σ
 *       has kinks, bracketed by a sign scan over K = s²·10^{j/8}, j = −32..32 (s the feature
 *       scale, T for the temperature family, so the grid follows K*(T) = T²K*(1), docs/theory.md §7.2)
 *       and refined by Brent's method to ~1e-14 relative. Then C_W = 1/⟨σ'²⟩_{K*} and
 *       C_b = K* − C_W⟨σ²⟩_{K*}; roots with C_b &lt; 0 are rejected. The side of approach
 *       follows from the sign of f''(K*) = (C_W/4)⟨σ²(z⁴ − 6Kz² + 3K²)⟩/K⁴ (docs/theory.md §4.3), and
 *       the other fixed points of the critical map in [0.4K*, 2K*] are located by a second scan
 *       of f(K) = C_b + C_W⟨σ²⟩_K − K that keeps 0.2% away from the double root K* (SWISH has
 *       one at 14.593 that is not critical).
 *   <li>Otherwise <b>none</b>, with a reason from the data: σ_0 ≠ 0 (K* = 0 impossible for
 *       C_b ≥ 0), the constant sign of the scan, χ_⊥/χ_∥ = p/(2p−1) for homogeneous σ of degree
 *       p ≠ 1 (evaluated by adaptive quadrature at several K), a repulsive K* = 0 (a_1 &gt; 0,
 *       e.g. MRePU, docs/theory.md §7.4), or roots whose C_b is negative.
 * </ol>
 * Quadrature at 1e-15 of ⟨|f|⟩ (the limit of {@link GaussianExpectation}).
 */
public final class CriticalitySolver {
  private CriticalitySolver() {}

  /** Scan grid: s²·10^{j/8} for j = −SCAN_HALF..SCAN_HALF. */
  static final int SCAN_HALF = 32;
  static final int SCAN_PER_DECADE = 8;
  /** Relative tolerance of Brent's method in K. */
  static final double ROOT_TOLERANCE = 5e-15;
  /** Quadrature tolerance (fraction of ⟨|f|⟩). */
  static final double QUADRATURE_TOLERANCE = GaussianExpectation.MIN_RELATIVE_TOLERANCE;
  /** C_b above −this·K* counts as 0 (rounding of K* − C_W⟨σ²⟩); below it the root is rejected. */
  static final double CB_SLACK = 1e-12;
  /** |K* f''(K*)| below this counts as a vanishing curvature (f'(K) is O(1) near K*). */
  static final double FLAT = 1e-9;
  /** Variances at which χ_⊥/χ_∥ is reported as evidence. */
  static final double[] RATIO_K = {0.1, 1, 10};

  /**
   * Classifies σ and finds its critical initialisations.
   *
   * @throws IllegalStateException if a root cannot be refined (quadrature or root finder failure)
   */
  public static Criticality solve(Activation sigma) {
    Objects.requireNonNull(sigma, "activation");
    double scale = ActivationAverages.featureScale(sigma);
    double kLow = scale * scale * Math.pow(10, (double) -SCAN_HALF / SCAN_PER_DECADE);
    double kHigh = scale * scale * Math.pow(10, (double) SCAN_HALF / SCAN_PER_DECADE) * RATIO_K[RATIO_K.length - 1];
    if (!(kLow > Double.MIN_NORMAL && kHigh < Double.MAX_VALUE)) {
      throw new IllegalStateException(sigma.spec() + ": its criticality is checked at variances K of order (its"
          + " scale " + scale + ")^2" + (kLow > 0 && Double.isFinite(kHigh) ? ", from " + kLow + " to " + kHigh : "")
          + ", beyond the double range (about 1e-308 to 1e308); choose a parameter nearer 1");
    }
    try {
      return new Run(sigma).solve();
    } catch (IllegalStateException | IllegalArgumentException e) {
      throw new IllegalStateException(sigma.spec() + ": its Gaussian averages cannot be computed in double"
          + " precision with these parameters (" + e.getMessage() + ")", e);
    }
  }

  /** One solve: the activation, its averages and the collected evidence. */
  private static final class Run {
    final Activation sigma;
    final GaussianExpectation g;
    final Averages averages;
    final double[] taylor;
    final double a1;
    final OptionalDouble homogeneity;
    final boolean kinked;

    Run(Activation sigma) {
      this.sigma = sigma;
      this.g = new GaussianExpectation(QUADRATURE_TOLERANCE, GaussianExpectation.DEFAULT_MAX_EVALUATIONS,
          GaussianExpectation.DEFAULT_MAX_EVALUATIONS_2D);
      this.averages = new Averages(sigma, g);
      this.taylor = sigma.derivativesAtZero();
      this.a1 = a1(taylor);
      this.homogeneity = sigma.homogeneity();
      this.kinked = sigma.kinks().length > 0;
    }

    /** The one-sided analysis, when it was made and found no attractive K* = 0 (for the reason). */
    OneSided oneSidedNone;

    /**
     * K* = 0 when a_1 cannot decide (σ not twice differentiable at 0, or a_1 = 0): σ(0) = 0 with
     * one-sided slopes a₋ = σ'(0−), a₊ = σ'(0+) makes σ ≈ a₊z, a₋z near 0, so at C_b = 0,
     * C_W = 2/(a₊² + a₋²) both susceptibilities tend to 1 as K → 0 and K* = 0 is a fixed point;
     * it is attractive (approached from above) iff r(K) = C_W⟨σ²⟩_K/K − 1 &lt; 0 for small K. r is
     * evaluated from the bottom of the scan grid upwards until |r| exceeds {@link #RESOLVED}
     * (quadrature noise is about 1e-14); its local exponent there gives the approach law.
     * Null if σ(0) ≠ 0, a slope is not finite, or r is never resolved below K = s².
     */
    OneSided oneSided(double scale) {
      double aMinus = sigma.d1(0);
      double aPlus = sigma.d1(Double.MIN_NORMAL);
      if (!(sigma.value(0) == 0) || !Double.isFinite(aMinus) || !Double.isFinite(aPlus)) {
        return null;
      }
      double a2 = (aPlus * aPlus + aMinus * aMinus) / 2;
      if (!(a2 > 0)) {
        return null;
      }
      double cw = 1 / a2;
      for (int j = -SCAN_HALF; j < 0; j++) {
        double k = scale * scale * Math.pow(10, (double) j / SCAN_PER_DECADE);
        double r;
        double r2;
        double k2 = k * Math.pow(10, 1.0 / SCAN_PER_DECADE);
        try {
          r = cw * exact(k).sigma2() / k - 1;
          if (!(Math.abs(r) > RESOLVED)) {
            continue;
          }
          r2 = cw * exact(k2).sigma2() / k2 - 1;
        } catch (IllegalStateException e) {
          return null;
        }
        double q = 1 + Math.log(r2 / r) / Math.log(k2 / k);
        return new OneSided(aMinus, aPlus, cw, k, r, q, a1);
      }
      return null;
    }

    /** |r| below this counts as unresolved (quadrature at 1e-15 of ⟨|f|⟩, r a difference of O(1)). */
    static final double RESOLVED = 1e-11;

    /** The result of {@link #oneSided}: r(K) = C_W⟨σ²⟩_K/K − 1 ≈ r at K, local exponent q − 1. */
    record OneSided(double aMinus, double aPlus, double cw, double k, double r, double q,
        double a1) {
      boolean attractive() {
        return r < 0;
      }

      String describe() {
        String law;
        if (!(q > 1) || !Double.isFinite(q)) {
          law = "";
        } else if (q > 4) {
          law = String.format(Locale.ROOT, ", local exponent q = %s (faster than any low power of K,"
              + " so the approach is slower than any power law in l)", fmt(q));
        } else {
          law = String.format(Locale.ROOT, ", local exponent q = %s: K ~ l^(-%s)", fmt(q),
              fmt(1 / (q - 1)));
        }
        String slopes = aMinus == aPlus
            ? String.format(Locale.ROOT, "sigma'(0) = %s but %s", fmt(aPlus), Double.isNaN(a1)
                ? "a_1 undefined (sigma is not twice differentiable at 0)"
                : "a_1 = " + fmt(a1) + " (the K^2 term vanishes)")
            : String.format(Locale.ROOT, "one-sided slopes sigma'(0-) = %s, sigma'(0+) = %s",
                fmt(aMinus), fmt(aPlus));
        if (attractive()) {
          return String.format(Locale.ROOT, "sigma(0) = 0 with %s: at (C_b, C_W) = (0, 2/(a+^2 + a-^2)"
              + " = %s) chi_par and chi_perp tend to 1 as K -> 0, and C_W <sigma^2>_K - K = %s K < 0"
              + " at K = %s (C_W <sigma^2>_K - K ~ -c K^q%s): K* = 0 is critical, approached from"
              + " above", slopes, fmt(cw), fmt(r), fmt(k), law);
        }
        return String.format(Locale.ROOT, "sigma(0) = 0 with %s, but at (C_b, C_W) = (0, %s)"
            + " C_W <sigma^2>_K - K = %s K > 0 at K = %s: K* = 0 is repulsive", slopes, fmt(cw),
            fmt(r), fmt(k));
      }
    }

    /** The sign-carrying quantity: ⟨σσ''⟩ (smooth) or χ_∥ − χ_⊥ per unit C_W (kinks). */
    double scanned(Averages.Single a) {
      return kinked ? a.chiParallel() - a.chiPerp() : a.sigmaSigma2();
    }

    /** Adaptive-quadrature averages (the Gauss–Hermite path does not give σσ'' to 1e-15). */
    Averages.Single exact(double k) {
      if (homogeneity.isPresent()) {
        return averages.single(k);
      }
      ActivationAverages.Single s = ActivationAverages.single(g, sigma, k);
      Averages.Single a = new Averages.Single(k, s.sigma2(), s.sigma4(), s.chiParallel(),
          s.chiPerp(), s.sigma2He4() / (k * k * k * k), s.sigmaSigma2());
      if (!(Double.isFinite(a.sigma2()) && Double.isFinite(a.sigma4()) && Double.isFinite(a.chiParallel())
          && Double.isFinite(a.chiPerp()) && Double.isFinite(a.sigmaSigma2()))) {
        throw new IllegalStateException("Gaussian averages of " + sigma.spec() + " at K = " + k
            + " are not finite");
      }
      return a;
    }

    Criticality solve() {
      // Evidence: χ_⊥/χ_∥ by adaptive quadrature at a few K (K-independent for homogeneous σ).
      double scale = ActivationAverages.featureScale(sigma);
      double[] ratioK = new double[RATIO_K.length];
      double[] ratio = new double[RATIO_K.length];
      for (int i = 0; i < RATIO_K.length; i++) {
        ratioK[i] = RATIO_K[i] * scale * scale;
        ActivationAverages.Single s = ActivationAverages.single(g, sigma, ratioK[i]);
        ratio[i] = s.chiPerp() / s.chiParallel();
      }
      // Sign scan.
      List<Double> ks = new ArrayList<>();
      List<Double> vs = new ArrayList<>();
      List<Double> ss = new ArrayList<>();
      String scanNote = "";
      for (int j = -SCAN_HALF; j <= SCAN_HALF; j++) {
        double k = scale * scale * Math.pow(10, (double) j / SCAN_PER_DECADE);
        Averages.Single a;
        try {
          a = exact(k);
        } catch (IllegalStateException e) {
          // e.g. sin at K = 10^4: 30 periods per unit of u exhaust the quadrature budget.
          scanNote = " (the scan stops at K = " + fmt(k) + ", where the quadrature fails)";
          break;
        }
        ks.add(k);
        vs.add(scanned(a));
        ss.add(Math.abs(a.chiParallel()) + Math.abs(a.chiPerp()));
      }
      double[] scanK = toArray(ks);
      double[] scanV = toArray(vs);
      double[] scanS = toArray(ss);
      String quantity = kinked ? "chi_par - chi_perp" : "<sigma sigma''>";
      boolean degreeOne = homogeneity.isPresent() && homogeneity.getAsDouble() == 1;
      List<Criticality.CriticalPoint> points = new ArrayList<>();
      List<Double> rejected = new ArrayList<>();
      StringBuilder reason = new StringBuilder();
      Criticality.Evidence evidence0 = new Criticality.Evidence(taylor, homogeneity, quantity,
          scanK, scanV, scanS, ratioK, ratio, new double[0]);
      if (degreeOne) {
        double a2 = averages.unitSigma2();
        double cw = 1 / a2;
        points.add(new Criticality.CriticalPoint(0, cw, OptionalDouble.empty(), Optional.empty(), 0,
            List.of()));
        reason.append(String.format(Locale.ROOT, "sigma is positively homogeneous of degree 1, so"
            + " <sigma^2>_K = A2 K with A2 = (sigma(1)^2 + sigma(-1)^2)/2 = %s and chi_par = chi_perp"
            + " = C_W A2 at every K (quadrature: chi_perp/chi_par = %s at K = %s): at C_b = 0,"
            + " C_W = 1/A2 = %s every K is a fixed point with chi_par = chi_perp = 1 (a line of fixed"
            + " points); C_b > 0 gives K = K1 + (l-1) C_b, no fixed point",
            fmt(a2), fmtList(ratio), fmtList(ratioK), fmt(cw)));
        return new Criticality(sigma, UniversalityClass.SCALE_INVARIANT, points, a1, reason.toString(),
            evidence0);
      }
      boolean analyticKStarZero = taylor[0] == 0 && Double.isFinite(taylor[1]) && taylor[1] != 0
          && Double.isFinite(a1) && a1 < 0;
      // a_1 undefined (a kink at 0) or 0 (hardtanh): the sign of C_W<σ²>_K − K decides.
      OneSided oneSided = analyticKStarZero || !(taylor[0] == 0)
          || (Double.isFinite(a1) && a1 != 0) ? null : oneSided(scale);
      boolean kStarZero = analyticKStarZero || (oneSided != null && oneSided.attractive());
      if (analyticKStarZero) {
        double cw = 1 / (taylor[1] * taylor[1]);
        points.add(new Criticality.CriticalPoint(0, cw, OptionalDouble.of(0),
            Optional.of(Approach.ABOVE), 2 * a1, List.of()));
      } else if (kStarZero) {
        points.add(new Criticality.CriticalPoint(0, oneSided.cw(), OptionalDouble.of(0),
            Optional.of(Approach.ABOVE), Double.NaN, List.of()));
      }
      // Nontrivial roots.
      List<Criticality.CriticalPoint> nontrivial = new ArrayList<>();
      if (!(homogeneity.isPresent())) {
        for (int i = 0, prev = -1; i < scanK.length; i++) {
          int s = evidence0.sign(i);
          if (s == 0) {
            continue;
          }
          if (prev >= 0 && s != evidence0.sign(prev)) {
            double root = refine(scanK[prev], scanV[prev], scanK[i], scanV[i]);
            Criticality.CriticalPoint p = criticalPoint(root);
            if (p == null) {
              rejected.add(root);
            } else {
              nontrivial.add(p);
            }
          }
          prev = i;
        }
      }
      points.addAll(nontrivial);
      Criticality.Evidence evidence = new Criticality.Evidence(taylor, homogeneity, quantity,
          scanK, scanV, scanS, ratioK, ratio, toArray(rejected));
      String scanText = scanSummary(evidence, quantity) + scanNote;
      UniversalityClass cls;
      if (kStarZero) {
        cls = UniversalityClass.K_STAR_ZERO;
        if (analyticKStarZero) {
          reason.append(String.format(Locale.ROOT, "sigma(0) = 0, sigma_1 = %s and a_1 = %s < 0: at"
              + " (C_b, C_W) = (0, 1/sigma_1^2 = %s) the map K' = K + a_1 K^2 + O(K^3) has the critical"
              + " point K* = 0 (chi_par = chi_perp = 1 there), approached from above like"
              + " K ~ 1/(|a_1| l)", fmt(taylor[1]), fmt(a1), fmt(points.get(0).cw())));
        } else {
          reason.append(oneSided.describe());
        }
        reason.append("; ").append(scanText);
        if (!nontrivial.isEmpty()) {
          reason.append("; also ").append(describe(nontrivial));
        }
      } else if (!nontrivial.isEmpty()) {
        cls = UniversalityClass.HALF_STABLE;
        reason.append(describe(nontrivial));
        reason.append("; ").append(trivialPoint());
      } else {
        cls = UniversalityClass.NONE;
        oneSidedNone = oneSided;
        reason.append(noneReason(evidence, ratio, ratioK, scanText, rejected));
      }
      return new Criticality(sigma, cls, points, a1, reason.toString(), evidence);
    }

    private String describe(List<Criticality.CriticalPoint> points) {
      StringBuilder sb = new StringBuilder();
      for (Criticality.CriticalPoint p : points) {
        if (!sb.isEmpty()) {
          sb.append("; ");
        }
        double k = p.kstar().getAsDouble();
        sb.append(String.format(Locale.ROOT, "the scanned %s changes sign at K* = %s, where"
            + " chi_par = chi_perp for any C_W; C_W = 1/<sigma'^2> = %s makes both 1 and"
            + " C_b = K* - C_W <sigma^2> = %s >= 0 makes K* a fixed point; f''(K*) = %s %s 0: the"
            + " flow approaches K* from %s and leaves it on the other side",
            kinked ? "chi_par - chi_perp" : "<sigma sigma''>", fmt(k), fmt(p.cw()), fmt(p.cb()),
            fmt(p.curvature()), p.curvature() > 0 ? ">" : "<",
            p.approach().map(Approach::label).orElse("neither side (f'' vanishes)")));
        for (Criticality.FixedPoint f : p.otherFixedPoints()) {
          sb.append(String.format(Locale.ROOT, "; the critical map has another fixed point at"
              + " K = %s (chi_par = %s: %s, not critical)", fmt(f.k()), fmt(f.chiParallel()),
              f.chiParallel() < 1 ? "attractive" : "repulsive"));
        }
      }
      return sb.toString();
    }

    private String trivialPoint() {
      if (taylor[0] == 0 && Double.isFinite(taylor[1]) && taylor[1] != 0 && Double.isFinite(a1)) {
        return String.format(Locale.ROOT, "K* = 0 is not critical in the attractive sense: a_1 = %s"
            + " > 0 makes it repulsive at (0, 1/sigma_1^2 = %s)", fmt(a1),
            fmt(1 / (taylor[1] * taylor[1])));
      }
      return String.format(Locale.ROOT, "K* = 0 is not a critical point (sigma(0) = %s, sigma_1 = %s)",
          fmt(taylor[0]), fmt(taylor[1]));
    }

    private String noneReason(Criticality.Evidence evidence, double[] ratio, double[] ratioK,
        String scanText, List<Double> rejected) {
      List<String> parts = new ArrayList<>();
      if (homogeneity.isPresent()) {
        double p = homogeneity.getAsDouble();
        parts.add(String.format(Locale.ROOT, "sigma is positively homogeneous of degree p = %s, so"
            + " chi_perp/chi_par is the same at every K: %s at K = %s (p/(2p-1) = %s); it is never"
            + " 1, so chi_par = chi_perp = 1 is impossible", fmt(p), fmtList(ratio),
            fmtList(ratioK), fmt(p / (2 * p - 1))));
        if (p > 1) {
          parts.add(String.format(Locale.ROOT, "with C_b > 0 the fixed point K* = C_b p/(p-1) can"
              + " have chi_par = 1, but then chi_perp = %s", fmt(ratio[1])));
        }
        return String.join("; ", parts);
      }
      if (taylor[0] != 0 && Double.isFinite(taylor[0])) {
        parts.add(String.format(Locale.ROOT, "sigma(0) = %s != 0, so K* = 0 is not a fixed point"
            + " for C_b >= 0 (it would need C_b + C_W sigma(0)^2 = 0)", fmt(taylor[0])));
      } else if (taylor[0] == 0 && Double.isFinite(taylor[1]) && taylor[1] != 0 && Double.isFinite(a1)
          && a1 > 0) {
        parts.add(String.format(Locale.ROOT, "K* = 0 is a fixed point of (C_b, C_W) = (0,"
            + " 1/sigma_1^2 = %s) with chi_par = chi_perp = 1, but a_1 = %s > 0 makes it repulsive"
            + " (K' = K + a_1 K^2 + O(K^3) grows away from 0)", fmt(1 / (taylor[1] * taylor[1])),
            fmt(a1)));
      } else if (oneSidedNone != null) {
        parts.add(oneSidedNone.describe());
      } else if (taylor[0] == 0) {
        parts.add(String.format(Locale.ROOT, "sigma_1 = %s: the K* = 0 class needs sigma_1 != 0"
            + " and a_1 < 0", fmt(taylor[1])));
      }
      parts.add(scanText);
      for (double r : rejected) {
        Averages.Single a = exact(r);
        double cw = 1 / a.chiPerp();
        parts.add(String.format(Locale.ROOT, "at the root K = %s, C_b = K - C_W <sigma^2> = %s < 0",
            fmt(r), fmt(r - cw * a.sigma2())));
      }
      return String.join("; ", parts);
    }

    private String scanSummary(Criticality.Evidence e, String quantity) {
      if (e.scanK().length == 0) {
        return "no scan";
      }
      String range = "K in [" + fmt(e.scanK()[0]) + ", " + fmt(e.scanK()[e.scanK().length - 1]) + "]";
      String pattern = e.signPattern();
      if (pattern.matches("\\+*")) {
        return quantity + " > 0 at every scanned " + range + ": no nontrivial K*";
      }
      if (pattern.matches("-*")) {
        return quantity + " < 0 at every scanned " + range + ": no nontrivial K*";
      }
      return "signs of " + quantity + " over " + range + ": " + pattern;
    }

    /** Brent on the scanned quantity between two grid points of opposite sign. */
    private double refine(double lo, double flo, double hi, double fhi) {
      DoubleUnaryOperator f = k -> scanned(exact(k));
      return BrentSolver.solve(f, lo, flo, hi, fhi, ROOT_TOLERANCE, 0);
    }

    /** The critical point at a root K*, or null if C_b &lt; 0. */
    private Criticality.CriticalPoint criticalPoint(double kStar) {
      Averages.Single a = exact(kStar);
      double cw = 1 / a.chiPerp();
      double cb = kStar - cw * a.sigma2();
      if (!(cw > 0) || !Double.isFinite(cw)) {
        return null;
      }
      if (cb < 0) {
        if (cb < -CB_SLACK * kStar) {
          return null;
        }
        cb = 0;
      }
      double curvature = cw / 4 * a.k1Source();
      Optional<Approach> approach = Math.abs(curvature * kStar) <= FLAT ? Optional.empty()
          : Optional.of(curvature > 0 ? Approach.BELOW : Approach.ABOVE);
      return new Criticality.CriticalPoint(cb, cw, OptionalDouble.of(kStar), approach, curvature,
          otherFixedPoints(cb, cw, kStar));
    }

    /** Points of the fixed-point scan on each side of K*. */
    static final int FIXED_POINT_SCAN = 100;
    /** Relative distance from K* kept by the fixed-point scan (f has a double root there). */
    static final double EXCLUSION = 2e-3;

    private List<Criticality.FixedPoint> otherFixedPoints(double cb, double cw, double kStar) {
      DoubleUnaryOperator f = k -> cb + cw * exact(k).sigma2() - k;
      List<Criticality.FixedPoint> found = new ArrayList<>();
      double[][] sides = {{0.4 * kStar, (1 - EXCLUSION) * kStar}, {(1 + EXCLUSION) * kStar, 2 * kStar}};
      for (double[] side : sides) {
        double lo = side[0];
        double hi = side[1];
        double prevK = lo;
        double prevF = f.applyAsDouble(lo);
        for (int i = 1; i <= FIXED_POINT_SCAN; i++) {
          double k = lo * Math.pow(hi / lo, (double) i / FIXED_POINT_SCAN);
          double fk = f.applyAsDouble(k);
          if (prevF != 0 && fk != 0 && (prevF > 0) != (fk > 0)) {
            double root = BrentSolver.solve(f, prevK, prevF, k, fk, ROOT_TOLERANCE, 0);
            found.add(new Criticality.FixedPoint(root, cw * exact(root).chiParallel()));
          }
          prevK = k;
          prevF = fk;
        }
      }
      return found;
    }
  }

  /** a_1 = σ_3/σ_1 + (3/4)(σ_2/σ_1)² (docs/theory.md §4.2), NaN where σ_1 is 0 or undefined. */
  static double a1(double[] s) {
    if (!(s[1] != 0) || Double.isNaN(s[1]) || Double.isNaN(s[2]) || Double.isNaN(s[3])) {
      return Double.NaN;
    }
    double r = s[2] / s[1];
    return s[3] / s[1] + 0.75 * r * r;
  }

  private static double[] toArray(List<Double> list) {
    double[] a = new double[list.size()];
    for (int i = 0; i < a.length; i++) {
      a[i] = list.get(i);
    }
    return a;
  }

  /** Up to 10 significant digits, shortest form. */
  static String fmt(double v) {
    if (v == Math.rint(v) && Math.abs(v) < 1e15) {
      return Long.toString((long) v);
    }
    String s = String.format(Locale.ROOT, "%.10g", v);
    if (s.contains("e")) {
      String[] parts = s.split("e");
      return stripZeros(parts[0]) + "e" + Integer.parseInt(parts[1]);
    }
    return stripZeros(s);
  }

  private static String stripZeros(String s) {
    if (!s.contains(".")) {
      return s;
    }
    s = s.replaceAll("0+$", "");
    return s.endsWith(".") ? s.substring(0, s.length() - 1) : s;
  }

  private static String fmtList(double[] v) {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < v.length; i++) {
      sb.append(i == 0 ? "" : ", ").append(fmt(v[i]));
    }
    return sb.toString();
  }
}
