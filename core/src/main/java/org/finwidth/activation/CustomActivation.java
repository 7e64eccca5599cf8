package org.finwidth.activation;

import java.util.OptionalDouble;

/**
 * An activation of your own, for the theory and the samplers alike. The catalogue's records are
 * sealed; this interface is the open door: implement it (or write a formula: {@code Activation.parse("expr:...")}) and
 * pass the object wherever an {@link Activation} is taken (e.g.
 * {@code org.finwidth.theory.CriticalitySolver.solve}, {@code org.finwidth.network.NetworkSpec}).
 * The command line loads an implementation by name ({@code --activation class:com.example.Mish},
 * see docs/cli.md), which needs a public class with a public no-argument constructor.
 *
 * <p><b>What you must supply.</b>
 * <ul>
 *   <li>{@link #value}, {@link #d1}, {@link #d2}: σ, σ', σ'' in double for every finite z, with the
 *       conventions of {@link Activation} (left-hand limits at a kink, NaN in NaN out). They must be
 *       thread-safe (the samplers call them from several threads) and pure (the same z gives the
 *       same bits: results must not depend on thread count or order).
 *   <li>{@link #kinks()} if σ, σ' or σ'' is not analytic somewhere (default: none). Gaussian
 *       expectations split their ranges there; a missing kink costs accuracy silently.
 * </ul>
 *
 * <p><b>What the engine derives, unless you override it.</b>
 * <ul>
 *   <li>{@link #d3}: σ''' by a Richardson-extrapolated central difference of {@link #d2} (relative
 *       error about 1e-9 for functions smooth on the scale {@link #featureScale()}); used only for
 *       the Taylor datum σ_3 and hence a_1. Override it for exact Taylor data.
 *   <li>{@link #derivativesAtZero()}: {σ(0), σ'(0), σ''(0), σ'''(0)}; when 0 is a kink only σ(0)
 *       is known and the rest are NaN (override it if σ is differentiable there).
 *   <li>{@link #homogeneity()}: detected numerically: the degree p implied by σ(2z)/σ(z), snapped to
 *       a multiple of 1/2 within 1e-9, must satisfy σ(λz) = λ^p σ(z) to 1e-12 relative over a grid
 *       of λ in [1/4, 10] and z of both signs; only degrees p ≥ 1/2 count (below, ⟨σ'²⟩ diverges).
 *   <li>{@link #featureScale()}: 1.
 *   <li>{@link #name()}: the simple class name; {@link #spec()}: {@code class:} and the binary
 *       class name, which the command line and result files parse back.
 *   <li>{@link #floatValues} and {@link #floatDerivatives} (the samplers' vector kernels): each
 *       element {@code (float) value((double) z)}, one call per element. Override them with a
 *       faster kernel of your own (for example with the Vector API); it must agree with
 *       {@link #value}/{@link #d1} to the float accuracy the samplers assume (|f − σ| ≤
 *       max(1e-6·|σ|, 1e-7)), give each element's result independently of its position and of n
 *       (bitwise reproducibility), allocate nothing and be thread-safe.
 * </ul>
 * Criticality, the kernel recursions, the finite-width corrections and both samplers then work as
 * for the catalogue (docs/theory.md §3–§5 and the section on formula and user activations).
 */
public non-sealed interface CustomActivation extends Activation {

  /** The simple name of the implementing class. */
  @Override
  default String name() {
    return getClass().getSimpleName();
  }

  /** {@code class:} followed by the binary name of the implementing class. */
  @Override
  default String spec() {
    return UserClasses.PREFIX + getClass().getName();
  }

  /** No kinks. */
  @Override
  default double[] kinks() {
    return new double[0];
  }

  /**
   * σ'''(z) (left-hand limit at a kink). Default: (4 D(h/2) − D(h))/3 with D(h) the central
   * difference (d2(z + h) − d2(z − h))/(2h), h = 1e-3·featureScale(), so the truncation error is
   * O(h⁴) and the rounding error about 1e-13·|σ''|/h.
   */
  default double d3(double z) {
    double h = 1e-3 * featureScale();
    double d1 = (d2(z + h) - d2(z - h)) / (2 * h);
    double g = h / 2;
    double d2 = (d2(z + g) - d2(z - g)) / (2 * g);
    return (4 * d2 - d1) / 3;
  }

  /**
   * {σ(0), σ'(0), σ''(0), σ'''(0)} from {@link #value}, {@link #d1}, {@link #d2}, {@link #d3};
   * {σ(0), NaN, NaN, NaN} when 0 is one of {@link #kinks()}.
   */
  @Override
  default double[] derivativesAtZero() {
    for (double k : kinks()) {
      if (k == 0) {
        return new double[] {value(0), Double.NaN, Double.NaN, Double.NaN};
      }
    }
    return new double[] {value(0), d1(0), d2(0), d3(0)};
  }

  /** Detected numerically (see the interface documentation). */
  @Override
  default OptionalDouble homogeneity() {
    return Homogeneity.detect(this::value);
  }

  /**
   * {@code out[outOffset + i] = (float) σ(z[zOffset + i])} for i &lt; n. The engine checks the
   * ranges before calling; {@code z == out} with equal offsets (in place) must work.
   */
  default void floatValues(float[] z, int zOffset, float[] out, int outOffset, int n) {
    for (int i = 0; i < n; i++) {
      out[outOffset + i] = (float) value(z[zOffset + i]);
    }
  }

  /** {@code out[outOffset + i] = (float) σ'(z[zOffset + i])}; as {@link #floatValues}. */
  default void floatDerivatives(float[] z, int zOffset, float[] out, int outOffset, int n) {
    for (int i = 0; i < n; i++) {
      out[outOffset + i] = (float) d1(z[zOffset + i]);
    }
  }
}
