package org.finwidth.stats;

import org.finwidth.network.LayerSink;
import org.finwidth.network.NetworkSpec;
import org.finwidth.vector.KernelProvider;
import org.finwidth.vector.LayerKernels;
import org.finwidth.vector.PairIndex;

/**
 * Turns the layers of one sampled network into its per-network statistics (notation of
 * {@link ObservableLayout}): {@code g_p} from the metric, and with the distinct-neuron statistics
 * {@code u_p} from the neuron averages {@code A_p} (the second moments of {@link LayerKernels#moments}: the Gram sums, in double) and
 * {@code e_r} from the fourth moments over neurons ({@link LayerKernels#moments}). The kernels
 * give the same bits on every implementation and vector width. One per thread; reused for
 * every network ({@link #reset()} before each). Allocates nothing per network.
 *
 * <p>The reference {@code c^(ℓ)} is fixed for a whole ensemble (it is part of the result): every
 * network's statistics are deviations from it, so that block sums are sums of small numbers and the
 * covariances computed from them at the end do not cancel catastrophically (docs/design.md, the
 * invariants).
 */
public final class ObservableSink implements LayerSink {
  private final ObservableLayout layout;
  private final PairIndex index;
  private final int depth;
  private final int d;
  private final int[] widths; // n_0..n_L
  private final double[][] reference; // [l-1][p]
  private final double[][] referenceD; // [l-1][r], distinct-neuron statistics only
  private final double[][] u; // [l-1][p], distinct-neuron statistics only
  private final double[][] g; // [l-1][p]
  private final double[][] e; // [l-1][r], distinct-neuron statistics only
  /** The moment reductions (SIMD where available; every implementation gives the same bits). */
  private final LayerKernels kernels;
  private final double[] a;
  /** The position a·d + b of pair p in a row-major d×d matrix. */
  private final int[] matrixPos;
  private final double[] pairSums;
  private final double[] fourthSums;
  private final double[] work;
  /** The sorted quadruple index of each pair of pairs r = ((ab),(cd)) ({@link PairIndex#quadOf}). */
  private final int[] quadOf;
  private int layersSeen;

  /**
   * A sink with the default statistics of the network's number of inputs
   * ({@link ObservableLayout#forInputs}).
   *
   * @param spec the network
   * @param reference {@code reference[ℓ−1][p]}: the fixed reference {@code c_p} of layer ℓ for
   *     every input pair p ({@link PairIndex} order), finite
   * @throws IllegalArgumentException if the reference has the wrong shape or is not finite, or the
   *     network has more inputs than the statistics support
   */
  public ObservableSink(NetworkSpec spec, double[][] reference) {
    this(spec, reference, ObservableLayout.forInputs(spec.inputCount()));
  }

