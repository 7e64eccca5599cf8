package org.finwidth.gauss;

import java.util.Arrays;
import org.finwidth.activation.Activation;
import org.finwidth.activation.Gelu;
import org.finwidth.activation.Mrepu;
import org.finwidth.activation.Relu;
import org.finwidth.activation.Repu;
import org.finwidth.activation.SpecialFunctions;

/**
 * Gaussian expectations of products of powers of one activation over a centred Gaussian vector of a
 * few dimensions: for components c = 0..m−1,
 * <pre>
 *   E_c = ⟨ Π_i σ(z_i)^{e_{c,i}} ⟩_C ,   z ~ N(0, C),  C a k×k covariance (k ≤ {@value #MAX_DIMENSION})
 * </pre>
 * the three- and four-input averages ⟨σ_a²σ_bσ_c⟩ and ⟨σ_aσ_bσ_cσ_d⟩ of the multi-input vertex
 * recursion (docs/theory.md §5.1). Any positive semidefinite C is accepted: the integral runs over
 * the range of C (its rank r may be below k, e.g. for inputs that span fewer dimensions than their
 * number), so no C^{-1} is needed.
 *
 * <p><b>Method.</b> A pivoted Cholesky factor z = L u, u ~ N(0, I_r), reveals the rank r (pivots
 * below {@value #RANK_TOLERANCE} of the largest variance count as zero). The r standard normals are
 * integrated one inside the other by adaptive Gauss–Kronrod (the engine of
 * {@link GaussianExpectation}), each level on |u| ≤ {@value #U_MAX}, with breakpoints where a
 * factor σ(z_i) that is complete at this level has a feature (0 and the kinks, width the feature
 * scale over |L_ij|) and where the conditional mean of a factor that is still open crosses one (width
 * its remaining conditional standard deviation over |L_ij|), as in the two-dimensional method of
 * {@link GaussianExpectation}. The innermost dimension is done analytically in effect: when one
 * factor z_i alone depends on the last normal u_r, its conditional average is the smoothing
 * S_p(m) = E[σ(m + L_ir g)^p] of σ, interpolated once ({@link SmoothedPowers}) instead of being
 * integrated at every outer node; a d-dimensional average costs d − 1 nested levels. For ReLU and
 * GELU (σ(z) = zΦ(z/T)) the two innermost dimensions are closed-form instead when every component
 * has power 0 or 1 of the two variables completed last ({@link BivariateNormal}: E[X₊Y₊] and
 * E[XΦ(X/T)YΦ(Y/T)] of a bivariate normal with means), so a four-dimensional ⟨σσσσ⟩ costs two
 * numerical levels; there the scale of the tolerance is ⟨|Π_outer σ · E[σ_xσ_y | outer]|⟩.
 *
 * <p><b>Accuracy.</b> Each component stops when its error estimate is at most relTol·⟨|f_c|⟩
 * (default {@value #DEFAULT_RELATIVE_TOLERANCE}); inner levels get a quarter of the relative
 * tolerance of their parent plus a share of its absolute tolerance, and the interpolant's uniform
 * error ε is checked afterwards against the product's remaining factors, ε·⟨|rest_c|⟩ ≤
 * relTol·⟨|f_c|⟩/4, and rebuilt smaller if needed. The results are invariant (bitwise) under a
 * simultaneous permutation of C's rows and columns and of the exponents: the variables are first
 * put in a canonical order determined by C alone.
 *
 * <p>Not thread-safe (owns its workspaces): one instance per thread.
 */
public final class GaussianProducts {
  /** Default relative tolerance, of ⟨|f_c|⟩. */
  public static final double DEFAULT_RELATIVE_TOLERANCE = 1e-10;
  /** Largest dimension accepted (the canonical ordering tries all k! orders). */
  public static final int MAX_DIMENSION = 6;
  /** Pivots of the Cholesky factor below this fraction of the largest variance are zero. */
  public static final double RANK_TOLERANCE = 1e-14;
  /** Truncation of each standard normal: the neglected mass 2Φ(−9) = 2.3e-19. */
  static final double U_MAX = 9;
  /** Default budget of integrand evaluations per expectation. */
  public static final long DEFAULT_MAX_EVALUATIONS = 400_000_000L;

  private static final double[] GRID = {3};
  /** Longest panel of the piecewise Gauss–Legendre fast path, in u. */
  static final double PANEL = 2;
  /** Sizes of the two Gauss–Legendre rules compared by the fast path for kinked σ. */
  static final int PL_SMALL = 8;
  static final int PL_LARGE = 12;
  private static final double[][][] LEGENDRE = new double[PL_LARGE + 1][][];
  /** Smooth features at least this wide (in u) get no breakpoint of their own. */
  private static final double SMOOTH_REACH = 1;

  private final Activation sigma;
  private final double[] kinks;
  private final double featureScale;
  private final double relTol;
  private final long maxEvaluations;
  private final boolean fastPaths;
  private final boolean closedFormPairs;
  private final GaussianExpectation one = new GaussianExpectation();
  private AdaptiveGaussKronrod[] engines = new AdaptiveGaussKronrod[0];
  private int engineComponents = -1;

  /** An instance for σ with the default tolerance and budget. */
  public GaussianProducts(Activation sigma) {
    this(sigma, DEFAULT_RELATIVE_TOLERANCE, DEFAULT_MAX_EVALUATIONS);
  }

