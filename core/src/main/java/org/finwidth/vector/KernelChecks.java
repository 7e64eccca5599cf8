package org.finwidth.vector;

import java.util.Objects;

/**
 * Argument checks shared by the kernel implementations: every public kernel entry point checks its
 * arguments once with these, then runs loops that only {@code assert}.
 */
public final class KernelChecks {
  private KernelChecks() {}

  /**
   * Checks an element-wise kernel call {@code out[outOffset + i] = f(in[inOffset + i])}, i &lt; n.
   *
   * @throws NullPointerException if an array is null
   * @throws IndexOutOfBoundsException if a range does not fit its array or n &lt; 0
   * @throws IllegalArgumentException if in and out are the same array and the ranges overlap
   *     without coinciding (in place must use the same offset)
   */
  public static void elementwise(Object in, int inLength, int inOffset, Object out, int outLength,
      int outOffset, int n) {
    Objects.requireNonNull(in, "in");
    Objects.requireNonNull(out, "out");
    Objects.checkFromIndexSize(inOffset, n, inLength);
    Objects.checkFromIndexSize(outOffset, n, outLength);
    if (in == out && inOffset != outOffset && Math.abs(inOffset - outOffset) < n) {
      throw new IllegalArgumentException("in and out overlap at different offsets: inOffset = "
          + inOffset + ", outOffset = " + outOffset + ", n = " + n);
    }
  }

  /** {@link #elementwise} for float arrays. */
  public static void elementwise(float[] in, int inOffset, float[] out, int outOffset, int n) {
    elementwise(in, in == null ? 0 : in.length, inOffset, out, out == null ? 0 : out.length,
        outOffset, n);
  }

  /** {@link #elementwise} for double arrays. */
  public static void elementwise(double[] in, int inOffset, double[] out, int outOffset, int n) {
    elementwise(in, in == null ? 0 : in.length, inOffset, out, out == null ? 0 : out.length,
        outOffset, n);
  }

  /**
   * Checks a {@link ActivationKernels#valueGram} call: d ≥ 1 rows of at least n elements in z and
   * out, gram of length at least d².
   */
  public static void gram(float[][] z, float[][] out, int d, int n, double[] gram) {
    Objects.requireNonNull(z, "z");
    Objects.requireNonNull(out, "out");
    Objects.requireNonNull(gram, "gram");
    if (d < 1 || n < 0) {
      throw new IllegalArgumentException("need d >= 1 and n >= 0, got d = " + d + ", n = " + n);
    }
    Objects.checkFromIndexSize(0, d, z.length);
    Objects.checkFromIndexSize(0, d, out.length);
    Objects.checkFromIndexSize(0, d * d, gram.length);
    for (int a = 0; a < d; a++) {
      elementwise(z[a], 0, out[a], 0, n);
      for (int b = 0; b < a; b++) {
        if (out[b] == out[a] || out[b] == z[a]) {
          throw new IllegalArgumentException("out[" + b + "] aliases row " + a
              + " (each output row must be its own array or its own input row)");
        }
      }
    }
  }
}
