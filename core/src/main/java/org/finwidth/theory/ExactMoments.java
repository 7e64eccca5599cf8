package org.finwidth.theory;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.MathContext;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.TreeSet;
import org.finwidth.activation.Activation;
import org.finwidth.network.NetworkSpec;

/**
 * The exact finite-width oracle (THEORY.md §6.1): for a positively homogeneous activation of
 * integer degree p (linear, relu, leaky, repu with integer p, monomials) and a single input, the
 * exact E[z²], E[z⁴] and E[z_i² z_j²] (i ≠ j) of every layer, at any widths and any C_b.
 *
 * <p><b>Method.</b> Conditional on layer ℓ the preactivations of layer ℓ+1 are i.i.d. N(0, Ĝ)
 * (THEORY.md §1.4), and σ(z_j)² = Ĝ^p X_j with X_j = σ(g_j)², g_j ~ N(0, 1) independent of Ĝ, so
 * <pre>
 *   Ĝ^(ℓ+1) = C_b + (C_W/n_ℓ) (Ĝ^(ℓ))^p S_ℓ,       S_ℓ = X_1 + … + X_{n_ℓ}
 *   E[(Ĝ^(ℓ+1))^m] = Σ_{k=0..m} C(m,k) C_b^{m−k} (C_W/n_ℓ)^k E[S_ℓ^k] E[(Ĝ^(ℓ))^{pk}]
 *   E[z^{2m}] = (2m−1)!! E[Ĝ^m],   E[z_i² z_j²] = E[Ĝ²]  (i ≠ j)
 * </pre>
 * with Ĝ^(1) = C_b + C_W·Gram deterministic. The raw moments of X are
 * μ_r = E|g|^{2pr} (σ(1)^{2r} + σ(−1)^{2r})/2 = (2pr−1)!! (σ(1)^{2r} + σ(−1)^{2r})/2 (computed from
 * σ at ±1, e.g. relu (2r−1)!!/2), and the moments of the sum follow from the power
 * E[e^{tS}] = (E[e^{tX}])^n by J. C. P. Miller's recurrence for powers of a power series,
 * k·E[S^k] = Σ_{j=1..k} C(k,j) ((n+1)j − k) μ_j E[S^{k−j}] — O(k²) operations for any n. Layer ℓ
 * needs moments of order up to 2p^{L−ℓ} of the earlier layers: closed for every integer p, with
 * a cost that grows exponentially with depth when p ≥ 2 ({@link #cost}).
 *
 * <p><b>Arithmetic: exact rationals</b> ({@link BigInteger} numerator and denominator). Every
 * input is a double, hence a dyadic rational; μ_r, binomials and 1/n_ℓ are rational; so the
 * result is exact, and is rounded only once, at the end, to {@link #DIGITS} significant digits
 * as a {@link BigDecimal} (no overflow: RePU moments reach 10^(10^k)) and to doubles for the
 * ratios. Chosen over a log-scaled double-double because the quantities compared with theory
 * are differences of nearly equal numbers (E[z⁴]/(3E[z²]²) − 1 = 5/n for relu at n = 10^9 is
 * 5e-9), which exact arithmetic delivers to full precision at any width, and because the exact
 * result needs no error analysis; big-integer sizes stay moderate within the cost limit.
 */
public final class ExactMoments {
  private ExactMoments() {}

  /** Significant digits of the {@link BigDecimal} results. */
  public static final int DIGITS = 34;

  /**
   * Largest accepted {@link #cost}: about 10^6 big-rational multiply-adds, a few seconds on one
   * core (RePU p = 2 up to depth 9 at any width, p = 3 up to depth 6).
   */
  public static final long MAX_COST = 1_000_000;

  private static final MathContext MC = new MathContext(DIGITS);