  /**
   * Products of σ with the given tolerance and budget.
   *
   * @param sigma the activation
   * @param relTol relative tolerance of ⟨|f_c|⟩ per component, in [1e-13, 1e-3]
   * @param maxEvaluations budget of integrand evaluations per expectation, ≥ 10⁵
   * @throws IllegalArgumentException if a value is out of range
   */
  public GaussianProducts(Activation sigma, double relTol, long maxEvaluations) {
    this(sigma, relTol, maxEvaluations, true, true);
  }

  /**
   * As {@link #GaussianProducts(Activation, double, long)}; {@code fastPaths} false skips the
   * verified fixed-rule paths (the tests' independent adaptive reference); {@code closedFormPairs}
   * false skips the closed-form innermost pair of ReLU and GELU and lets analytic σ try the
   * piecewise rule before the adaptive path (the tests' second method, the smoothing path).
   */
  GaussianProducts(Activation sigma, double relTol, long maxEvaluations, boolean fastPaths,
      boolean closedFormPairs) {
    this.fastPaths = fastPaths;
    this.closedFormPairs = closedFormPairs;
    this.sigma = sigma;
    this.kinks = sigma.kinks();
    this.featureScale = sigma.featureScale();
    if (!(relTol >= 1e-13 && relTol <= 1e-3)) {
      throw new IllegalArgumentException("relTol must be in [1e-13, 1e-3], got " + relTol);
    }
    if (maxEvaluations < 100_000) {
      throw new IllegalArgumentException("maxEvaluations must be >= 1e5, got " + maxEvaluations);
    }
    this.relTol = relTol;
    this.maxEvaluations = maxEvaluations;
  }

  /** The activation. */
  public Activation activation() {
    return sigma;
  }

  /**
   * ⟨Π_i σ(z_i)^{exponents[c][i]}⟩ over z ~ N(0, cov) for every component c.
   *
   * @param cov a k×k symmetric positive semidefinite covariance, 1 ≤ k ≤ {@value #MAX_DIMENSION}
   * @param exponents m rows of k exponents in 0..8
   * @return the values, error estimates, scales ⟨|f_c|⟩ and evaluation count
   * @throws IllegalArgumentException if cov is not square, finite, symmetric (to 1e-12 relative)
   *     and positive semidefinite (to the rank tolerance), or an exponent is out of range
   * @throws IllegalStateException if the accuracy cannot be reached within the budget or a value
   *     is not finite
   */
  public Quadrature expect(double[][] cov, int[][] exponents) {
    int k = cov.length;
    if (k < 1 || k > MAX_DIMENSION) {
      throw new IllegalArgumentException("dimension must be in 1.." + MAX_DIMENSION + ", got " + k);
    }
    int m = exponents.length;
    if (m < 1) {
      throw new IllegalArgumentException("at least one component is needed");
    }
    for (int[] e : exponents) {
      if (e.length != k) {
        throw new IllegalArgumentException("an exponent row has " + e.length + " entries for k=" + k);
      }
      for (int x : e) {
        if (x < 0 || x > 8) {
          throw new IllegalArgumentException("exponents must be in 0..8, got " + x);
        }
      }
    }
    for (double[] row : cov) {
      if (row.length != k) {
        throw new IllegalArgumentException("the covariance must be square");
      }
      for (double x : row) {
        if (!Double.isFinite(x)) {
          throw new IllegalArgumentException("the covariance must be finite, got " + x);
        }
      }
    }
    for (int i = 0; i < k; i++) {
      if (!(cov[i][i] >= 0)) {
        throw new IllegalArgumentException("variance " + i + " must be >= 0, got " + cov[i][i]);
      }
      for (int j = 0; j < i; j++) {
        double scale = Math.max(Math.abs(cov[i][j]), Math.abs(cov[j][i]));
        if (Math.abs(cov[i][j] - cov[j][i]) > 1e-12 * scale) {
          throw new IllegalArgumentException("the covariance is not symmetric at (" + i + "," + j + ")");
        }
      }
    }
    int[] order = canonicalOrder(cov);
    double[][] c = new double[k][k];
    int[][] e = new int[m][k];
    for (int i = 0; i < k; i++) {
      for (int j = 0; j < k; j++) {
        c[i][j] = cov[order[i]][order[j]];
      }
      for (int r = 0; r < m; r++) {
        e[r][i] = exponents[r][order[i]];
      }
    }
    // Drop variables with exponent 0 in every component.
    return new Run(c, e).result();
  }

  /**
   * The order of the variables that makes the upper triangle of C (row by row) smallest
   * lexicographically, trying all k! orders; ties give identical matrices, hence identical work.
   */
  static int[] canonicalOrder(double[][] cov) {
    int k = cov.length;
    int[] best = null;
    int[] perm = new int[k];
    for (int i = 0; i < k; i++) {
      perm[i] = i;
    }
    do {
      if (best == null || compare(cov, perm, best) < 0) {
        best = perm.clone();
      }
    } while (nextPermutation(perm));
    return best;
  }

  private static int compare(double[][] cov, int[] p, int[] q) {
    int k = p.length;
    for (int i = 0; i < k; i++) {
      for (int j = i; j < k; j++) {
        int c = Double.compare(cov[p[i]][p[j]], cov[q[i]][q[j]]);
        if (c != 0) {
          // Larger variances first (pivoting order), then larger covariances.
          return -c;
        }
      }
    }
    return 0;
  }

