package org.finwidth.vector;

import java.util.Objects;

import org.finwidth.random.BoxMuller;
import org.finwidth.random.RandomStreams;

/**
 * Argument checks of the {@link LayerKernels} entry points, shared by the implementations: run
 * once per call, after which the loops only {@code assert}.
 */
public final class LayerChecks {

  private LayerChecks() {
  }

  /**
   * Checks d ≥ 1 rows of at least n floats ({@code n ≥ 0}).
   *
   * @throws IllegalArgumentException if d &lt; 1 or n &lt; 0
   * @throws IndexOutOfBoundsException if there are fewer than d rows or a row is shorter than n
   */
  public static void rows(float[][] rows, int d, int n) {
    Objects.requireNonNull(rows, "rows");
    if (d < 1 || n < 0) {
      throw new IllegalArgumentException("need d >= 1 and n >= 0, got d = " + d + ", n = " + n);
    }
    Objects.checkFromIndexSize(0, d, rows.length);
    for (int a = 0; a < d; a++) {
      Objects.checkFromIndexSize(0, n, Objects.requireNonNull(rows[a], "row").length);
    }
  }

  /** Checks that no row of {@code out} is another row of {@code out} or a row of {@code in}. */
  private static void distinct(float[][] out, float[][] in, int d) {
    for (int a = 0; a < d; a++) {
      for (int b = 0; b < d; b++) {
        if ((b < a && out[b] == out[a]) || (in != null && in[b] == out[a])) {
          throw new IllegalArgumentException("output row " + a + " aliases another row: every output row must be its own array");
        }
      }
    }
  }

  /** Checks a {@link LayerKernels#weightsLayer} call. */
  public static void weights(int layer, float[][] h, int d, int m, float weightScale, float biasScale,
      float[][] z, int n, float[] work) {
    RandomStreams.checkStream(layer, RandomStreams.WEIGHTS);
    if (m < 1 || n < 1) {
      throw new IllegalArgumentException("need fan-in m >= 1 and width n >= 1, got m = " + m + ", n = " + n);
    }
    if ((long) n * m > BoxMuller.MAX_INDEX) {
      throw new IllegalArgumentException("n*m = " + (long) n * m + " weights exceed one stream (2^34)");
    }
    if (!(weightScale >= 0) || !(biasScale >= 0) || Float.isInfinite(weightScale) || Float.isInfinite(biasScale)) {
      throw new IllegalArgumentException("scales must be finite and >= 0, got weightScale = " + weightScale
          + ", biasScale = " + biasScale);
    }
    rows(h, d, m);
    rows(z, d, n);
    distinct(z, h, d);
    Objects.checkFromIndexSize(0, LayerKernels.weightsWorkLength(d, m, n), Objects.requireNonNull(work, "work").length);
  }

  /** Checks the arguments of {@link LayerKernels#sums1}. */
  public static void sums1(float[] z, float[] h, int n, double[] out, double[] work) {
    if (n < 0) {
      throw new IllegalArgumentException("need n >= 0, got " + n);
    }
    Objects.checkFromIndexSize(0, n, Objects.requireNonNull(z, "z").length);
    Objects.checkFromIndexSize(0, n, Objects.requireNonNull(h, "h").length);
    Objects.checkFromIndexSize(0, 3, out.length);
    Objects.checkFromIndexSize(0, LayerKernels.momentsWorkLength(1), work.length);
  }

  /**
   * Checks the arguments of {@link LayerKernels#reluLayer1}: n ≥ 1, {@code g[offset .. offset + n)}
   * and {@code z[0 .. n)} inside their arrays, three outputs and the work array of one input.
   */
  public static void oneInput(float[] g, int offset, float[] z, int n, double[] out, double[] work) {
    if (n < 1) {
      throw new IllegalArgumentException("need n >= 1, got " + n);
    }
    if (offset < 0 || (long) offset + n > Objects.requireNonNull(g, "g").length) {
      throw new IndexOutOfBoundsException("g[" + offset + " .. " + ((long) offset + n) + ") is outside an array of "
          + g.length);
    }
    Objects.checkFromIndexSize(0, n, Objects.requireNonNull(z, "z").length);
    Objects.checkFromIndexSize(0, 3, out.length);
    Objects.checkFromIndexSize(0, LayerKernels.momentsWorkLength(1), work.length);
  }

  /** Checks a {@link LayerKernels#conditionalTransform} call. */
  public static void conditional(float[] chol, int d, float[] g, int offset, int stride, float[][] z, int n) {
    if (n < 1 || stride < n) {
      throw new IllegalArgumentException("need n >= 1 and stride >= n, got n = " + n + ", stride = " + stride);
    }
    rows(z, d, n);
    distinct(z, null, d);
    Objects.checkFromIndexSize(0, d * d, Objects.requireNonNull(chol, "chol").length);
    long need = (long) (d - 1) * stride + n;
    if (offset < 0 || offset + need > Objects.requireNonNull(g, "g").length) {
      throw new IndexOutOfBoundsException("g[" + offset + " .. " + (offset + need) + ") is outside an array of "
          + g.length);
    }
  }
}
