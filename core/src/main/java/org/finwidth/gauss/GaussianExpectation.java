package org.finwidth.gauss;

import java.util.Arrays;
import java.util.function.DoubleBinaryOperator;
import java.util.function.DoubleUnaryOperator;
import org.finwidth.activation.SpecialFunctions;

/**
 * Gaussian expectations ⟨f(z)⟩_K for z ~ N(0, K) and ⟨f(z1, z2)⟩_K for a centred Gaussian pair
 * with covariance [[K11, K12], [K12, K22]] (docs/theory.md §1.2), by adaptive Gauss–Kronrod
 * quadrature ({@link AdaptiveGaussKronrod}) split at the integrand's kinks. Vector-valued: several
 * integrands share every node (one evaluation of σ(z), σ'(z), ... per node).
 *
 * <p><b>Method, one dimension.</b> Substitute z = √K·u, so ⟨f⟩_K = ∫ f(√K u) φ(u) du with φ the
 * standard normal density. The u-range is cut into initial panels at 0, ±1.5, ±3.5, ±6, ±9 (suited
 * to the Gaussian weight), at every kink k/√K, and — where the integrand's feature width ℓ
 * ({@code featureScale}, in z) is below {@value #FEATURE_REACH} in u — at geometric distances
 * (ℓ/√K)·4^k around 0 and each kink, because a transition of width w next to a panel end lies
 * between the end and the first Kronrod node (0.0043 of the panel width) when w is smaller than
 * that, and no error estimate can see it. The range is truncated at |u| = {@value #U_MAX}: for an
 * integrand growing like |u|^N the neglected tail is about 20^(N−1)φ(20) = 20^(N−1)·5.5e-89
 * against ⟨|u|^N⟩ = (N−1)!!, below 1e-40 relative for N ≤ 40 and below 1e-13 up to N ≈ 110; the
 * weighted integrand at ±U_MAX is checked against the tolerance, so a function that outgrows the
 * Gaussian (e.g. exp(z²)) raises an {@link IllegalStateException} instead of a wrong number.
 *
 * <p><b>Method, two dimensions.</b> z1 = √K11·u outside; given z1, z2 = r·z1 + s·v with
 * r = K12/K11 and s² = det K / K11 (det computed with fused multiply-adds, so that s keeps its
 * relative accuracy as |ρ| → 1), and v ~ N(0, 1) integrated inside, split at the kinks of z2
 * mapped to v. The outer range is also split where the conditional mean r·z1 crosses a kink of
 * z2 (z1 = k/r), with geometric points at the width s/|r| of the feature the inner average has
 * there (the near-kink of |ρ| → 1). Each inner integral is done to max(relTol/4 · S(u), τ(u)),
 * S(u) its own ⟨|f|⟩ and τ(u) = (relTol/4)·A₀/(2 U_MAX φ(u)), where A₀ is half the outer
 * magnitude ∫φS of the initial outer panels already done (done from u = 0 outward, so A₀ is below
 * the total A = ⟨|f|⟩). The inner errors then add at most (relTol/4 + relTol/8)·A to the result,
 * while far-tail nodes, whose weight φ(u) is negligible, are not pushed to a relative accuracy
 * that cannot matter and that an oscillating f could not reach there (sin(r z1 + s v) at
 * |z1| ≈ 100 carries a rounding of 1e-14). A singular covariance (det K = 0, including
 * K11 = 0 or K22 = 0) reduces to one dimension exactly.
 *
 * <p><b>Accuracy.</b> Each component j stops when its summed error estimate is at most
 * relTol·⟨|f_j|⟩ (the L1 norm, which is also the scale of the rounding error of any
 * quadrature sum). For integrands without cancellation this is a relative accuracy of relTol
 * (default {@value #DEFAULT_RELATIVE_TOLERANCE}); for a result much smaller than ⟨|f_j|⟩ (e.g.
 * ⟨σ²(z⁴ − 6Kz² + 3K²)⟩ at small K, docs/theory.md §9.2) the relative accuracy is correspondingly
 * lower, as for any method working in double. Measured against closed forms and docs/theory.md §8:
 * errors of 1e-16 to 1e-15 relative (tests assert 1e-12).
 *
 * <p><b>Cost.</b> At most {@code maxEvaluations} integrand evaluations per one-dimensional
 * expectation (default {@value #DEFAULT_MAX_EVALUATIONS}) and at most {@code maxEvaluations2}
 * (default {@value #DEFAULT_MAX_EVALUATIONS_2D}) in two dimensions, counting inner evaluations;
 * beyond that an {@link IllegalStateException} is thrown rather than an inaccurate number.
 * Typical (bench/README.md): 210–840 evaluations and 10–70 µs for a 7-component activation vector
 * in one dimension (sin at K = 10⁴, 30 periods per unit of u, needs 29,000); 44,000–170,000
 * evaluations and 1–5 ms in two dimensions.
 *
 * <p>An instance owns its workspaces and is not thread-safe; use one per thread. The static
 * helpers {@link #mean(DoubleUnaryOperator, double, double...)} and
 * {@link #mean(DoubleBinaryOperator, double, double, double, double[], double[])} use a fresh
 * instance with the defaults.
 */
