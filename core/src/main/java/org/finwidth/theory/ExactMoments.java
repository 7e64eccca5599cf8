package org.finwidth.theory;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.MathContext;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Locale;
import java.util.TreeSet;
import org.finwidth.activation.Activation;
import org.finwidth.network.NetworkSpec;

/**
 * The exact finite-width oracle (docs/theory.md §6.1): for a positively homogeneous activation of
 * integer degree p (linear, relu, leaky, repu with integer p, monomials) and a single input, the
 * exact E[z²], E[z⁴] and E[z_i² z_j²] (i ≠ j) of every layer, at any widths and any C_b.
 *
 * <p><b>Method.</b> Conditional on layer ℓ the preactivations of layer ℓ+1 are i.i.d. N(0, Ĝ)
 * (docs/theory.md §1.4), and σ(z_j)² = Ĝ^p X_j with X_j = σ(g_j)², g_j ~ N(0, 1) independent of Ĝ, so
 * <pre>
 *   Ĝ^(ℓ+1) = C_b + (C_W/n_ℓ) (Ĝ^(ℓ))^p S_ℓ,       S_ℓ = X_1 + … + X_{n_ℓ}
 *   E[(Ĝ^(ℓ+1))^m] = Σ_{k=0..m} C(m,k) C_b^{m−k} (C_W/n_ℓ)^k E[S_ℓ^k] E[(Ĝ^(ℓ))^{pk}]
 *   E[z^{2m}] = (2m−1)!! E[Ĝ^m],   E[z_i² z_j²] = E[Ĝ²]  (i ≠ j)
 * </pre>
 * with Ĝ^(1) = C_b + C_W·Gram deterministic. The raw moments of X are
 * μ_r = E|g|^{2pr} (σ(1)^{2r} + σ(−1)^{2r})/2 = (2pr−1)!! (σ(1)^{2r} + σ(−1)^{2r})/2 (computed from
 * σ at ±1, e.g. relu (2r−1)!!/2), and the moments of the sum are the coefficients of the n-th
 * power of the exponential generating function Σ μ_r t^r/r! (binary powering of truncated power
 * series, O(k² log n)). Layer ℓ needs moments of order up to 2p^{L−ℓ} of the earlier layers:
 * closed for every integer p, with a cost that grows exponentially with depth when p ≥ 2
 * ({@link #cost}).
 *
 * <p><b>Arithmetic: {@link BigDecimal} with {@value #PRECISION} significant digits, and only
 * additions and multiplications of positive numbers</b> (C_b ≥ 0, C_W &gt; 0, μ_r &gt; 0; the
 * power-series powers and the binomial sums have positive terms only). Each operation then
 * commits a relative error ≤ 10^(1−80), and errors of positive sums do not
 * amplify, so every moment is correct to far more than 50 digits; the only cancellation is the
 * final Var(Ĝ) = E[Ĝ²] − E[Ĝ]², which at width n loses about log10(n) digits (5/n for relu).
 * The BigDecimal exponent is a 32-bit integer, so RePU's astronomically large moments
 * (10^1000 at depth 6 for p = 3) neither overflow nor lose precision. Inputs given as doubles
 * enter exactly. Chosen over exact rationals, which are exact but whose numerators and
 * denominators grow to tens of thousands of digits (p = 3, depth 6, width 1000: 98 s against 1 s here),
 * and over log-scaled double-double, which would give 32 digits and need an error analysis of
 * the Var(Ĝ) cancellation at large width.
 */
public final class ExactMoments {
  private ExactMoments() {}

  /** Significant digits of the arithmetic. */
  public static final int PRECISION = 80;

  /** Significant digits of the {@link BigDecimal} results. */
  public static final int DIGITS = 34;

  /**
   * Largest accepted {@link #cost}: 5·10^6 multiply-adds at {@value #PRECISION} digits, about 3 s on
   * one core (measured: 0.6 µs per unit with RePU-sized numbers; RePU p = 2 up to depth 10 and
   * p = 3 up to depth 7 at width 1000).
   */
  public static final long MAX_COST = 5_000_000;

  private static final MathContext MC = new MathContext(PRECISION);
  private static final MathContext OUT = new MathContext(DIGITS);

