package org.finwidth.activation;

import java.util.Map;
import java.util.OptionalDouble;
import org.finwidth.activation.expr.CompiledFormula;
import org.finwidth.activation.expr.FormulaParser;

/**
 * An activation given by a formula, {@code expr:FORMULA[;NAME=VALUE...]}, e.g.
 * {@code expr:z*tanh(log(1+exp(z)))} or {@code expr:z/(1+exp(-z/T));T=0.5} (grammar and functions:
 * {@link FormulaParser}; docs/cli.md). Parsed once; then:
 * <ul>
 *   <li>σ by evaluating the tree in double, σ', σ'', σ''' exactly by forward-mode automatic
 *       differentiation of order 3 (left-hand limits at kinks), after stabilising rewrites
 *       (log(1+exp(x)) → softplus(x), a/(1+exp(x)) → a·sigmoid(−x), ...);
 *   <li>kinks: the zeros of the arguments of max, min, abs, relu, step, sqrt, of non-integer powers
 *       and of the conditions of where, located on a grid over 1e-8 ≤ |z| ≤ 1e6 and bisected;
 *   <li>Taylor data at 0 from the jets (one-sided where 0 is a kink), positive homogeneity detected
 *       numerically (to 1e-12, so {@code expr:max(z,0)} is scale-invariant), a feature scale from
 *       σ' and σ'' for the quadrature;
 *   <li>the samplers' float kernels: compiled to Vector API code at run time by the Panama kernels,
 *       the double evaluator in the scalar ones.
 * </ul>
 * Formulas are {@link CustomActivation}s, so the whole engine handles them as it handles user
 * classes. Two formulas are equal when their specs are.
 */
public final class Formula implements CustomActivation {
  /** The spec prefix. */
  public static final String PREFIX = "expr:";
  /** {@link #name()} of every formula. */
  public static final String NAME = "expr";

  private final String spec;
  private final CompiledFormula compiled;
  private final double[] taylor;
  private final OptionalDouble homogeneity;
  private final double featureScale;

  private Formula(String body) {
    this.compiled = CompiledFormula.parse(body);
    this.spec = PREFIX + body;
    this.taylor = compiled.derivativesAtZero();
    this.homogeneity = Homogeneity.detect(compiled::value);
    this.featureScale = compiled.featureScale();
  }

  /**
   * Parses {@code expr:FORMULA[;NAME=VALUE...]} (the prefix is case-insensitive; surrounding
   * whitespace is dropped).
   *
   * @throws IllegalArgumentException one line {@code expr: WHAT at column N}, N counted from 1 at
   *     the first character after {@code expr:}
   */
  public static Formula parse(String spec) {
    String s = spec.strip();
    if (!s.regionMatches(true, 0, PREFIX, 0, PREFIX.length())) {
      throw new IllegalArgumentException("not a formula spec (expected expr:...): " + spec);
    }
    return new Formula(s.substring(PREFIX.length()));
  }

  /** The formula with its parameters, as written after {@code expr:}. */
  public String formula() {
    return compiled.body();
  }

  /** The parameters by name, in their order. */
  public Map<String, Double> parameters() {
    return compiled.parameters();
  }

  /** The compiled tree and its double evaluators (for the vector compiler). */
  public CompiledFormula compiled() {
    return compiled;
  }

  @Override
  public String name() {
    return NAME;
  }

  /** {@code expr:} and the formula as written. */
  @Override
  public String spec() {
    return spec;
  }

  @Override
  public double value(double z) {
    return compiled.value(z);
  }

  @Override
  public double d1(double z) {
    return compiled.jet(z)[1];
  }

  @Override
  public double d2(double z) {
    return compiled.jet(z)[2];
  }

  /** σ'''(z), exact (automatic differentiation). */
  @Override
  public double d3(double z) {
    return compiled.jet(z)[3];
  }

  @Override
  public double[] kinks() {
    return compiled.kinks();
  }

  @Override
  public double[] derivativesAtZero() {
    return taylor.clone();
  }

  @Override
  public OptionalDouble homogeneity() {
    return homogeneity;
  }

  @Override
  public double featureScale() {
    return featureScale;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Formula f && f.spec.equals(spec);
  }

  @Override
  public int hashCode() {
    return spec.hashCode();
  }

  @Override
  public String toString() {
    return spec;
  }
}