public final class GaussianExpectation {
  /** Default relative tolerance (of ⟨|f|⟩). */
  public static final double DEFAULT_RELATIVE_TOLERANCE = 1e-13;
  /** Default evaluation budget of a one-dimensional expectation. */
  public static final long DEFAULT_MAX_EVALUATIONS = 200_000;
  /** Default evaluation budget of a two-dimensional expectation (inner evaluations counted). */
  public static final long DEFAULT_MAX_EVALUATIONS_2D = 20_000_000;
  /** Default feature width in z (the catalogue's activations at T = 1). */
  public static final double DEFAULT_FEATURE_SCALE = 1;
  /** Truncation of the standardised variable u = z/√K. */
  public static final double U_MAX = 20;
  /** Smallest accepted relative tolerance: below it rounding dominates the error estimate. */
  public static final double MIN_RELATIVE_TOLERANCE = 1e-15;

  /** Initial panel boundaries in u (positive half; mirrored). */
  private static final double[] GRID = {1.5, 3.5, 6, 9};

  private final double relTol;
  private final long maxEvaluations;
  private final long maxEvaluations2;

  private AdaptiveGaussKronrod outer;
  private AdaptiveGaussKronrod inner;
  private final Breaks breaksOuter = new Breaks();
  private final Breaks breaksInner = new Breaks();
  private long innerEvaluations;

  /** An instance with the default tolerance and budgets. */
  public GaussianExpectation() {
    this(DEFAULT_RELATIVE_TOLERANCE, DEFAULT_MAX_EVALUATIONS, DEFAULT_MAX_EVALUATIONS_2D);
  }

  /**
   * An instance with the given tolerance and budgets.
   *
   * @param relTol relative tolerance of ⟨|f_j|⟩ per component, in [1e-15, 1)
   * @param maxEvaluations budget of a one-dimensional expectation, ≥ 1000
   * @param maxEvaluations2 budget of a two-dimensional expectation, ≥ 1000
   * @throws IllegalArgumentException if a value is out of range
   */
  public GaussianExpectation(double relTol, long maxEvaluations, long maxEvaluations2) {
    if (!(relTol >= MIN_RELATIVE_TOLERANCE && relTol < 1)) {
      throw new IllegalArgumentException("relTol must be in [1e-15, 1), got " + relTol);
    }
    if (maxEvaluations < 1000 || maxEvaluations2 < 1000) {
      throw new IllegalArgumentException("evaluation budgets must be >= 1000, got "
          + maxEvaluations + " and " + maxEvaluations2);
    }
    this.relTol = relTol;
    this.maxEvaluations = maxEvaluations;
    this.maxEvaluations2 = maxEvaluations2;
  }

  /**
   * ⟨f(z)⟩_K with the default settings.
   *
   * @param f the integrand (must be finite on the real line)
   * @param variance K ≥ 0 (K = 0 gives f(0))
   * @param kinks points where f or a low derivative is not smooth (any order, any count)
   * @throws IllegalArgumentException if K is negative or not finite, or a kink is NaN
   * @throws IllegalStateException if the accuracy cannot be reached within the budget
   */
  public static double mean(DoubleUnaryOperator f, double variance, double... kinks) {
    return new GaussianExpectation().expect(f, variance, kinks);
  }

