package org.finwidth.vector;

import java.util.Arrays;
import java.util.Objects;

import org.finwidth.random.RandomStreams;

/**
 * The reference {@link LayerKernels}: plain loops that follow the definitions of the interface
 * literally (the fixed summation orders with explicit arrays of partial sums), over the scalar
 * normals of {@link ScalarNormalKernels}. The Panama kernels must give the same bits.
 */
public final class ScalarLayerKernels implements LayerKernels {

  /** The shared instance (the kernels are stateless). */
  public static final ScalarLayerKernels INSTANCE = new ScalarLayerKernels(ScalarNormalKernels.INSTANCE);

  private final NormalKernels normals;

  /**
   * Scalar layer kernels over a normal generator (every implementation gives the same normals;
   * the Panama layer kernels use this constructor with the Panama normals as their edge case).
   */
  public ScalarLayerKernels(NormalKernels normals) {
    this.normals = Objects.requireNonNull(normals, "normals");
  }

  @Override
  public String name() {
    return "scalar";
  }

  @Override
  public void weightsLayer(long seed, long network, int layer, float[][] h, int d, int m,
      float weightScale, float biasScale, float[][] z, int n, float[] work) {
    LayerChecks.weights(layer, h, d, m, weightScale, biasScale, z, n, work);
    int sums = work.length - n - FLOAT_PARTIALS;
    int bias = work.length - n;
    if (biasScale != 0) {
      normals.fill(seed, network, layer, RandomStreams.BIASES, 0, biasScale, work, bias, n);
    } else {
      Arrays.fill(work, bias, bias + n, 0f);
    }
    // work[0 .. have) holds normals i*m .. i*m + have of the stream; blocks start on segments.
    int block = LayerKernels.weightsBlock(m);
    long total = (long) n * m;
    long next = 0;
    int have = 0;
    for (int i = 0; i < n;) {
      int len = (int) Math.min(block, total - next);
      normals.fill(seed, network, layer, RandomStreams.WEIGHTS, next, 1f, work, have, len);
      next += len;
      have += len;
      int rows = Math.min(have / m, n - i);
      int row = 0;
      for (int r = 0; r < rows; r++, i++, row += m) {
        for (int a = 0; a < d; a++) {
          float dot = dot(work, row, h[a], m, work, sums);
          z[a][i] = Math.fma(weightScale, dot, work[bias + i]);
        }
      }
      have -= row;
      System.arraycopy(work, row, work, 0, have); // the started row: fewer than m normals
    }
  }

  /** Σ_{j<m} g[row + j]·x[j] in the fixed order (16 partials in s[sums ..], then halvings). */
  static float dot(float[] g, int row, float[] x, int m, float[] s, int sums) {
    Arrays.fill(s, sums, sums + FLOAT_PARTIALS, 0f);
    for (int j = 0; j < m; j++) {
      int k = sums + (j & (FLOAT_PARTIALS - 1));
      s[k] = Math.fma(g[row + j], x[j], s[k]);
    }
    for (int half = FLOAT_PARTIALS / 2; half >= 1; half >>= 1) {
      for (int l = 0; l < half; l++) {
        s[sums + l] = s[sums + l] + s[sums + l + half];
      }
    }
    return s[sums];
  }

  @Override
  public void conditionalTransform(float[] chol, int d, float[] g, int offset, int stride, float[][] z, int n) {
    LayerChecks.conditional(chol, d, g, offset, stride, z, n);
    for (int a = 0; a < d; a++) {
      float[] za = z[a];
      for (int i = 0; i < n; i++) {
        float t = chol[a * d] * g[offset + i];
        for (int b = 1; b <= a; b++) {
          t = Math.fma(chol[a * d + b], g[offset + b * stride + i], t);
        }
        za[i] = t;
      }
    }
  }

  @Override
  public void gram(float[][] h, int d, int n, double[] gram) {
    LayerChecks.rows(h, d, n);
    Objects.checkFromIndexSize(0, d * d, gram.length);
    for (int a = 0; a < d; a++) {
      for (int b = 0; b <= a; b++) {
        double s = pairSum(h[a], h[b], n);
        gram[a * d + b] = s;
        gram[b * d + a] = s;
      }
    }
  }

