package org.finwidth.theory;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import org.finwidth.vector.PairIndex;

/**
 * The four-point vertex V_{(α1α2)(α3α4)} of one layer for d inputs (docs/theory.md §1.4, PDLT
 * normalisation): V = n_{ℓ−1} Cov(Ĝ_{α1α2}, Ĝ_{α3α4}) at leading order in 1/n. Symmetric under
 * α1 ↔ α2, α3 ↔ α4 and (α1α2) ↔ (α3α4), so it is stored as a symmetric P×P matrix over the
 * P = d(d+1)/2 unordered pairs in the order of {@link PairIndex} ((0,0), (0,1), …, (0,d−1),
 * (1,1), …), the order of the Monte Carlo observables. Keys of {@link #components()}: "ab|cd" for
 * d ≤ 10 ("00|00", "01|23"), "a,b|c,d" beyond ({@link PairIndex#key}). Immutable.
 */
public final class FourPointVertex {
  private final int inputs;
  private final PairIndex index;
  /** v[u][w] over unordered pair indices u, w ({@link PairIndex} order, symmetric). */
  private final double[][] v;

  FourPointVertex(int inputs, double[][] v) {
    this.inputs = inputs;
    this.index = PairIndex.of(inputs);
    int pairs = index.pairs();
    this.v = new double[pairs][];
    for (int u = 0; u < pairs; u++) {
      this.v[u] = Arrays.copyOf(v[u], pairs);
    }
  }

  /** The zero vertex (layer 1, whose preactivations are exactly Gaussian). */
  static FourPointVertex zero(int inputs) {
    int pairs = PairIndex.pairCount(inputs);
    return new FourPointVertex(inputs, new double[pairs][pairs]);
  }

  /** The pairs in {@link PairIndex} order: pairs(d)[u] = {a, b} with a ≤ b. */
  static int[][] pairs(int inputs) {
    PairIndex index = PairIndex.of(inputs);
    int[][] p = new int[index.pairs()][];
    for (int u = 0; u < p.length; u++) {
      p[u] = new int[] {index.first(u), index.second(u)};
    }
    return p;
  }

  /** Number of inputs d. */
  public int inputCount() {
    return inputs;
  }

  /** The pair numbering of this vertex. */
  public PairIndex index() {
    return index;
  }

  /**
   * V_{(ab)(cd)}.
   *
   * @throws IndexOutOfBoundsException if an index is not in [0, d)
   */
  public double get(int a, int b, int c, int d) {
    return v[index.pair(a, b)][index.pair(c, d)];
  }

  /** The component of pairs u, w ({@link PairIndex#pair} numbers). */
  public double component(int u, int w) {
    return v[u][w];
  }

  /** The P×P matrix over pairs ({@link PairIndex} order; a copy). */
  public double[][] matrix() {
    double[][] c = new double[v.length][];
    for (int u = 0; u < v.length; u++) {
      c[u] = v[u].clone();
    }
    return c;
  }

  /**
   * The P(P+1)/2 independent components by key "ab|cd" (or "a,b|c,d" for d &gt; 10) with a ≤ b,
   * c ≤ d, (ab) ≤ (cd) in lexicographic order ({@link PairIndex#key}): {"00|00"} for one input;
   * "00|00", "00|01", "00|11", "01|01", "01|11", "11|11" for two.
   */
  public Map<String, Double> components() {
    Map<String, Double> m = new LinkedHashMap<>();
    for (int r = 0; r < index.pairPairs(); r++) {
      m.put(index.key(r), v[index.pairPairFirst(r)][index.pairPairSecond(r)]);
    }
    return m;
  }

  /** True if every component is finite. */
  boolean isFinite() {
    for (double[] row : v) {
      for (double x : row) {
        if (!Double.isFinite(x)) {
          return false;
        }
      }
    }
    return true;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof FourPointVertex f && f.inputs == inputs && Arrays.deepEquals(f.v, v);
  }

  @Override
  public int hashCode() {
    return Arrays.deepHashCode(v);
  }

  @Override
  public String toString() {
    return "FourPointVertex" + components();
  }
}
