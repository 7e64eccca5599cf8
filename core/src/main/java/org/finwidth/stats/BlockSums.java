package org.finwidth.stats;

import java.util.Arrays;

/**
 * The sums of one block of networks in double precision (docs/design.md "Invariants": within a block one thread
 * accumulates {@code Σ x} and the kept products {@code Σ x_i x_j} of the shifted statistic vectors;
 * {@link MomentSums} then adds the block's sums exactly). Networks are added in index order, so
 * the block's sums are a deterministic function of the block. Allocates nothing after construction.
 */
public final class BlockSums {
  private final ObservableLayout layout;
  private final int depth;
  private final double[][] sums;
  private final double[][] cross;
  private final double[][] maxAbs;
  /** The kept products' factors (the layout's crossFirst/crossSecond, copied for the hot loop). */
  private final int[] crossFirst;
  private final int[] crossSecond;
  private long count;

  /** Empty sums for networks of {@code depth} layers with statistics laid out by {@code layout}. */
  public BlockSums(ObservableLayout layout, int depth) {
    this.layout = layout;
    this.depth = depth;
    this.sums = new double[depth][layout.dimension()];
    this.cross = new double[depth][layout.crossCount()];
    this.maxAbs = new double[depth][layout.dimension()];
    this.crossFirst = new int[layout.crossCount()];
    this.crossSecond = new int[layout.crossCount()];
    for (int k = 0; k < crossFirst.length; k++) {
      crossFirst[k] = layout.crossFirst(k);
      crossSecond[k] = layout.crossSecond(k);
    }
  }

  /** Adds the current network of {@code sink} (all layers). */
  public void add(ObservableSink sink) {
    assert sink.layout() == layout && sink.depth() == depth;
    int[] first = crossFirst;
    int[] second = crossSecond;
    for (int l = 0; l < depth; l++) {
      double[] x = sink.values(l + 1);
      double[] s = sums[l];
      double[] c = cross[l];
      double[] m = maxAbs[l];
      for (int i = 0; i < x.length; i++) {
        double xi = x[i];
        s[i] += xi;
        m[i] = Math.max(m[i], Math.abs(xi));
      }
      for (int k = 0; k < first.length; k++) {
        c[k] += x[first[k]] * x[second[k]];
      }
    }
    count++;
  }

  /** Number of networks added since the last {@link #clear()}. */
  public long count() {
    return count;
  }

  /** Σ x_i over the block at layer ℓ (live array). */
  double[] sums(int layer) {
    return sums[layer - 1];
  }

  /** Σ x_i x_j (kept products) over the block at layer ℓ (live array). */
  double[] cross(int layer) {
    return cross[layer - 1];
  }

  /** max |x_i| over the block at layer ℓ (live array). */
  double[] maxAbs(int layer) {
    return maxAbs[layer - 1];
  }

  /** Network depth. */
  public int depth() {
    return depth;
  }

  /** The statistics layout. */
  public ObservableLayout layout() {
    return layout;
  }

  /** Empties the sums for the next block. */
  public void clear() {
    for (int l = 0; l < depth; l++) {
      Arrays.fill(sums[l], 0);
      Arrays.fill(cross[l], 0);
      Arrays.fill(maxAbs[l], 0);
    }
    count = 0;
  }
}
