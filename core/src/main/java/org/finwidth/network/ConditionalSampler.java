package org.finwidth.network;

import org.finwidth.activation.Relu;
import org.finwidth.random.BoxMuller;
import org.finwidth.random.RandomStreams;
import org.finwidth.vector.KernelProvider;
import org.finwidth.vector.LayerKernels;
import org.finwidth.vector.NormalKernels;

/**
 * The exact conditional sampler (docs/theory.md §1.4, docs/design.md invariant 3): given layer l − 1, the
 * vectors {@code (z^(l)_{i;a})_a} are i.i.d. N(0, Ĝ^(l)), so each layer is {@code z_i = L g_i}
 * with the lower Cholesky factor L of the d×d metric (computed in double, rounded to float) and
 * standard normals g ({@link LayerKernels#conditionalTransform}). Layer 1 uses
 * {@code Ĝ^(1) = G^(1) = C_b + C_W·gram} ({@link NetworkSpec#kernel1()}). With one input and
 * ReLU a layer and its sums (the sink's Σz², Σz⁴ and the next metric's Σσ(z)²) come from one pass,
 * {@link LayerKernels#reluLayer1}, with the same bits.
 *
 * <h2>Random numbers (part of the reproducibility contract)</h2>
 * All normals of network k come from one stream, {@code (seed, k, layer 0, CONDITIONAL)} of
 * {@link RandomStreams}: {@code g^(l)_{b,i} = BoxMuller.normal(seed, k, 0, CONDITIONAL,
 * d·(n_1 + … + n_{l−1}) + b·n_l + i)} for input {@code b < d} and neuron {@code i < n_l}. The
 * normals do not depend on Ĝ, so they are generated ahead in blocks of
 * {@link LayerKernels#CHUNK_NORMALS} that start on segments of the generator: a network of
 * 10 layers of 256 pays the generator's seeding 3 times instead of 10 (one stream per layer).
 *
 * <h2>Singular metrics</h2>
 * Ĝ is positive semi-definite, and singular whenever the σ(z_j) span fewer than d dimensions
 * (identical inputs, n_{l-1} &lt; d with C_b = 0, ReLU with every unit off: Ĝ = C_b 11^T):
 * {@link PsdCholesky} drops pivots below its relative tolerance (the variance they carry is below
 * float resolution of z), so the factor exists for every PSD metric. A metric that is not finite
 * ends the network as diverged at that layer.
 *
 * <p>Cost per network: Σ_l d·n_l normals and O(d² n_l) arithmetic. Not thread-safe: one
 * instance per thread.
 */
public final class ConditionalSampler extends LayerwiseSampler {

  private final NormalKernels normals;
  /** offset[l] = d·(n_1 + … + n_{l−1}): the first normal of layer l; offset[L+1] = the total. */
  private final long[] offset;
  private final int block;
  /** buffer[0 .. have) holds the normals bufferStart .. bufferStart + have of the network's stream. */
  private final float[] buffer;
  private long bufferStart;
  private int have;
  private final double[] cholD;
  private final float[] cholF;
  private final float[] chol1;
  /** The factor of the layer just sampled. */
  private float[] chol;
  /** One input and ReLU: {@link LayerKernels#reluLayer1} samples a layer and its sums in one pass. */
  private final boolean reluOneInput;

  /**
   * A conditional sampler of this network with these kernels.
   *
   * @throws IllegalArgumentException if the network needs more than 2<sup>34</sup> normals or the
   *     depth exceeds the stream layout
   */
  public ConditionalSampler(NetworkSpec spec, KernelProvider kernels) {
    super(spec, kernels);
    normals = kernels.normalKernels();
    reluOneInput = d == 1 && sigma instanceof Relu;
    offset = new long[depth + 2];
    int widest = 0;
    for (int l = 1; l <= depth; l++) {
      offset[l + 1] = offset[l] + (long) d * width[l];
      widest = Math.max(widest, d * width[l]);
    }
    if (offset[depth + 1] > BoxMuller.MAX_INDEX || (long) widest + LayerKernels.CHUNK_NORMALS > Integer.MAX_VALUE - 16) {
      throw new IllegalArgumentException("the network needs " + offset[depth + 1]
          + " normals per network, more than one random stream holds (2^34)");
    }
    offset[1] = 0;
    block = LayerKernels.CHUNK_NORMALS;
    // A layer's normals: at most d n_l - 1 carried from earlier blocks, plus whole blocks.
    buffer = new float[widest + block];
    cholD = new double[d * d];
    cholF = new float[d * d];
    chol1 = new float[d * d];
    PsdCholesky.factor(metric1, d, cholD); // K^(1) in the units of layer 1 (FloatScale)
    for (int k = 0; k < d * d; k++) {
      chol1[k] = (float) cholD[k];
    }
  }

  @Override
  public SamplerKind kind() {
    return SamplerKind.CONDITIONAL;
  }

  /**
   * |z_{i;a}| ≤ Σ_b |L_ab| max|g| with max|g| ≤ {@link BoxMuller#TAIL_CAP} (the generator's cap;
   * the factor 1.001 covers its polynomial errors, below 1e-6, and the float rounding of the d
   * terms): when that bound is within {@link #MAX_ABS_PREACTIVATION} (always, unless the network
   * is about to diverge) z need not be scanned. A NaN or infinite factor fails the test and z is
   * scanned.
   */
  @Override
  boolean withinBound(int n) {
    double worst = 0;
    for (int a = 0; a < d; a++) {
      double row = 0;
      for (int b = 0; b <= a; b++) {
        row += Math.abs(chol[a * d + b]);
      }
      worst = Math.max(worst, row);
    }
    if (worst * (BoxMuller.TAIL_CAP * 1.001) <= MAX_ABS_PREACTIVATION) {
      return true;
    }
    return super.withinBound(n);
  }

  @Override
  boolean sampleLayer(long seed, long network, int l) {
    if (l == 1) {
      chol = chol1;
      bufferStart = 0;
      have = 0;
    } else {
      for (double g : metric) {
        if (!Double.isFinite(g)) {
          return false;
        }
      }
      PsdCholesky.factor(metric, d, cholD);
      for (int k = 0; k < cholF.length; k++) {
        cholF[k] = (float) cholD[k];
      }
      chol = cholF;
    }
    int n = width[l];
    long first = offset[l];
    long end = offset[l + 1];
    if (end > bufferStart + have) {
      // Keep the part of this layer already generated, then generate whole blocks: the stream
      // position generated next is always a multiple of the block, so every fill starts on a
      // segment of the generator.
      int keep = (int) (bufferStart + have - first);
      System.arraycopy(buffer, have - keep, buffer, 0, keep);
      bufferStart = first;
      have = keep;
      long total = offset[depth + 1];
      while (bufferStart + have < end) {
        long next = bufferStart + have;
        int len = (int) Math.min(block, total - next);
        normals.fill(seed, network, 0, RandomStreams.CONDITIONAL, next, 1f, buffer, have, len);
        have += len;
      }
    }
    if (reluOneInput) {
      // the layer and its sums in one pass (LayerwiseSampler: the sink's moments and the next metric)
      layers.reluLayer1(chol[0], buffer, (int) (first - bufferStart), z[0], n, sums, sumsWork);
      sumsReady = true;
    } else {
      layers.conditionalTransform(chol, d, buffer, (int) (first - bufferStart), n, z, n);
    }
    return true;
  }
}
