package org.finwidth.network;

import org.finwidth.activation.Activation;
import org.finwidth.random.RandomStreams;
import org.finwidth.vector.ScalarNormalKernels;

/**
 * A slow, obviously correct weights sampler for tests: the network of docs/theory.md §1.1 with explicit
 * double-precision weights W_ij = sqrt(C_W/n_{l-1}) g and biases sqrt(C_b) g, g the scalar engine
 * normals (xoshiro128++/Philox4x32-10 + Box–Muller, {@link ScalarNormalKernels}) of the streams
 * (seed, network, layer, WEIGHTS) at index {@code i * n_{l-1} + j} and (seed, network, layer,
 * BIASES) at index {@code i}; the forward pass and the metric in double. It is independent of the
 * production samplers' code and serves as a third sampler in tests. Allocation-free per network.
 */
public final class ReferenceWeightsSampler implements Sampler {
  private final NetworkSpec spec;
  private final Activation act;
  private final int depth;
  private final int d;
  private final double[][] inputs;
  private final double[][][] z; // [l][a][i] double preactivations, l = 1..L
  private final float[][][] zf;
  private final double[][] h; // σ(z^(l-1)) (or the inputs)
  private final float[] row;
  private final double[] metric;

  public ReferenceWeightsSampler(NetworkSpec spec) {
    this.spec = spec;
    this.act = spec.activation();
    this.depth = spec.depth();
    this.d = spec.inputCount();
    this.inputs = spec.inputs();
    int maxWidth = 0;
    for (int l = 0; l <= depth; l++) {
      maxWidth = Math.max(maxWidth, spec.width(l));
    }
    z = new double[depth + 1][d][];
    zf = new float[depth + 1][d][];
    for (int l = 1; l <= depth; l++) {
      for (int a = 0; a < d; a++) {
        z[l][a] = new double[spec.width(l)];
        zf[l][a] = new float[spec.width(l)];
      }
    }
    h = new double[d][maxWidth];
    row = new float[maxWidth];
    metric = new double[d * d];
  }

  @Override
  public int sample(long seed, long network, LayerSink sink) {
    for (int a = 0; a < d; a++) {
      System.arraycopy(inputs[a], 0, h[a], 0, spec.width(0));
    }
    for (int l = 1; l <= depth; l++) {
      int nIn = spec.width(l - 1);
      int nOut = spec.width(l);
      // the metric that generates layer l: C_b + (C_W/n_{l-1}) Σ_j h_aj h_bj
      for (int a = 0; a < d; a++) {
        for (int b = 0; b < d; b++) {
          double s = 0;
          for (int j = 0; j < nIn; j++) {
            s += h[a][j] * h[b][j];
          }
          metric[a * d + b] = spec.cb() + spec.cw() / nIn * s;
        }
      }
      double wScale = Math.sqrt(spec.cw() / nIn);
      double bScale = Math.sqrt(spec.cb());
      ScalarNormalKernels.INSTANCE.fill(seed, network, l, RandomStreams.BIASES, 0, row, 0, nOut);
      for (int i = 0; i < nOut; i++) {
        for (int a = 0; a < d; a++) {
          z[l][a][i] = bScale * row[i];
        }
      }
      for (int i = 0; i < nOut; i++) {
        ScalarNormalKernels.INSTANCE.fill(seed, network, l, RandomStreams.WEIGHTS, (long) i * nIn, row, 0, nIn);
        for (int a = 0; a < d; a++) {
          double s = 0;
          for (int j = 0; j < nIn; j++) {
            s += row[j] * h[a][j];
          }
          z[l][a][i] += wScale * s;
        }
      }
      for (int a = 0; a < d; a++) {
        for (int i = 0; i < nOut; i++) {
          double v = z[l][a][i];
          if (!(Math.abs(v) <= MAX_ABS_PREACTIVATION)) {
            return l; // non-finite or beyond the contract's bound
          }
          zf[l][a][i] = (float) v;
          h[a][i] = act.value(v);
        }
      }
      sink.layer(l, zf[l], nOut, metric);
    }
    return 0;
  }
}