  /**
   * ⟨f(z1, z2)⟩_K over the covariance [[K11, K12], [K12, K22]] with the default settings.
   *
   * @see #expect(VectorIntegrand2, int, double, double, double, double[], double[])
   */
  public static double mean(DoubleBinaryOperator f, double k11, double k12, double k22,
      double[] kinks1, double[] kinks2) {
    return new GaussianExpectation().expect(f, k11, k12, k22, kinks1, kinks2);
  }

  /** ⟨f(z)⟩_K; see {@link #expect(VectorIntegrand, int, double, double...)}. */
  public double expect(DoubleUnaryOperator f, double variance, double... kinks) {
    return expect((z, out) -> out[0] = f.applyAsDouble(z), 1, variance, kinks).value(0);
  }

  /** ⟨f(z1, z2)⟩_K; see {@link #expect(VectorIntegrand2, int, double, double, double, double[], double[])}. */
  public double expect(DoubleBinaryOperator f, double k11, double k12, double k22,
      double[] kinks1, double[] kinks2) {
    return expect((z1, z2, out) -> out[0] = f.applyAsDouble(z1, z2), 1, k11, k12, k22, kinks1,
        kinks2).value(0);
  }

  /**
   * ⟨f_j(z)⟩_K for j = 0..m−1, all on the same nodes.
   *
   * @param f the integrands (finite on the real line, at most polynomial growth)
   * @param m the number of components, ≥ 1
   * @param variance K ≥ 0 (K = 0 gives f(0))
   * @param kinks points z where some f_j or a low derivative is not smooth
   * @return values, error estimates, L1 scales and the evaluation count
   * @throws IllegalArgumentException if K is negative or not finite, m &lt; 1, or a kink is NaN
   * @throws IllegalStateException if the accuracy cannot be reached within the budget or the
   *     integrand is not finite
   */
  public Quadrature expect(VectorIntegrand f, int m, double variance, double... kinks) {
    return expectWithScale(f, m, variance, DEFAULT_FEATURE_SCALE, kinks);
  }

  /**
   * As {@link #expect(VectorIntegrand, int, double, double...)}, for an integrand whose sharpest
   * features sit at 0 and at the kinks and have width about {@code featureScale} in z (the
   * temperature T of the gated activations, 1/a for erf(a z)). Where that width is below
   * {@value #FEATURE_REACH} in u = z/√K, breakpoints are added at geometric distances
   * featureScale·4^k from each of those points, so that a sharp transition next to a panel end is
   * resolved rather than missed by every node of the panel.
   *
   * @param featureScale the feature width in z, finite and &gt; 0 (default 1)
   */
  public Quadrature expectWithScale(VectorIntegrand f, int m, double variance, double featureScale,
      double... kinks) {
    return expectWithScale(f, m, variance, featureScale, null, kinks);
  }

  /**
   * As {@link #expectWithScale(VectorIntegrand, int, double, double, double...)}, with an absolute
   * tolerance per component: component j is done when its error estimate is at most
   * max(relTol·⟨|f_j|⟩, absTol[j]), and the truncation check at |u| = {@value #U_MAX} allows the
   * same. A component far below its absolute tolerance (the smoothing E[σ(m + z)] of ReLU at a
   * mean m deep in its zero region, whose whole mass lies beyond the truncation) is then accepted
   * at that accuracy instead of being refused as an integrand that does not decay.
   *
   * @param absTol absolute tolerances (length m, each ≥ 0), or null for none
   */
  Quadrature expectWithScale(VectorIntegrand f, int m, double variance, double featureScale, double[] absTol,
      double... kinks) {
    checkVariance("K", variance);
    checkKinks(kinks);
    checkScale(featureScale);
    double[] buf = scratch(m);
    if (variance == 0) {
      f.evaluate(0, buf);
      return pointMass(buf, m);
    }
    double sqrtK = Math.sqrt(variance);
    Breaks breaks = breaksOuter;
    breaks.start();
    breaks.feature(0, featureScale / sqrtK);
    for (double k : kinks) {
      breaks.feature(k / sqrtK, featureScale / sqrtK);
    }
    int count = breaks.finish();
    AdaptiveGaussKronrod engine = outer(m, false);
    double[] fz = scratch(m);
    AdaptiveGaussKronrod.Fn weighted = (u, out) -> {
      f.evaluate(sqrtK * u, fz);
      double w = SpecialFunctions.normalPdf(u);
      for (int j = 0; j < m; j++) {
        out[j] = w * fz[j];
      }
    };
    Quadrature e = engine.integrate(weighted, breaks.b, count, relTol, absTol, maxEvaluations);
    checkTruncation(weighted, e, m, absTol, "u = z/sqrt(K)");
    return e;
  }

