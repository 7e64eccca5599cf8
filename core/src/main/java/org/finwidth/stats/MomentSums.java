package org.finwidth.stats;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;

/**
 * Exact sums over any set of blocks: the count of networks and, for every layer, the
 * {@link ExactSum} of each component of the statistic vector and of each kept product
 * ({@link ObservableLayout}). Adding blocks and merging are exact, so the sums do not depend on how
 * the blocks were grouped, ordered, threaded or sharded.
 *
 * <p>Also kept, for the heavy-tail diagnostic of {@link LayerEstimates#tailShare}: the largest
 * |x_i| of every component over the networks (merged by max, which is exact too).
 *
 * <p>Serialised state ({@link #writeTo}): {@code i64 count}, then for each layer ℓ = 1..L the
 * {@link ObservableLayout#dimension()} component sums followed by the
 * {@link ObservableLayout#crossCount()} product sums, each as {@link ExactSum#writeTo}, followed by
 * the {@link ObservableLayout#dimension()} maxima as {@code f64}. The layout is implied by the
 * number of inputs d and the depth L, which the enclosing format stores.
 */
public final class MomentSums {
  private final ObservableLayout layout;
  private final int depth;
  private final ExactSum[][] sums;
  private final ExactSum[][] cross;
  private final double[][] maxAbs;
  private long count;

  /** Zero sums for networks of {@code depth} layers with {@code layout}. */
  public MomentSums(ObservableLayout layout, int depth) {
    if (depth < 1) {
      throw new IllegalArgumentException("depth must be >= 1, got " + depth);
    }
    this.layout = layout;
    this.depth = depth;
    this.sums = new ExactSum[depth][layout.dimension()];
    this.cross = new ExactSum[depth][layout.crossCount()];
    this.maxAbs = new double[depth][layout.dimension()];
    for (int l = 0; l < depth; l++) {
      for (int i = 0; i < sums[l].length; i++) {
        sums[l][i] = new ExactSum();
      }
      for (int k = 0; k < cross[l].length; k++) {
        cross[l][k] = new ExactSum();
      }
    }
  }

  /** Adds a block's double sums exactly. */
  public void add(BlockSums block) {
    if (block.layout() != layout || block.depth() != depth) {
      throw new IllegalArgumentException("block sums of another layout or depth");
    }
    for (int l = 0; l < depth; l++) {
      double[] s = block.sums(l + 1);
      double[] c = block.cross(l + 1);
      for (int i = 0; i < s.length; i++) {
        sums[l][i].add(s[i]);
      }
      for (int k = 0; k < c.length; k++) {
        cross[l][k].add(c[k]);
      }
      double[] m = block.maxAbs(l + 1);
      for (int i = 0; i < m.length; i++) {
        maxAbs[l][i] = Math.max(maxAbs[l][i], m[i]);
      }
    }
    count += block.count();
  }

  /** Adds other sums exactly (merging partial results). */
  public void add(MomentSums other) {
    if (other.layout != layout || other.depth != depth) {
      throw new IllegalArgumentException("moment sums of another layout or depth");
    }
    for (int l = 0; l < depth; l++) {
      for (int i = 0; i < sums[l].length; i++) {
        sums[l][i].add(other.sums[l][i]);
      }
      for (int k = 0; k < cross[l].length; k++) {
        cross[l][k].add(other.cross[l][k]);
      }
      for (int i = 0; i < maxAbs[l].length; i++) {
        maxAbs[l][i] = Math.max(maxAbs[l][i], other.maxAbs[l][i]);
      }
    }
    count += other.count;
  }

  /** A deep copy. */
  public MomentSums copy() {
    MomentSums c = new MomentSums(layout, depth);
    c.add(this);
    return c;
  }

  /** Number of networks summed. */
  public long count() {
    return count;
  }

  /** The statistics layout. */
  public ObservableLayout layout() {
    return layout;
  }

  /** Network depth L. */
  public int depth() {
    return depth;
  }

  /** The exact sum of component {@code i} at layer ℓ. */
  public ExactSum sum(int layer, int i) {
    return sums[layer - 1][i];
  }

  /** The exact sum of kept product {@code k} at layer ℓ. */
  public ExactSum crossSum(int layer, int k) {
    return cross[layer - 1][k];
  }

  /** The largest |x_i| of component i over the networks at layer ℓ (0 for none). */
  public double maxAbs(int layer, int i) {
    return maxAbs[layer - 1][i];
  }

  /** Writes the state (see the class documentation). */
  public void writeTo(DataOutput out) throws IOException {
    out.writeLong(count);
    for (int l = 0; l < depth; l++) {
      for (ExactSum s : sums[l]) {
        s.writeTo(out);
      }
      for (ExactSum s : cross[l]) {
        s.writeTo(out);
      }
      for (double m : maxAbs[l]) {
        out.writeDouble(m);
      }
    }
  }

  /** Reads a state written by {@link #writeTo} for this layout and depth. */
  public static MomentSums readFrom(DataInput in, ObservableLayout layout, int depth) throws IOException {
    MomentSums m = new MomentSums(layout, depth);
    m.count = in.readLong();
    if (m.count < 0) {
      throw new IOException("negative network count " + m.count);
    }
    for (int l = 0; l < depth; l++) {
      for (int i = 0; i < m.sums[l].length; i++) {
        m.sums[l][i] = ExactSum.readFrom(in);
      }
      for (int k = 0; k < m.cross[l].length; k++) {
        m.cross[l][k] = ExactSum.readFrom(in);
      }
      for (int i = 0; i < m.maxAbs[l].length; i++) {
        double v = in.readDouble();
        if (!(v >= 0)) {
          throw new IOException("negative or NaN maximum " + v + " at layer " + (l + 1));
        }
        m.maxAbs[l][i] = v;
      }
    }
    return m;
  }

  @Override
  public boolean equals(Object o) {
    if (!(o instanceof MomentSums m) || m.layout != layout || m.depth != depth || m.count != count) {
      return false;
    }
    return java.util.Arrays.deepEquals(sums, m.sums) && java.util.Arrays.deepEquals(cross, m.cross)
        && java.util.Arrays.deepEquals(maxAbs, m.maxAbs);
  }

  @Override
  public int hashCode() {
    return java.util.Arrays.deepHashCode(sums) * 31 + Long.hashCode(count);
  }
}