  /**
   * A sink that computes the statistics of {@code layout}.
   *
   * @param spec the network
   * @param reference {@code reference[ℓ−1][p]}: the fixed reference {@code c_p} of layer ℓ for
   *     every input pair p ({@link PairIndex} order), finite
   * @param layout the statistics, for the network's number of inputs
   * @throws IllegalArgumentException if the reference has the wrong shape or is not finite, or the
   *     layout is for another number of inputs
   */
  public ObservableSink(NetworkSpec spec, double[][] reference, ObservableLayout layout) {
    this.d = spec.inputCount();
    if (layout.inputs() != d) {
      throw new IllegalArgumentException("the statistics are laid out for " + layout.inputs() + " inputs, the network has " + d);
    }
    this.layout = layout;
    this.index = layout.index();
    this.depth = spec.depth();
    this.widths = new int[depth + 1];
    for (int l = 0; l <= depth; l++) {
      widths[l] = spec.width(l);
    }
    int pairs = layout.pairs();
    int pairPairs = layout.pairPairs();
    boolean neurons = layout.distinctNeurons();
    checkReference(reference, depth, pairs);
    this.reference = new double[depth][];
    this.referenceD = new double[neurons ? depth : 0][];
    for (int l = 0; l < depth; l++) {
      this.reference[l] = reference[l].clone();
      if (neurons) {
        referenceD[l] = new double[pairPairs];
        for (int r = 0; r < pairPairs; r++) {
          referenceD[l][r] = layout.gaussianD(this.reference[l], r, widths[l + 1]);
        }
      }
    }
    this.u = new double[neurons ? depth : 0][pairs];
    this.g = new double[depth][pairs];
    this.e = new double[neurons ? depth : 0][pairPairs];
    this.kernels = KernelProvider.getInstance().layerKernels();
    this.a = new double[pairs];
    this.matrixPos = new int[pairs];
    for (int p = 0; p < pairs; p++) {
      matrixPos[p] = index.first(p) * d + index.second(p);
    }
    this.pairSums = neurons ? new double[pairs] : null;
    this.fourthSums = neurons ? new double[PairIndex.quadCount(d)] : null;
    this.work = neurons ? new double[LayerKernels.momentsWorkLength(d)] : null;
    this.quadOf = new int[neurons ? pairPairs : 0];
    for (int r = 0; r < quadOf.length; r++) {
      quadOf[r] = index.quadOf(r);
    }
  }

  /**
   * Checks a reference array (the fixed per-layer shift of the statistics): {@code depth} rows of
   * {@code pairs} finite numbers.
   *
   * @throws IllegalArgumentException naming the layer and what is wrong otherwise
   */
  public static void checkReference(double[][] reference, int depth, int pairs) {
    checkReference("", reference, depth, pairs);
  }

  /**
   * {@link #checkReference(double[][], int, int)} with the messages naming {@code what} ("the NTK
   * reference ..."; the empty string for none).
   */
  static void checkReference(String what, double[][] reference, int depth, int pairs) {
    String the = what.isEmpty() ? "the reference" : "the " + what + " reference";
    if (reference == null || reference.length != depth) {
      throw new IllegalArgumentException(the + " needs one row per layer: expected " + depth + ", got "
          + (reference == null ? "null" : reference.length));
    }
    for (int l = 0; l < depth; l++) {
      if (reference[l] == null || reference[l].length != pairs) {
        throw new IllegalArgumentException(the + " of layer " + (l + 1) + " needs " + pairs + " entries");
      }
      for (double c : reference[l]) {
        if (!Double.isFinite(c)) {
          throw new IllegalArgumentException(the + " of layer " + (l + 1) + " is not finite: " + c);
        }
      }
    }
  }

  /**
   * The reference {@code c_{D,r}} of layer ℓ (see {@link ObservableLayout}).
   *
   * @throws IllegalStateException without the distinct-neuron statistics
   */
  public double referenceD(int layer, int r) {
    if (!layout.distinctNeurons()) {
      throw new IllegalStateException("no distinct-neuron statistics in " + layout);
    }
    return referenceD[layer - 1][r];
  }

  /** Forgets the previous network. */
  public void reset() {
    layersSeen = 0;
  }

  /** Number of layers received since {@link #reset()}. */
  public int layersSeen() {
    return layersSeen;
  }

  /**
   * {@code u_p = A_p − c_p} of layer ℓ of the current network, by pair (live array: do not modify).
   *
   * @throws IllegalStateException without the distinct-neuron statistics
   */
  public double[] u(int layer) {
    if (!layout.distinctNeurons()) {
      throw new IllegalStateException("no distinct-neuron statistics in " + layout);
    }
    return u[layer - 1];
  }

  /** {@code g_p = Ĝ_p − c_p} of layer ℓ of the current network, by pair (live array: do not modify). */
  public double[] g(int layer) {
    return g[layer - 1];
  }

