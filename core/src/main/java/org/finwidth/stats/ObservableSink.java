package org.finwidth.stats;

import org.finwidth.network.LayerSink;
import org.finwidth.network.NetworkSpec;
import org.finwidth.vector.KernelProvider;
import org.finwidth.vector.LayerKernels;
import org.finwidth.vector.PairIndex;

/**
 * Turns the layers of one sampled network into its statistic vectors {@code x^(ℓ)} (the layout of
 * {@link ObservableLayout}): neuron averages {@code A}, {@code Q} in double ({@link
 * LayerKernels#moments}: SIMD where available, the same bits on every implementation), the distinct-neuron
 * correction {@code D}, and the shifted, multiplied components. One per thread; reused for every
 * network ({@link #reset()} before each). Allocates nothing per network.
 *
 * <p>The reference {@code c^(ℓ)} is fixed for a whole ensemble (it is part of the result): every
 * network's statistics are deviations from it, so that block sums are sums of small numbers and the
 * covariances computed from them at the end do not cancel catastrophically (docs/design.md invariant 2).
 */
public final class ObservableSink implements LayerSink {
  private final ObservableLayout layout;
  private final int depth;
  private final int d;
  private final int[] widths; // n_0..n_L
  private final double[][] reference; // [l-1][p]
  private final double[][] referenceD; // [l-1][r]
  private final double[][] values; // [l-1][component]
  private final double[] pairSums;
  private final double[] quadSums;
  private final double[] pairProducts;
  /** The moment reductions (SIMD where available; every implementation gives the same bits). */
  private final LayerKernels kernels;
  /** Fourth-moment sums by sorted index quadruple (LayerKernels order) and scratch. */
  private final double[] fourthSums;
  private final double[] work;
  /** The sorted quadruple index of each pair of pairs r = ((ab),(cd)) ({@link PairIndex#quadOf}). */
  private final int[] quadOf;
  private int layersSeen;

  /**
   * @param spec the network
   * @param reference {@code reference[ℓ−1][p]}: the fixed reference {@code c_p} of layer ℓ for
   *     every input pair p (layout order), finite
   * @throws IllegalArgumentException if the reference has the wrong shape or is not finite
   */
  public ObservableSink(NetworkSpec spec, double[][] reference) {
    this.d = spec.inputCount();
    this.layout = ObservableLayout.forInputs(d);
    this.depth = spec.depth();
    this.widths = new int[depth + 1];
    for (int l = 0; l <= depth; l++) {
      widths[l] = spec.width(l);
    }
    checkReference(reference, depth, layout.pairs());
    this.reference = new double[depth][];
    this.referenceD = new double[depth][layout.pairPairs()];
    for (int l = 0; l < depth; l++) {
      this.reference[l] = reference[l].clone();
      int n = widths[l + 1];
      for (int r = 0; r < layout.pairPairs(); r++) {
        referenceD[l][r] = layout.gaussianD(this.reference[l], r, n);
      }
    }
    this.values = new double[depth][layout.dimension()];
    this.pairSums = new double[layout.pairs()];
    this.quadSums = new double[layout.pairPairs()];
    this.pairProducts = new double[layout.pairs()];
    this.kernels = KernelProvider.getInstance().layerKernels();
    this.fourthSums = new double[PairIndex.quadCount(d)];
    this.work = new double[LayerKernels.momentsWorkLength(d)];
    this.quadOf = new int[layout.pairPairs()];
    for (int r = 0; r < layout.pairPairs(); r++) {
      quadOf[r] = layout.index().quadOf(r);
    }
  }

  /** Checks a reference array: {@code depth} rows of {@code pairs} finite numbers. */
  static void checkReference(double[][] reference, int depth, int pairs) {
    if (reference == null || reference.length != depth) {
      throw new IllegalArgumentException("the reference needs one row per layer: expected " + depth + ", got "
          + (reference == null ? "null" : reference.length));
    }
    for (int l = 0; l < depth; l++) {
      if (reference[l] == null || reference[l].length != pairs) {
        throw new IllegalArgumentException("the reference of layer " + (l + 1) + " needs " + pairs + " entries");
      }
      for (double c : reference[l]) {
        if (!Double.isFinite(c)) {
          throw new IllegalArgumentException("the reference of layer " + (l + 1) + " is not finite: " + c);
        }
      }
    }
  }

  /** The reference {@code c_{D,r}} of layer ℓ (see {@link ObservableLayout}). */
  public double referenceD(int layer, int r) {
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

  /** The statistic vector of layer ℓ of the current network (live array: do not modify). */
  public double[] values(int layer) {
    return values[layer - 1];
  }

  @Override
  public void layer(int l, float[][] z, int width, double[] metric) {
    assert l == layersSeen + 1 : "layers out of order: got " + l + " after " + layersSeen;
    assert width == widths[l] : "layer " + l + " width " + width + " != " + widths[l];
    int n = width;
    int pairs = layout.pairs();
    int pairPairs = layout.pairPairs();
    kernels.moments(z, d, n, pairSums, fourthSums, work);
    for (int r = 0; r < pairPairs; r++) {
      quadSums[r] = fourthSums[quadOf[r]];
    }
    double[] x = values[l - 1];
    double[] c = reference[l - 1];
    double[] cD = referenceD[l - 1];
    for (int p = 0; p < pairs; p++) {
      double a = pairSums[p] / n;
      pairProducts[p] = a; // reused: A_p
      x[layout.u(p)] = a - c[p];
      x[layout.g(p)] = metric[layout.index().first(p) * d + layout.index().second(p)] - c[p];
    }
    for (int r = 0; r < pairPairs; r++) {
      int p = layout.index().pairPairFirst(r);
      int q = layout.index().pairPairSecond(r);
      double dr = n > 1 ? (pairProducts[p] * pairProducts[q] - quadSums[r] / n) / (n - 1) : 0;
      x[layout.e(r)] = dr - cD[r];
      x[layout.w(r)] = x[layout.u(p)] * x[layout.u(q)];
      x[layout.v(r)] = x[layout.g(p)] * x[layout.g(q)];
    }
    layersSeen = l;
  }

  /** The layout of the statistic vectors. */
  public ObservableLayout layout() {
    return layout;
  }

  /** Depth L of the network. */
  public int depth() {
    return depth;
  }
}
