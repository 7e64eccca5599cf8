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
 * the {@link org.finwidth.vector.PairIndex} order): O(R) per network and layer. For d ≥ 2 the
 * four metric products (V1, V2, V3A, V3B) are applied {@value #BATCH} networks at a time, four
 * per pass over a row, each entry getting the networks' fmas in network order (so the same bits
 * as one network at a time): at d = 8 a layer's products are 4·666 doubles, and a network's
 * (210 KB over 10 layers) do not stay in the L1 cache between networks, so one network at a time
 * spent its time moving them (docs/performance.md). Reading the sums applies the pending
 * networks first.
 */
public final class BlockSums {
  /**
   * Networks whose products over pairs of pairs are applied together (d ≥ 2): each product sum is
   * loaded and stored once per {@value} networks instead of once per network, with the
   * networks' fmas applied in network order, so the bits are those of one network at a time.
   */
  static final int BATCH = 8;
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
  /**
   * The metric's products over pairs of pairs (V1, V2, V3A, V3B) of layer ℓ, each in an array of
   * its own ({@code [ℓ−1][r]}), copied into {@link #sums} when read: separate arrays let C2
   * vectorise the fused row loop (no aliasing between the four outputs).
   */
  private final double[][] pv1;
  private final double[][] pv2;
  private final double[][] pv3a;
  private final double[][] pv3b;
  /** g_p and g_p² of the networks added but not yet in the products: [ℓ−1][k·P + p]. */
  private final double[][] pendingG;
  private final double[][] pendingG2;
  /** Networks in {@link #pendingG} (fewer than {@link #BATCH}). */
  private int pending;

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
    int pp = pairs == 1 ? 0 : layout.pairPairs();
    int buffered = pairs == 1 ? 0 : BATCH * pairs;
    pv1 = new double[depth][pp];
    pv2 = new double[depth][pp];
    pv3a = new double[depth][pp];
    pv3b = new double[depth][pp];
    pendingG = new double[depth][buffered];
    pendingG2 = new double[depth][buffered];
  }

  /** Adds the current network of {@code sink} (all layers). */
  public void add(ObservableSink sink) {
    assert sink.layout() == layout && sink.depth() == depth;
    if (pairs == 1) {
      addOnePair(sink);
      count++;
      return;
    }
    int at = pending * pairs;
    for (int l = 0; l < depth; l++) {
      double[] s = sums[l];
      double[] m = maxAbs[l];
      double[] g = sink.g(l + 1);
      double[] pg = pendingG[l];
      double[] pg2 = pendingG2[l];
      for (int p = 0; p < pairs; p++) {
        s[g1 + p] += g[p];
        pg[at + p] = g[p];
        pg2[at + p] = g[p] * g[p];
        m[p] = Math.max(m[p], Math.abs(g[p]));
      }
      if (neurons) {
        addNeurons(s, m, sink.u(l + 1), sink.e(l + 1));
      }
    }
    count++;
    if (++pending == BATCH) {
      flush();
    }
  }

  /**
   * Applies the pending networks' products over pairs of pairs (V1, V2, V3A, V3B), layer by layer,
   * four networks per pass over a row: each entry gets the networks' fmas in network order.
   */
  private void flush() {
    for (int l = 0; l < depth; l++) { // a layer's products stay in the L1 cache for all pending networks
      int k = 0;
      for (; k + 4 <= pending; k += 4) {
        rows4(pendingG[l], pendingG2[l], k * pairs, pv1[l], pv2[l], pv3a[l], pv3b[l]);
      }
      for (; k < pending; k++) {
        rows1(pendingG[l], pendingG2[l], k * pairs, pv1[l], pv2[l], pv3a[l], pv3b[l]);
      }
    }
    pending = 0;
  }

  /** One network's products at {@code o} of {@code g} and {@code g2} (r = start(p) + q − p, q ≥ p). */
  private void rows1(double[] g, double[] g2, int o, double[] s1, double[] s2, double[] s3, double[] s4) {
    for (int p = 0; p < pairs; p++) {
      int row = rowStart[p] - p - o;
      double x = g[o + p];
      double xx = g2[o + p];
      for (int q = o + p; q < o + pairs; q++) {
        int r = row + q;
        s1[r] = Math.fma(x, g[q], s1[r]);
        s2[r] = Math.fma(xx, g2[q], s2[r]);
        s3[r] = Math.fma(xx, g[q], s3[r]);
        s4[r] = Math.fma(x, g2[q], s4[r]);
      }
    }
  }

  /** {@link #rows1} for the four networks at {@code o}, {@code o + P}, {@code o + 2P}, {@code o + 3P}, in that order. */
  private void rows4(double[] g, double[] g2, int o, double[] s1, double[] s2, double[] s3, double[] s4) {
    int np = pairs;
    int o1 = o + np;
    int o2 = o1 + np;
    int o3 = o2 + np;
    for (int p = 0; p < np; p++) {
      int row = rowStart[p] - p;
      double x0 = g[o + p];
      double x1 = g[o1 + p];
      double x2 = g[o2 + p];
      double x3 = g[o3 + p];
      double h0 = g2[o + p];
      double h1 = g2[o1 + p];
      double h2 = g2[o2 + p];
      double h3 = g2[o3 + p];
      for (int q = p; q < np; q++) {
        int r = row + q;
        double y0 = g[o + q];
        double y1 = g[o1 + q];
        double y2 = g[o2 + q];
        double y3 = g[o3 + q];
        double z0 = g2[o + q];
        double z1 = g2[o1 + q];
        double z2 = g2[o2 + q];
        double z3 = g2[o3 + q];
        s1[r] = Math.fma(x3, y3, Math.fma(x2, y2, Math.fma(x1, y1, Math.fma(x0, y0, s1[r]))));
        s2[r] = Math.fma(h3, z3, Math.fma(h2, z2, Math.fma(h1, z1, Math.fma(h0, z0, s2[r]))));
        s3[r] = Math.fma(h3, y3, Math.fma(h2, y2, Math.fma(h1, y1, Math.fma(h0, y0, s3[r]))));
        s4[r] = Math.fma(x3, z3, Math.fma(x2, z2, Math.fma(x1, z1, Math.fma(x0, z0, s4[r]))));
      }
    }
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

  /**
   * The sums of layer ℓ ({@link ObservableLayout} order), with every network added so far (the
   * pending ones applied first; the array is kept and refreshed by the next call: do not modify).
   */
  double[] sums(int layer) {
    double[] s = sums[layer - 1];
    if (pairs > 1) {
      flush();
      int pp = layout.pairPairs();
      System.arraycopy(pv1[layer - 1], 0, s, v1, pp);
      System.arraycopy(pv2[layer - 1], 0, s, v2, pp);
      System.arraycopy(pv3a[layer - 1], 0, s, v3a, pp);
      System.arraycopy(pv3b[layer - 1], 0, s, v3b, pp);
    }
    return s;
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
      Arrays.fill(pv1[l], 0);
      Arrays.fill(pv2[l], 0);
      Arrays.fill(pv3a[l], 0);
      Arrays.fill(pv3b[l], 0);
    }
    pending = 0;
    count = 0;
  }
}
