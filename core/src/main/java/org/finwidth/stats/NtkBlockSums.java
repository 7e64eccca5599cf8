package org.finwidth.stats;

import java.util.Arrays;

/**
 * The double sums of one block of networks' NTK statistics (as {@link BlockSums} for the
 * preactivations): Σ x_i, the kept products Σ x_i x_j of {@link NtkLayout}, and max |x_i|, added in
 * network order by one thread; {@link NtkSums} then adds the block exactly. Allocates nothing after
 * construction.
 */
public final class NtkBlockSums {
  private final NtkLayout layout;
  private final int depth;
  final double[][] sums;
  final double[][] cross;
  final double[][] maxAbs;
  private final int[] first;
  private final int[] second;
  private long count;

  /** Empty sums for networks of {@code depth} layers. */
  public NtkBlockSums(NtkLayout layout, int depth) {
    this.layout = layout;
    this.depth = depth;
    sums = new double[depth][layout.dimension()];
    cross = new double[depth][layout.crossCount()];
    maxAbs = new double[depth][layout.dimension()];
    first = new int[layout.crossCount()];
    second = new int[layout.crossCount()];
    for (int k = 0; k < first.length; k++) {
      first[k] = layout.crossFirst(k);
      second[k] = layout.crossSecond(k);
    }
  }

  /** Adds the current network of {@code observables} (all layers). */
  public void add(NtkObservables observables) {
    assert observables.layout() == layout && observables.depth() == depth;
    for (int l = 0; l < depth; l++) {
      double[] x = observables.values(l + 1);
      double[] s = sums[l];
      double[] c = cross[l];
      double[] m = maxAbs[l];
      for (int i = 0; i < x.length; i++) {
        s[i] += x[i];
        m[i] = Math.max(m[i], Math.abs(x[i]));
      }
      for (int k = 0; k < first.length; k++) {
        c[k] += x[first[k]] * x[second[k]];
      }
    }
    count++;
  }

  /** Networks added since the last {@link #clear()}. */
  public long count() {
    return count;
  }

  /** The layout. */
  public NtkLayout layout() {
    return layout;
  }

  /** Depth L. */
  public int depth() {
    return depth;
  }

  /** Empties the sums. */
  public void clear() {
    for (int l = 0; l < depth; l++) {
      Arrays.fill(sums[l], 0);
      Arrays.fill(cross[l], 0);
      Arrays.fill(maxAbs[l], 0);
    }
    count = 0;
  }
}