  /**
   * Steps {@code a} to the next permutation in lexicographic order; false (and {@code a} unchanged)
   * at the last one. Package-private: the tests enumerate orders with it too.
   */
  static boolean nextPermutation(int[] a) {
    int i = a.length - 2;
    while (i >= 0 && a[i] >= a[i + 1]) {
      i--;
    }
    if (i < 0) {
      return false;
    }
    int j = a.length - 1;
    while (a[j] <= a[i]) {
      j--;
    }
    int t = a[i];
    a[i] = a[j];
    a[j] = t;
    for (int l = i + 1, r = a.length - 1; l < r; l++, r--) {
      t = a[l];
      a[l] = a[r];
      a[r] = t;
    }
    return true;
  }

  /** The n-point Gauss–Legendre rule {nodes, weights} on [−1, 1] (Newton on P_n; shared). */
  static synchronized double[][] legendre(int n) {
    if (LEGENDRE[n] != null) {
      return LEGENDRE[n];
    }
    double[] x = new double[n];
    double[] w = new double[n];
    for (int i = 0; i < n; i++) {
      double z = Math.cos(Math.PI * (i + 0.75) / (n + 0.5));
      double dp = 0;
      for (int it = 0; it < 100; it++) {
        double p0 = 1;
        double p1 = z;
        for (int q = 2; q <= n; q++) {
          double p2 = ((2 * q - 1) * z * p1 - (q - 1) * p0) / q;
          p0 = p1;
          p1 = p2;
        }
        dp = n * (z * p1 - p0) / (z * z - 1);
        double dz = p1 / dp;
        z -= dz;
        if (Math.abs(dz) < 1e-16) {
          break;
        }
      }
      x[i] = z;
      w[i] = 2 / ((1 - z * z) * dp * dp);
    }
    LEGENDRE[n] = new double[][] {x, w};
    return LEGENDRE[n];
  }

  /**
   * Pivoted lower Cholesky factor: rows in the original variable order, columns = pivots in order,
   * rank r = number of columns; null if C is not PSD within the tolerance.
   */
  static double[][] pivotedCholesky(double[][] c) {
    int k = c.length;
    double maxDiag = 0;
    for (int i = 0; i < k; i++) {
      maxDiag = Math.max(maxDiag, c[i][i]);
    }
    double tol = RANK_TOLERANCE * k * maxDiag;
    double[][] l = new double[k][k];
    double[] residual = new double[k];
    boolean[] used = new boolean[k];
    for (int i = 0; i < k; i++) {
      residual[i] = c[i][i];
    }
    int r = 0;
    for (; r < k; r++) {
      int p = -1;
      for (int i = 0; i < k; i++) {
        if (!used[i] && (p < 0 || residual[i] > residual[p])) {
          p = i;
        }
      }
      if (p < 0 || !(residual[p] > tol) || maxDiag == 0) {
        break;
      }
      used[p] = true;
      double pivot = Math.sqrt(residual[p]);
      l[p][r] = pivot;
      for (int i = 0; i < k; i++) {
        if (used[i]) {
          continue;
        }
        double t = c[i][p];
        for (int j = 0; j < r; j++) {
          t -= l[i][j] * l[p][j];
        }
        l[i][r] = t / pivot;
        residual[i] -= l[i][r] * l[i][r];
      }
    }
    // The remaining residuals must vanish (PSD): allow the rank tolerance plus rounding.
    for (int i = 0; i < k; i++) {
      if (!used[i] && residual[i] < -Math.max(tol, 1e-12 * maxDiag)) {
        return null;
      }
    }
    double[][] out = new double[k][r];
    for (int i = 0; i < k; i++) {
      System.arraycopy(l[i], 0, out[i], 0, r);
    }
    return out;
  }

  private AdaptiveGaussKronrod engine(int level, int components) {
    if (engineComponents != components) {
      engines = new AdaptiveGaussKronrod[0];
      engineComponents = components;
    }
    if (level >= engines.length) {
      engines = Arrays.copyOf(engines, level + 1);
    }
    if (engines[level] == null) {
      engines[level] = new AdaptiveGaussKronrod(components, true, "u" + (level + 1));
    }
    return engines[level];
  }

  /** One expectation: the factor, the levels and the innermost interpolant. */
  private final class Run {
    final int k;
    final int m;
    final int[][] e;
    final double[][] l;
    final int r;
    /** Level at which variable i is complete (its last nonzero column), −1 for a constant. */
    final int[] last;
    /** Variables complete at each level (direct evaluation). */
    final int[][] complete;
    /** Innermost variable done by the interpolant, or −1. */
    final int smooth;
    /**
     * ReLU and GELU: the two variables complete at the last two levels, whose conditional average
     * given the outer levels is closed-form ({@link BivariateNormal}), or −1.
     */
    final int pairX;
    final int pairY;
    /** Their conditional standard deviations and correlation given the outer levels. */
    final double pairSx;
    final double pairSy;
    final double pairRho;
    /** GELU's temperature T (σ(z) = zΦ(z/T)) in the closed-form pair, 0 for ReLU. */
    final double gate = sigma instanceof Gelu g ? g.T() : 0;
    /** Number of levels integrated numerically. */
    final int levels;
    final double[] constant;
    /** Slot of each component's power in the interpolant (−1: power 0). */
    final int[] slot;
    /** Whether σ has no kinks (the Gauss–Hermite fast path may apply). */
    final boolean analytic = kinks.length == 0;
    /** Whether σ vanishes identically below its only kink. */
    final boolean zeroBelow = kinks.length == 1
        && (sigma instanceof Relu || sigma instanceof Repu || sigma instanceof Mrepu);
    SmoothedPowers interpolant;
    double[] epsilon;
    long evaluations;
    // Per-level state.
    final double[][] mean;
    final double[][] product;
    final double[][] values;
    double[] sValues;

