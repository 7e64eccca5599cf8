package org.finwidth.network;

import java.util.Objects;
import org.finwidth.activation.Activation;
import org.finwidth.random.BoxMuller;
import org.finwidth.random.RandomStreams;
import org.finwidth.vector.ActivationKernels;
import org.finwidth.vector.KernelProvider;
import org.finwidth.vector.LayerKernels;
import org.finwidth.vector.NormalKernels;
import org.finwidth.vector.TangentKernels;

/**
 * The weights sampler that also computes each network's neural tangent kernel (docs/theory.md
 * §11.7). The forward pass is the {@link WeightsSampler}'s, bitwise (the same normals, the same
 * fixed-order dot products: {@link TangentKernels#storedLayer}), except that the weights' normals
 * are kept, Σ_ℓ n_ℓ n_{ℓ−1} floats per sampler (the one exception to the design's rule that a
 * sampler never stores W, docs/design.md). Then the backward layer-sum form gives, for the first
 * s_ℓ = min(s, n_ℓ) output neurons of every layer ℓ,
 * <pre>
 *   J^(ℓ,ℓ)_{i;a} = e_i,   J^(ℓ,l)_{i;a} = J^(ℓ,l+1)_{i;a} W^(l+1) diag(σ'(z^(l)_a))        (rows of length n_l)
 *   Ĥ^(ℓ)_{ik;ab} = Σ_{l=1..ℓ} [λ_b^(l) + (λ_W^(l)/n_{l−1}) σ^(l−1)_a·σ^(l−1)_b] J^(ℓ,l)_{i;a}·J^(ℓ,l)_{k;b}
 * </pre>
 * with σ^(0)·σ^(0)/n_0 the Gram matrix of the spec (exact, as the metric of layer 1) and
 * σ^(l−1)·σ^(l−1) the sums the forward pass computes for the metric. All layers share one sweep
 * from l = L−1 down to 1: at level l the rows of every ℓ &gt; l + 1 take one backward step
 * ({@link TangentKernels#backward}, float, four rows per pass over the weights), the rows of
 * ℓ = l + 1 are rows of W^(l+1) times σ', and each ℓ's s_ℓ·d rows give their Gram matrix in
 * double ({@link LayerKernels#gram}, fixed order). Cost per network:
 * s·d·Σ_l (L−l−1) n_{l+1} n_l multiply-adds besides the forward pass; every number is a pure
 * function of (seed, network) and does not depend on the implementation of the kernels.
 *
 * <p>One instance per thread; allocates nothing per network.
 */
public final class NtkSampler implements Sampler {
  private final NetworkSpec spec;
  private final LearningRates rates;
  private final Activation sigma;
  private final int d;
  private final int depth;
  private final int[] width;
  private final int neurons;
  private final int[] s; // s_ℓ = min(neurons, n_ℓ), index ℓ
  private final NormalKernels normals;
  private final LayerKernels layers;
  private final ActivationKernels activations;
  private final TangentKernels tangent;
  private final float[][] inputs;
  private final float[] weightScale;
  private final float biasScale;
  private final double cb;
  private final double cw;
  /** The unit normals of W^(l), row-major n_l × n_{l−1}, index l. */
  private final float[][] g;
  /** The biases of layer l (scaled), index l. */
  private final float[][] bias;
  private final float[][][] z;
  private final float[][][] prime;
  private final float[][] h;
  /** c^(l)_{ab} = λ_b^(l) + (λ_W^(l)/n_{l−1}) σ^(l−1)_a·σ^(l−1)_b, index l, row-major d×d. */
  private final double[][] c;
  private final double[] metric;
  private final double[] metric1;
  private final double[] gram;
  private final float[] work;
  /** Jacobian rows, ping-pong by the parity of the level: rows[p][ℓ][i·d + a]. */
  private final float[][][][] rows;
  /** Per level l: the rows taking a backward step (in, out) and their multipliers σ'(z^(l)_a). */
  private final float[][][] stepIn;
  private final float[][][] stepOut;
  private final float[][][] stepMult;
  private final double[][] ntk;
  private final double[] rowGram;

