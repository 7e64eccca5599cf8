package org.finwidth.theory;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The four-point vertex V_{(α1α2)(α3α4)} of one layer for d = 1 or 2 inputs (docs/theory.md §1.4,
 * PDLT normalisation): V = n_{ℓ−1} Cov(Ĝ_{α1α2}, Ĝ_{α3α4}) at leading order in 1/n. Symmetric
 * under α1 ↔ α2, α3 ↔ α4 and (α1α2) ↔ (α3α4), so it is stored over unordered pairs
 * (00, 01, 11): one component for one input, six for two ("00|00", "00|01", "00|11", "01|01",
 * "01|11", "11|11"). Immutable.
 */
public final class FourPointVertex {
  private final int inputs;
  /** v[u][w] over unordered pair indices u, w (symmetric). */
  private final double[][] v;

  FourPointVertex(int inputs, double[][] v) {
    this.inputs = inputs;
    int pairs = pairCount(inputs);
    this.v = new double[pairs][];
    for (int u = 0; u < pairs; u++) {
      this.v[u] = Arrays.copyOf(v[u], pairs);
    }
  }

  /** The zero vertex (layer 1, whose preactivations are exactly Gaussian). */
  static FourPointVertex zero(int inputs) {
    int pairs = pairCount(inputs);
    return new FourPointVertex(inputs, new double[pairs][pairs]);
  }

  static int pairCount(int inputs) {
    return inputs * (inputs + 1) / 2;
  }

  /** Index of the unordered pair {a, b} (d = 2: 00 → 0, 01 → 1, 11 → 2). */
  static int pairIndex(int a, int b) {
    int lo = Math.min(a, b);
    int hi = Math.max(a, b);
    return hi * (hi + 1) / 2 + lo;
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
    for (int i : new int[] {a, b, c, d}) {
      if (i < 0 || i >= inputs) {
        throw new IndexOutOfBoundsException("input index " + i + " not in [0, " + inputs + ")");
      }
    }
    return v[pairIndex(a, b)][pairIndex(c, d)];
  }

  /** Value of the stored component u, w (unordered pair indices). */
  double component(int u, int w) {
    return v[u][w];
  }

  /**
   * The independent components by key "ab|cd" with a ≤ b, c ≤ d, (ab) ≤ (cd) in lexicographic
   * order: {"00|00"} for one input; "00|00", "00|01", "00|11", "01|01", "01|11", "11|11" for two.
   */
  public Map<String, Double> components() {
    Map<String, Double> m = new LinkedHashMap<>();
    for (int[] k : keys(inputs)) {
      m.put(key(k), get(k[0], k[1], k[2], k[3]));
    }
    return m;
  }

  private static List<int[]> keys(int inputs) {
    List<int[]> pairs = new ArrayList<>();
    for (int a = 0; a < inputs; a++) {
      for (int b = a; b < inputs; b++) {
        pairs.add(new int[] {a, b});
      }
    }
    List<int[]> keys = new ArrayList<>();
    for (int i = 0; i < pairs.size(); i++) {
      for (int j = i; j < pairs.size(); j++) {
        keys.add(new int[] {pairs.get(i)[0], pairs.get(i)[1], pairs.get(j)[0], pairs.get(j)[1]});
      }
    }
    return keys;
  }

  private static String key(int[] k) {
    return "" + k[0] + k[1] + "|" + k[2] + k[3];
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