  /**
   * Exact moments of one layer.
   *
   * @param layer ℓ (1-based)
   * @param ez2 E[z²] = E[Ĝ^(ℓ)]
   * @param ez4 E[z⁴] = 3 E[(Ĝ^(ℓ))²]
   * @param ezizj E[z_i² z_j²] (i ≠ j) = E[(Ĝ^(ℓ))²]
   * @param kurtosisRatio E[z⁴]/(3E[z²]²) = E[z_i²z_j²]/E[z²]² = E[Ĝ²]/E[Ĝ]² (docs/theory.md §6.2);
   *     +Infinity if it exceeds the double range (RePU at depth), where the BigDecimals still hold
   *     the moments
   * @param relativeVariance Var(Ĝ)/E[Ĝ]² = kurtosisRatio − 1, computed before rounding to double
   *     (the leading order is V/(n_{ℓ−1} K²))
   */
  public record LayerMoments(int layer, BigDecimal ez2, BigDecimal ez4, BigDecimal ezizj,
      double kurtosisRatio, double relativeVariance) {
    /** Moments of one layer (the BigDecimals must not be null). */
    public LayerMoments {
      Objects.requireNonNull(ez2, "ez2");
      Objects.requireNonNull(ez4, "ez4");
      Objects.requireNonNull(ezizj, "ezizj");
    }

    /** E[z²] as a double (±Infinity beyond the double range, NaN below its normal range). */
    public double ez2Double() {
      return toDouble(ez2);
    }

    /** E[z⁴] as a double (±Infinity beyond the double range, NaN below its normal range). */
    public double ez4Double() {
      return toDouble(ez4);
    }

    /** E[z_i² z_j²] as a double (±Infinity beyond the double range, NaN below its normal range). */
    public double ezizjDouble() {
      return toDouble(ezizj);
    }
  }

  /**
   * x as a double: ±Infinity beyond the double range, NaN for a nonzero x below the normal range
   * (a subnormal keeps too few digits and 0 would be a wrong value).
   */
  static double toDouble(BigDecimal x) {
    double d = x.doubleValue();
    return x.signum() != 0 && Math.abs(d) < Double.MIN_NORMAL ? Double.NaN : d;
  }

  /**
   * Whether the oracle applies to σ: positively homogeneous of an integer degree p in [1, 64].
   */
  public static boolean supports(Activation sigma) {
    if (!sigma.homogeneity().isPresent()) {
      return false;
    }
    double p = sigma.homogeneity().getAsDouble();
    return p >= 1 && p == Math.rint(p) && p <= 64;
  }

  /**
   * Estimated work in multiply-adds for a network of this depth and widths: per layer ℓ &lt; L,
   * k²⌈log2(2n_ℓ)⌉ for the moments of S_ℓ up to order k = max order needed at layer ℓ+1
   * (2p^{L−ℓ−1}), plus k² for the moment update; {@link Long#MAX_VALUE} if it does not fit.
   *
   * @throws IllegalArgumentException if σ is not supported
   */
  public static long cost(Activation sigma, int[] widths) {
    int p = degree(sigma);
    double total = 0;
    double order = 2; // highest moment of Ĝ needed at layer L
    for (int l = widths.length - 1; l >= 1; l--) {
      int n = Math.max(widths[l - 1], 1);
      double log = 64 - Long.numberOfLeadingZeros(2L * n);
      total += order * order * (log + 1);
      order *= p;
      if (total > 9e18) {
        return Long.MAX_VALUE;
      }
    }
    return (long) total;
  }

  /**
   * The exact moments of every layer of a single-input network.
   *
   * @throws IllegalArgumentException if the network has more than one input, σ is not positively
   *     homogeneous of integer degree (the recursion does not close), or the {@link #cost}
   *     exceeds {@link #MAX_COST} (the message gives the estimate)
   */
  public static List<LayerMoments> compute(NetworkSpec spec) {
    if (spec.inputCount() != 1) {
      throw new IllegalArgumentException("the exact oracle needs a single input, got d="
          + spec.inputCount());
    }
    return compute(spec.activation(), spec.cb(), spec.cw(), spec.gram()[0][0], spec.widths());
  }