  /**
   * An NTK sampler of this network.
   *
   * @param rates the learning rates λ_b^(ℓ), λ_W^(ℓ) for ℓ = 1..L
   * @param neurons s ≥ 1: the NTK is computed for the first min(s, n_ℓ) neurons of every layer
   * @throws IllegalArgumentException if the rates are for another depth, s &lt; 1, a layer has more
   *     than 2<sup>34</sup> weights, the depth exceeds the stream layout, or the kept weights
   *     exceed 2<sup>31</sup> floats in one layer
   */
  public NtkSampler(NetworkSpec spec, LearningRates rates, int neurons, KernelProvider kernels) {
    this.spec = Objects.requireNonNull(spec, "spec");
    this.rates = Objects.requireNonNull(rates, "rates");
    Objects.requireNonNull(kernels, "kernels");
    if (rates.depth() != spec.depth()) {
      throw new IllegalArgumentException("the learning rates are given for " + rates.depth() + " layers, the network has "
          + spec.depth());
    }
    if (neurons < 1) {
      throw new IllegalArgumentException("the number of NTK output neurons must be >= 1, got " + neurons);
    }
    this.sigma = spec.activation();
    this.d = spec.inputCount();
    this.depth = spec.depth();
    if (depth > RandomStreams.MAX_LAYER) {
      throw new IllegalArgumentException("depth " + depth + " exceeds the " + RandomStreams.MAX_LAYER
          + " layers a random stream can address");
    }
    this.neurons = neurons;
    this.cb = spec.cb();
    this.cw = spec.cw();
    width = new int[depth + 1];
    s = new int[depth + 1];
    int maxWidth = 1;
    for (int l = 0; l <= depth; l++) {
      width[l] = spec.width(l);
      s[l] = Math.min(neurons, width[l]);
      maxWidth = Math.max(maxWidth, width[l]);
    }
    this.normals = kernels.normalKernels();
    this.layers = kernels.layerKernels();
    this.activations = kernels.activationKernels();
    this.tangent = kernels.tangentKernels();
    double[][] x = spec.inputs();
    inputs = new float[d][width[0]];
    for (int a = 0; a < d; a++) {
      for (int j = 0; j < width[0]; j++) {
        inputs[a][j] = (float) x[a][j];
      }
    }
    weightScale = new float[depth + 1];
    biasScale = (float) Math.sqrt(cb);
    g = new float[depth + 1][];
    int workLength = 0;
    for (int l = 1; l <= depth; l++) {
      long count = (long) width[l] * width[l - 1];
      if (count > BoxMuller.MAX_INDEX) {
        throw new IllegalArgumentException("layer " + l + " has n_l*n_{l-1} = " + count
            + " weights, more than one random stream holds (2^34)");
      }
      if (count + TangentKernels.STORED_SLACK > Integer.MAX_VALUE - 16) {
        throw new IllegalArgumentException("layer " + l + " has n_l*n_{l-1} = " + count
            + " weights, more than the NTK sampler keeps in one array (2^31)");
      }
      weightScale[l] = (float) Math.sqrt(cw / width[l - 1]);
      g[l] = new float[(int) count + TangentKernels.STORED_SLACK];
      workLength = Math.max(workLength, TangentKernels.storedWorkLength(d, width[l - 1]));
    }
    work = new float[workLength];
    bias = new float[depth + 1][];
    z = new float[depth + 1][][];
    prime = new float[depth + 1][][];
    for (int l = 1; l <= depth; l++) {
      z[l] = new float[d][width[l]];
      prime[l] = new float[d][width[l]];
      bias[l] = new float[width[l]];
    }
    h = new float[d][maxWidth];
    c = new double[depth + 1][d * d];
    metric = new double[d * d];
    metric1 = new double[d * d];
    gram = new double[d * d];
    double[][] k1 = spec.kernel1();
    double[][] gr = spec.gram();
    for (int a = 0; a < d; a++) {
      for (int b = 0; b < d; b++) {
        metric1[a * d + b] = k1[a][b];
        c[1][a * d + b] = rates.bias(1) + rates.weight(1) * gr[a][b];
      }
    }
    rows = new float[2][depth + 1][][];
    ntk = new double[depth + 1][];
    int maxRows = 0;
    for (int l = 1; l <= depth; l++) {
      int count = s[l] * d;
      maxRows = Math.max(maxRows, count);
      ntk[l] = new double[count * count];
      for (int p = 0; p < 2; p++) {
        rows[p][l] = new float[count][maxWidth];
      }
    }
    rowGram = new double[maxRows * maxRows];
    stepIn = new float[depth][][];
    stepOut = new float[depth][][];
    stepMult = new float[depth][][];
    for (int l = 1; l < depth; l++) {
      int count = 0;
      for (int t = l + 2; t <= depth; t++) {
        count += s[t] * d;
      }
      stepIn[l] = new float[count][];
      stepOut[l] = new float[count][];
      stepMult[l] = new float[count][];
      int r = 0;
      for (int t = l + 2; t <= depth; t++) {
        for (int q = 0; q < s[t] * d; q++, r++) {
          stepIn[l][r] = rows[(l + 1) & 1][t][q];
          stepOut[l][r] = rows[l & 1][t][q];
          stepMult[l][r] = prime[l][q % d];
        }
      }
    }
  }

