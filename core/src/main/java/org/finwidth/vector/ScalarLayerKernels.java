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
  public void conditionalLayer(long seed, long network, int layer, float[] chol, int d, float[][] z, int n,
      float[] work) {
    LayerChecks.conditional(layer, chol, d, z, n, work);
    int stride = (int) LayerKernels.conditionalStride(n);
    normals.fill(seed, network, layer, RandomStreams.CONDITIONAL, 0, 1f, work, 0, (d - 1) * stride + n);
    for (int a = 0; a < d; a++) {
      float[] za = z[a];
      for (int i = 0; i < n; i++) {
        float t = chol[a * d] * work[i];
        for (int b = 1; b <= a; b++) {
          t = Math.fma(chol[a * d + b], work[b * stride + i], t);
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

  /** Σ_{i<n} x_i·y_i in double, 8 partials (i mod 8) then halvings. */
  private static double pairSum(float[] x, float[] y, int n) {
    double s0 = 0;
    double s1 = 0;
    double s2 = 0;
    double s3 = 0;
    double s4 = 0;
    double s5 = 0;
    double s6 = 0;
    double s7 = 0;
    int i = 0;
    for (; i + 8 <= n; i += 8) {
      s0 += (double) x[i] * y[i];
      s1 += (double) x[i + 1] * y[i + 1];
      s2 += (double) x[i + 2] * y[i + 2];
      s3 += (double) x[i + 3] * y[i + 3];
      s4 += (double) x[i + 4] * y[i + 4];
      s5 += (double) x[i + 5] * y[i + 5];
      s6 += (double) x[i + 6] * y[i + 6];
      s7 += (double) x[i + 7] * y[i + 7];
    }
    // Tail: partial k takes element i + k if present.
    if (i < n) {
      s0 += (double) x[i] * y[i];
    }
    if (i + 1 < n) {
      s1 += (double) x[i + 1] * y[i + 1];
    }
    if (i + 2 < n) {
      s2 += (double) x[i + 2] * y[i + 2];
    }
    if (i + 3 < n) {
      s3 += (double) x[i + 3] * y[i + 3];
    }
    if (i + 4 < n) {
      s4 += (double) x[i + 4] * y[i + 4];
    }
    if (i + 5 < n) {
      s5 += (double) x[i + 5] * y[i + 5];
    }
    if (i + 6 < n) {
      s6 += (double) x[i + 6] * y[i + 6];
    }
    return halve(s0, s1, s2, s3, s4, s5, s6, s7);
  }

  /** The fixed halving tree of 8 double partials: (s_l + s_{l+4}), then +2, then +1. */
  static double halve(double s0, double s1, double s2, double s3, double s4, double s5, double s6, double s7) {
    double t0 = s0 + s4;
    double t1 = s1 + s5;
    double t2 = s2 + s6;
    double t3 = s3 + s7;
    double u0 = t0 + t2;
    double u1 = t1 + t3;
    return u0 + u1;
  }

  @Override
  public void moments(float[][] z, int d, int n, double[] s2, double[] s4, double[] work) {
    LayerChecks.rows(z, d, n);
    Objects.checkFromIndexSize(0, LayerKernels.pairCount(d), s2.length);
    Objects.checkFromIndexSize(0, LayerKernels.quadCount(d), s4.length);
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
            s4[q++] = quadSum(z[a], z[b], z[c], z[e], n, work);
          }
        }
      }
    }
  }

  /** Σ_{i<n} fma(x_i y_i, v_i w_i, ·) in double, 8 partials (i mod 8) in s[0..8), then halvings. */
  private static double quadSum(float[] x, float[] y, float[] v, float[] w, int n, double[] s) {
    Arrays.fill(s, 0, DOUBLE_PARTIALS, 0.0);
    for (int i = 0; i < n; i++) {
      int k = i & (DOUBLE_PARTIALS - 1);
      s[k] = Math.fma((double) x[i] * y[i], (double) v[i] * w[i], s[k]);
    }
    return halve(s[0], s[1], s[2], s[3], s[4], s[5], s[6], s[7]);
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
