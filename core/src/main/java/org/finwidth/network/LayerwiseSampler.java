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
 * {@code Ĝ^(l+1) = C_b + (C_W/n_l)·Σ_j h_j h_j^T} (double, {@link LayerKernels#gram}). With one
 * input the layer's sums come from one pass over z and h ({@link LayerKernels#sums1}, or the
 * sampler's own {@link LayerKernels#reluLayer1}), and the sink gets Σz², Σz⁴ with the layer. All
 * arrays are allocated here, once.
 *
 * <p>Every number is held in the units of {@link FloatScale} (layer l: {@code 2^e[l]} for z,
 * {@code 4^e[l]} for the metric), so the recursion reads
 * {@code Ĝ'^(l+1) = C_b/4^e[l+1] + (C_W/n_l)·4^(e[l]−e[l+1])·Σ_j h'_j h'_j^T}; with every
 * exponent 0 (all ordinary networks) this is the same arithmetic, bit for bit. A layer whose
 * numbers would leave the float range ends the network there (see {@link FloatScale}).
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
  /** Ĝ^(1) = K^(1) in the units of layer 1, row-major d×d. */
  final double[] metric1;
  private final double[] gram;
  /** The units of {@link FloatScale}: e[0] of the inputs, e[l] of layer l. */
  final int[] unit;
  /** cbUnit[l] = C_b / 4^e[l] for l = 1..L. */
  private final double[] cbUnit;
  /** gramUnit[l] = (C_W/n_{l−1})·4^(e[l−1]−e[l]) for l = 2..L: the metric of layer l from the Gram sums of l − 1. */
  private final double[] gramUnit;
  /** flushFloor[l] = gramUnit[l]·n_{l−1}·2^−262 for l = 2..L: see {@link #activationsHeld}. */
  private final double[] flushFloor;
  /** Scratch of {@link LayerKernels#gram(float[][], int, int, double[], double[])} for the widest layer. */
  private final double[] gramWork;
  /**
   * One input: the layer's sums Σ z², Σ z⁴, Σ σ(z)² ({@link LayerKernels#sums1}), written in one
   * pass over the layer, by {@link #sampleLayer} (which then sets {@link #sumsReady}) or here.
   */
  final double[] sums = new double[3];
  /** Scratch of {@link LayerKernels#sums1} and {@link LayerKernels#reluLayer1}. */
  final double[] sumsWork = new double[LayerKernels.momentsWorkLength(1)];
  /** Whether {@link #sampleLayer} wrote {@link #sums} for the layer just sampled (h not written). */
  boolean sumsReady;

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
    this.gramWork = new double[LayerKernels.gramWorkLength(d, maxWidth)];
    this.metric1 = new double[d * d];
    this.unit = FloatScale.exponents(spec);
    double[][] k1 = spec.kernel1();
    for (int a = 0; a < d; a++) {
      for (int b = 0; b < d; b++) {
        metric1[a * d + b] = Math.scalb(k1[a][b], -2 * unit[1]);
      }
    }
    this.cbUnit = new double[depth + 1];
    this.gramUnit = new double[depth + 1];
    this.flushFloor = new double[depth + 1];
    for (int l = 1; l <= depth; l++) {
      cbUnit[l] = Math.scalb(cb, -2 * unit[l]);
      if (l >= 2) {
        gramUnit[l] = cw / width[l - 1] * Math.scalb(1.0, 2 * (unit[l - 1] - unit[l]));
        flushFloor[l] = Math.scalb(gramUnit[l] * width[l - 1], -262);
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
      if (belowFloatRange()) {
        return l;
      }
      sumsReady = false;
      if (!sampleLayer(seed, network, l)) {
        return l;
      }
      if (!withinBound(n)) {
        return l;
      }
      if (d == 1) {
        if (!oneInput(l, n, sink)) {
          return l + 1;
        }
        continue;
      }
      sink.layer(l, z, n, metric);
      if (l < depth) {
        for (int a = 0; a < d; a++) {
          activations.value(sigma, z[a], 0, h[a], 0, n);
        }
        layers.gram(h, d, n, gram, gramWork);
        double cbNext = cbUnit[l + 1];
        double scale = gramUnit[l + 1];
        for (int k = 0; k < metric.length; k++) {
          metric[k] = cbNext + scale * gram[k];
        }
        if (!activationsHeld(l, n)) {
          return l + 1;
        }
      }
    }
    return 0;
  }

  /**
   * The rest of layer l for one input: the sink, then h = σ(z) and the next metric from the sums
   * of one pass over the layer ({@link LayerKernels#sums1}, or the sampler's own
   * {@link #sumsReady}): the same bits as the loop of {@link #sample} for d inputs, with the
   * sink's moments of z from the same pass.
   *
   * @return false if the activations lost the next layer's metric ({@link #activationsHeld})
   */
  private boolean oneInput(int l, int n, LayerSink sink) {
    boolean last = l == depth;
    boolean hFresh = false;
    if (!sumsReady) {
      if (last) {
        sink.layer(l, z, n, metric); // no next layer: the sink takes what it needs from z
        return true;
      }
      activations.value(sigma, z[0], 0, h[0], 0, n);
      layers.sums1(z[0], h[0], n, sums, sumsWork);
      hFresh = true;
    }
    sink.layer(l, z, n, metric, sums);
    if (last) {
      return true;
    }
    metric[0] = cbUnit[l + 1] + gramUnit[l + 1] * sums[2];
    if (!hFresh && !(metric[0] >= flushFloor[l + 1])) {
      activations.value(sigma, z[0], 0, h[0], 0, n); // the rare check below reads h (NaN too)
    }
    return activationsHeld(l, n);
  }

  /**
   * Whether a diagonal entry of the metric is positive but below {@link FloatScale#MIN_METRIC}:
   * the layer's preactivations would be too small for float (NaN and infinity are the samplers'
   * divergence checks).
   */
  private boolean belowFloatRange() {
    for (int a = 0; a < d; a++) {
      double g = metric[a * d + a];
      if (g > 0 && g < FloatScale.MIN_METRIC) {
        return true;
      }
    }
    return false;
  }

  /**
   * Whether the activations h = σ(z^(l)) just computed in float carry the next layer's metric
   * (diagonal {@code Ĝ'_aa}, in the next layer's units) to float accuracy despite float's range.
   * Float holds numbers below 2<sup>−126</sup> only to an absolute 2<sup>−149</sup> (subnormal,
   * or flushed to 0), so each h_i may be off by δ_i ≤ 2<sup>−149</sup> from σ(z_i) for range
   * reasons alone; the next layer then misses at most {@code s·Σδ² ≤ s·n·2^−298} of its metric
   * ({@code s} = the Gram scale), which is below 2<sup>−36</sup> of it (z off by 2<sup>−18</sup>
   * relative at most) whenever {@code Ĝ'_aa ≥ s·n·2^−262}: the one comparison per input of
   * the common path. Below that floor (rare: a metric of 0 by ReLU with every unit off and
   * C_b = 0, or numbers at the edge of the range), h is compared with σ evaluated in double,
   * element by element: {@code s·Σ(h_i − σ(z_i))² ≤ 2^−36·Ĝ'_aa} holds for an exact zero and
   * for ordinary rounding, fails where the float path lost the activations.
   */
  private boolean activationsHeld(int l, int n) {
    double floor = flushFloor[l + 1];
    for (int a = 0; a < d; a++) {
      double g = metric[a * d + a];
      if (g >= floor) {
        continue;
      }
      // z and h in layer l's units; σ commutes with them (scale-invariant σ, or units of 1)
      double lost = 0;
      for (int i = 0; i < n; i++) {
        double delta = h[a][i] - sigma.value(z[a][i]);
        lost += delta * delta;
      }
      if (!(gramUnit[l + 1] * lost <= 0x1p-36 * g)) {
        return false;
      }
    }
    return true;
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
