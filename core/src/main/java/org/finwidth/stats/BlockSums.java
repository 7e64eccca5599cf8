package org.finwidth.stats;

import java.util.Arrays;
import org.finwidth.stats.ObservableLayout.Sum;

/**
 * The sums of one block of networks in double precision (docs/design.md, the invariants): within
 * a block one thread accumulates the sums of {@link ObservableLayout} over the block's networks,
 * in network order; {@link MomentSums} then adds the block's sums exactly. So the block's sums
 * are a deterministic function of the block. Allocates nothing after construction.
 *
 * <p>Every update is element-wise ({@code s_k ← fma(x, y, s_k)} or {@code s_k ← s_k + x}, one
 * rounding each) with no reduction across entries, so the bits do not depend on whether or how
 * the JIT vectorises the loops. The products over pairs of pairs are rank-one updates of the
 * upper triangle, one row {@code p} at a time ({@code r = start(p) + q − p} for {@code q ≥ p},
 * the {@link org.finwidth.vector.PairIndex} order): O(R) per network and layer.
 */
public final class BlockSums {
  private final ObservableLayout layout;
  private final int depth;
  private final int pairs;
  private final double[][] sums;
  private final double[][] maxAbs;
  /** r of (p, p): the start of row p of the upper triangle. */
  private final int[] rowStart;
  private final double[] g2;
  private final int g1;
  private final int v1;
  private final int v2;
  private final int v3a;
  private final int v3b;
  private final boolean neurons;
  private final int u1;
  private final int u2;
  private final int u4;
  private final int w1;
  private final int e1;
  private final int t2;
  private final int ta;
  private final int tb;
  private final int u3;
  private final int we;
  private final int ue;
  private final int ee;
  private long count;

  /** Empty sums for networks of {@code depth} layers with statistics laid out by {@code layout}. */
  public BlockSums(ObservableLayout layout, int depth) {
    this.layout = layout;
    this.depth = depth;
    this.pairs = layout.pairs();
    this.sums = new double[depth][layout.sumCount()];
    this.maxAbs = new double[depth][layout.maxCount()];
    this.rowStart = new int[pairs];
    for (int p = 0; p < pairs; p++) {
      rowStart[p] = layout.index().pairPair(p, p);
    }
    this.g2 = new double[pairs];
    g1 = layout.offset(Sum.G1);
    v1 = layout.offset(Sum.V1);
    v2 = layout.offset(Sum.V2);
    v3a = layout.offset(Sum.V3A);
    v3b = layout.offset(Sum.V3B);
    neurons = layout.distinctNeurons();
    u1 = neurons ? layout.offset(Sum.U1) : -1;
    u2 = neurons ? layout.offset(Sum.U2) : -1;
    u4 = neurons ? layout.offset(Sum.U4) : -1;
    w1 = neurons ? layout.offset(Sum.W1) : -1;
    e1 = neurons ? layout.offset(Sum.E1) : -1;
    t2 = neurons ? layout.offset(Sum.T2) : -1;
    ta = neurons ? layout.offset(Sum.TA) : -1;
    tb = neurons ? layout.offset(Sum.TB) : -1;
    u3 = neurons ? layout.offset(Sum.U3) : -1;
    we = neurons ? layout.offset(Sum.WE) : -1;
    ue = neurons ? layout.offset(Sum.UE) : -1;
    ee = neurons ? layout.offset(Sum.EE) : -1;
  }

  /** Adds the current network of {@code sink} (all layers). */
  public void add(ObservableSink sink) {
    assert sink.layout() == layout && sink.depth() == depth;
    if (pairs == 1) {
      addOnePair(sink);
      count++;
      return;
    }
    for (int l = 0; l < depth; l++) {
      double[] s = sums[l];
      double[] m = maxAbs[l];
      double[] g = sink.g(l + 1);
      for (int p = 0; p < pairs; p++) {
        s[g1 + p] += g[p];
        g2[p] = g[p] * g[p];
        m[p] = Math.max(m[p], Math.abs(g[p]));
      }
      for (int p = 0; p < pairs; p++) {
        int row = rowStart[p] - p; // r = row + q
        rankOne(s, v1 + row, g[p], g, p, pairs);
        rankOne(s, v2 + row, g2[p], g2, p, pairs);
        rankOne(s, v3a + row, g2[p], g, p, pairs);
        rankOne(s, v3b + row, g[p], g2, p, pairs);
      }
      if (neurons) {
        addNeurons(s, m, sink.u(l + 1), sink.e(l + 1));
      }
    }
    count++;
  }