  /** The network. */
  public NetworkSpec spec() {
    return spec;
  }

  /** The learning rates. */
  public LearningRates rates() {
    return rates;
  }

  /** The requested number s of output neurons per layer. */
  public int neurons() {
    return neurons;
  }

  /** The preactivations are the weights sampler's, bitwise. */
  public SamplerKind kind() {
    return SamplerKind.WEIGHTS;
  }

  /**
   * Floats this sampler keeps for the weights: Σ_ℓ (n_ℓ n_{ℓ−1} + {@value TangentKernels#STORED_SLACK}),
   * the bulk of its memory (4 bytes each).
   */
  public static long keptFloats(NetworkSpec spec) {
    long total = 0;
    for (int l = 1; l <= spec.depth(); l++) {
      total += (long) spec.width(l) * spec.width(l - 1) + TangentKernels.STORED_SLACK;
    }
    return total;
  }

  /** The preactivations only (the NTK is not computed): the {@link WeightsSampler}'s numbers. */
  @Override
  public int sample(long seed, long network, LayerSink sink) {
    return sample(seed, network, sink, null);
  }

  /**
   * Samples network {@code network}: its preactivations to {@code sink} (layers 1..L, as
   * {@link Sampler#sample}), then, if {@code ntk} is not null, its NTK to {@code ntk} (layers
   * 1..L).
   *
   * @return 0, or the first layer at which a preactivation diverged ({@link Sampler#sample}: the
   *     sink got the layers before it, the NTK nothing), or, when the NTK is computed, the first
   *     layer whose NTK is not finite (the sink got every layer, the NTK sink nothing): a network
   *     to count as diverged either way
   */
  public int sample(long seed, long network, LayerSink sink, NtkSink ntk) {
    Objects.requireNonNull(sink, "sink");
    System.arraycopy(metric1, 0, metric, 0, metric.length);
    for (int l = 1; l <= depth; l++) {
      int n = width[l];
      int m = width[l - 1];
      normals.fill(seed, network, l, RandomStreams.WEIGHTS, 0, 1f, g[l], 0, n * m);
      if (biasScale != 0) {
        normals.fill(seed, network, l, RandomStreams.BIASES, 0, biasScale, bias[l], 0, n);
      }
      tangent.storedLayer(g[l], m, n, l == 1 ? inputs : h, d, weightScale[l], bias[l], z[l], work);
      if (!(layers.maxAbs(z[l], d, n) <= MAX_ABS_PREACTIVATION)) {
        return l;
      }
      sink.layer(l, z[l], n, metric);
      if (l < depth) {
        for (int a = 0; a < d; a++) {
          activations.value(sigma, z[l][a], 0, h[a], 0, n);
          if (ntk != null) {
            activations.derivative(sigma, z[l][a], 0, prime[l][a], 0, n);
          }
        }
        layers.gram(h, d, n, gram);
        double scale = cw / n;
        double lw = rates.weight(l + 1) / n;
        double lb = rates.bias(l + 1);
        for (int k = 0; k < metric.length; k++) {
          metric[k] = cb + scale * gram[k];
          c[l + 1][k] = lb + lw * gram[k];
        }
      }
    }
    if (ntk == null) {
      return 0;
    }
    backward();
    for (int l = 1; l <= depth; l++) {
      for (double v : this.ntk[l]) {
        if (!Double.isFinite(v)) {
          return l;
        }
      }
    }
    for (int l = 1; l <= depth; l++) {
      ntk.layer(l, this.ntk[l], s[l], z[l], width[l]);
    }
    return 0;
  }