  /**
   * The exact moments of every layer for σ, C_b, C_W, the input's (1/n_0)|x|² and widths
   * n_1..n_L (n_L does not enter: it is the width of the last layer).
   *
   * @throws IllegalArgumentException as {@link #compute(NetworkSpec)}, or for a negative C_b,
   *     non-positive C_W, negative gram or width &lt; 1
   */
  public static List<LayerMoments> compute(Activation sigma, double cb, double cw, double gram,
      int[] widths) {
    int p = degree(sigma);
    if (!(cb >= 0) || Double.isInfinite(cb)) {
      throw new IllegalArgumentException("C_b must be a finite number >= 0, got cb=" + cb);
    }
    if (!(cw > 0) || Double.isInfinite(cw)) {
      throw new IllegalArgumentException("C_W must be a finite number > 0, got cw=" + cw);
    }
    if (!(gram >= 0) || Double.isInfinite(gram)) {
      throw new IllegalArgumentException("gram must be a finite number >= 0, got " + gram);
    }
    int depth = widths.length;
    if (depth < 1) {
      throw new IllegalArgumentException("the depth L must be >= 1, got depth=" + depth);
    }
    for (int l = 0; l < depth; l++) {
      if (widths[l] < 1) {
        throw new IllegalArgumentException("every width must be >= 1, got n_" + (l + 1) + "=" + widths[l]);
      }
    }
    long cost = cost(sigma, widths);
    if (cost > MAX_COST) {
      throw new IllegalArgumentException("exact moments of " + sigma.spec() + " at depth " + depth
          + " need moments of order " + orderText(p, depth) + " of layer 1, about "
          + (cost == Long.MAX_VALUE ? "more than 9e18"
              : String.format(Locale.ROOT, "%.2g", (double) cost))
          + " multiply-adds at " + PRECISION + " digits (limit " + MAX_COST
          + "); use a smaller depth");
    }
    // Orders needed at each layer, top-down.
    List<TreeSet<Integer>> needed = new ArrayList<>();
    for (int l = 0; l <= depth; l++) {
      needed.add(new TreeSet<>());
    }
    needed.get(depth).add(1);
    needed.get(depth).add(2);
    boolean bias = cb != 0;
    for (int l = depth - 1; l >= 1; l--) {
      TreeSet<Integer> set = needed.get(l);
      set.add(1);
      set.add(2);
      for (int m : needed.get(l + 1)) {
        if (bias) {
          for (int k = 1; k <= m; k++) {
            set.add(p * k);
          }
        } else {
          set.add(p * m);
        }
      }
    }
    BigDecimal cbD = new BigDecimal(cb); // exact
    BigDecimal cwD = new BigDecimal(cw);
    BigDecimal plus = new BigDecimal(sigma.value(1));
    BigDecimal minus = new BigDecimal(sigma.value(-1));
    // Layer 1: Ĝ = C_b + C_W·gram, exactly (before rounding to PRECISION digits).
    BigDecimal g1 = cbD.add(cwD.multiply(new BigDecimal(gram)), MC);
    int maxOrder = needed.get(1).last();
    BigDecimal[] moments = new BigDecimal[maxOrder + 1];
    moments[0] = BigDecimal.ONE;
    for (int m = 1; m <= maxOrder; m++) {
      moments[m] = moments[m - 1].multiply(g1, MC);
    }
    List<LayerMoments> out = new ArrayList<>(depth);
    out.add(layerMoments(1, moments[1], moments[2]));
    for (int l = 1; l < depth; l++) {
      int top = needed.get(l + 1).last();
      BigDecimal[] s = sumMoments(xMoments(p, plus, minus, top), widths[l - 1], top);
      BigDecimal scale = cwD.divide(BigDecimal.valueOf(widths[l - 1]), MC);
      BigDecimal[] scalePow = powers(scale, top);
      BigDecimal[] cbPow = powers(cbD, top);
      BigDecimal[] next = new BigDecimal[top + 1];
      next[0] = BigDecimal.ONE;
      for (int m : needed.get(l + 1)) {
        BigDecimal sum = BigDecimal.ZERO;
        BigInteger binomial = BigInteger.ONE;
        for (int k = 0; k <= m; k++) {
          if (k > 0) {
            binomial = binomial.multiply(BigInteger.valueOf(m - k + 1)).divide(BigInteger.valueOf(k));
          }
          if (k < m && !bias) {
            continue; // C_b^{m-k} = 0
          }
          BigDecimal term = scalePow[k].multiply(s[k], MC).multiply(moments[p * k], MC)
              .multiply(new BigDecimal(binomial), MC);
          if (k < m) {
            term = term.multiply(cbPow[m - k], MC);
          }
          sum = sum.add(term, MC);
        }
        next[m] = sum;
      }
      moments = next;
      out.add(layerMoments(l + 1, moments[1], moments[2]));
    }
    return List.copyOf(out);
  }

  private static BigDecimal[] powers(BigDecimal x, int top) {
    BigDecimal[] pw = new BigDecimal[top + 1];
    pw[0] = BigDecimal.ONE;
    for (int k = 1; k <= top; k++) {
      pw[k] = pw[k - 1].multiply(x, MC);
    }
    return pw;
  }

  private static String orderText(int p, int depth) {
    double order = 2 * Math.pow(p, depth - 1);
    return order < 1e15 ? Long.toString((long) order) : String.format(Locale.ROOT, "%.3g", order);
  }

