package org.finwidth.stats;

import java.util.function.IntUnaryOperator;

/**
 * One measured quantity judged against its predictions, the one verdict every table and file of
 * finwidth uses (docs/theory.md §9.7): its z-scores against the leading-order theory and against the
 * exact finite-width value, and a one-word {@link Flag}.
 *
 * <p>The rules, with {@code Δ = |measured − prediction|}, SE the standard error and
 * {@value #Z_LIMIT} the limit in standard errors:
 * <ol>
 *   <li>an exact value exists: {@code ok} if {@code Δ_exact ≤ 3 SE + its numerical tolerance};
 *       else {@code heavy-tail} if the layer's tails are heavy ({@link TailCheck}), else
 *       {@code disagree};
 *   <li>only the leading order: {@code heavy-tail} if the tails are heavy (an SE that cannot be
 *       trusted cannot vouch for agreement); else {@code ok} if {@code Δ_LO ≤ 3 SE};
 *       {@code beyond-LO} if {@code Δ_LO ≤ 3 SE + next}, where {@code next} is the estimated size of
 *       the next order ({@link #nextOrder}); else {@code disagree};
 *   <li>no prediction, or no estimate: {@code -} (nothing to judge).
 * </ol>
 * An SE of exactly 0 (a quantity the sampler knows exactly, such as layer 1's metric) agrees when
 * the two numbers are equal to rounding (relative {@value #ROUNDING}).
 *
 * @param flag the verdict
 * @param zLeading {@code (measured − leading order)/SE}, NaN without a leading order or an SE
 *     (±∞ for an exact measurement that differs)
 * @param zExact {@code (measured − exact)/SE}, NaN without an exact value or an SE
 */
public record Verdict(Flag flag, double zLeading, double zExact) {
  /** The limit in standard errors. */
  public static final double Z_LIMIT = 3;

  /** Relative difference treated as rounding when the SE is exactly 0. */
  public static final double ROUNDING = 1e-9;

  /** Largest depth-to-width ratio that {@link #nextOrder} lets scale the next order (see there). */
  public static final double MAX_RATIO = 0.5;

  /** The verdict on a measurement. */
  public enum Flag {
    /** Within 3 SE of the exact value where there is one, else of the leading order. */
    OK("ok"),
    /** Off the leading order by more than 3 SE, but within 3 SE plus the next order's estimated size. */
    BEYOND_LO("beyond-LO"),
    /** The layer's tail share is above what light-tailed networks give: the SE is unreliable. */
    HEAVY_TAIL("heavy-tail"),
    /** None of the above. */
    DISAGREE("disagree"),
    /** Nothing to judge: no prediction, or no estimate. */
    NONE("-");

    private final String label;

    Flag(String label) {
      this.label = label;
    }

    /** The word printed in tables and files. */
    public String label() {
      return label;
    }

    @Override
    public String toString() {
      return label;
    }
  }

  /** The verdict of nothing to judge. */
  public static final Verdict NONE = new Verdict(Flag.NONE, Double.NaN, Double.NaN);

  /**
   * Judges a measurement.
   *
   * @param measured the estimate and its SE
   * @param leading the leading-order prediction, NaN if none
   * @param nextOrder the estimated size of the next order (≥ 0; NaN or 0 if unknown: then a gap
   *     beyond 3 SE of the leading order is {@code disagree})
   * @param exact the exact finite-width value, NaN if none
   * @param exactTolerance the numerical uncertainty of the exact value (≥ 0; 0 for an exact oracle)
   * @param tails the layer's tail check, or null for none (then the tails count as light)
   */
  public static Verdict judge(Estimate measured, double leading, double nextOrder, double exact,
      double exactTolerance, TailCheck tails) {
    double m = measured.mean();
    double se = measured.standardError();
    if (!Double.isFinite(m) || !(se >= 0) || Double.isInfinite(se)) {
      return NONE;
    }
    boolean hasExact = Double.isFinite(exact);
    boolean hasLeading = Double.isFinite(leading);
    double zl = hasLeading ? z(m, se, leading) : Double.NaN;
    double ze = hasExact ? z(m, se, exact) : Double.NaN;
    boolean heavy = tails != null && tails.heavy();
    Flag f;
    if (hasExact) {
      double tol = Double.isFinite(exactTolerance) && exactTolerance > 0 ? exactTolerance : 0;
      f = within(m, exact, Z_LIMIT * se + tol) ? Flag.OK : heavy ? Flag.HEAVY_TAIL : Flag.DISAGREE;
    } else if (hasLeading) {
      double next = Double.isFinite(nextOrder) && nextOrder > 0 ? nextOrder : 0;
      if (heavy) {
        f = Flag.HEAVY_TAIL;
      } else if (within(m, leading, Z_LIMIT * se)) {
        f = Flag.OK;
      } else if (next > 0 && within(m, leading, Z_LIMIT * se + next)) {
        f = Flag.BEYOND_LO;
      } else {
        f = Flag.DISAGREE;
      }
    } else {
      return NONE;
    }
    return new Verdict(f, zl, ze);
  }

  /** {@code |m − ref| ≤ allowed}, or equal to rounding. */
  private static boolean within(double m, double ref, double allowed) {
    double d = Math.abs(m - ref);
    return d <= allowed || d <= ROUNDING * Math.max(Math.abs(m), Math.abs(ref));
  }

  /** {@code (m − ref)/se}; for se = 0: 0 if equal to rounding, else ±∞. */
  private static double z(double m, double se, double ref) {
    double d = m - ref;
    if (se > 0) {
      return d / se;
    }
    return Math.abs(d) <= ROUNDING * Math.max(Math.abs(m), Math.abs(ref)) ? 0 : Math.copySign(Double.POSITIVE_INFINITY, d);
  }

  /**
   * The depth-to-width ratio of layer ℓ, the expansion parameter of the 1/n series:
   * {@code r = Σ_{k=1}^{ℓ−1} 1/n_k}, i.e. (ℓ − 1)/n for equal widths n (layer 1 is Gaussian: r = 0).
   *
   * @param layer ℓ ≥ 1
   * @param width the width n_k of layer k (k = 1..ℓ−1)
   */
  public static double depthToWidth(int layer, IntUnaryOperator width) {
    double r = 0;
    for (int k = 1; k < layer; k++) {
      r += 1.0 / width.applyAsInt(k);
    }
    return r;
  }

  /**
   * The estimated size of the next order of a leading-order prediction: {@code min(r, 1/2)·|t|},
   * where {@code t} is the prediction's own 1/n term (K1/n for E[z²]; V itself for V, whose
   * finite-width corrections are relatively O(r); V/(nK²) for E[z⁴]/(3E[z²]²)) and r the
   * {@link #depthToWidth depth-to-width ratio}. Capped at half the 1/n term, so that a gap of the
   * quantity's own size is never excused; NaN for non-finite input.
   */
  public static double nextOrder(double firstOrderTerm, double depthToWidth) {
    if (!Double.isFinite(firstOrderTerm) || !Double.isFinite(depthToWidth)) {
      return Double.NaN;
    }
    return Math.min(Math.max(depthToWidth, 0), MAX_RATIO) * Math.abs(firstOrderTerm);
  }

  /** The z-score the one-number outputs (CSV column {@code z}) carry: against the exact value where there is one. */
  public double z() {
    return Double.isNaN(zExact) ? zLeading : zExact;
  }
}