  /** The backward sweep of the class comment. */
  private void backward() {
    for (int t = 1; t <= depth; t++) {
      double[] out = ntk[t];
      int count = s[t] * d;
      java.util.Arrays.fill(out, 0);
      for (int i = 0; i < s[t]; i++) {
        for (int a = 0; a < d; a++) {
          for (int b = 0; b < d; b++) {
            out[(i * d + a) * count + i * d + b] = c[t][a * d + b];
          }
        }
      }
    }
    for (int l = depth - 1; l >= 1; l--) {
      int n = width[l + 1];
      int m = width[l];
      float ws = weightScale[l + 1];
      float[] gl = g[l + 1];
      // ℓ = l + 1: rows of W^(l+1) times σ'(z^(l)_a).
      float[][] fresh = rows[l & 1][l + 1];
      for (int i = 0; i < s[l + 1]; i++) {
        for (int a = 0; a < d; a++) {
          float[] row = fresh[i * d + a];
          float[] pa = prime[l][a];
          int off = i * m;
          for (int j = 0; j < m; j++) {
            row[j] = gl[off + j] * ws * pa[j];
          }
        }
      }
      // ℓ > l + 1: one backward step.
      tangent.backward(stepIn[l], stepIn[l].length, gl, n, m, ws, stepMult[l], stepOut[l]);
      // Every ℓ > l: its rows' Gram matrix times c^(l).
      for (int t = l + 1; t <= depth; t++) {
        int count = s[t] * d;
        layers.gram(rows[l & 1][t], count, m, rowGram);
        double[] out = ntk[t];
        double[] cl = c[l];
        for (int p = 0; p < count; p++) {
          int a = p % d;
          for (int q = 0; q < count; q++) {
            out[p * count + q] += cl[a * d + q % d] * rowGram[p * count + q];
          }
        }
      }
    }
  }

  /** Floats after the last row of every kept weight array (see {@link TangentKernels#STORED_SLACK}). */
  public static final int WEIGHT_SLACK = TangentKernels.STORED_SLACK;

  /**
   * The unit normals of W^(ℓ) of the last sampled network, row-major n_ℓ × n_{ℓ−1} (a copy; for
   * checks: W^(ℓ)_ij = {@link #weightScale}(ℓ) · g_ij and z = fma(scale, Σ g h, b)).
   */
  public float[] unitWeights(int layer) {
    return java.util.Arrays.copyOf(g[layer], width[layer] * width[layer - 1]);
  }

  /** The biases b^(ℓ) of the last sampled network (a copy; zeros when C_b = 0). */
  public float[] biases(int layer) {
    return bias[layer].clone();
  }

  /** sqrt(C_W/n_{ℓ−1}) rounded to float. */
  public float weightScale(int layer) {
    return weightScale[layer];
  }

  /** The float inputs x (a copy), rows a &lt; d. */
  public float[][] inputs() {
    float[][] x = new float[d][];
    for (int a = 0; a < d; a++) {
      x[a] = inputs[a].clone();
    }
    return x;
  }
}
