package org.finwidth.stats;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.finwidth.vector.PairIndex;

/**
 * The per-network NTK statistics of one layer for d inputs and their order: the layout of the
 * statistic vector x that {@link NtkObservables} computes and {@link NtkSums} accumulates (with the
 * products x_i x_j the standard errors need). Part of the serialised result: changing the order
 * changes the meaning of stored sums.
 *
 * <p>Per network and layer, with s output neurons covered (i, k &lt; s), n the width, input pairs
 * p = (ab), q (a ≤ b, {@link PairIndex} order), the fixed references h_p (NTK) and c_p
 * (preactivations), ĥ_{i;p} = Ĥ_{ii;ab} − h_p and ζ_{k;q} = z_{k;a}z_{k;b} − c_q:
 * <pre>
 *   hd_p    = mean_i ĥ_{i;p}                                          (P)
 *   u_q     = (1/n) Σ_{k&lt;n} ζ_{k;q}                                   (P)
 *   xd_pq   = mean_i ĥ_{i;p} · mean_{k≠i, k&lt;n} ζ_{k;q}                (P²)   D
 *   hu_pq   = hd_p u_q                                                (P²)
 *   xa_r    = mean_{i≠k} ĥ_{i;p} ĥ_{k;q},     r = (p ≤ q)              (R)    A
 *   hh_r    = hd_p hd_q                                               (R)
 *   sh_r    = mean_i ĥ_{i;p} ĥ_{i;q}                                  (R)    A + B + B (same neuron)
 *   sd_pq   = mean_i ĥ_{i;p} ζ_{i;q}                                  (P²)   D + F + F (same neuron)
 *   xf_t    = mean_{i≠k} Ĥ_{ik;a1a2} z_{i;a3} z_{k;a4}                 (T_F)  F
 *   xb_t    = mean_{i≠k} Ĥ_{ik;a1a2} Ĥ_{ik;a3a4}                       (T_B)  B
 * </pre>
 * in this order, "mean_{i≠k}" over the s(s−1) ordered pairs. The F and B components are the
 * classes t of index quadruples in the stored order [a1][a3][a2][a4] under the symmetries these
 * averages have exactly in every network: F_{a1a3a2a4} = F_{a2a4a1a3}, and for B also
 * B_{a1a3a2a4} = B_{a3a1a4a2}; a class is numbered by its lexicographically first member, in the
 * order of first appearance. Kept products: all pairs within each estimator's components,
 * {hd_p}, {xd_pq, hd_p, u_q, hu_pq}, {xa_r, hd_p, hd_q, hh_r}, {sh_r, hd_p, hd_q, hh_r},
 * {sd_pq, hd_p, u_q, hu_pq}, {xf_t}, {xb_t}, numbered in order of first appearance.
 */
public final class NtkLayout {
  /** The NTK statistics have d⁴ components per tensor: at most 4 inputs. */
  public static final int MAX_INPUTS = 4;

  private static final Map<Integer, NtkLayout> CACHE = new ConcurrentHashMap<>();

  private final int d;
  private final PairIndex pairs;
  private final int p;
  private final int r;
  private final int[] fClass; // full index (a1 a3 a2 a4) → class
  private final int[] bClass;
  private final int[][] fMembers; // class → first member (a1, a3, a2, a4)
  private final int[][] bMembers;
  private final int dimension;
  private final int[] crossI;
  private final int[] crossJ;
  private final Map<Long, Integer> cross = new HashMap<>();

  private NtkLayout(int d) {
    this.d = d;
    this.pairs = PairIndex.of(d);
    this.p = pairs.pairs();
    this.r = pairs.pairPairs();
    int full = d * d * d * d;
    fClass = new int[full];
    bClass = new int[full];
    fMembers = classes(fClass, false);
    bMembers = classes(bClass, true);
    dimension = 2 * p + 3 * p * p + 3 * r + fMembers.length + bMembers.length;
    List<int[]> list = new ArrayList<>();
    for (int x = 0; x < p; x++) {
      addAll(list, hd(x));
    }
    for (int x = 0; x < p; x++) {
      for (int y = 0; y < p; y++) {
        addAll(list, xd(x, y), hd(x), u(y), hu(x, y));
      }
    }
    for (int t = 0; t < r; t++) {
      int x = pairs.pairPairFirst(t);
      int y = pairs.pairPairSecond(t);
      addAll(list, xa(t), hd(x), hd(y), hh(t));
      addAll(list, sh(t), hd(x), hd(y), hh(t));
    }
    for (int x = 0; x < p; x++) {
      for (int y = 0; y < p; y++) {
        addAll(list, sd(x, y), hd(x), u(y), hu(x, y));
      }
    }
    for (int t = 0; t < fMembers.length; t++) {
      addAll(list, xf(t));
    }
    for (int t = 0; t < bMembers.length; t++) {
      addAll(list, xb(t));
    }
    crossI = new int[list.size()];
    crossJ = new int[list.size()];
    for (int k = 0; k < list.size(); k++) {
      crossI[k] = list.get(k)[0];
      crossJ[k] = list.get(k)[1];
    }
  }

