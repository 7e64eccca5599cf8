package org.finwidth.vector;

/**
 * The kernels of the neural tangent kernel sampler ({@code org.finwidth.network.NtkSampler},
 * docs/theory.md §11.7): a forward layer over weights that are kept for the backward pass, and the
 * backward step of the Jacobian rows. Two implementations (scalar reference, Panama) that give the
 * same bits for the same inputs, on any vector width.
 *
 * <h2>Forward over stored normals</h2>
 * {@code z[a][i] = fma(weightScale, Σ_{j<m} g[i·m + j]·h[a][j], bias[i])} with the float dot
 * product in the fixed order of {@link LayerKernels} (16 partial sums, then halvings): bitwise the
 * result of {@link LayerKernels#weightsLayer} on the same normals, so the NTK sampler's
 * preactivations are those of the weights sampler.
 *
 * <h2>Backward rows</h2>
 * For rows {@code r < rows}:
 * <pre>
 *   out[r][j] = (acc_rj · scale) · mult[r][j],   acc_rj = Σ_{i&lt;n} in[r][i] · g[i·m + j]   (j &lt; m)
 * </pre>
 * where {@code acc_rj} is accumulated in increasing i by {@code fma(in[r][i], g[i·m + j], acc)}
 * from +0: one chain per output element, so the result does not depend on how the j are grouped
 * into vectors. With g the unit normals of a layer's weights, scale {@code sqrt(C_W/n_{ℓ−1})} and
 * mult = σ'(z^(ℓ−1)), this is the step J^(ℓ−1) = J^(ℓ) W^(ℓ) diag(σ') of a Jacobian row.
 *
 * <p>Implementations are stateless and thread-safe and allocate nothing.
 */
public interface TangentKernels {

  /**
   * Forward layer over stored unit normals (see the class comment).
   *
   * @param g the weights' unit normals, row-major n×m, with at least {@link #STORED_SLACK} floats
   *     after the last row (the vector loops read past a row's end; the products with the zero
   *     padding of the inputs are ±0 and never change a partial sum)
   * @param m fan-in, ≥ 1
   * @param n width, ≥ 1
   * @param h input rows {@code a < d} of at least m floats
   * @param d number of inputs ≥ 1
   * @param weightScale {@code sqrt(C_W/m)}
   * @param bias at least n biases (already scaled)
   * @param z output rows {@code a < d} of at least n floats, none of them an h row
   * @param work scratch of at least {@link #storedWorkLength(int, int) storedWorkLength(d, m)} floats
   * @throws IllegalArgumentException if a size is out of its domain or rows alias
   * @throws IndexOutOfBoundsException if an array is too short
   */
  void storedLayer(float[] g, int m, int n, float[][] h, int d, float weightScale, float[] bias, float[][] z,
      float[] work);

  /**
   * Backward step of Jacobian rows (see the class comment).
   *
   * @param in rows {@code r < rows} of at least n floats
   * @param rows number of rows, ≥ 0
   * @param g unit normals, row-major n×m
   * @param n rows of g (the width of the later layer), ≥ 1
   * @param m columns of g (the width of the earlier layer), ≥ 1
   * @param scale the weights' standard deviation
   * @param mult per-row multipliers of at least m floats (rows may share an array)
   * @param out output rows of at least m floats, distinct from each other and from the in rows
   * @throws IllegalArgumentException if a size is out of its domain or rows alias
   * @throws IndexOutOfBoundsException if an array is too short
   */
  void backward(float[][] in, int rows, float[] g, int n, int m, float scale, float[][] mult, float[][] out);

  /** A short name of the implementation, e.g. "scalar" or "panama". */
  String name();

  /** Floats after the last row of g that {@link #storedLayer} may read. */
  int STORED_SLACK = LayerKernels.FLOAT_PARTIALS;

  /** Length of the work array of {@link #storedLayer}: the d inputs zero-padded to 16, and 16 partials. */
  static int storedWorkLength(int d, int m) {
    if (d < 1 || m < 1) {
      throw new IllegalArgumentException("need d >= 1 and m >= 1, got d = " + d + ", m = " + m);
    }
    long padded = ((long) m + LayerKernels.FLOAT_PARTIALS - 1) / LayerKernels.FLOAT_PARTIALS * LayerKernels.FLOAT_PARTIALS;
    long len = d * padded + LayerKernels.FLOAT_PARTIALS;
    if (len > Integer.MAX_VALUE - 16) {
      throw new IllegalArgumentException("layer too large: d = " + d + ", m = " + m);
    }
    return (int) len;
  }

  /** Checks a {@link #storedLayer} call (shared by the implementations). */
  static void checkStored(float[] g, int m, int n, float[][] h, int d, float[] bias, float[][] z, float[] work) {
    if (m < 1 || n < 1) {
      throw new IllegalArgumentException("need fan-in m >= 1 and width n >= 1, got m = " + m + ", n = " + n);
    }
    if ((long) n * m + STORED_SLACK > java.util.Objects.requireNonNull(g, "g").length) {
      throw new IndexOutOfBoundsException("g holds " + g.length + " floats, need n*m + " + STORED_SLACK + " = "
          + ((long) n * m + STORED_SLACK));
    }
    LayerChecks.rows(h, d, m);
    LayerChecks.rows(z, d, n);
    for (int a = 0; a < d; a++) {
      for (int b = 0; b < d; b++) {
        if ((b < a && z[b] == z[a]) || h[b] == z[a]) {
          throw new IllegalArgumentException("output row " + a + " aliases another row");
        }
      }
    }
    java.util.Objects.checkFromIndexSize(0, n, java.util.Objects.requireNonNull(bias, "bias").length);
    java.util.Objects.checkFromIndexSize(0, storedWorkLength(d, m), java.util.Objects.requireNonNull(work, "work").length);
  }

  /** Checks a {@link #backward} call (shared by the implementations). */
  static void checkBackward(float[][] in, int rows, float[] g, int n, int m, float[][] mult, float[][] out) {
    if (rows < 0 || n < 1 || m < 1) {
      throw new IllegalArgumentException("need rows >= 0, n >= 1, m >= 1, got " + rows + ", " + n + ", " + m);
    }
    if ((long) n * m > java.util.Objects.requireNonNull(g, "g").length) {
      throw new IndexOutOfBoundsException("g holds " + g.length + " floats, need n*m = " + (long) n * m);
    }
    if (rows == 0) {
      return;
    }
    LayerChecks.rows(in, rows, n);
    LayerChecks.rows(mult, rows, m);
    LayerChecks.rows(out, rows, m);
    for (int r = 0; r < rows; r++) {
      for (int q = 0; q < rows; q++) {
        if ((q < r && out[q] == out[r]) || in[q] == out[r] || mult[q] == out[r]) {
          throw new IllegalArgumentException("output row " + r + " aliases another row");
        }
      }
    }
  }
}
