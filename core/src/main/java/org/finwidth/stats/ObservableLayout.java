package org.finwidth.stats;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.finwidth.vector.PairIndex;

/**
 * Which per-network statistics are accumulated for {@code d} inputs, and in which order: the
 * layout of the statistic vector {@code x} of one network at one layer and of the products
 * {@code x_i x_j} whose sums are kept. It is a part of the serialised result (shard and checkpoint
 * formats): changing the order changes the meaning of stored sums.
 *
 * <p>Input pairs {@code p = (ab)}, {@code a ≤ b < d}, and pairs of pairs {@code r = (p, q)},
 * {@code p ≤ q}, are numbered by {@link PairIndex} (lexicographic: {@code (00), (01), …, (0 d−1),
 * (11), …}), {@code P = d(d+1)/2} and {@code R = P(P+1)/2} of them. With {@code n = n_ℓ} the width of
 * the layer, {@code c_p} the fixed reference of the layer (an approximation of {@code G_p} chosen
 * before the run) and
 * <pre>
 *   A_p = (1/n) Σ_i z_{i;a} z_{i;b}                 Q_r = (1/n) Σ_i z_{i;a} z_{i;b} z_{i;c} z_{i;d}
 *   D_r = (A_p A_q − Q_r) / (n − 1)    (0 when n = 1)
 *   c_{D,r} = −(c_{ac} c_{bd} + c_{ad} c_{bc}) / n         (the mean of D_r for Gaussian neurons of covariance c)
 * </pre>
 * the components of {@code x} are, in this order,
 * <pre>
 *   u_p = A_p − c_p        (P)   two-point function, one network's neuron average
 *   g_p = Ĝ_p − c_p        (P)   the stochastic metric that generated the layer (Rao–Blackwell)
 *   e_r = D_r − c_{D,r}    (R)   within-network distinct-neuron correction of the four-point function
 *   w_r = u_p u_q          (R)   products for Cov(A_p, A_q)
 *   v_r = g_p g_q          (R)   products for Cov(Ĝ_p, Ĝ_q)
 * </pre>
 * The products {@code x_i x_j} kept are exactly those the standard errors need
 * ({@link #crossIndex}): {@code (u_p,u_p)}, {@code (g_p,g_p)}, and for every {@code r = (p,q)} all
 * pairs within {@code {w_r, u_p, u_q, e_r}} and within {@code {v_r, g_p, g_q}}, numbered in order
 * of first appearance in that enumeration. So the cost is {@code O(d^4)} per network and layer, not
 * the {@code O(d^8)} of a full covariance matrix.
 */
public final class ObservableLayout {
  /** Largest number of inputs: d = 8 already has 666 V components and about 10^4 kept products. */
  public static final int MAX_INPUTS = 8;

  private final int d;
  private final PairIndex index;
  private final int pairs;
  private final int pairPairs;
  /** The pairs of pair-of-pairs r (copied from the index for the constructor's loops). */
  private final int[] rp;
  private final int[] rq;
  private final int[] crossI;
  private final int[] crossJ;
  private final Map<Long, Integer> cross = new HashMap<>();

  private static final Map<Integer, ObservableLayout> CACHE = new java.util.concurrent.ConcurrentHashMap<>();

  private ObservableLayout(int d) {
    this.d = d;
    this.index = PairIndex.of(d);
    this.pairs = index.pairs();
    this.pairPairs = index.pairPairs();
    rp = new int[pairPairs];
    rq = new int[pairPairs];
    for (int r = 0; r < pairPairs; r++) {
      rp[r] = index.pairPairFirst(r);
      rq[r] = index.pairPairSecond(r);
    }
    List<int[]> list = new ArrayList<>();
    for (int q = 0; q < pairs; q++) {
      addCross(list, u(q), u(q));
      addCross(list, g(q), g(q));
    }
    for (int s = 0; s < pairPairs; s++) {
      int[] zset = {w(s), u(rp[s]), u(rq[s]), e(s)};
      for (int i = 0; i < zset.length; i++) {
        for (int j = i; j < zset.length; j++) {
          addCross(list, zset[i], zset[j]);
        }
      }
      int[] gset = {v(s), g(rp[s]), g(rq[s])};
      for (int i = 0; i < gset.length; i++) {
        for (int j = i; j < gset.length; j++) {
          addCross(list, gset[i], gset[j]);
        }
      }
    }
    crossI = new int[list.size()];
    crossJ = new int[list.size()];
    for (int k = 0; k < list.size(); k++) {
      crossI[k] = list.get(k)[0];
      crossJ[k] = list.get(k)[1];
    }
  }

