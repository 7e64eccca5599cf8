package org.finwidth.theory;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import org.finwidth.vector.PairIndex;

/**
 * The four-point vertex V_{(α1α2)(α3α4)} of one layer for d = 1 or 2 inputs (docs/theory.md §1.4,
 * PDLT normalisation): V = n_{ℓ−1} Cov(Ĝ_{α1α2}, Ĝ_{α3α4}) at leading order in 1/n. Symmetric
 * under α1 ↔ α2, α3 ↔ α4 and (α1α2) ↔ (α3α4), so it is stored over unordered pairs in the
 * order of {@link PairIndex} (00, 01, 11): one component for one input, six for two ("00|00",
 * "00|01", "00|11", "01|01", "01|11", "11|11"). Immutable.
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

  /** Number of inputs d (1 or 2). */
  public int inputCount() {
    return inputs;
  }

  /**
   * V_{(ab)(cd)}.
   *
   * @throws IndexOutOfBoundsException if an index is not in [0, d)
   */
  public double get(int a, int b, int c, int d) {
    return v[index.pair(a, b)][index.pair(c, d)];
  }

  /** Value of the stored component u, w (unordered pair indices). */
  double component(int u, int w) {
    return v[u][w];
  }

  /**
   * The independent components by key "ab|cd" with a ≤ b, c ≤ d, (ab) ≤ (cd) in lexicographic
   * order ({@link PairIndex#key}): {"00|00"} for one input; "00|00", "00|01", "00|11", "01|01",
   * "01|11", "11|11" for two.
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