    Run(double[][] c, int[][] e) {
      this.k = c.length;
      this.m = e.length;
      this.e = e;
      double[][] f = pivotedCholesky(c);
      if (f == null) {
        throw new IllegalArgumentException("the covariance is not positive semidefinite: "
            + Arrays.deepToString(c));
      }
      this.l = f;
      this.r = f.length == 0 ? 0 : f[0].length;
      last = new int[k];
      for (int i = 0; i < k; i++) {
        last[i] = -1;
        for (int j = 0; j < r; j++) {
          if (l[i][j] != 0) {
            last[i] = j;
          }
        }
      }
      // The interpolant takes the last level if exactly one variable that matters ends there.
      int candidates = 0;
      int candidate = -1;
      for (int i = 0; i < k; i++) {
        if (r >= 2 && last[i] == r - 1 && used(i)) {
          candidates++;
          candidate = i;
        }
      }
      int[] pair = closedFormPair();
      pairX = pair == null ? -1 : pair[0];
      pairY = pair == null ? -1 : pair[1];
      if (pair != null) {
        smooth = -1;
        levels = r - 2;
        pairSx = l[pairX][r - 2];
        pairSy = Math.hypot(l[pairY][r - 2], l[pairY][r - 1]);
        pairRho = Math.max(-1, Math.min(1, l[pairY][r - 2] / pairSy));
      } else {
        smooth = candidates == 1 ? candidate : -1;
        levels = smooth >= 0 ? r - 1 : r;
        pairSx = pairSy = pairRho = 0;
      }
      complete = new int[Math.max(levels, 1)][];
      for (int j = 0; j < levels; j++) {
        int count = 0;
        for (int i = 0; i < k; i++) {
          if (last[i] == j && i != smooth && used(i)) {
            count++;
          }
        }
        complete[j] = new int[count];
        count = 0;
        for (int i = 0; i < k; i++) {
          if (last[i] == j && i != smooth && used(i)) {
            complete[j][count++] = i;
          }
        }
      }
      // Constant factors σ(0)^e of variables with zero variance.
      constant = new double[m];
      Arrays.fill(constant, 1);
      for (int i = 0; i < k; i++) {
        if (last[i] < 0 && used(i)) {
          double s0 = sigma.value(0);
          for (int q = 0; q < m; q++) {
            constant[q] *= Math.pow(s0, e[q][i]);
          }
        }
      }
      slot = new int[m];
      mean = new double[levels + 1][k];
      product = new double[levels + 1][m];
      values = new double[levels + 1][k];
      sValues = new double[0];
    }

    /**
     * For ReLU and GELU with r ≥ 3: the variables x, y complete at levels r − 2 and r − 1 if each is the
     * only one used there and every component has power 0 or 1 of both (ReLU: up to 2, at most 3
     * together, so the triples ⟨σ²σσ⟩ too); else null.
     */
    private int[] closedFormPair() {
      if (!closedFormPairs || !(sigma instanceof Relu || sigma instanceof Gelu) || r < 3) {
        return null;
      }
      int x = -1;
      int y = -1;
      for (int i = 0; i < k; i++) {
        if (!used(i) || last[i] < r - 2) {
          continue;
        }
        if (last[i] == r - 2) {
          if (x >= 0) {
            return null;
          }
          x = i;
        } else {
          if (y >= 0) {
            return null;
          }
          y = i;
        }
      }
      if (x < 0 || y < 0 || !(l[x][r - 2] > 0 && l[y][r - 1] > 0)) {
        return null;
      }
      // GELU: powers 0 or 1; ReLU: up to 2, at most 3 together (BivariateNormal.positivePowers).
      boolean relu = sigma instanceof Relu;
      for (int[] row : e) {
        if (relu ? row[x] > 2 || row[y] > 2 || row[x] + row[y] > 3 : row[x] > 1 || row[y] > 1) {
          return null;
        }
      }
      return new int[] {x, y};
    }

    /** The closed-form conditional average of the pair's factors of component q given means mx, my. */
    private double pairValue(int q, double mx, double my) {
      int px = e[q][pairX];
      int py = e[q][pairY];
      if (gate > 0) {
        if (px == 1 && py == 1) {
          return BivariateNormal.gatedProduct(mx, pairSx, my, pairSy, pairRho, gate);
        }
        if (px == 1) {
          return BivariateNormal.gatedPart(mx, pairSx, gate);
        }
        return py == 1 ? BivariateNormal.gatedPart(my, pairSy, gate) : 1;
      }
      return BivariateNormal.positivePowers(mx, pairSx, px, my, pairSy, py, pairRho);
    }

    boolean used(int i) {
      for (int[] row : e) {
        if (row[i] != 0) {
          return true;
        }
      }
      return false;
    }