  private void addCross(List<int[]> list, int i, int j) {
    int lo = Math.min(i, j);
    int hi = Math.max(i, j);
    long key = (long) lo << 32 | hi;
    if (!cross.containsKey(key)) {
      cross.put(key, list.size());
      list.add(new int[] {lo, hi});
    }
  }

  /**
   * The layout for {@code d} inputs.
   *
   * @throws IllegalArgumentException if {@code d < 1} or {@code d > MAX_INPUTS}
   */
  public static ObservableLayout forInputs(int d) {
    if (d < 1 || d > MAX_INPUTS) {
      throw new IllegalArgumentException("the Monte Carlo statistics support 1 to " + MAX_INPUTS
          + " inputs (the number of V components grows like d^4), got d=" + d);
    }
    return CACHE.computeIfAbsent(d, ObservableLayout::new);
  }

  /** Number of inputs d. */
  public int inputs() {
    return d;
  }

  /** Number of input pairs P = d(d+1)/2. */
  public int pairs() {
    return pairs;
  }

  /** Number of pairs of pairs R = P(P+1)/2 (the V components). */
  public int pairPairs() {
    return pairPairs;
  }

  /** Length of the statistic vector: 2P + 3R. */
  public int dimension() {
    return 2 * pairs + 3 * pairPairs;
  }

  /** Number of kept products x_i x_j. */
  public int crossCount() {
    return crossI.length;
  }

  /** First component of kept product k. */
  public int crossFirst(int k) {
    return crossI[k];
  }

  /** Second component of kept product k (≥ the first). */
  public int crossSecond(int k) {
    return crossJ[k];
  }

  /** The index of the kept product {@code x_i x_j}, or −1 if it is not kept. */
  public int crossIndex(int i, int j) {
    Integer k = cross.get((long) Math.min(i, j) << 32 | Math.max(i, j));
    return k == null ? -1 : k;
  }

  /** The numbering of input pairs and pairs of pairs (the V components) that this layout uses. */
  public PairIndex index() {
    return index;
  }

  /** Component index of u_p. */
  public int u(int p) {
    return p;
  }

  /** Component index of g_p. */
  public int g(int p) {
    return pairs + p;
  }

  /** Component index of e_r. */
  public int e(int r) {
    return 2 * pairs + r;
  }

  /** Component index of w_r. */
  public int w(int r) {
    return 2 * pairs + pairPairs + r;
  }

  /** Component index of v_r. */
  public int v(int r) {
    return 2 * pairs + 2 * pairPairs + r;
  }

  /**
   * {@code c_{D,r} = −(c_ac c_bd + c_ad c_bc)/n} for {@code r = ((ab),(cd))}: the expected
   * {@code D_r} of n i.i.d. Gaussian neurons with covariance {@code c} (pair-indexed; from
   * {@code E[A_p A_q] = (n−1)/n c_p c_q + E[Q_r]/n} and Isserlis); 0 for {@code n = 1}.
   */
  public double gaussianD(double[] c, int r, int n) {
    if (n <= 1) {
      return 0;
    }
    int p = rp[r];
    int q = rq[r];
    int a = index.first(p);
    int b = index.second(p);
    int cc = index.first(q);
    int dd = index.second(q);
    return -(c[index.pair(a, cc)] * c[index.pair(b, dd)] + c[index.pair(a, dd)] * c[index.pair(b, cc)]) / n;
  }
}