  /** Σ_{i<n} x_i·y_i in double: 16 partials (i mod 16), then the halvings. */
  private static double pairSum(float[] x, float[] y, int n) {
    return halve(x, y, null, null, n, 0, 1);
  }

  /**
   * The halving tree of the 16 double partials, recursively: the value at (l, span) is partial l
   * when span = 16, else value(l, 2 span) + value(l + span, 2 span); the sum is value(0, 1). So
   * (0, 8) = s_0 + s_8, (0, 4) = (s_0 + s_8) + (s_4 + s_12), ... as the class comment says.
   */
  private static double halve(float[] x, float[] y, float[] v, float[] w, int n, int l, int span) {
    if (span == DOUBLE_PARTIALS) {
      double s = 0;
      for (int i = l; i < n; i += DOUBLE_PARTIALS) {
        double p = (double) x[i] * y[i]; // exact
        s = v == null ? s + p : Math.fma(p, (double) v[i] * w[i], s);
      }
      return s;
    }
    return halve(x, y, v, w, n, l, 2 * span) + halve(x, y, v, w, n, l + span, 2 * span);
  }

  @Override
  public void moments(float[][] z, int d, int n, double[] s2, double[] s4, double[] work) {
    LayerChecks.rows(z, d, n);
    Objects.checkFromIndexSize(0, PairIndex.pairCount(d), s2.length);
    Objects.checkFromIndexSize(0, PairIndex.quadCount(d), s4.length);
    Objects.checkFromIndexSize(0, LayerKernels.momentsWorkLength(d), work.length);
    int u = 0;
    for (int a = 0; a < d; a++) {
      for (int b = a; b < d; b++) {
        s2[u++] = pairSum(z[a], z[b], n);
      }
    }
    int q = 0;
    for (int a = 0; a < d; a++) {
      for (int b = a; b < d; b++) {
        for (int c = b; c < d; c++) {
          for (int e = c; e < d; e++) {
            s4[q++] = quadSum(z[a], z[b], z[c], z[e], n);
          }
        }
      }
    }
  }

  /** Σ_{i<n} fma(x_i y_i, v_i w_i, ·) in double: 16 partials (i mod 16), then the halvings. */
  private static double quadSum(float[] x, float[] y, float[] v, float[] w, int n) {
    return halve(x, y, v, w, n, 0, 1);
  }

  @Override
  public void sums1(float[] z, float[] h, int n, double[] out, double[] work) {
    LayerChecks.sums1(z, h, n, out, work);
    out[0] = pairSum(z, z, n);
    out[1] = quadSum(z, z, z, z, n);
    out[2] = pairSum(h, h, n);
  }

  @Override
  public void reluLayer1(float c, float[] g, int offset, float[] z, int n, double[] out, double[] work) {
    LayerChecks.oneInput(g, offset, z, n, out, work);
    for (int i = 0; i < n; i++) {
      z[i] = c * g[offset + i];
    }
    out[0] = pairSum(z, z, n);
    out[1] = quadSum(z, z, z, z, n);
    out[2] = positiveSquares(z, n, 0, 1);
  }

  /** Σ_{i<n} h_i² with h_i = max(z_i, 0) in float: {@link #halve} of the ReLU of z. */
  private static double positiveSquares(float[] z, int n, int l, int span) {
    if (span == DOUBLE_PARTIALS) {
      double s = 0;
      for (int i = l; i < n; i += DOUBLE_PARTIALS) {
        double h = Math.max(z[i], 0f);
        s = s + h * h; // exact
      }
      return s;
    }
    return positiveSquares(z, n, l, 2 * span) + positiveSquares(z, n, l + span, 2 * span);
  }

  @Override
  public float maxAbs(float[][] z, int d, int n) {
    LayerChecks.rows(z, d, n);
    float max = 0f;
    for (int a = 0; a < d; a++) {
      for (int i = 0; i < n; i++) {
        max = Math.max(max, Math.abs(z[a][i])); // Math.max propagates NaN
      }
    }
    return max;
  }
}