    Quadrature result() {
      if (levels == 0) {
        return pointMass();
      }
      Quadrature est = null;
      double[] factor = null;
      for (int attempt = 0; attempt < 4; attempt++) {
        if (smooth >= 0) {
          buildInterpolant(factor);
        }
        est = !fastPaths ? null : analytic ? gaussHermite() : piecewise();
        if (est == null && fastPaths && analytic && (pairX >= 0 || !closedFormPairs)) {
          est = piecewise();
        }
        if (est == null) {
          est = integrate();
        }
        if (smooth < 0) {
          break;
        }
        // The interpolant's uniform error ε_p contributes at most ε_p ⟨|rest_c|⟩.
        double[] vals = est.values();
        factor = new double[interpolant == null ? 0 : epsilon.length];
        Arrays.fill(factor, 1);
        boolean ok = true;
        for (int q = 0; q < m; q++) {
          if (slot[q] < 0) {
            continue;
          }
          double bound = epsilon[slot[q]] * vals[m + q];
          double allowed = 0.25 * relTol * est.scales()[q];
          if (bound > allowed) {
            ok = false;
            factor[slot[q]] = Math.min(factor[slot[q]], 0.5 * allowed / bound);
          }
        }
        if (ok) {
          break;
        }
        if (attempt == 3) {
          throw new IllegalStateException("Gaussian product average: the smoothing interpolant of "
              + sigma.spec() + " does not reach the tolerance");
        }
      }
      double[] v = new double[m];
      double[] err = new double[m];
      double[] sc = new double[m];
      for (int q = 0; q < m; q++) {
        v[q] = constant[q] * est.values()[q];
        err[q] = Math.abs(constant[q]) * est.errors()[q];
        sc[q] = Math.abs(constant[q]) * est.scales()[q];
        if (!Double.isFinite(v[q])) {
          throw new IllegalStateException("Gaussian product average " + q + " of " + sigma.spec()
              + " is not finite");
        }
      }
      return new Quadrature(v, err, sc, evaluations);
    }

    private Quadrature pointMass() {
      double[] v = new double[m];
      for (int q = 0; q < m; q++) {
        v[q] = constant[q];
      }
      double[] abs = new double[m];
      for (int q = 0; q < m; q++) {
        abs[q] = Math.abs(v[q]);
      }
      return new Quadrature(v, new double[m], abs, 1);
    }

    /** Builds the interpolant of the smoothing of the innermost variable, tolerances scaled by factor. */
    private void buildInterpolant(double[] factor) {
      int i = smooth;
      int[] distinct = Arrays.stream(e).mapToInt(row -> row[i]).filter(p -> p > 0).distinct().sorted().toArray();
      for (int q = 0; q < m; q++) {
        slot[q] = -1;
        for (int s = 0; s < distinct.length; s++) {
          if (distinct[s] == e[q][i]) {
            slot[q] = s;
          }
        }
      }
      double s = l[i][r - 1];
      double reach = 0;
      for (int j = 0; j < r - 1; j++) {
        reach += Math.abs(l[i][j]);
      }
      // The range of the conditional mean: |u| ≤ U_MAX at each level, or the largest
      // Gauss–Hermite node of the fast path.
      double uMax = analytic ? Math.max(U_MAX, GaussHermite.large()[0][0]) : U_MAX;
      reach = reach * uMax * (1 + 1e-12) + 1e-300;
      if (epsilon == null) {
        // First guess: relTol/8 of E[|σ|^p] at the centre of the range, floored by the node accuracy.
        epsilon = new double[distinct.length];
        double variance = l[i][r - 1] * l[i][r - 1];
        Quadrature centre = one.expectWithScale((z, out) -> {
          double v = Math.abs(sigma.value(z));
          for (int q = 0; q < distinct.length; q++) {
            out[q] = Math.pow(v, distinct[q]);
          }
        }, distinct.length, variance + reach * reach / (U_MAX * U_MAX), featureScale, kinks);
        for (int q = 0; q < distinct.length; q++) {
          epsilon[q] = Math.max(relTol / 32 * centre.value(q), Double.MIN_NORMAL);
        }
      } else if (factor != null) {
        for (int q = 0; q < epsilon.length; q++) {
          epsilon[q] *= factor[q];
        }
      }
      // The magnitudes A_p only scale the tolerance: a relative accuracy of 1e-4 is plenty.
      double[] tol = Arrays.copyOf(epsilon, 2 * distinct.length);
      for (int q = 0; q < distinct.length; q++) {
        tol[distinct.length + q] = Math.max(1e-4 * epsilon[q] / (relTol / 32), Double.MIN_NORMAL);
      }
      interpolant = new SmoothedPowers(sigma, kinks, featureScale, s, distinct, -reach, reach, tol, one);
      sValues = new double[2 * distinct.length];
      evaluations += interpolant.evaluations();
    }

    /**
     * The verified fast path for analytic σ: the tensor product of the {@value GaussHermite#SMALL}-
     * and of the {@value GaussHermite#LARGE}-point Gauss–Hermite rules over the numerical levels
     * (in the whitened variables u, where the Gaussian weight is exactly the rules' weight); the
     * larger one is accepted if the two agree to relTol·⟨|f_c|⟩ for every component, else null.
     */
    private Quadrature gaussHermite() {
      double[] small = new double[3 * m];
      double[] large = new double[3 * m];
      Arrays.fill(mean[0], 0);
      Arrays.fill(product[0], 1);
      ghLevel(0, GaussHermite.small(), 1, small);
      ghLevel(0, GaussHermite.large(), 1, large);
      for (int q = 0; q < m; q++) {
        if (!(Math.abs(small[q] - large[q]) <= relTol * large[2 * m + q])) {
          return null;
        }
      }
      double[] values = Arrays.copyOf(large, 2 * m);
      double[] errors = new double[2 * m];
      double[] scales = new double[2 * m];
      for (int q = 0; q < m; q++) {
        errors[q] = Math.abs(small[q] - large[q]);
        scales[q] = large[2 * m + q];
        scales[m + q] = large[m + q];
      }
      return new Quadrature(values, errors, scales, evaluations);
    }