  /**
   * Checks that the truncation at |u| = U_MAX is harmless: the weighted integrand at ±U_MAX
   * (which bounds the neglected tail ∫_U^∞ of a decaying integrand, roughly F(U)/U) must be
   * within the tolerance of each component; otherwise the integrand grows too fast for the
   * Gaussian weight (e.g. exp(z²)) and the result would be garbage.
   */
  private void checkTruncation(AdaptiveGaussKronrod.Fn weighted, Quadrature e, int m,
      double[] absTol, String variable) {
    double[] edge = new double[m];
    double[] buf = new double[2 * m]; // room for the magnitudes an outer integrand also writes
    weighted.evaluate(-U_MAX, buf);
    for (int j = 0; j < m; j++) {
      edge[j] = Math.abs(buf[j]);
    }
    weighted.evaluate(U_MAX, buf);
    for (int j = 0; j < m; j++) {
      double tail = Math.max(edge[j], Math.abs(buf[j]));
      double tol = Math.max(relTol * e.scales()[j], absTol == null ? 0 : absTol[j]);
      if (!(tail <= tol)) {
        throw new IllegalStateException("integrand " + j + " does not decay under the Gaussian"
            + " weight: |f phi| at " + variable + " = +-" + U_MAX + " is " + tail
            + ", above the tolerance " + tol + " (it grows too fast for a Gaussian expectation)");
      }
    }
  }

  /**
   * ⟨f_j(z1, z2)⟩_K for j = 0..m−1 over the covariance [[K11, K12], [K12, K22]].
   *
   * @param f the integrands (finite, at most polynomial growth)
   * @param m the number of components, ≥ 1
   * @param k11 Var z1 ≥ 0
   * @param k12 Cov(z1, z2), with K12² ≤ K11·K22 (up to a relative rounding slack of 1e-12)
   * @param k22 Var z2 ≥ 0
   * @param kinks1 points z1 where f is not smooth in z1 (empty if none)
   * @param kinks2 points z2 where f is not smooth in z2 (empty if none)
   * @return values, error estimates, L1 scales and the evaluation count (inner ones included)
   * @throws IllegalArgumentException if the covariance is not finite or not positive
   *     semidefinite, m &lt; 1, or a kink is NaN
   * @throws IllegalStateException if the accuracy cannot be reached within the budget
   */
  public Quadrature expect(VectorIntegrand2 f, int m, double k11, double k12, double k22,
      double[] kinks1, double[] kinks2) {
    return expectWithScale(f, m, k11, k12, k22, DEFAULT_FEATURE_SCALE, kinks1, kinks2);
  }