  private static int degree(Activation sigma) {
    Objects.requireNonNull(sigma, "activation");
    if (!sigma.homogeneity().isPresent()) {
      throw new IllegalArgumentException("the exact oracle needs a positively homogeneous activation"
          + " (linear, relu, leaky, repu, monomial), got " + sigma.spec());
    }
    double p = sigma.homogeneity().getAsDouble();
    if (!(p >= 1 && p == Math.rint(p) && p <= 64)) {
      throw new IllegalArgumentException("the exact moment recursion closes only for an integer"
          + " degree of homogeneity (docs/theory.md §6.1), got p=" + CriticalitySolver.fmt(p) + " for " + sigma.spec());
    }
    return (int) p;
  }

  private static LayerMoments layerMoments(int layer, BigDecimal g1, BigDecimal g2) {
    double ratio;
    double relVar;
    if (g1.signum() == 0) {
      ratio = Double.NaN;
      relVar = Double.NaN;
    } else {
      BigDecimal square = g1.multiply(g1, MC);
      ratio = g2.divide(square, MC).doubleValue();
      relVar = g2.subtract(square, MC).divide(square, MC).doubleValue();
    }
    return new LayerMoments(layer, g1.round(OUT).stripTrailingZeros(),
        g2.multiply(BigDecimal.valueOf(3), OUT).stripTrailingZeros(),
        g2.round(OUT).stripTrailingZeros(), ratio, relVar);
  }

  /** μ_r = E[σ(g)^{2r}] = (2pr−1)!! (σ(1)^{2r} + σ(−1)^{2r})/2 for r = 0..top. */
  private static BigDecimal[] xMoments(int p, BigDecimal plus, BigDecimal minus, int top) {
    BigDecimal[] mu = new BigDecimal[top + 1];
    BigDecimal plus2 = plus.multiply(plus);
    BigDecimal minus2 = minus.multiply(minus);
    BigDecimal pp = BigDecimal.ONE;
    BigDecimal mm = BigDecimal.ONE;
    BigDecimal doubleFactorial = BigDecimal.ONE; // (2pr − 1)!!
    int reached = -1;
    mu[0] = BigDecimal.ONE;
    BigDecimal half = new BigDecimal("0.5");
    for (int r = 1; r <= top; r++) {
      pp = pp.multiply(plus2, MC);
      mm = mm.multiply(minus2, MC);
      for (int j = reached + 2; j <= 2 * p * r - 1; j += 2) {
        doubleFactorial = doubleFactorial.multiply(BigDecimal.valueOf(j), MC);
        reached = j;
      }
      mu[r] = pp.add(mm, MC).multiply(doubleFactorial, MC).multiply(half, MC);
    }
    return mu;
  }

  /**
   * E[S^k], k = 0..top, for S a sum of n i.i.d. copies of X with raw moments mu: k! times the
   * coefficient of t^k in (Σ_r mu_r t^r/r!)^n, by binary powering (positive terms only).
   */
  private static BigDecimal[] sumMoments(BigDecimal[] mu, int n, int top) {
    BigDecimal[] factorial = new BigDecimal[top + 1];
    factorial[0] = BigDecimal.ONE;
    for (int k = 1; k <= top; k++) {
      factorial[k] = factorial[k - 1].multiply(BigDecimal.valueOf(k));
    }
    BigDecimal[] base = new BigDecimal[top + 1];
    for (int r = 0; r <= top; r++) {
      base[r] = mu[r].divide(factorial[r], MC);
    }
    BigDecimal[] result = null;
    for (int bits = n; bits > 0; bits >>= 1) {
      if ((bits & 1) != 0) {
        result = result == null ? base : multiply(result, base, top);
      }
      if (bits > 1) {
        base = multiply(base, base, top);
      }
    }
    BigDecimal[] m = new BigDecimal[top + 1];
    for (int k = 0; k <= top; k++) {
      m[k] = result[k].multiply(factorial[k], MC);
    }
    return m;
  }

  /** The product of two power series truncated after t^top. */
  private static BigDecimal[] multiply(BigDecimal[] a, BigDecimal[] b, int top) {
    BigDecimal[] c = new BigDecimal[top + 1];
    for (int k = 0; k <= top; k++) {
      BigDecimal sum = BigDecimal.ZERO;
      for (int r = 0; r <= k; r++) {
        sum = sum.add(a[r].multiply(b[k - r], MC), MC);
      }
      c[k] = sum;
    }
    return c;
  }
}
