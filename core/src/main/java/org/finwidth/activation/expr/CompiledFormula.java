package org.finwidth.activation.expr;

import java.util.Map;

/**
 * A parsed activation formula with its double evaluators: σ by direct evaluation, σ', σ'', σ'''
 * by Taylor jets ({@link Jets}, left-hand limits at kinks), the kinks ({@link KinkFinder}) and the
 * Taylor data at 0. Immutable and thread-safe. The tree it evaluates is the parsed one after
 * {@link Simplifier}'s stabilising rewrites; {@link #tree()} gives it to other evaluators (the
 * vector compiler).
 */
public final class CompiledFormula {
  private final String body;
  private final Map<String, Double> parameters;
  private final Expr tree;
  private final double[] kinks;

  private CompiledFormula(String body, FormulaParser.Parsed parsed) {
    this.body = body;
    this.parameters = parsed.parameters();
    this.tree = Simplifier.simplify(parsed.tree());
    this.kinks = KinkFinder.kinks(tree);
  }

  /**
   * Parses a formula (the text after {@code expr:}).
   *
   * @throws IllegalArgumentException one line {@code expr: ... at column N} (see
   *     {@link FormulaParser})
   */
  public static CompiledFormula parse(String body) {
    return new CompiledFormula(body, FormulaParser.parse(body));
  }

  /** The text the formula was parsed from. */
  public String body() {
    return body;
  }

  /** The parameters in their order. */
  public Map<String, Double> parameters() {
    return parameters;
  }

  /** The evaluated tree (after the stabilising rewrites). */
  public Expr tree() {
    return tree;
  }

  /** σ(z). */
  public double value(double z) {
    return Evaluator.eval(tree, z);
  }

  /** {σ, σ', σ'', σ'''} at z, derivatives as left-hand limits at a kink. */
  public double[] jet(double z) {
    return Jets.jet(tree, z, true);
  }

  /** {σ, σ', σ'', σ'''} at z, derivatives as right-hand limits at a kink. */
  public double[] rightJet(double z) {
    return Jets.jet(tree, z, false);
  }

  /** The sorted kinks (a fresh array). */
  public double[] kinks() {
    return kinks.clone();
  }

  /**
   * {σ_0, σ_1, σ_2, σ_3} = σ^(p)(0); where 0 is a kink, σ_p is the common value of the left and
   * right derivatives while they are finite and agree (to 1e-12 relative) and NaN from the first
   * order where they do not (σ is not p times differentiable there).
   */
  public double[] derivativesAtZero() {
    double[] left = Jets.jet(tree, 0, true);
    boolean kinkAtZero = false;
    for (double k : kinks) {
      kinkAtZero |= k == 0;
    }
    if (!kinkAtZero) {
      return left;
    }
    double[] right = Jets.jet(tree, 0, false);
    double[] out = left.clone();
    for (int p = 1; p < 4; p++) {
      double l = left[p];
      double r = right[p];
      boolean agree = Double.isFinite(l) && Double.isFinite(r)
          && (l == r || Math.abs(l - r) <= 1e-12 * Math.max(Math.abs(l), Math.abs(r)));
      if (!agree || Double.isNaN(out[p - 1])) {
        out[p] = Double.NaN;
      }
    }
    return out;
  }

  /**
   * The width in z of the sharpest feature near 0, as a quadrature hint: the range of σ' over
   * |z| ≤ 10 divided by the largest |σ''| there, clamped to [1e-6, 1] (1 if σ'' vanishes).
   */
  public double featureScale() {
    double lo = Double.POSITIVE_INFINITY;
    double hi = Double.NEGATIVE_INFINITY;
    double m = 0;
    for (int k = -48; k <= 8; k++) {
      for (double z : new double[] {Math.pow(10, k / 8.0), -Math.pow(10, k / 8.0)}) {
        double[] j = Jets.jet(tree, z, true);
        if (Double.isFinite(j[1])) {
          lo = Math.min(lo, j[1]);
          hi = Math.max(hi, j[1]);
        }
        if (Double.isFinite(j[2])) {
          m = Math.max(m, Math.abs(j[2]));
        }
      }
    }
    if (!(m > 0) || !(hi >= lo)) {
      return 1;
    }
    return Math.max(1e-6, Math.min(1, (hi - lo) / m));
  }
}