  /**
   * Exact moments of one layer.
   *
   * @param layer ℓ (1-based)
   * @param ez2 E[z²] = E[Ĝ^(ℓ)]
   * @param ez4 E[z⁴] = 3 E[(Ĝ^(ℓ))²]
   * @param ezizj E[z_i² z_j²] (i ≠ j) = E[(Ĝ^(ℓ))²]
   * @param kurtosisRatio E[z⁴]/(3E[z²]²) = E[z_i²z_j²]/E[z²]² = E[Ĝ²]/E[Ĝ]² (THEORY.md §6.2)
   * @param relativeVariance Var(Ĝ)/E[Ĝ]² = kurtosisRatio − 1, computed exactly before rounding
   *     (the leading order is V/(n_{ℓ−1} K²))
   */
  public record LayerMoments(int layer, BigDecimal ez2, BigDecimal ez4, BigDecimal ezizj,
      double kurtosisRatio, double relativeVariance) {
    public LayerMoments {
      Objects.requireNonNull(ez2, "ez2");
      Objects.requireNonNull(ez4, "ez4");
      Objects.requireNonNull(ezizj, "ezizj");
    }
  }

  /**
   * Whether the oracle applies to σ: positively homogeneous of an integer degree p ≥ 1.
   */
  public static boolean supports(Activation sigma) {
    if (!sigma.homogeneity().isPresent()) {
      return false;
    }
    double p = sigma.homogeneity().getAsDouble();
    return p >= 1 && p == Math.rint(p) && p <= 64;
  }

