package org.finwidth.vector;

import java.util.concurrent.ConcurrentHashMap;

/**
 * The one numbering of input pairs, pairs of pairs and sorted quadruples for {@code d} inputs,
 * used by the theory (the four-point vertex), the Monte Carlo kernels, the statistics and the
 * output keys. It is serialised in result files (the order of stored sums), so it never changes.
 *
 * <ul>
 * <li>Pairs {@code p = (ab)}, {@code a ≤ b < d}, in lexicographic order:
 *     {@code (00), (01), …, (0,d−1), (11), (12), …, (d−1,d−1)}; {@code P = d(d+1)/2} of them,
 *     {@code p = a·d − a(a−1)/2 + (b − a)}.</li>
 * <li>Pairs of pairs {@code r = (p, q)}, {@code p ≤ q < P}, in the same lexicographic order over
 *     the pair indices; {@code R = P(P+1)/2} of them: the independent components
 *     {@code V_{(ab)(cd)}} of the four-point vertex.</li>
 * <li>Sorted quadruples {@code a ≤ b ≤ c ≤ e < d} in lexicographic order,
 *     {@code d(d+1)(d+2)(d+3)/24} of them: the distinct fourth moments of d inputs.</li>
 * </ul>
 * Component keys: a pair is written {@code "ab"} and a pair of pairs {@code "ab|cd"} (with
 * {@code (ab) ≤ (cd)}) when every input index is one digit ({@code d ≤ 10}); for {@code d > 10}
 * the indices are comma-separated, {@code "a,b"} and {@code "a,b|c,d"}, which is unambiguous.
 *
 * <p>Instances are immutable, cached per d and thread-safe; lookups are arithmetic (no tables of
 * size R), so any d with {@code R < 2^31} is allowed.
 */
public final class PairIndex {
  /** Largest d for which the number of pairs of pairs fits an int (P = 65,341, R ≈ 2.1·10^9). */
  public static final int MAX_INPUTS = 361;
  /** Largest d whose keys use single digits ({@code "01|23"}); beyond it {@code "0,1|2,3"}. */
  public static final int MAX_DIGIT_KEY_INPUTS = 10;

  private static final ConcurrentHashMap<Integer, PairIndex> CACHE = new ConcurrentHashMap<>();

  private final int d;
  private final int pairs;
  private final int pairPairs;
  private final int[] first;
  private final int[] second;

  private PairIndex(int d) {
    this.d = d;
    this.pairs = pairCount(d);
    this.pairPairs = pairPairCount(d);
    this.first = new int[pairs];
    this.second = new int[pairs];
    int p = 0;
    for (int a = 0; a < d; a++) {
      for (int b = a; b < d; b++, p++) {
        first[p] = a;
        second[p] = b;
      }
    }
  }

  /**
   * The numbering for {@code d} inputs.
   *
   * @throws IllegalArgumentException unless {@code 1 ≤ d ≤ MAX_INPUTS}
   */
  public static PairIndex of(int d) {
    checkInputs(d);
    return CACHE.computeIfAbsent(d, PairIndex::new);
  }

  private static void checkInputs(int d) {
    if (d < 1 || d > MAX_INPUTS) {
      throw new IllegalArgumentException("the number of inputs must be in 1.." + MAX_INPUTS + ", got " + d);
    }
  }

  /**
   * Number of pairs {@code a ≤ b < d}: {@code d(d+1)/2}.
   *
   * @throws IllegalArgumentException unless 1 ≤ d ≤ MAX_INPUTS
   */
  public static int pairCount(int d) {
    checkInputs(d);
    return d * (d + 1) / 2;
  }

  /**
   * Number of pairs of pairs: {@code P(P+1)/2}.
   *
   * @throws IllegalArgumentException unless 1 ≤ d ≤ MAX_INPUTS
   */
  public static int pairPairCount(int d) {
    long p = pairCount(d);
    return (int) (p * (p + 1) / 2);
  }

  /**
   * Number of sorted quadruples {@code a ≤ b ≤ c ≤ e < d}: {@code d(d+1)(d+2)(d+3)/24}.
   *
   * @throws IllegalArgumentException unless 1 ≤ d ≤ MAX_INPUTS
   */
  public static int quadCount(int d) {
    checkInputs(d);
    return (int) ((long) d * (d + 1) * (d + 2) * (d + 3) / 24);
  }

