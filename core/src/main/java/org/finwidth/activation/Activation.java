package org.finwidth.activation;

import java.util.OptionalDouble;

/**
 * An activation function σ: one of the catalogue (docs/theory.md §7), each an immutable record
 * whose components are its parameters, or one of your own through {@link CustomActivation} (a
 * class you write, or a formula, {@code expr:...}). Kernels and samplers dispatch with an exhaustive
 * {@code switch} over this sealed type; user activations arrive as {@link CustomActivation}.
 *
 * <p>Conventions shared by all activations:
 * <ul>
 *   <li>{@link #value}, {@link #d1}, {@link #d2} accept every double. At ±Infinity they return
 *       the limit where it exists (e.g. swish: value(-∞) = 0, d1(+∞) = 1) and NaN only where
 *       it does not (sin); NaN in, NaN out. No intermediate overflow for large finite |z|.
 *   <li>At a kink (a point of {@link #kinks()}) the derivatives take their left-hand limit
 *       (relu: d1(0) = 0, d2(0) = 0); the Dirac mass of σ'' at a kink is not represented.
 *   <li>{@link #derivativesAtZero()} follows PDLT: σ_p = σ^(p)(0) is the p-th derivative, not the
 *       Taylor coefficient (docs/theory.md §1.3); an entry is NaN where σ is not p times
 *       differentiable at 0.
 * </ul>
 */
public sealed interface Activation
    permits Linear, Relu, Leaky, Tanh, Sin, Erf, Sigmoid, Softplus, GatedActivation, Monomial,
        Repu, Mrepu, Elu, Selu, Mish, Celu, Softsign, Hardtanh, Hardswish, CustomActivation {

  /** The catalogue name, e.g. {@code "swish"}. */
  String name();

  /**
   * The canonical spec: the name, then {@code :} and the parameters that differ from their
   * defaults, in catalogue order ({@code "swish:T=0.5"}, {@code "relu"}, {@code "mrepu:c=2"}).
   * {@code Activation.parse(a.spec()).equals(a)} holds for every activation.
   */
  String spec();

  /** σ(z). */
  double value(double z);

  /** σ'(z) (left-hand limit at a kink). */
  double d1(double z);

  /** σ''(z) (left-hand limit at a kink). */
  double d2(double z);

  /**
   * The sorted points where σ, σ' or σ'' is not analytic (relu, leaky, repu: {0}; mrepu: {-c});
   * empty for analytic activations. Quadrature splits its ranges here. A fresh array each call.
   */
  double[] kinks();

  /**
   * {σ_0, σ_1, σ_2, σ_3} with σ_p = σ^(p)(0) (docs/theory.md §1.3, PDLT convention), derived
   * analytically per activation; NaN where σ is not p times differentiable at 0 (relu: σ_1..σ_3).
   * A fresh array each call.
   */
  double[] derivativesAtZero();

  /**
   * The degree p of positive homogeneity, σ(λz) = λ^p σ(z) for all λ &gt; 0 and all z
   * (linear, relu, leaky: 1; repu, monomial: p); empty if σ has none.
   */
  OptionalDouble homogeneity();

  /**
   * The width in z of σ's sharpest feature near 0 (T for the gated family, 1/a for erf(a z), 1
   * otherwise): quadrature places extra breakpoints at this scale and the criticality scan centres
   * its grid of K on its square (kinks are exact breakpoints anyway). A hint for accuracy and
   * speed, not a parameter of σ.
   */
  default double featureScale() {
    return 1;
  }

  /**
   * Parses a spec: a catalogue entry {@code name[:param=value[,param=value...]]} (names and
   * parameter names are case-insensitive, omitted parameters take their defaults, {@link
   * Catalogue}), a formula {@code expr:FORMULA[;NAME=VALUE...]} ({@link Formula}) or a class of
   * one's own {@code class:BINARY.NAME} (a public class implementing {@link CustomActivation} with
   * a public no-argument constructor, loaded from the thread's context class loader).
   *
   * @param spec e.g. {@code "relu"}, {@code "leaky:a=0.1"}, {@code "swish:T=0.5"},
   *     {@code "mrepu:c=1,q=2"}, {@code "expr:z*tanh(softplus(z))"}, {@code "class:com.example.Mish"}
   * @return the activation
   * @throws IllegalArgumentException (one line) for a null or empty spec, an unknown name (the
   *     message lists the known ones), an unknown parameter (lists the allowed ones), a missing
   *     value, a malformed or duplicated parameter, a value that is not a finite number, or a
   *     value outside the parameter's domain; the message names the parameter and the value; for
   *     a formula, {@code expr: WHAT at column N}; for a class, a missing or unusable class
   */
  static Activation parse(String spec) {
    return Catalogue.parse(spec);
  }
}