  /**
   * {@code e_r = D_r − c_{D,r}} of layer ℓ of the current network, by pair of pairs (live array: do
   * not modify).
   *
   * @throws IllegalStateException without the distinct-neuron statistics
   */
  public double[] e(int layer) {
    if (!layout.distinctNeurons()) {
      throw new IllegalStateException("no distinct-neuron statistics in " + layout);
    }
    return e[layer - 1];
  }

  @Override
  public void layer(int l, float[][] z, int width, double[] metric) {
    assert l == layersSeen + 1 : "layers out of order: got " + l + " after " + layersSeen;
    assert width == widths[l] : "layer " + l + " width " + width + " != " + widths[l];
    int n = width;
    int pairs = layout.pairs();
    double[] gl = g[l - 1];
    double[] c = reference[l - 1];
    if (pairs == 1) {
      layerOnePair(l, z, n, metric[0], gl, c[0]);
      return;
    }
    for (int p = 0; p < pairs; p++) {
      gl[p] = metric[matrixPos[p]] - c[p];
    }
    if (layout.distinctNeurons()) {
      // The second moments s2 are the Gram sums Σ z_a z_b over neurons, bit for bit (the same
      // exact products in the same fixed order, LayerKernels): one pass over z gives both.
      kernels.moments(z, d, n, pairSums, fourthSums, work);
      double[] ul = u[l - 1];
      for (int p = 0; p < pairs; p++) {
        a[p] = pairSums[p] / n;
        ul[p] = a[p] - c[p];
      }
      double[] el = e[l - 1];
      double[] cD = referenceD[l - 1];
      int r = 0;
      for (int p = 0; p < pairs; p++) {
        for (int q = p; q < pairs; q++, r++) {
          double dr = n > 1 ? (a[p] * a[q] - fourthSums[quadOf[r]] / n) / (n - 1) : 0;
          el[r] = dr - cD[r];
        }
      }
    }
    layersSeen = l;
  }

  /**
   * {@link #layer} for one input (one pair, one pair of pairs, both index tables 0): the same
   * operations in the same order, without the loops of trip count one and their index tables
   * (about 13 of a one-input layer's 47 ns, thread CPU under load).
   */
  private void layerOnePair(int l, float[][] z, int n, double metric, double[] gl, double c) {
    if (layout.distinctNeurons()) {
      kernels.moments(z, 1, n, pairSums, fourthSums, work);
      onePair(l, n, metric, gl, c, pairSums[0], fourthSums[0]);
    } else {
      onePair(l, n, metric, gl, c, 0, 0);
    }
  }

  /**
   * The statistics of a one-input layer from its sums {@code s2 = Σ z²} and {@code s4 = Σ z⁴}
   * (read only with the distinct-neuron statistics).
   */
  private void onePair(int l, int n, double metric, double[] gl, double c, double s2, double s4) {
    gl[0] = metric - c;
    if (layout.distinctNeurons()) {
      double a0 = s2 / n;
      u[l - 1][0] = a0 - c;
      double dr = n > 1 ? (a0 * a0 - s4 / n) / (n - 1) : 0;
      e[l - 1][0] = dr - referenceD[l - 1][0];
    }
    layersSeen = l;
  }

  /**
   * {@inheritDoc} One input with the sampler's sums: {@link #layer(int, float[][], int, double[])}
   * without its own pass over z (the same bits: the sums are those of
   * {@link LayerKernels#moments}).
   */
  @Override
  public void layer(int l, float[][] z, int width, double[] metric, double[] sums) {
    if (sums == null || d != 1) {
      layer(l, z, width, metric);
      return;
    }
    assert l == layersSeen + 1 : "layers out of order: got " + l + " after " + layersSeen;
    assert width == widths[l] : "layer " + l + " width " + width + " != " + widths[l];
    onePair(l, width, metric[0], g[l - 1], reference[l - 1][0], sums[0], sums[1]);
  }

  /** The layout of the statistics. */
  public ObservableLayout layout() {
    return layout;
  }

  /** Depth L of the network. */
  public int depth() {
    return depth;
  }
}
