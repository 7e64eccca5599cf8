package org.finwidth.gauss;

import java.util.Arrays;

/**
 * Globally adaptive, vector-valued Gauss–Kronrod (10, 21) quadrature on a finite interval cut
 * into initial panels at given breakpoints (QUADPACK's QAG strategy, Piessens et al. 1983,
 * for several integrands at once).
 *
 * <p>Each panel gets the 21-point Kronrod sum K and the embedded 10-point Gauss sum G; its
 * error estimate is QUADPACK's {@code resasc · min(1, (200 |K − G| / resasc)^1.5)} with resasc
 * the Kronrod integral of |f − mean| over the panel (the calibrated heuristic of qk21, also used
 * by GSL and SciPy's quad). While some
 * component j has total error above {@code relTol · S_j}, where S_j is the integral of |f_j| (or
 * of a supplied magnitude), the panel with the largest error relative to its component's
 * tolerance is bisected. The run stops with an {@link IllegalStateException} when the next
 * bisection would exceed the evaluation budget, when no panel can be bisected further
 * (width at the resolution of doubles), or when the integrand returns a non-finite value.
 *
 * <p>Not thread-safe: one instance per thread (it owns its workspace).
 *
 * <p>Nodes and weights: computed in 120-digit arithmetic by {@code tools/gauss_kronrod.py}
 * (exactness checked to degree 31 for Kronrod, 19 for Gauss); they agree with QUADPACK's qk21.
 */
final class AdaptiveGaussKronrod {
  /** The integrand: writes {@code width} numbers at x (m values, then m magnitudes if used). */
  @FunctionalInterface
  interface Fn {
    void evaluate(double x, double[] out);
  }

  /** Kronrod nodes x ≥ 0, descending; the Gauss nodes are XK[1], XK[3], ..., XK[9]. */
  private static final double[] XK = {
    9.9565716302580808074e-1,
    9.7390652851717172008e-1,
    9.30157491355708226e-1,
    8.6506336668898451073e-1,
    7.8081772658641689706e-1,
    6.7940956829902440623e-1,
    5.6275713466860468334e-1,
    4.333953941292471908e-1,
    2.9439286270146019813e-1,
    1.4887433898163121088e-1,
    0.0,
  };
  private static final double[] WK = {
    0.011694638867371874278,
    0.032558162307964727479,
    0.054755896574351996031,
    0.075039674810919952767,
    0.093125454583697605535,
    0.1093871588022976419,
    0.12349197626206585108,
    0.13470921731147332593,
    0.1427759385770600808,
    0.14773910490133849137,
    0.14944555400291690566,
  };
  /** Weights of the Gauss nodes XK[1], XK[3], ..., XK[9]. */
  private static final double[] WG = {
    0.066671344308688137594,
    0.14945134915058059315,
    0.219086362515982044,
    0.26926671930999635509,
    0.29552422471475287017,
  };
  /** Function evaluations per panel. */
  static final int POINTS = 21;

  private final int m;
  private final boolean magnitudes;
  private final String variable;
  private final double[] f1;
  /** Values (and magnitudes) of the current panel's 21 nodes, node-major. */
  private final double[] fv;
  private final double[] fm;

  // Panel store: bounds, and per panel m results, errors and magnitudes (row-major).
  private int n;
  private double[] lo = new double[32];
  private double[] hi = new double[32];
  private boolean[] frozen = new boolean[32];
  private double[] res;
  private double[] err;
  private double[] mag;
  private long evaluations;
  private final double[] initialMagnitude;

  /**
   * @param m the number of components
   * @param magnitudes whether the integrand also writes m nonnegative magnitudes after its m
   *     values (their integrals scale the tolerance); otherwise |f_j| is used
   * @param variable the name of the integration variable, for error messages
   */
  AdaptiveGaussKronrod(int m, boolean magnitudes, String variable) {
    if (m < 1) {
      throw new IllegalArgumentException("number of integrands must be >= 1, got " + m);
    }
    this.m = m;
    this.magnitudes = magnitudes;
    this.variable = variable;
    int width = magnitudes ? 2 * m : m;
    f1 = new double[width];
    fv = new double[POINTS * m];
    fm = new double[magnitudes ? POINTS * m : 0];
    initialMagnitude = new double[m];
    res = new double[32 * m];
    err = new double[32 * m];
    mag = new double[32 * m];
  }

  int components() {
    return m;
  }

