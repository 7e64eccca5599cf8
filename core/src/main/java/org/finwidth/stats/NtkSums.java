package org.finwidth.stats;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.util.Arrays;

/**
 * Exact sums of the NTK statistics over any set of blocks (as {@link MomentSums} for the
 * preactivations): the count, and per layer the {@link ExactSum} of every component and kept
 * product of {@link NtkLayout}, and the largest |x_i| (merged by max). Adding and merging are
 * exact, so the sums do not depend on threads, blocks or shards.
 *
 * <p>State ({@link #writeTo}): {@code i64 count}, then per layer the component sums, the product
 * sums (each {@link ExactSum#writeTo}) and the maxima (f64). The layout is implied by d and L,
 * which the enclosing format stores.
 */
public final class NtkSums {
  private final NtkLayout layout;
  private final int depth;
  private final ExactSum[][] sums;
  private final ExactSum[][] cross;
  private final double[][] maxAbs;
  private long count;

  /** Zero sums. */
  public NtkSums(NtkLayout layout, int depth) {
    if (depth < 1) {
      throw new IllegalArgumentException("depth must be >= 1, got " + depth);
    }
    this.layout = layout;
    this.depth = depth;
    sums = new ExactSum[depth][layout.dimension()];
    cross = new ExactSum[depth][layout.crossCount()];
    maxAbs = new double[depth][layout.dimension()];
    for (int l = 0; l < depth; l++) {
      for (int i = 0; i < sums[l].length; i++) {
        sums[l][i] = new ExactSum();
      }
      for (int k = 0; k < cross[l].length; k++) {
        cross[l][k] = new ExactSum();
      }
    }
  }

  /** Adds a block exactly. */
  public void add(NtkBlockSums block) {
    if (block.layout() != layout || block.depth() != depth) {
      throw new IllegalArgumentException("NTK block sums of another layout or depth");
    }
    for (int l = 0; l < depth; l++) {
      for (int i = 0; i < sums[l].length; i++) {
        sums[l][i].add(block.sums[l][i]);
        maxAbs[l][i] = Math.max(maxAbs[l][i], block.maxAbs[l][i]);
      }
      for (int k = 0; k < cross[l].length; k++) {
        cross[l][k].add(block.cross[l][k]);
      }
    }
    count += block.count();
  }

  /** Adds other sums exactly. */
  public void add(NtkSums other) {
    if (other.layout != layout || other.depth != depth) {
      throw new IllegalArgumentException("NTK sums of another layout or depth");
    }
    for (int l = 0; l < depth; l++) {
      for (int i = 0; i < sums[l].length; i++) {
        sums[l][i].add(other.sums[l][i]);
        maxAbs[l][i] = Math.max(maxAbs[l][i], other.maxAbs[l][i]);
      }
      for (int k = 0; k < cross[l].length; k++) {
        cross[l][k].add(other.cross[l][k]);
      }
    }
    count += other.count;
  }

  /** A deep copy. */
  public NtkSums copy() {
    NtkSums c = new NtkSums(layout, depth);
    c.add(this);
    return c;
  }

  /** Networks summed. */
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

  /** Σ of component i at layer ℓ. */
  public ExactSum sum(int layer, int i) {
    return sums[layer - 1][i];
  }

  /** Σ of kept product k at layer ℓ. */
  public ExactSum crossSum(int layer, int k) {
    return cross[layer - 1][k];
  }

  /** max |x_i| at layer ℓ. */
  public double maxAbs(int layer, int i) {
    return maxAbs[layer - 1][i];
  }

  /**
   * Writes the state.
   *
   * @throws IOException if {@code out} fails
   */
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

  /**
   * Reads a state written by {@link #writeTo} for this layout and depth.
   *
   * @throws IOException if the input ends early or fails, or holds a negative count or a negative or NaN maximum
   */
  public static NtkSums readFrom(DataInput in, NtkLayout layout, int depth) throws IOException {
    NtkSums m = new NtkSums(layout, depth);
    m.count = in.readLong();
    if (m.count < 0) {
      throw new IOException("negative NTK network count " + m.count);
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
          throw new IOException("negative or NaN NTK maximum " + v + " at layer " + (l + 1));
        }
        m.maxAbs[l][i] = v;
      }
    }
    return m;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof NtkSums m && m.layout == layout && m.depth == depth && m.count == count
        && Arrays.deepEquals(sums, m.sums) && Arrays.deepEquals(cross, m.cross) && Arrays.deepEquals(maxAbs, m.maxAbs);
  }

  @Override
  public int hashCode() {
    return Arrays.deepHashCode(sums) * 31 + Long.hashCode(count);
  }
}