  /** Position of (i, j), {@code i ≤ j < m}, among the pairs of m items in lexicographic order. */
  private static int lex(int i, int j, int m) {
    return (int) ((long) i * m - (long) i * (i - 1) / 2 + (j - i));
  }

  /** Number of inputs d. */
  public int inputs() {
    return d;
  }

  /** Number of pairs P = d(d+1)/2. */
  public int pairs() {
    return pairs;
  }

  /** Number of pairs of pairs R = P(P+1)/2 (the independent V components). */
  public int pairPairs() {
    return pairPairs;
  }

  /** Number of sorted quadruples d(d+1)(d+2)(d+3)/24. */
  public int quads() {
    return quadCount(d);
  }

  /**
   * Index of the pair {a, b} (either order).
   *
   * @throws IndexOutOfBoundsException if an index is not in [0, d)
   */
  public int pair(int a, int b) {
    checkInput(a);
    checkInput(b);
    return a <= b ? lex(a, b, d) : lex(b, a, d);
  }

  /**
   * First (smaller) input of pair p.
   *
   * @throws IndexOutOfBoundsException if p is not in [0, P)
   */
  public int first(int p) {
    return first[p];
  }

  /**
   * Second (larger or equal) input of pair p.
   *
   * @throws IndexOutOfBoundsException if p is not in [0, P)
   */
  public int second(int p) {
    return second[p];
  }

  /**
   * Index of the pair of pairs {p, q} (either order).
   *
   * @throws IndexOutOfBoundsException if a pair index is not in [0, P)
   */
  public int pairPair(int p, int q) {
    checkPair(p);
    checkPair(q);
    return p <= q ? lex(p, q, pairs) : lex(q, p, pairs);
  }

  /**
   * Index of the V component {@code (ab)(ce)}: {@code pairPair(pair(a, b), pair(c, e))}.
   *
   * @throws IndexOutOfBoundsException if an input index is not in [0, d)
   */
  public int component(int a, int b, int c, int e) {
    return pairPair(pair(a, b), pair(c, e));
  }

  /**
   * The first (smaller) pair of pair-of-pairs r.
   *
   * @throws IndexOutOfBoundsException if r is not in [0, R)
   */
  public int pairPairFirst(int r) {
    if (r < 0 || r >= pairPairs) {
      throw new IndexOutOfBoundsException("pair-of-pairs index " + r + " not in [0, " + pairPairs + ")");
    }
    // The largest p with lex(p, p, P) <= r: solve the quadratic, then correct the rounding.
    double m = pairs + 0.5;
    int p = (int) Math.floor(m - Math.sqrt(m * m - 2.0 * r));
    p = Math.max(0, Math.min(pairs - 1, p));
    while (p > 0 && lex(p, p, pairs) > r) {
      p--;
    }
    while (p + 1 < pairs && lex(p + 1, p + 1, pairs) <= r) {
      p++;
    }
    return p;
  }

  /**
   * The second (larger or equal) pair of pair-of-pairs r.
   *
   * @throws IndexOutOfBoundsException if r is not in [0, R)
   */
  public int pairPairSecond(int r) {
    int p = pairPairFirst(r);
    return p + (r - lex(p, p, pairs));
  }

  /**
   * Index of the sorted quadruple {@code a ≤ b ≤ c ≤ e} in lexicographic order.
   *
   * @throws IllegalArgumentException unless {@code 0 ≤ a ≤ b ≤ c ≤ e < d}
   */
  public int quad(int a, int b, int c, int e) {
    if (a < 0 || a > b || b > c || c > e || e >= d) {
      throw new IllegalArgumentException("need 0 <= a <= b <= c <= e < d, got (" + a + ", " + b + ", "
          + c + ", " + e + "), d = " + d);
    }
    // Quadruples before a: those with first index < a; then recursively within (b, c, e) >= a.
    long idx = 0;
    for (int x = 0; x < a; x++) {
      long k = d - x;
      idx += k * (k + 1) * (k + 2) / 6;
    }
    for (int x = a; x < b; x++) {
      long k = d - x;
      idx += k * (k + 1) / 2;
    }
    for (int x = b; x < c; x++) {
      idx += d - x;
    }
    return (int) (idx + (e - c));
  }