  /**
   * As {@link #expect(VectorIntegrand2, int, double, double, double, double[], double[])} with
   * the feature width of {@link #expectWithScale(VectorIntegrand, int, double, double, double...)}
   * (the same in z1 and z2).
   *
   * @param featureScale the feature width in z, finite and &gt; 0 (default 1)
   */
  public Quadrature expectWithScale(VectorIntegrand2 f, int m, double k11, double k12, double k22,
      double featureScale, double[] kinks1, double[] kinks2) {
    checkScale(featureScale);
    checkVariance("K11", k11);
    checkVariance("K22", k22);
    if (!Double.isFinite(k12)) {
      throw new IllegalArgumentException("K12 must be finite, got " + k12);
    }
    checkKinks(kinks1);
    checkKinks(kinks2);
    // det = K11 K22 - K12^2 with the product K12^2 split exactly, so that a nearly singular
    // covariance (|rho| -> 1) keeps the relative accuracy of its small determinant.
    double p = k12 * k12;
    double det = Math.fma(k11, k22, -p) - Math.fma(k12, k12, -p);
    if (det < 0) {
      if (-det > 1e-12 * k11 * k22) {
        throw new IllegalArgumentException("covariance [[" + k11 + ", " + k12 + "], [" + k12
            + ", " + k22 + "]] is not positive semidefinite (K12^2 > K11 K22)");
      }
      det = 0;
    }
    double[] buf = scratch(m);
    if (k11 == 0 && k22 == 0) {
      f.evaluate(0, 0, buf);
      return pointMass(buf, m);
    }
    if (k11 == 0) {
      return expectWithScale((z, out) -> f.evaluate(0, z, out), m, k22, featureScale, kinks2);
    }
    double ratio = k12 / k11;
    if (det == 0) {
      // z2 = (K12/K11) z1 exactly: one dimension, kinks of both factors as breakpoints.
      double[] kinks = kinks1;
      if (ratio != 0) {
        kinks = Arrays.copyOf(kinks1, kinks1.length + kinks2.length);
        for (int i = 0; i < kinks2.length; i++) {
          kinks[kinks1.length + i] = kinks2[i] / ratio;
        }
      }
      return expectWithScale((z, out) -> f.evaluate(z, ratio * z, out), m, k11, featureScale, kinks);
    }
    double sqrtK11 = Math.sqrt(k11);
    double s = Math.sqrt(det / k11);
    // Outer features: 0 and the kinks of z1 (width featureScale), and the points where the
    // conditional mean r·z1 crosses a feature of z2: a kink, which the inner average smooths
    // over s in z2 (s/|r| in z1), or 0, smoothed over max(s, featureScale).
    Breaks outerBreaks = breaksOuter;
    outerBreaks.start();
    outerBreaks.feature(0, featureScale / sqrtK11);
    for (double k : kinks1) {
      outerBreaks.feature(k / sqrtK11, featureScale / sqrtK11);
    }
    if (ratio != 0) {
      double perZ2 = 1 / (Math.abs(ratio) * sqrtK11);
      outerBreaks.feature(0, Math.max(s, featureScale) * perZ2);
      for (double k : kinks2) {
        outerBreaks.feature(k / (ratio * sqrtK11), s * perZ2);
      }
    }
    int countOuter = outerBreaks.finish();
    AdaptiveGaussKronrod outerEngine = outer(m, true);
    AdaptiveGaussKronrod innerEngine = inner(m);
    double[] fz = new double[m];
    double innerTol = 0.25 * relTol;
    double[] innerAbsTol = new double[m];
    innerEvaluations = 0;
    AdaptiveGaussKronrod.Fn outerFn = (u, out) -> {
      double weight = SpecialFunctions.normalPdf(u);
      for (int j = 0; j < m; j++) {
        // See the class comment: a share of (relTol/4)·A₀ spread over the u-range.
        double a0 = 0.5 * outerEngine.initialMagnitude(j);
        innerAbsTol[j] = weight > 0 ? innerTol * a0 / (2 * U_MAX * weight) : Double.POSITIVE_INFINITY;
      }
      if (weight == 0) {
        for (int j = 0; j < 2 * m; j++) {
          out[j] = 0; // the node's weight underflows: its inner integral cannot contribute
        }
        return;
      }
      double z1 = sqrtK11 * u;
      double mean = ratio * z1;
      Breaks innerBreaks = breaksInner;
      innerBreaks.start();
      innerBreaks.feature(-mean / s, featureScale / s);
      for (double k : kinks2) {
        innerBreaks.feature((k - mean) / s, featureScale / s);
      }
      int count = innerBreaks.finish();
      long budget = Math.min(maxEvaluations, maxEvaluations2 - innerEvaluations);
      if (budget < 2 * AdaptiveGaussKronrod.POINTS) {
        throw new IllegalStateException("two-dimensional Gaussian quadrature exceeded its budget of "
            + maxEvaluations2 + " evaluations");
      }
      AdaptiveGaussKronrod.Fn innerFn = (v, o) -> {
        f.evaluate(z1, mean + s * v, fz);
        double w = SpecialFunctions.normalPdf(v);
        for (int j = 0; j < m; j++) {
          o[j] = w * fz[j];
        }
      };
      Quadrature e = innerEngine.integrate(innerFn, innerBreaks.b, count, innerTol, innerAbsTol, budget);
      // No truncation check per inner integral: a node whose inner mass sits in its far tail
      // (ρ → −1 behind a kink) has a tiny inner ⟨|f|⟩ that the edge value may exceed although
      // the node cannot matter. Growth in z2 is caught by the outer check at u = ±U_MAX, whose
      // inner integrals see it.
      innerEvaluations += e.evaluations();
      for (int j = 0; j < m; j++) {
        out[j] = weight * e.values()[j];
        out[m + j] = weight * e.scales()[j];
      }
    };
    Quadrature result = outerEngine.integrate(outerFn, outerBreaks.b, countOuter, relTol, maxEvaluations);
    checkTruncation(outerFn, result, m, null, "u = z1/sqrt(K11)");
    return new Quadrature(result.values(), result.errors(), result.scales(), innerEvaluations);
  }

