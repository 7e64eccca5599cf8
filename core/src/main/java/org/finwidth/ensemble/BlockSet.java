package org.finwidth.ensemble;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * An immutable set of block indices stored as sorted, disjoint, non-adjacent half-open ranges
 * {@code [from, to)}: the blocks a partial result holds (a shard is a range, a checkpoint a union
 * of finished blocks). Equal sets have equal range lists.
 */
public final class BlockSet {
  private static final BlockSet EMPTY = new BlockSet(new long[0]);
  /** from0, to0, from1, to1, ... sorted, disjoint and non-adjacent. */
  private final long[] bounds;

  private BlockSet(long[] bounds) {
    this.bounds = bounds;
  }

  /** The empty set. */
  public static BlockSet empty() {
    return EMPTY;
  }

  /**
   * The blocks {@code [from, to)}.
   *
   * @throws IllegalArgumentException if {@code from < 0} or {@code to < from}
   */
  public static BlockSet range(long from, long to) {
    if (from < 0 || to < from) {
      throw new IllegalArgumentException("a block range needs 0 <= from <= to, got [" + from + ", " + to + ")");
    }
    return from == to ? EMPTY : new BlockSet(new long[] {from, to});
  }

  /**
   * The set of the given ranges {@code {from0, to0, from1, to1, ...}} (any order; they may overlap).
   *
   * @throws IllegalArgumentException if a range is malformed
   */
  public static BlockSet of(long... bounds) {
    if (bounds.length % 2 != 0) {
      throw new IllegalArgumentException("block ranges come in (from, to) pairs, got " + bounds.length + " numbers");
    }
    BlockSet s = EMPTY;
    for (int i = 0; i < bounds.length; i += 2) {
      s = s.union(range(bounds[i], bounds[i + 1]));
    }
    return s;
  }

  /** The union. */
  public BlockSet union(BlockSet o) {
    if (o.isEmpty()) {
      return this;
    }
    if (isEmpty()) {
      return o;
    }
    long[] all = new long[bounds.length + o.bounds.length];
    System.arraycopy(bounds, 0, all, 0, bounds.length);
    System.arraycopy(o.bounds, 0, all, bounds.length, o.bounds.length);
    int n = all.length / 2;
    Integer[] order = new Integer[n];
    for (int i = 0; i < n; i++) {
      order[i] = i;
    }
    Arrays.sort(order, (x, y) -> Long.compare(all[2 * x], all[2 * y]));
    List<long[]> out = new ArrayList<>();
    for (int k : order) {
      long f = all[2 * k];
      long t = all[2 * k + 1];
      if (!out.isEmpty() && out.get(out.size() - 1)[1] >= f) {
        long[] last = out.get(out.size() - 1);
        last[1] = Math.max(last[1], t);
      } else {
        out.add(new long[] {f, t});
      }
    }
    long[] b = new long[2 * out.size()];
    for (int i = 0; i < out.size(); i++) {
      b[2 * i] = out.get(i)[0];
      b[2 * i + 1] = out.get(i)[1];
    }
    return new BlockSet(b);
  }

  /** The blocks of this set that are not in {@code o}. */
  public BlockSet minus(BlockSet o) {
    List<Long> out = new ArrayList<>();
    for (int i = 0; i < bounds.length; i += 2) {
      long f = bounds[i];
      long t = bounds[i + 1];
      for (int j = 0; j < o.bounds.length && f < t; j += 2) {
        long of = o.bounds[j];
        long ot = o.bounds[j + 1];
        if (ot <= f || of >= t) {
          continue;
        }
        if (of > f) {
          out.add(f);
          out.add(of);
        }
        f = Math.max(f, ot);
      }
      if (f < t) {
        out.add(f);
        out.add(t);
      }
    }
    long[] b = new long[out.size()];
    for (int i = 0; i < b.length; i++) {
      b[i] = out.get(i);
    }
    return b.length == 0 ? EMPTY : new BlockSet(b);
  }

  /** Whether the sets share a block. */
  public boolean intersects(BlockSet o) {
    int i = 0;
    int j = 0;
    while (i < bounds.length && j < o.bounds.length) {
      if (bounds[i + 1] <= o.bounds[j]) {
        i += 2;
      } else if (o.bounds[j + 1] <= bounds[i]) {
        j += 2;
      } else {
        return true;
      }
    }
    return false;
  }

  /** Whether every block of {@code o} is in this set. */
  public boolean containsAll(BlockSet o) {
    return o.minus(this).isEmpty();
  }

  /** Whether block b is in the set. */
  public boolean contains(long b) {
    for (int i = 0; i < bounds.length; i += 2) {
      if (b >= bounds[i] && b < bounds[i + 1]) {
        return true;
      }
    }
    return false;
  }

  /** Whether the set is empty. */
  public boolean isEmpty() {
    return bounds.length == 0;
  }

  /** Number of blocks. */
  public long size() {
    long s = 0;
    for (int i = 0; i < bounds.length; i += 2) {
      s += bounds[i + 1] - bounds[i];
    }
    return s;
  }

  /** Number of ranges. */
  public int rangeCount() {
    return bounds.length / 2;
  }

  /** Start of range i. */
  public long rangeFrom(int i) {
    return bounds[2 * i];
  }

  /** End (exclusive) of range i. */
  public long rangeTo(int i) {
    return bounds[2 * i + 1];
  }

  /** The largest block index + 1, or 0 if empty. */
  public long end() {
    return bounds.length == 0 ? 0 : bounds[bounds.length - 1];
  }

  /**
   * The k-th smallest block of the set (0-based).
   *
   * @throws IndexOutOfBoundsException if {@code k} is not in {@code [0, size())}
   */
  public long get(long k) {
    long rest = k;
    for (int i = 0; i < bounds.length && rest >= 0; i += 2) {
      long n = bounds[i + 1] - bounds[i];
      if (rest < n) {
        return bounds[i] + rest;
      }
      rest -= n;
    }
    throw new IndexOutOfBoundsException("block ordinal " + k + " not in [0, " + size() + ")");
  }

  /**
   * The blocks whose ordinals (0-based positions in increasing order) are in {@code [from, to)}.
   *
   * @throws IndexOutOfBoundsException unless {@code 0 <= from <= to <= size()}
   */
  public BlockSet slice(long from, long to) {
    if (from < 0 || to < from || to > size()) {
      throw new IndexOutOfBoundsException("ordinals [" + from + ", " + to + ") not within [0, " + size() + "]");
    }
    List<Long> out = new ArrayList<>();
    long offset = 0;
    for (int i = 0; i < bounds.length; i += 2) {
      long n = bounds[i + 1] - bounds[i];
      long f = Math.max(from, offset);
      long t = Math.min(to, offset + n);
      if (f < t) {
        out.add(bounds[i] + f - offset);
        out.add(bounds[i] + t - offset);
      }
      offset += n;
    }
    long[] b = new long[out.size()];
    for (int i = 0; i < b.length; i++) {
      b[i] = out.get(i);
    }
    return b.length == 0 ? EMPTY : new BlockSet(b);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof BlockSet s && Arrays.equals(bounds, s.bounds);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(bounds);
  }

  /** The ranges, e.g. {@code "[0,5) [7,9)"}, or {@code "{}"}. */
  @Override
  public String toString() {
    if (bounds.length == 0) {
      return "{}";
    }
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < bounds.length; i += 2) {
      if (i > 0) {
        sb.append(' ');
      }
      sb.append('[').append(bounds[i]).append(',').append(bounds[i + 1]).append(')');
    }
    return sb.toString();
  }
}