  /**
   * Integrates over [breaks[0], breaks[last]] starting from the panels between consecutive
   * breakpoints.
   *
   * @param f the integrand
   * @param breaks strictly increasing, finite, at least two (only the first {@code count} are used)
   * @param count the number of breakpoints
   * @param relTol relative tolerance (of the L1 norm) per component
   * @param maxEvaluations evaluation budget
   * @throws IllegalStateException if the tolerance cannot be met within the budget, or the
   *     integrand is not finite somewhere
   */
  Quadrature integrate(Fn f, double[] breaks, int count, double relTol, long maxEvaluations) {
    return integrate(f, breaks, count, relTol, null, maxEvaluations);
  }

  /**
   * As {@link #integrate(Fn, double[], int, double, long)}, with an absolute tolerance per
   * component: component j is done when its error is at most max(relTol·S_j, absTol[j]).
   *
   * @param absTol absolute tolerances (length m), or null for none
   */
  Quadrature integrate(Fn f, double[] breaks, int count, double relTol, double[] absTol,
      long maxEvaluations) {
    assert count >= 2 && count <= breaks.length;
    n = 0;
    evaluations = 0;
    Arrays.fill(initialMagnitude, 0);
    // Initial panels in order of distance from 0, so that initialMagnitude(j), read by the
    // integrand while the pass is running, covers the bulk of a Gaussian-weighted integral first.
    int panels = count - 1;
    ensureCapacity(panels);
    Integer[] order = new Integer[panels];
    for (int i = 0; i < panels; i++) {
      assert breaks[i] < breaks[i + 1] : Arrays.toString(breaks);
      order[i] = i;
    }
    Arrays.sort(order, (x, y) -> Double.compare(
        Math.abs(breaks[x] + breaks[x + 1]), Math.abs(breaks[y] + breaks[y + 1])));
    for (int i : order) {
      panel(f, breaks[i], breaks[i + 1], n);
      for (int j = 0; j < m; j++) {
        initialMagnitude[j] += mag[n * m + j];
      }
      n++;
    }
    double[] totalErr = new double[m];
    double[] totalMag = new double[m];
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < m; j++) {
        totalErr[j] += err[i * m + j];
        totalMag[j] += mag[i * m + j];
      }
    }
    double[] inverseTol = new double[m];
    while (true) {
      boolean done = true;
      for (int j = 0; j < m; j++) {
        double tol = relTol * totalMag[j];
        if (absTol != null && absTol[j] > tol) {
          tol = absTol[j];
        }
        if (!(totalErr[j] <= tol)) {
          done = false;
        }
        inverseTol[j] = tol > 0 ? 1 / tol : Double.POSITIVE_INFINITY;
      }
      if (done) {
        break;
      }
      int worst = worstPanel(inverseTol);
      if (worst < 0 || evaluations + 2L * POINTS > maxEvaluations) {
        throw notConverged(totalErr, totalMag, relTol, maxEvaluations, worst < 0);
      }
      double a = lo[worst];
      double b = hi[worst];
      double mid = 0.5 * (a + b);
      if (!(mid > a && mid < b) || (b - a) <= 8 * Math.ulp(Math.max(Math.abs(a), Math.abs(b)))) {
        frozen[worst] = true; // cannot be bisected meaningfully in double
        continue;
      }
      for (int j = 0; j < m; j++) {
        totalErr[j] -= err[worst * m + j];
        totalMag[j] -= mag[worst * m + j];
      }
      ensureCapacity(n + 1);
      panel(f, a, mid, worst);
      panel(f, mid, b, n++);
      for (int j = 0; j < m; j++) {
        totalErr[j] += err[worst * m + j] + err[(n - 1) * m + j];
        totalMag[j] += mag[worst * m + j] + mag[(n - 1) * m + j];
        // Running sums of nonnegative terms drift only by rounding; keep them nonnegative.
        totalErr[j] = Math.max(totalErr[j], 0);
      }
    }
    double[] values = new double[m];
    double[] errors = new double[m];
    double[] scales = new double[m];
    for (int j = 0; j < m; j++) {
      // Neumaier summation of the panel results: their order is arbitrary after bisections.
      double s = 0;
      double c = 0;
      double e = 0;
      double g = 0;
      for (int i = 0; i < n; i++) {
        double x = res[i * m + j];
        double t = s + x;
        c += Math.abs(s) >= Math.abs(x) ? (s - t) + x : (x - t) + s;
        s = t;
        e += err[i * m + j];
        g += mag[i * m + j];
      }
      values[j] = s + c;
      errors[j] = e;
      scales[j] = g;
    }
    return new Quadrature(values, errors, scales, evaluations);
  }

  /** Evaluations spent by the last {@link #integrate} call. */
  long evaluations() {
    return evaluations;
  }

  /**
   * The summed magnitude (integral of |f_j| or of the supplied magnitude) of the initial panels
   * evaluated so far in the current run: while the initial pass runs, a partial sum growing from
   * the panels nearest 0 outward; afterwards the initial-pass estimate of S_j.
   */
  double initialMagnitude(int j) {
    return initialMagnitude[j];
  }

  private int worstPanel(double[] inverseTol) {
    int worst = -1;
    double worstScore = -1;
    for (int i = 0; i < n; i++) {
      if (frozen[i]) {
        continue;
      }
      double score = 0;
      for (int j = 0; j < m; j++) {
        double e = err[i * m + j];
        if (e > 0) {
          score = Math.max(score, e * inverseTol[j]);
        }
      }
      if (score > worstScore) {
        worstScore = score;
        worst = i;
      }
    }
    return worstScore > 0 ? worst : -1;
  }

  private IllegalStateException notConverged(
      double[] totalErr, double[] totalMag, double relTol, long maxEvaluations, boolean stuck) {
    int j = 0;
    double worst = -1;
    for (int k = 0; k < m; k++) {
      double ratio = totalErr[k] / (relTol * totalMag[k]);
      if (!(ratio <= worst)) {
        worst = ratio;
        j = k;
      }
    }
    String why = stuck
        ? "no subinterval can be bisected further"
        : "the budget of " + maxEvaluations + " evaluations is spent";
    return new IllegalStateException(String.format(
        "Gaussian quadrature did not reach relative accuracy %.1e: component %d has error estimate"
            + " %.3e against a tolerance of %.3e after %d evaluations (%s)",
        relTol, j, totalErr[j], relTol * totalMag[j], evaluations, why));
  }

  private void panel(Fn f, double a, double b, int slot) {
    double c = 0.5 * (a + b);
    double h = 0.5 * (b - a);
    // Node k < 10 is c - h XK[k], node 20 - k is c + h XK[k], node 10 the centre.
    f.evaluate(c, f1);
    store(10, f1);
    for (int i = 0; i < 10; i++) {
      double x = h * XK[i];
      f.evaluate(c - x, f1);
      store(i, f1);
      f.evaluate(c + x, f1);
      store(20 - i, f1);
    }
    evaluations += POINTS;
    frozen[slot] = false;
    lo[slot] = a;
    hi[slot] = b;
    for (int j = 0; j < m; j++) {
      double k = WK[10] * fv[10 * m + j];
      double g = 0;
      double abs = WK[10] * (magnitudes ? fm[10 * m + j] : Math.abs(fv[10 * m + j]));
      for (int i = 0; i < 10; i++) {
        double s = fv[i * m + j] + fv[(20 - i) * m + j];
        k += WK[i] * s;
        if ((i & 1) == 1) {
          g += WG[i >> 1] * s;
        }
        abs += WK[i] * (magnitudes
            ? fm[i * m + j] + fm[(20 - i) * m + j]
            : Math.abs(fv[i * m + j]) + Math.abs(fv[(20 - i) * m + j]));
      }
      // resasc: the Kronrod integral of |f - mean|, QUADPACK's scale for the error heuristic.
      double mean = 0.5 * k;
      double asc = 0;
      for (int i = 0; i <= 20; i++) {
        asc += WK[i <= 10 ? i : 20 - i] * Math.abs(fv[i * m + j] - mean);
      }
      if (!Double.isFinite(k) || !Double.isFinite(abs)) {
        throw new IllegalStateException("integrand " + j + " is not finite for " + variable
            + " in [" + a + ", " + b + "]");
      }
      double e = Math.abs(k - g) * h;
      asc *= h;
      if (asc != 0 && e != 0) {
        // QUADPACK qk21: the Gauss-Kronrod difference overestimates the error of the Kronrod
        // value for smooth integrands; (200 e / resasc)^1.5 is its calibrated correction.
        e = asc * Math.min(1, Math.pow(200 * e / asc, 1.5));
      }
      res[slot * m + j] = k * h;
      err[slot * m + j] = e;
      mag[slot * m + j] = abs * h;
    }
  }

  private void store(int node, double[] values) {
    System.arraycopy(values, 0, fv, node * m, m);
    if (magnitudes) {
      System.arraycopy(values, m, fm, node * m, m);
    }
  }

  private void ensureCapacity(int panels) {
    if (panels <= lo.length) {
      return;
    }
    int cap = Math.max(panels, 2 * lo.length);
    lo = Arrays.copyOf(lo, cap);
    hi = Arrays.copyOf(hi, cap);
    frozen = Arrays.copyOf(frozen, cap);
    res = Arrays.copyOf(res, cap * m);
    err = Arrays.copyOf(err, cap * m);
    mag = Arrays.copyOf(mag, cap * m);
  }
}