  private static Quadrature pointMass(double[] buf, int m) {
    double[] v = Arrays.copyOf(buf, m);
    double[] s = new double[m];
    for (int j = 0; j < m; j++) {
      if (!Double.isFinite(v[j])) {
        throw new IllegalStateException("integrand " + j + " is not finite at the point mass");
      }
      s[j] = Math.abs(v[j]);
    }
    return new Quadrature(v, new double[m], s, 1);
  }

  /**
   * A reusable breakpoint buffer in the standardised variable: ±U_MAX, 0, ±GRID, then feature
   * centres c with their widths w: c itself, and c ± w·4^k (k = 0, 1, ...) below
   * {@link #FEATURE_REACH} when w is that small. The geometric points keep a feature of width w
   * that sits at a panel end from hiding between the end and the panel's first Kronrod node
   * (0.0043 of the panel width away), where neither the Kronrod nor the Gauss sum would see it.
   */
  private static final class Breaks {
    double[] b = new double[64];
    int n;

    void start() {
      n = 0;
      add(-U_MAX);
      add(0);
      add(U_MAX);
      for (double g : GRID) {
        add(g);
        add(-g);
      }
    }

    void add(double u) {
      if (u >= -U_MAX && u <= U_MAX) {
        if (n == b.length) {
          b = Arrays.copyOf(b, 2 * n);
        }
        b[n++] = u;
      }
    }

    void feature(double centre, double width) {
      if (!(centre > -U_MAX && centre < U_MAX)) {
        return;
      }
      add(centre);
      for (double d = width; d < FEATURE_REACH; d *= 4) {
        add(centre - d);
        add(centre + d);
      }
    }

    /** Sorts, removes duplicates, returns the count. */
    int finish() {
      Arrays.sort(b, 0, n);
      int distinct = 1;
      for (int i = 1; i < n; i++) {
        if (b[i] != b[distinct - 1]) {
          b[distinct++] = b[i];
        }
      }
      return distinct;
    }
  }

  /** Feature widths below this (in the standardised variable) get geometric breakpoints. */
  public static final double FEATURE_REACH = 0.25;

  private AdaptiveGaussKronrod outer(int m, boolean magnitudes) {
    if (outer == null || outer.components() != m || outerHasMagnitudes != magnitudes) {
      outer = new AdaptiveGaussKronrod(m, magnitudes, magnitudes ? "u = z1/sqrt(K11)" : "u = z/sqrt(K)");
      outerHasMagnitudes = magnitudes;
    }
    return outer;
  }

  private boolean outerHasMagnitudes;

  private AdaptiveGaussKronrod inner(int m) {
    if (inner == null || inner.components() != m) {
      inner = new AdaptiveGaussKronrod(m, false, "v (conditional z2)");
    }
    return inner;
  }

  private double[] scratch(int m) {
    if (m < 1) {
      throw new IllegalArgumentException("number of integrands must be >= 1, got " + m);
    }
    return new double[m];
  }

  private static void checkVariance(String name, double k) {
    if (!(k >= 0) || k == Double.POSITIVE_INFINITY) {
      throw new IllegalArgumentException(name + " must be finite and >= 0, got " + k);
    }
  }

  private static void checkScale(double featureScale) {
    if (!(featureScale > 0) || featureScale == Double.POSITIVE_INFINITY) {
      throw new IllegalArgumentException("featureScale must be finite and > 0, got " + featureScale);
    }
  }

  private static void checkKinks(double[] kinks) {
    for (double k : kinks) {
      if (Double.isNaN(k)) {
        throw new IllegalArgumentException("kink is NaN");
      }
    }
  }
}
