package org.finwidth.stats;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.util.Arrays;

/**
 * Exact sums over any set of blocks: the count of networks and, for every layer, the
 * {@link ExactSum} of each sum of {@link ObservableLayout}. Adding blocks and merging are exact,
 * so the sums do not depend on how the blocks were grouped, ordered, threaded or sharded.
 *
 * <p>Also kept, for the heavy-tail diagnostic of {@link LayerEstimates#tailShare}: the largest
 * |g_p| and (with the distinct-neuron statistics) |u_p| over the networks (merged by max, which is
 * exact too).
 *
 * <p>Serialised state ({@link #writeTo}): {@code i64 count}, then for each layer ℓ = 1..L the
 * {@link ObservableLayout#sumCount()} sums, each as {@link ExactSum#writeTo}, followed by the
 * {@link ObservableLayout#maxCount()} maxima as {@code f64}. The layout is implied by the number of
 * inputs d, the statistics kept and the depth L, which the enclosing format stores.
 *
 * <p>Memory: one {@link ExactSum} per sum and layer (about 90 bytes each for typical values).
 * {@link #addLayer} of different layers may run concurrently (each layer's sums are separate
 * objects); everything else is not thread-safe.
 */
public final class MomentSums {
  private final ObservableLayout layout;
  private final int depth;
  private final ExactSum[][] sums;
  private final double[][] maxAbs;
  private long count;

  /**
   * Zero sums for networks of {@code depth} layers with {@code layout}.
   *
   * @throws IllegalArgumentException if {@code depth < 1}
   */
  public MomentSums(ObservableLayout layout, int depth) {
    if (depth < 1) {
      throw new IllegalArgumentException("depth must be >= 1, got " + depth);
    }
    this.layout = layout;
    this.depth = depth;
    this.sums = new ExactSum[depth][layout.sumCount()];
    this.maxAbs = new double[depth][layout.maxCount()];
    for (int l = 0; l < depth; l++) {
      for (int i = 0; i < sums[l].length; i++) {
        sums[l][i] = new ExactSum();
      }
    }
  }

  /**
   * Adds a block's double sums exactly (all layers and the count).
   *
   * @throws IllegalArgumentException if the block has another layout or depth
   */
  public void add(BlockSums block) {
    checkBlock(block);
    for (int l = 1; l <= depth; l++) {
      addLayer(block, l);
    }
    addCount(block.count());
  }

  /**
   * Adds layer ℓ of a block's double sums exactly (not the count: {@link #addCount}). Calls for
   * different layers may run concurrently.
   *
   * @throws IllegalArgumentException if the block has another layout or depth
   */
  public void addLayer(BlockSums block, int layer) {
    checkBlock(block);
    double[] s = block.sums(layer);
    ExactSum[] e = sums[layer - 1];
    for (int i = 0; i < s.length; i++) {
      e[i].add(s[i]);
    }
    double[] m = block.maxAbs(layer);
    double[] mine = maxAbs[layer - 1];
    for (int i = 0; i < m.length; i++) {
      mine[i] = Math.max(mine[i], m[i]);
    }
  }

  /**
   * Adds {@code networks} to the count (with {@link #addLayer}).
   *
   * @throws IllegalArgumentException if {@code networks < 0}
   */
  public void addCount(long networks) {
    if (networks < 0) {
      throw new IllegalArgumentException("negative network count " + networks);
    }
    count += networks;
  }

  private void checkBlock(BlockSums block) {
    if (block.layout() != layout || block.depth() != depth) {
      throw new IllegalArgumentException("block sums of another layout or depth");
    }
  }

  /**
   * Adds other sums exactly (merging partial results).
   *
   * @throws IllegalArgumentException if they have another layout or depth
   */
  public void add(MomentSums other) {
    if (other.layout != layout || other.depth != depth) {
      throw new IllegalArgumentException("moment sums of another layout or depth");
    }
    for (int l = 0; l < depth; l++) {
      for (int i = 0; i < sums[l].length; i++) {
        sums[l][i].add(other.sums[l][i]);
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

  /** The exact sum {@code i} ({@link ObservableLayout} order) at layer ℓ. */
  public ExactSum sum(int layer, int i) {
    return sums[layer - 1][i];
  }

  /** The exact sum {@code i} at layer ℓ, correctly rounded to double. */
  public double value(int layer, int i) {
    return sums[layer - 1][i].doubleValue();
  }

  /**
   * The largest |g_p| ({@code i = p}) or |u_p| ({@code i = P + p}, distinct-neuron statistics) over
   * the networks at layer ℓ (0 for none).
   */
  public double maxAbs(int layer, int i) {
    return maxAbs[layer - 1][i];
  }

  /**
   * Writes the state (see the class documentation).
   *
   * @throws IOException if {@code out} throws it
   */
  public void writeTo(DataOutput out) throws IOException {
    out.writeLong(count);
    for (int l = 0; l < depth; l++) {
      for (ExactSum s : sums[l]) {
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
   * @throws IOException if the input ends early or is inconsistent
   */
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
    return Arrays.deepEquals(sums, m.sums) && Arrays.deepEquals(maxAbs, m.maxAbs);
  }

  @Override
  public int hashCode() {
    return Arrays.deepHashCode(sums) * 31 + Long.hashCode(count);
  }
}