  /**
   * {@link #add} for one input (one pair, one pair of pairs, r = 0): the same updates in the same
   * order, written out without the loops of trip count one (they cost more than the arithmetic).
   */
  private void addOnePair(ObservableSink sink) {
    for (int l = 0; l < depth; l++) {
      double[] s = sums[l];
      double[] m = maxAbs[l];
      double g0 = sink.g(l + 1)[0];
      double gg = g0 * g0;
      s[g1] += g0;
      m[0] = Math.max(m[0], Math.abs(g0));
      s[v1] = Math.fma(g0, g0, s[v1]);
      s[v2] = Math.fma(gg, gg, s[v2]);
      s[v3a] = Math.fma(gg, g0, s[v3a]);
      s[v3b] = Math.fma(g0, gg, s[v3b]);
      if (neurons) {
        double up = sink.u(l + 1)[0];
        double er = sink.e(l + 1)[0];
        double uu = up * up;
        s[u1] += up;
        s[u2] += uu;
        s[u4] = Math.fma(uu, uu, s[u4]);
        m[1] = Math.max(m[1], Math.abs(up));
        double tr = Math.fma(up, up, er);
        s[w1] = Math.fma(up, up, s[w1]);
        s[e1] += er;
        s[t2] = Math.fma(tr, tr, s[t2]);
        s[ta] = Math.fma(tr, up, s[ta]);
        s[tb] = Math.fma(tr, up, s[tb]);
        s[u3] = Math.fma(uu, up, s[u3]);
        s[we] = Math.fma(uu, er, s[we]);
        s[ue] = Math.fma(up, er, s[ue]);
        s[ee] = Math.fma(er, er, s[ee]);
      }
    }
  }

  /** {@code s[at + q] ← fma(x, y[q], s[at + q])} for q in [from, to). */
  private static void rankOne(double[] s, int at, double x, double[] y, int from, int to) {
    for (int q = from; q < to; q++) {
      s[at + q] = Math.fma(x, y[q], s[at + q]);
    }
  }

  private void addNeurons(double[] s, double[] m, double[] u, double[] e) {
    for (int p = 0; p < pairs; p++) {
      double up = u[p];
      double uu = up * up;
      s[u1 + p] += up;
      s[u2 + p] += uu;
      s[u4 + p] = Math.fma(uu, uu, s[u4 + p]);
      m[pairs + p] = Math.max(m[pairs + p], Math.abs(up));
    }
    for (int p = 0; p < pairs; p++) {
      int row = rowStart[p] - p;
      double up = u[p];
      for (int q = p; q < pairs; q++) {
        int r = row + q;
        double er = e[r];
        double tr = Math.fma(up, u[q], er);
        s[w1 + r] = Math.fma(up, u[q], s[w1 + r]);
        s[e1 + r] += er;
        s[t2 + r] = Math.fma(tr, tr, s[t2 + r]);
        s[ta + r] = Math.fma(tr, up, s[ta + r]);
        s[tb + r] = Math.fma(tr, u[q], s[tb + r]);
      }
    }
    int d = layout.inputs();
    for (int a = 0; a < d; a++) {
      double up = u[layout.diagonalPair(a)];
      double er = e[layout.diagonalPairPair(a)];
      double uu = up * up;
      s[u3 + a] = Math.fma(uu, up, s[u3 + a]);
      s[we + a] = Math.fma(uu, er, s[we + a]);
      s[ue + a] = Math.fma(up, er, s[ue + a]);
      s[ee + a] = Math.fma(er, er, s[ee + a]);
    }
  }

  /** Number of networks added since the last {@link #clear()}. */
  public long count() {
    return count;
  }

  /** The sums of layer ℓ ({@link ObservableLayout} order; live array). */
  double[] sums(int layer) {
    return sums[layer - 1];
  }

  /** max |g_p| then (distinct-neuron statistics) max |u_p| over the block at layer ℓ (live array). */
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
      Arrays.fill(maxAbs[l], 0);
    }
    count = 0;
  }
}