  /**
   * Estimated work in big-rational multiply-adds for a network of these widths: the sum over
   * layers of k_ℓ² (moments of S_ℓ up to order k_ℓ = 2p^{L−ℓ−1}) plus the moment updates;
   * {@link Long#MAX_VALUE} when it does not fit in a long.
   *
   * @throws IllegalArgumentException if σ is not supported
   */
  public static long cost(Activation sigma, int depth) {
    int p = degree(sigma);
    long total = 0;
    long order = 2; // highest moment of Ĝ needed at layer L
    for (int l = depth - 1; l >= 1; l--) {
      // S_l needs orders ≤ order; Ĝ^(l) then needs orders ≤ p·order.
      if (order > 3_000_000_000L) {
        return Long.MAX_VALUE;
      }
      total += order * order + order * order / 2;
      if (total < 0 || total > Long.MAX_VALUE / 4) {
        return Long.MAX_VALUE;
      }
      order *= p;
    }
    return total;
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
    long cost = cost(sigma, depth);
    if (cost > MAX_COST) {
      throw new IllegalArgumentException("exact moments of " + sigma.spec() + " at depth " + depth
          + " need moments of order " + orderText(p, depth) + " of layer 1, about "
          + (cost == Long.MAX_VALUE ? "more than 9e18" : String.format(java.util.Locale.ROOT, "%.2g", (double) cost))
          + " big-rational operations (limit " + MAX_COST + "); use a smaller depth");
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
    Rational cbR = Rational.of(cb);
    Rational cwR = Rational.of(cw);
    Rational plus = Rational.of(sigma.value(1));
    Rational minus = Rational.of(sigma.value(-1));
    // Layer 1: Ĝ = C_b + C_W·gram exactly.
    Rational g1 = cbR.add(cwR.multiply(Rational.of(gram)));
    int maxOrder = needed.get(1).last();
    Rational[] moments = new Rational[maxOrder + 1];
    moments[0] = Rational.ONE;
    for (int m = 1; m <= maxOrder; m++) {
      moments[m] = moments[m - 1].multiply(g1);
    }
    List<LayerMoments> out = new ArrayList<>(depth);
    out.add(layerMoments(1, moments[1], moments[2]));
    for (int l = 1; l < depth; l++) {
      int top = needed.get(l + 1).last();
      Rational[] s = sumMoments(xMoments(p, plus, minus, top), widths[l - 1], top);
      Rational scale = cwR.divide(widths[l - 1]);
      Rational[] next = new Rational[top + 1];
      next[0] = Rational.ONE;
      for (int m : needed.get(l + 1)) {
        Rational sum = Rational.ZERO;
        BigInteger binomial = BigInteger.ONE;
        for (int k = 0; k <= m; k++) {
          if (k > 0) {
            binomial = binomial.multiply(BigInteger.valueOf(m - k + 1)).divide(BigInteger.valueOf(k));
          }
          if (k < m && !bias) {
            continue; // C_b^{m-k} = 0
          }
          Rational term = scale.pow(k).multiply(s[k]).multiply(moments[p * k]).multiply(binomial);
          if (k < m) {
            term = term.multiply(cbR.pow(m - k));
          }
          sum = sum.add(term);
        }
        next[m] = sum;
      }
      moments = next;
      out.add(layerMoments(l + 1, moments[1], moments[2]));
    }
    return List.copyOf(out);
  }

  private static String orderText(int p, int depth) {
    double order = 2 * Math.pow(p, depth - 1);
    return order < 1e15 ? Long.toString((long) order) : String.format(java.util.Locale.ROOT, "%.3g", order);
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
          + " degree of homogeneity (THEORY.md §6.1), got p=" + p + " for " + sigma.spec());
    }
    return (int) p;
  }

  private static LayerMoments layerMoments(int layer, Rational g1, Rational g2) {
    BigDecimal ez2 = g1.toBigDecimal(MC);
    BigDecimal ezizj = g2.toBigDecimal(MC);
    BigDecimal ez4 = g2.multiply(Rational.of(3)).toBigDecimal(MC);
    double ratio;
    double relVar;
    if (g1.isZero()) {
      ratio = Double.NaN;
      relVar = Double.NaN;
    } else {
      Rational r = g2.divide(g1.multiply(g1));
      ratio = r.doubleValue();
      relVar = r.subtract(Rational.ONE).doubleValue();
    }
    return new LayerMoments(layer, ez2, ez4, ezizj, ratio, relVar);
  }

  /** μ_r = E[σ(g)^{2r}] = (2pr−1)!! (σ(1)^{2r} + σ(−1)^{2r})/2 for r = 0..top. */
  private static Rational[] xMoments(int p, Rational plus, Rational minus, int top) {
    Rational[] mu = new Rational[top + 1];
    Rational plus2 = plus.multiply(plus);
    Rational minus2 = minus.multiply(minus);
    Rational pp = Rational.ONE;
    Rational mm = Rational.ONE;
    BigInteger doubleFactorial = BigInteger.ONE; // (2pr − 1)!!
    int reached = -1; // (reached)!! = doubleFactorial
    mu[0] = Rational.ONE;
    for (int r = 1; r <= top; r++) {
      pp = pp.multiply(plus2);
      mm = mm.multiply(minus2);
      for (int j = reached + 2; j <= 2 * p * r - 1; j += 2) {
        doubleFactorial = doubleFactorial.multiply(BigInteger.valueOf(j));
        reached = j;
      }
      mu[r] = pp.add(mm).multiply(doubleFactorial).divide(2);
    }
    return mu;
  }

  /**
   * E[S^k] for S a sum of n i.i.d. copies of X with raw moments mu, k = 0..top (Miller's
   * recurrence for the n-th power of the moment generating function).
   */
  private static Rational[] sumMoments(Rational[] mu, int n, int top) {
    Rational[] m = new Rational[top + 1];
    m[0] = Rational.ONE;
    BigInteger n1 = BigInteger.valueOf(n + 1L);
    for (int k = 1; k <= top; k++) {
      Rational sum = Rational.ZERO;
      BigInteger binomial = BigInteger.ONE; // C(k, j)
      for (int j = 1; j <= k; j++) {
        binomial = binomial.multiply(BigInteger.valueOf(k - j + 1)).divide(BigInteger.valueOf(j));
        BigInteger coefficient = binomial.multiply(n1.multiply(BigInteger.valueOf(j)).subtract(BigInteger.valueOf(k)));
        if (coefficient.signum() != 0) {
          sum = sum.add(mu[j].multiply(m[k - j]).multiply(coefficient));
        }
      }
      m[k] = sum.divide(k);
    }
    return m;
  }
}