    /**
     * The verified fast path for kinked σ: at every numerical level a piecewise Gauss–Legendre
     * rule on |u| ≤ {@value #U_MAX}, with breakpoints exactly at the kinks of the factors complete
     * at that level (in the whitened variables they sit at (κ − m_i)/L_ij, so every panel's
     * integrand is analytic there), at the centre and the scale of each feature of the factors
     * still open (their conditional mean crossing a kink: an analytic but possibly narrow
     * feature), and panels at most {@value #PANEL} long. Where σ vanishes below its kink (relu,
     * repu, mrepu) a complete factor restricts the level to one side of it. The
     * {@value #PL_SMALL}- and {@value #PL_LARGE}-point rules must agree to relTol·⟨|f_c|⟩ for every
     * component, else null (the adaptive path takes over).
     */
    private Quadrature piecewise() {
      double[] small = new double[3 * m];
      double[] large = new double[3 * m];
      Arrays.fill(mean[0], 0);
      Arrays.fill(product[0], 1);
      plLevel(0, legendre(PL_SMALL), 1, small);
      plLevel(0, legendre(PL_LARGE), 1, large);
      for (int q = 0; q < m; q++) {
        if (!(Math.abs(small[q] - large[q]) <= relTol * large[2 * m + q])) {
          return null;
        }
      }
      double[] values = Arrays.copyOf(large, 2 * m);
      double[] errors = new double[2 * m];
      double[] scales = new double[2 * m];
      for (int q = 0; q < m; q++) {
        errors[q] = Math.abs(small[q] - large[q]);
        scales[q] = large[2 * m + q];
        scales[m + q] = large[m + q];
      }
      return new Quadrature(values, errors, scales, evaluations);
    }

    /** The panels' end points of level j, sorted, distinct, within the level's support. */
    private double[] panels(int j) {
      double lo = -U_MAX;
      double hi = U_MAX;
      double[] prev = mean[j];
      double[] b = new double[16];
      int n = 0;
      for (int i = 0; i < k; i++) {
        double coef = l[i][j];
        if (coef == 0 || last[i] < j || !used(i)) {
          continue;
        }
        boolean direct = last[i] == j && i != smooth;
        double rest = 0;
        for (int jj = j + 1; jj < r; jj++) {
          rest += l[i][jj] * l[i][jj];
        }
        double width = Math.sqrt(rest) / Math.abs(coef);
        if (analytic) {
          // σ's feature at 0 (scale featureScale), smoothed by the remaining deviation if open.
          double centre = -prev[i] / coef;
          double w0 = (direct ? featureScale : Math.max(Math.sqrt(rest), featureScale)) / Math.abs(coef);
          if (n + 5 > b.length) {
            b = Arrays.copyOf(b, 2 * b.length);
          }
          b[n++] = centre;
          for (double w = w0; w < PANEL; w *= 4) {
            b[n++] = centre - w;
            b[n++] = centre + w;
            if (n + 2 > b.length) {
              b = Arrays.copyOf(b, 2 * b.length);
            }
          }
          continue;
        }
        for (double kk : kinks) {
          double centre = (kk - prev[i]) / coef;
          if (direct && zeroBelow && usedByAll(i)) {
            if (coef > 0) {
              lo = Math.max(lo, centre);
            } else {
              hi = Math.min(hi, centre);
            }
          }
          if (n + 5 > b.length) {
            b = Arrays.copyOf(b, 2 * b.length);
          }
          b[n++] = centre;
          if (!direct) {
            for (double w = width; w < PANEL; w *= 4) {
              b[n++] = centre - w;
              b[n++] = centre + w;
              if (n + 2 > b.length) {
                b = Arrays.copyOf(b, 2 * b.length);
              }
            }
          }
        }
      }
      if (!(lo < hi)) {
        return new double[0];
      }
      double[] sorted = new double[n + 2];
      int c = 0;
      sorted[c++] = lo;
      sorted[c++] = hi;
      for (int t = 0; t < n; t++) {
        if (b[t] > lo && b[t] < hi) {
          sorted[c++] = b[t];
        }
      }
      Arrays.sort(sorted, 0, c);
      // Split panels longer than PANEL evenly.
      double[] out = new double[c + (int) Math.ceil((hi - lo) / PANEL) + 1];
      int o = 0;
      out[o++] = sorted[0];
      for (int t = 1; t < c; t++) {
        double a = sorted[t - 1];
        double len = sorted[t] - a;
        if (len <= 0) {
          continue;
        }
        int pieces = (int) Math.ceil(len / PANEL);
        if (o + pieces >= out.length) {
          out = Arrays.copyOf(out, out.length + pieces + 1);
        }
        for (int p = 1; p < pieces; p++) {
          out[o++] = a + len * p / pieces;
        }
        out[o++] = sorted[t];
      }
      return Arrays.copyOf(out, o);
    }

