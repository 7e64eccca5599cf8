package org.finwidth.vector;

import org.finwidth.activation.Activation;

/**
 * Element-wise σ and σ' of a catalogue {@link Activation} over arrays, and the fused σ-plus-Gram
 * pass that both Monte Carlo samplers need for the metric Ĝ ({@link org.finwidth.network.LayerSink}).
 *
 * <p>Two implementations: {@link KernelProvider#scalar()} is the reference, {@code (float)
 * σ.value((double) z)} element by element (the float result is the double activation correctly
 * rounded, up to the activation's own double error); the Panama implementation agrees with it
 * within |f − σ| ≤ max(1e-6·|σ|, 1e-7) for float and max(1e-13·|σ|, 1e-300) for double (asserted by
 * {@code ActivationKernelsTest}; see its Javadoc for the inputs covered, |z| ≤ 1e4). Both give NaN
 * for NaN and, at ±∞, the activation's limit where {@code σ.value(±∞)} is not NaN (sin: NaN).
 *
 * <p>Every method checks its arguments once ({@link KernelChecks}) and allocates nothing. Results
 * for an element do not depend on its position or on n (no position-dependent tail code), so they
 * are bitwise reproducible for a given implementation; the two implementations differ in the last
 * bits. In place ({@code z == out} with equal offsets) is allowed.
 */
public interface ActivationKernels {

  /**
   * {@code out[outOffset + i] = σ(z[zOffset + i])} for 0 ≤ i &lt; n.
   *
   * @throws NullPointerException if an argument is null
   * @throws IndexOutOfBoundsException if a range does not fit its array
   * @throws IllegalArgumentException if z and out overlap at different offsets
   */
  void value(Activation sigma, float[] z, int zOffset, float[] out, int outOffset, int n);

  /** {@code out[outOffset + i] = σ'(z[zOffset + i])} (left-hand limit at a kink); as {@link #value}. */
  void derivative(Activation sigma, float[] z, int zOffset, float[] out, int outOffset, int n);

  /** Double-precision {@link #value(Activation, float[], int, float[], int, int)}. */
  void value(Activation sigma, double[] z, int zOffset, double[] out, int outOffset, int n);

  /** Double-precision {@link #derivative(Activation, float[], int, float[], int, int)}. */
  void derivative(Activation sigma, double[] z, int zOffset, double[] out, int outOffset, int n);

  /**
   * Fused forward step of the samplers: {@code out[a][i] = σ(z[a][i])} for a &lt; d, i &lt; n, and
   * {@code gram[a*d + b] = Σ_i out[a][i]·out[b][i]} (full symmetric d×d, products exact in double,
   * sums in double; the order of summation is the implementation's, so the two implementations agree
   * to |Δ| ≤ n·2⁻⁵³·Σ_i |out[a][i]·out[b][i]|). The metric of the next layer is then
   * {@code C_b + (C_W/n)·gram}. {@code out[a] == z[a]} (in place) is allowed.
   *
   * @throws IllegalArgumentException if d &lt; 1, n &lt; 0 or output rows alias each other
   * @throws IndexOutOfBoundsException if a row is shorter than n or gram shorter than d²
   */
  void valueGram(Activation sigma, float[][] z, float[][] out, int d, int n, double[] gram);

  /** {@link #value(Activation, float[], int, float[], int, int)} over all of z into out. */
  default void value(Activation sigma, float[] z, float[] out) {
    value(sigma, z, 0, out, 0, z.length);
  }

  /** {@link #derivative(Activation, float[], int, float[], int, int)} over all of z into out. */
  default void derivative(Activation sigma, float[] z, float[] out) {
    derivative(sigma, z, 0, out, 0, z.length);
  }

  /** {@link #value(Activation, double[], int, double[], int, int)} over all of z into out. */
  default void value(Activation sigma, double[] z, double[] out) {
    value(sigma, z, 0, out, 0, z.length);
  }

  /** {@link #derivative(Activation, double[], int, double[], int, int)} over all of z into out. */
  default void derivative(Activation sigma, double[] z, double[] out) {
    derivative(sigma, z, 0, out, 0, z.length);
  }
}
