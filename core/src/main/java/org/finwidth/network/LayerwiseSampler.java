package org.finwidth.network;

import java.util.Objects;

import org.finwidth.activation.Activation;
import org.finwidth.random.RandomStreams;
import org.finwidth.vector.ActivationKernels;
import org.finwidth.vector.KernelProvider;
import org.finwidth.vector.LayerKernels;

/**
 * The forward loop both samplers share: layer by layer, sample z^(l) (the subclass), check it,
 * hand it to the sink, then h = σ(z^(l)) and the metric of the next layer
 * {@code Ĝ^(l+1) = C_b + (C_W/n_l)·Σ_j h_j h_j^T} (double, {@link LayerKernels#gram}). All
 * arrays are allocated here, once.
 */
abstract sealed class LayerwiseSampler implements Sampler permits WeightsSampler, ConditionalSampler {

  final NetworkSpec spec;
  final Activation sigma;
  final int d;
  final int depth;
  /** width[l] = n_l for l = 0..L. */
  final int[] width;
  final double cb;
  final double cw;
  final LayerKernels layers;
  final ActivationKernels activations;
  final String kernelName;
  /** z^(l), rows of max(n_1..n_L) floats. */
  final float[][] z;
  /** σ(z^(l)), the input of layer l + 1. */
  final float[][] h;
  /** The metric of the layer being sampled, row-major d×d. */
  final double[] metric;
  private final double[] metric1;
  private final double[] gram;

  LayerwiseSampler(NetworkSpec spec, KernelProvider kernels) {
    this.spec = Objects.requireNonNull(spec, "spec");
    Objects.requireNonNull(kernels, "kernels");
    this.sigma = spec.activation();
    this.d = spec.inputCount();
    this.depth = spec.depth();
    if (depth > RandomStreams.MAX_LAYER) {
      throw new IllegalArgumentException("depth " + depth + " exceeds the " + RandomStreams.MAX_LAYER
          + " layers a random stream can address");
    }
    this.width = new int[depth + 1];
    int maxWidth = 1;
    for (int l = 0; l <= depth; l++) {
      width[l] = spec.width(l);
      if (l > 0) {
        maxWidth = Math.max(maxWidth, width[l]);
      }
    }
    this.cb = spec.cb();
    this.cw = spec.cw();
    this.layers = kernels.layerKernels();
    this.activations = kernels.activationKernels();
    this.kernelName = kernels.description();
    this.z = new float[d][maxWidth];
    this.h = new float[d][maxWidth];
    this.metric = new double[d * d];
    this.gram = new double[d * d];
    this.metric1 = new double[d * d];
    double[][] k1 = spec.kernel1();
    for (int a = 0; a < d; a++) {
      for (int b = 0; b < d; b++) {
        metric1[a * d + b] = k1[a][b];
      }
    }
  }

  /** The network this sampler samples. */
  public final NetworkSpec spec() {
    return spec;
  }

  /** Which sampler this is. */
  public abstract SamplerKind kind();

  @Override
  public final int sample(long seed, long network, LayerSink sink) {
    Objects.requireNonNull(sink, "sink");
    System.arraycopy(metric1, 0, metric, 0, metric.length);
    for (int l = 1; l <= depth; l++) {
      int n = width[l];
      if (!sampleLayer(seed, network, l)) {
        return l;
      }
      if (!withinBound(n)) {
        return l;
      }
      sink.layer(l, z, n, metric);
      if (l < depth) {
        for (int a = 0; a < d; a++) {
          activations.value(sigma, z[a], 0, h[a], 0, n);
        }
        layers.gram(h, d, n, gram);
        double scale = cw / n;
        for (int k = 0; k < metric.length; k++) {
          metric[k] = cb + scale * gram[k];
        }
      }
    }
    return 0;
  }

  /**
   * Whether every |z^(l)_{i;a}| ≤ {@link #MAX_ABS_PREACTIVATION} (false for NaN): subclasses may
   * answer from a bound without looking at z, as long as the answer is the same.
   */
  boolean withinBound(int n) {
    return layers.maxAbs(z, d, n) <= MAX_ABS_PREACTIVATION; // NaN fails the comparison
  }

  /**
   * Writes z^(l) (rows a &lt; d, n_l entries) from the previous layer (h, or the inputs for l = 1)
   * and {@link #metric} = Ĝ^(l).
   *
   * @return false if the layer cannot be sampled because the metric is not finite (diverged)
   */
  abstract boolean sampleLayer(long seed, long network, int l);

  @Override
  public String toString() {
    return getClass().getSimpleName() + "[" + spec.canonical() + "; kernels " + kernelName + "]";
  }
}