    /** Whether every component has a positive power of variable i. */
    private boolean usedByAll(int i) {
      for (int[] row : e) {
        if (row[i] == 0) {
          return false;
        }
      }
      return true;
    }

    /** Level j on the piecewise Gauss–Legendre rule: its panels (kinks and features), each with the rule's nodes. */
    private void plLevel(int j, double[][] rule, double weight, double[] acc) {
      double[] ends = panels(j);
      double[] nodes = rule[0];
      double[] weights = rule[1];
      for (int t = 1; t < ends.length; t++) {
        double centre = 0.5 * (ends[t] + ends[t - 1]);
        double halfLength = 0.5 * (ends[t] - ends[t - 1]);
        for (int g = 0; g < nodes.length; g++) {
          double u = centre + halfLength * nodes[g];
          node(j, u, weight * halfLength * weights[g] * SpecialFunctions.normalPdf(u), rule, true, acc);
        }
      }
    }

    /** Level j on the Gauss–Hermite rule (its weights include the normal density). */
    private void ghLevel(int j, double[][] rule, double weight, double[] acc) {
      double[] nodes = rule[0];
      double[] weights = rule[1];
      for (int t = 0; t < nodes.length; t++) {
        node(j, nodes[t], weight * weights[t], rule, false, acc);
      }
    }

    /**
     * One node u of level j with weight w: the conditional means of the next level, the product
     * of the factors complete at this level, then the next level (on the same kind of rule) or,
     * at the innermost level, the sums.
     */
    private void node(int j, double u, double w, double[][] rule, boolean piecewise, double[] acc) {
      double[] a = mean[j + 1];
      double[] prev = mean[j];
      double[] p = product[j + 1];
      for (int i = 0; i < k; i++) {
        a[i] = prev[i] + l[i][j] * u;
      }
      System.arraycopy(product[j], 0, p, 0, m);
      for (int i : complete[j]) {
        double v = sigma.value(a[i]);
        for (int q = 0; q < m; q++) {
          int x = e[q][i];
          if (x != 0) {
            double f = v;
            for (int c = 1; c < x; c++) {
              f *= v;
            }
            p[q] *= f;
          }
        }
      }
      if (j < levels - 1) { // the next level overwrites only its own means and product
        if (piecewise) {
          plLevel(j + 1, rule, w, acc);
        } else {
          ghLevel(j + 1, rule, w, acc);
        }
        return;
      }
      if (pairX >= 0) {
        evaluations++;
        for (int q = 0; q < m; q++) {
          double f = w * p[q];
          double g = f == 0 ? 0 : pairValue(q, a[pairX], a[pairY]);
          acc[q] += f * g;
          acc[m + q] += Math.abs(f);
          acc[2 * m + q] += Math.abs(f * g);
        }
        return;
      }
      if (smooth >= 0) {
        interpolant.values(a[smooth], sValues);
      }
      evaluations++;
      int half = smooth >= 0 ? sValues.length / 2 : 0;
      for (int q = 0; q < m; q++) {
        boolean interpolated = smooth >= 0 && slot[q] >= 0;
        double f = w * p[q];
        acc[q] += interpolated ? f * sValues[slot[q]] : f;
        acc[m + q] += Math.abs(f);
        acc[2 * m + q] += interpolated ? Math.abs(f) * sValues[half + slot[q]] : Math.abs(f);
      }
    }

    /** The nested integral; components 0..m−1 the values, m..2m−1 ⟨|rest_c|⟩ (the product without the interpolated factor). */
    private Quadrature integrate() {
      Arrays.fill(mean[0], 0);
      Arrays.fill(product[0], 1);
      double[] breaks = breaks(0);
      AdaptiveGaussKronrod engine = engine(0, 2 * m);
      AdaptiveGaussKronrod.Fn fn = levelFunction(0, relTol);
      // The rest magnitudes (components m..2m−1) only bound the interpolant's error: no accuracy
      // is asked of them (|Π σ| has kinks wherever a factor changes sign).
      double[] abs = new double[2 * m];
      Arrays.fill(abs, m, 2 * m, Double.POSITIVE_INFINITY);
      Quadrature est = engine.integrate(fn, breaks, breaks.length, relTol, abs, budget());
      evaluations += est.evaluations();
      // Truncation check at the outermost level: the weighted integrand at ±U_MAX.
      double[] buf = new double[4 * m];
      for (double u : new double[] {-U_MAX, U_MAX}) {
        fn.evaluate(u, buf);
        for (int q = 0; q < m; q++) {
          if (!(Math.abs(buf[q]) <= relTol * est.scales()[q])) {
            throw new IllegalStateException("the Gaussian product average of " + sigma.spec()
                + " does not decay within |u| <= " + U_MAX + " (integrand " + q + ")");
          }
        }
      }
      return est;
    }

    private long budget() {
      long left = maxEvaluations - evaluations;
      if (left < 2 * AdaptiveGaussKronrod.POINTS) {
        throw new IllegalStateException("Gaussian product average exceeded its budget of "
            + maxEvaluations + " evaluations");
      }
      return left;
    }