  /**
   * The sorted quadruple index of the four inputs of pair-of-pairs r ({@link #quad} of
   * {@code a, b, c, e} sorted): the fourth moment {@code E[z_a z_b z_c z_e]} the component needs.
   *
   * @throws IndexOutOfBoundsException if r is not in [0, R)
   */
  public int quadOf(int r) {
    int p = pairPairFirst(r);
    int q = pairPairSecond(r);
    int[] x = {first[p], second[p], first[q], second[q]};
    java.util.Arrays.sort(x);
    return quad(x[0], x[1], x[2], x[3]);
  }

  /**
   * The key of pair p: {@code "ab"} for d ≤ 10, {@code "a,b"} otherwise (see the class comment).
   *
   * @throws IndexOutOfBoundsException if p is not in [0, P)
   */
  public String pairKey(int p) {
    checkPair(p);
    return d <= MAX_DIGIT_KEY_INPUTS ? "" + first[p] + second[p] : first[p] + "," + second[p];
  }

  /**
   * The key of V component r: {@code "ab|cd"} for d ≤ 10, {@code "a,b|c,d"} otherwise, with
   * {@code (ab) ≤ (cd)} (see the class comment).
   *
   * @throws IndexOutOfBoundsException if r is not in [0, R)
   */
  public String key(int r) {
    return pairKey(pairPairFirst(r)) + "|" + pairKey(pairPairSecond(r));
  }

  /**
   * The pair-of-pairs index of a key as {@link #key} writes it (the pairs in either order, the
   * inputs of a pair in either order).
   *
   * @throws IllegalArgumentException if the key is malformed or names an input outside [0, d)
   */
  public int parseKey(String key) {
    int bar = key.indexOf('|');
    if (bar < 0 || key.indexOf('|', bar + 1) >= 0) {
      throw new IllegalArgumentException("a V key has the form " + (d <= MAX_DIGIT_KEY_INPUTS ? "\"ab|cd\"" : "\"a,b|c,d\"")
          + ", got \"" + key + "\"");
    }
    return pairPair(parsePairKey(key.substring(0, bar)), parsePairKey(key.substring(bar + 1)));
  }

  /**
   * The pair index of a key as {@link #pairKey} writes it (the inputs in either order).
   *
   * @throws IllegalArgumentException if the key is malformed or names an input outside [0, d)
   */
  public int parsePairKey(String key) {
    String[] parts;
    if (d <= MAX_DIGIT_KEY_INPUTS) {
      parts = key.length() == 2 ? new String[] {key.substring(0, 1), key.substring(1)} : null;
    } else {
      parts = key.split(",", -1);
      if (parts.length != 2) {
        parts = null;
      }
    }
    if (parts == null) {
      throw new IllegalArgumentException("a pair key has the form " + (d <= MAX_DIGIT_KEY_INPUTS ? "\"ab\"" : "\"a,b\"")
          + " for " + d + " inputs, got \"" + key + "\"");
    }
    int a = parseInput(parts[0], key);
    int b = parseInput(parts[1], key);
    return pair(a, b);
  }

  private int parseInput(String s, String key) {
    int v;
    try {
      v = Integer.parseInt(s);
    } catch (NumberFormatException e) {
      v = -1;
    }
    if (v < 0 || v >= d || !s.equals(Integer.toString(v))) {
      throw new IllegalArgumentException("input index \"" + s + "\" in key \"" + key + "\" is not in 0.." + (d - 1));
    }
    return v;
  }

  private void checkInput(int a) {
    if (a < 0 || a >= d) {
      throw new IndexOutOfBoundsException("input index " + a + " not in [0, " + d + ")");
    }
  }

  private void checkPair(int p) {
    if (p < 0 || p >= pairs) {
      throw new IndexOutOfBoundsException("pair index " + p + " not in [0, " + pairs + ")");
    }
  }

  @Override
  public String toString() {
    return "PairIndex[d=" + d + ", P=" + pairs + ", R=" + pairPairs + "]";
  }
}