  /** Classes of the index quadruples (a1, a3, a2, a4) under the F (or B) symmetries. */
  private int[][] classes(int[] classOf, boolean b) {
    java.util.Arrays.fill(classOf, -1);
    List<int[]> members = new ArrayList<>();
    for (int a1 = 0; a1 < d; a1++) {
      for (int a3 = 0; a3 < d; a3++) {
        for (int a2 = 0; a2 < d; a2++) {
          for (int a4 = 0; a4 < d; a4++) {
            int idx = flat(a1, a3, a2, a4);
            if (classOf[idx] >= 0) {
              continue;
            }
            int c = members.size();
            members.add(new int[] {a1, a3, a2, a4});
            classOf[idx] = c;
            classOf[flat(a2, a4, a1, a3)] = c;
            if (b) {
              classOf[flat(a3, a1, a4, a2)] = c;
              classOf[flat(a4, a2, a3, a1)] = c;
            }
          }
        }
      }
    }
    return members.toArray(new int[0][]);
  }

  private int flat(int x, int y, int z, int w) {
    return ((x * d + y) * d + z) * d + w;
  }

  private void addAll(List<int[]> list, int... components) {
    for (int i = 0; i < components.length; i++) {
      for (int j = i; j < components.length; j++) {
        int lo = Math.min(components[i], components[j]);
        int hi = Math.max(components[i], components[j]);
        long key = (long) lo << 32 | hi;
        if (!cross.containsKey(key)) {
          cross.put(key, list.size());
          list.add(new int[] {lo, hi});
        }
      }
    }
  }

  /**
   * The layout for d inputs.
   *
   * @throws IllegalArgumentException unless 1 ≤ d ≤ {@value #MAX_INPUTS}
   */
  public static NtkLayout forInputs(int d) {
    if (d < 1 || d > MAX_INPUTS) {
      throw new IllegalArgumentException("the NTK Monte Carlo supports 1 to " + MAX_INPUTS
          + " inputs (D, F, A, B have d^4 components), got d=" + d);
    }
    return CACHE.computeIfAbsent(d, NtkLayout::new);
  }

  /** Number of inputs d. */
  public int inputs() {
    return d;
  }

  /** The pair numbering. */
  public PairIndex pairIndex() {
    return pairs;
  }

  /** Length of the statistic vector. */
  public int dimension() {
    return dimension;
  }

  /** Number of kept products. */
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

  /** The index of the kept product x_i x_j, or −1. */
  public int crossIndex(int i, int j) {
    Integer k = cross.get((long) Math.min(i, j) << 32 | Math.max(i, j));
    return k == null ? -1 : k;
  }

  /** Number of F classes. */
  public int fClasses() {
    return fMembers.length;
  }

  /** Number of B classes. */
  public int bClasses() {
    return bMembers.length;
  }

  /** The F class of F[a1][a3][a2][a4]. */
  public int fClass(int a1, int a3, int a2, int a4) {
    return fClass[flat(a1, a3, a2, a4)];
  }

  /** The B class of B[a1][a3][a2][a4]. */
  public int bClass(int a1, int a3, int a2, int a4) {
    return bClass[flat(a1, a3, a2, a4)];
  }

  /** The first member (a1, a3, a2, a4) of F class t (a copy). */
  public int[] fMember(int t) {
    return fMembers[t].clone();
  }

  /** The first member (a1, a3, a2, a4) of B class t (a copy). */
  public int[] bMember(int t) {
    return bMembers[t].clone();
  }

  // ---- component indices ----------------------------------------------------------------------

  /** hd_p. */
  public int hd(int pair) {
    return pair;
  }

  /** u_q. */
  public int u(int pair) {
    return p + pair;
  }

  /** xd_pq. */
  public int xd(int x, int y) {
    return 2 * p + x * p + y;
  }

  /** hu_pq. */
  public int hu(int x, int y) {
    return 2 * p + p * p + x * p + y;
  }

  /** xa_r (r = pair of pairs p ≤ q). */
  public int xa(int t) {
    return 2 * p + 2 * p * p + t;
  }

  /** hh_r. */
  public int hh(int t) {
    return 2 * p + 2 * p * p + r + t;
  }

  /** sh_r. */
  public int sh(int t) {
    return 2 * p + 2 * p * p + 2 * r + t;
  }

  /** sd_pq. */
  public int sd(int x, int y) {
    return 2 * p + 2 * p * p + 3 * r + x * p + y;
  }

  /** xf_t. */
  public int xf(int t) {
    return 2 * p + 3 * p * p + 3 * r + t;
  }

  /** xb_t. */
  public int xb(int t) {
    return 2 * p + 3 * p * p + 3 * r + fMembers.length + t;
  }
}
