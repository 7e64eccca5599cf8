package org.finwidth.network;

import org.finwidth.activation.Activation;
import org.finwidth.random.RandomStreams;
import org.finwidth.vector.ScalarNormalKernels;

/**
 * A slow, obviously correct conditional sampler for tests (docs/theory.md §1.4): layer l's neurons are
 * i.i.d. N(0, Ĝ^(l)), drawn as z_i = L g_i with L the lower Cholesky factor of Ĝ^(l)
 * (positive semi-definite allowed: {@link NetworkSpec#cholesky}) and g_i the scalar engine
 * normals of the stream (seed, network, layer, CONDITIONAL) at indices {@code i*d .. i*d+d-1};
 * Ĝ^(1) = C_b + C_W Gram, Ĝ^(l+1) = C_b + (C_W/n_l) Σ_j σ(z_j)σ(z_j)^T in double.
 */
public final class ReferenceConditionalSampler implements Sampler {
  private final NetworkSpec spec;
  private final Activation act;
  private final int depth;
  private final int d;
  private final float[][][] zf;
  private final double[][] h;
  private final float[] g;
  private final double[] metric;
  private final double[][] m;

  public ReferenceConditionalSampler(NetworkSpec spec) {
    this.spec = spec;
    this.act = spec.activation();
    this.depth = spec.depth();
    this.d = spec.inputCount();
    int maxWidth = 0;
    for (int l = 1; l <= depth; l++) {
      maxWidth = Math.max(maxWidth, spec.width(l));
    }
    zf = new float[depth + 1][d][];
    for (int l = 1; l <= depth; l++) {
      for (int a = 0; a < d; a++) {
        zf[l][a] = new float[spec.width(l)];
      }
    }
    h = new double[d][maxWidth];
    g = new float[maxWidth * d];
    metric = new double[d * d];
    m = new double[d][d];
  }

  @Override
  public int sample(long seed, long network, LayerSink sink) {
    double[][] k1 = spec.kernel1();
    for (int a = 0; a < d; a++) {
      for (int b = 0; b < d; b++) {
        metric[a * d + b] = k1[a][b];
      }
    }
    for (int l = 1; l <= depth; l++) {
      int n = spec.width(l);
      for (int a = 0; a < d; a++) {
        for (int b = 0; b < d; b++) {
          m[a][b] = metric[a * d + b];
        }
      }
      double[][] chol = NetworkSpec.cholesky(m);
      if (chol == null) {
        throw new IllegalStateException("metric not PSD at layer " + l);
      }
      ScalarNormalKernels.INSTANCE.fill(seed, network, l, RandomStreams.CONDITIONAL, 0, g, 0, n * d);
      for (int i = 0; i < n; i++) {
        for (int a = 0; a < d; a++) {
          double s = 0;
          for (int b = 0; b <= a; b++) {
            s += chol[a][b] * g[i * d + b];
          }
          if (!(Math.abs(s) <= MAX_ABS_PREACTIVATION)) {
            return l;
          }
          zf[l][a][i] = (float) s;
          h[a][i] = act.value(s);
        }
      }
      sink.layer(l, zf[l], n, metric);
      if (l < depth) {
        for (int a = 0; a < d; a++) {
          for (int b = 0; b < d; b++) {
            double s = 0;
            for (int i = 0; i < n; i++) {
              s += h[a][i] * h[b][i];
            }
            metric[a * d + b] = spec.cb() + spec.cw() / n * s;
          }
        }
      }
    }
    return 0;
  }
}