    /** Breakpoints of level j given the conditional means mean[j]. */
    private double[] breaks(int j) {
      double[] b = new double[64];
      int n = 0;
      b[n++] = -U_MAX;
      b[n++] = 0;
      b[n++] = U_MAX;
      for (double g : GRID) {
        b[n++] = g;
        b[n++] = -g;
      }
      double[] a = mean[j];
      for (int i = 0; i < k; i++) {
        double coef = l[i][j < r ? j : 0];
        if (j >= r || coef == 0 || last[i] < j || !used(i)) {
          continue;
        }
        double rest = 0;
        for (int jj = j + 1; jj < r; jj++) {
          rest += l[i][jj] * l[i][jj];
        }
        double s = Math.sqrt(rest);
        double per = 1 / Math.abs(coef);
        boolean direct = last[i] == j && i != smooth;
        double widthZero = direct ? featureScale : Math.max(s, featureScale);
        // A smooth feature wider than a unit of u needs no breakpoint (the panels resolve it);
        // kinks always get one.
        if (widthZero * per < SMOOTH_REACH) {
          b = feature(b, n, (0 - a[i]) * (1 / coef), widthZero * per);
          n = count;
        }
        for (double kk : kinks) {
          b = feature(b, n, (kk - a[i]) / coef, (direct ? featureScale : s) * per);
          n = count;
        }
      }
      Arrays.sort(b, 0, n);
      int distinct = 1;
      for (int i = 1; i < n; i++) {
        if (b[i] != b[distinct - 1]) {
          b[distinct++] = b[i];
        }
      }
      return Arrays.copyOf(b, distinct);
    }

    private int count;

    private double[] feature(double[] b, int n, double centre, double width) {
      count = n;
      if (!(centre > -U_MAX && centre < U_MAX)) {
        return b;
      }
      b = add(b, centre);
      for (double d = width; d < GaussianExpectation.FEATURE_REACH; d *= 4) {
        b = add(b, centre - d);
        b = add(b, centre + d);
      }
      return b;
    }

    private double[] add(double[] b, double u) {
      if (u > -U_MAX && u < U_MAX) {
        if (count == b.length) {
          b = Arrays.copyOf(b, 2 * count);
        }
        b[count++] = u;
      }
      return b;
    }

    /** The integrand of level j (values, rests, then their magnitudes). */
    private AdaptiveGaussKronrod.Fn levelFunction(int j, double tol) {
      AdaptiveGaussKronrod self = engine(j, 2 * m);
      boolean innermost = j == levels - 1;
      double innerTol = 0.25 * tol;
      double[] innerAbs = new double[2 * m];
      return (u, out) -> {
        double w = SpecialFunctions.normalPdf(u);
        double[] a = mean[j + 1];
        double[] prev = mean[j];
        for (int i = 0; i < k; i++) {
          a[i] = prev[i] + l[i][j] * u;
        }
        double[] p = product[j + 1];
        System.arraycopy(product[j], 0, p, 0, m);
        for (int i : complete[j]) {
          double v = sigma.value(a[i]);
          for (int q = 0; q < m; q++) {
            int x = e[q][i];
            if (x != 0) {
              double f = v;
              for (int t = 1; t < x; t++) {
                f *= v;
              }
              p[q] *= f;
            }
          }
        }
        if (innermost && pairX >= 0) {
          for (int q = 0; q < m; q++) {
            double f = w * p[q];
            double g = f == 0 ? 0 : pairValue(q, a[pairX], a[pairY]);
            out[q] = f * g;
            out[m + q] = Math.abs(f);
            out[2 * m + q] = Math.abs(f * g);
            out[3 * m + q] = Math.abs(f);
          }
          evaluations++;
          return;
        }
        if (innermost) {
          if (smooth >= 0) {
            double mm = a[smooth];
            if (!interpolant.covers(mm)) {
              throw new IllegalStateException("internal: interpolant range " + mm);
            }
            interpolant.values(mm, sValues);
          }
          int half = smooth >= 0 ? sValues.length / 2 : 0;
          for (int q = 0; q < m; q++) {
            boolean interpolated = smooth >= 0 && slot[q] >= 0;
            double f = w * p[q];
            out[q] = interpolated ? f * sValues[slot[q]] : f;
            out[m + q] = Math.abs(f);
            out[2 * m + q] = interpolated ? Math.abs(f) * sValues[half + slot[q]] : Math.abs(f);
            out[3 * m + q] = Math.abs(f);
          }
          evaluations++;
          return;
        }
        boolean any = false;
        for (int q = 0; q < m; q++) {
          any |= p[q] != 0;
        }
        if (w == 0 || !any) {
          Arrays.fill(out, 0, 4 * m, 0);
          return;
        }
        // The inner integral carries the product p of the factors complete so far; its errors
        // reach this level multiplied by the weight w only.
        for (int q = 0; q < m; q++) {
          double a0 = 0.5 * self.initialMagnitude(q);
          innerAbs[q] = p[q] != 0 ? innerTol * a0 / (2 * U_MAX * w) : Double.POSITIVE_INFINITY;
          innerAbs[m + q] = Double.POSITIVE_INFINITY;
        }
        double[] b = breaks(j + 1);
        AdaptiveGaussKronrod inner = engine(j + 1, 2 * m);
        Quadrature est = inner.integrate(levelFunction(j + 1, innerTol), b, b.length, innerTol, innerAbs, budget());
        double[] v = est.values();
        double[] sc = est.scales();
        for (int q = 0; q < m; q++) {
          out[q] = w * v[q];
          out[m + q] = w * v[m + q];
          out[2 * m + q] = w * sc[q];
          out[3 * m + q] = w * sc[m + q];
        }
      };
    }
  }
}
