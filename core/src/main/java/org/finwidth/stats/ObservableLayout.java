package org.finwidth.stats;

import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.finwidth.vector.PairIndex;

/**
 * Which sums over networks are kept for {@code d} inputs, and in which order: the layout of the
 * per-layer sum vector of {@link BlockSums} and {@link MomentSums}. It is a part of the serialised
 * result (shard and checkpoint formats): changing it changes the meaning of stored sums, so any
 * change bumps {@code EnsembleResult.STATE_VERSION}.
 *
 * <h2>Per-network statistics</h2>
 * Input pairs {@code p = (ab)} and pairs of pairs {@code r = (p, q)}, {@code p ≤ q}, are numbered
 * by {@link PairIndex} ({@code P = d(d+1)/2}, {@code R = P(P+1)/2}). With {@code n = n_ℓ} the width
 * of the layer and {@code c_p} the fixed reference of the layer (an approximation of
 * {@code E[Ĝ_p]} chosen before the run), one network's layer gives
 * <pre>
 *   u_p = A_p − c_p,   A_p = (1/n) Σ_i z_{i;a} z_{i;b}       the neuron average of the two-point function
 *   g_p = Ĝ_p − c_p                                          the stochastic metric that generated the layer
 *   e_r = D_r − c_{D,r}                                      distinct-neuron correction (only with distinct neurons)
 *   D_r = (A_p A_q − Q_r) / (n − 1)   (0 when n = 1),   Q_r = (1/n) Σ_i z_{i;a} z_{i;b} z_{i;c} z_{i;d}
 *   c_{D,r} = −(c_ac c_bd + c_ad c_bc) / n               (the mean of D_r for Gaussian neurons of covariance c)
 *   t_r = u_p u_q + e_r
 * </pre>
 *
 * <h2>The sums kept per layer ({@link Sum}, in this order)</h2>
 * Always (the <em>metric</em> statistics: O(P²) per network and layer, from the metric the sampler
 * computed anyway, O(n P) per layer):
 * <pre>
 *   G1_p = Σ g_p                                                                              (P)
 *   V1_r = Σ g_p g_q    V2_r = Σ (g_p g_q)²    V3A_r = Σ g_p² g_q    V3B_r = Σ g_p g_q²    (R each)
 * </pre>
 * With the <em>distinct-neuron</em> statistics ({@link #distinctNeurons()}: the neuron averages A
 * cost O(n P), the fourth moments Q over the neurons O(n d⁴/24) per network and layer):
 * <pre>
 *   U1_p = Σ u_p    U2_p = Σ u_p²    U4_p = Σ u_p⁴                                          (P each)
 *   W1_r = Σ u_p u_q    E1_r = Σ e_r    T2_r = Σ t_r²    TA_r = Σ t_r u_p    TB_r = Σ t_r u_q   (R each)
 *   for each input a, with p = (aa), r = (p, p):
 *   U3_a = Σ u_p³   WE_a = Σ u_p² e_r   UE_a = Σ u_p e_r   EE_a = Σ e_r²                       (d each)
 * </pre>
 * Sums run over the non-diverged networks. Besides the sums, each layer keeps the maxima
 * {@code max |g_p|} and, with the distinct-neuron statistics, {@code max |u_p|} over the networks
 * ({@link #maxCount()} numbers, merged by max) for the heavy-tail diagnostic.
 *
 * <p>These are exactly what the estimators of {@link LayerEstimates} and their delta-method
 * standard errors need: every covariance they use is {@code (Σxy − Σx Σy/N)/(N−1)} of two of
 * these sums. Memory and time per layer are O(R), not the O(R²) of a full covariance matrix.
 *
 * <h2>Adding statistics</h2>
 * A new statistic is a new {@link Sum} (appended, with its length kind and whether it belongs to
 * the metric or the distinct-neuron set, or a new set), filled in {@link BlockSums#add} from a
 * per-network value of {@link ObservableSink}, read in {@link LayerEstimates}; then
 * {@code EnsembleResult.STATE_VERSION} is bumped, because stored sums change meaning.
 */
public final class ObservableLayout {
  /**
   * Largest number of inputs: d = 32 has R = 139,656 V components per layer, whose sums take about
   * 60 MB per layer in the exact accumulators.
   */
  public static final int MAX_INPUTS = 32;
  /**
   * The distinct-neuron statistics are on by default up to this many inputs (their fourth moments
   * over neurons cost O(n d⁴/24) per layer: 35 per neuron at d = 4, 330 at d = 8).
   */
  public static final int DISTINCT_NEURONS_DEFAULT_MAX_INPUTS = 4;

  /** How long a sum segment is: one entry per pair, per pair of pairs, or per input. */
  public enum Length {
    /** P = d(d+1)/2 entries, pair order of {@link PairIndex}. */
    PAIRS,
    /** R = P(P+1)/2 entries, pair-of-pairs order of {@link PairIndex}. */
    PAIR_PAIRS,
    /** d entries, one per input. */
    INPUTS
  }

  /** The kept sums (see the class comment), in their serialised order. */
  public enum Sum {
    /** Σ g_p. */
    G1(Length.PAIRS, false),
    /** Σ g_p g_q. */
    V1(Length.PAIR_PAIRS, false),
    /** Σ (g_p g_q)². */
    V2(Length.PAIR_PAIRS, false),
    /** Σ g_p² g_q. */
    V3A(Length.PAIR_PAIRS, false),
    /** Σ g_p g_q². */
    V3B(Length.PAIR_PAIRS, false),
    /** Σ u_p. */
    U1(Length.PAIRS, true),
    /** Σ u_p². */
    U2(Length.PAIRS, true),
    /** Σ u_p⁴. */
    U4(Length.PAIRS, true),
    /** Σ u_p u_q. */
    W1(Length.PAIR_PAIRS, true),
    /** Σ e_r. */
    E1(Length.PAIR_PAIRS, true),
    /** Σ t_r². */
    T2(Length.PAIR_PAIRS, true),
    /** Σ t_r u_p. */
    TA(Length.PAIR_PAIRS, true),
    /** Σ t_r u_q. */
    TB(Length.PAIR_PAIRS, true),
    /** Σ u_(aa)³ per input a. */
    U3(Length.INPUTS, true),
    /** Σ u_(aa)² e_(aa)(aa) per input a. */
    WE(Length.INPUTS, true),
    /** Σ u_(aa) e_(aa)(aa) per input a. */
    UE(Length.INPUTS, true),
    /** Σ e_(aa)(aa)² per input a. */
    EE(Length.INPUTS, true);

    private final Length length;
    private final boolean distinctNeurons;

    Sum(Length length, boolean distinctNeurons) {
      this.length = length;
      this.distinctNeurons = distinctNeurons;
    }

    /** The length kind of the segment. */
    public Length length() {
      return length;
    }

    /** Whether the segment belongs to the distinct-neuron statistics. */
    public boolean distinctNeurons() {
      return distinctNeurons;
    }
  }

  private static final Map<Long, ObservableLayout> CACHE = new ConcurrentHashMap<>();

  private final int d;
  private final boolean neurons;
  private final PairIndex index;
  private final int pairs;
  private final int pairPairs;
  private final Map<Sum, Integer> offsets = new EnumMap<>(Sum.class);
  private final int sumCount;
  /** The pair (aa) and the pair of pairs ((aa),(aa)) of each input a. */
  private final int[] diagonalPair;
  private final int[] diagonalPairPair;

  private ObservableLayout(int d, boolean neurons) {
    this.d = d;
    this.neurons = neurons;
    this.index = PairIndex.of(d);
    this.pairs = index.pairs();
    this.pairPairs = index.pairPairs();
    long at = 0;
    for (Sum s : Sum.values()) {
      if (s.distinctNeurons && !neurons) {
        continue;
      }
      offsets.put(s, (int) at);
      at += length(s.length);
    }
    if (at > Integer.MAX_VALUE - 16) {
      throw new IllegalArgumentException("too many inputs for the statistics: d = " + d);
    }
    this.sumCount = (int) at;
    diagonalPair = new int[d];
    diagonalPairPair = new int[d];
    for (int a = 0; a < d; a++) {
      diagonalPair[a] = index.pair(a, a);
      diagonalPairPair[a] = index.pairPair(diagonalPair[a], diagonalPair[a]);
    }
  }

  private long length(Length l) {
    return switch (l) {
      case PAIRS -> pairs;
      case PAIR_PAIRS -> pairPairs;
      case INPUTS -> d;
    };
  }

  /**
   * The layout for {@code d} inputs, with or without the distinct-neuron statistics.
   *
   * @throws IllegalArgumentException if {@code d < 1} or {@code d > MAX_INPUTS}
   */
  public static ObservableLayout of(int d, boolean distinctNeurons) {
    check(d);
    return CACHE.computeIfAbsent((long) d << 1 | (distinctNeurons ? 1 : 0), k -> new ObservableLayout(d, distinctNeurons));
  }

  /**
   * The default layout for {@code d} inputs: with the distinct-neuron statistics up to
   * {@link #DISTINCT_NEURONS_DEFAULT_MAX_INPUTS} inputs, the metric statistics alone beyond.
   *
   * @throws IllegalArgumentException if {@code d < 1} or {@code d > MAX_INPUTS}
   */
  public static ObservableLayout forInputs(int d) {
    return of(d, distinctNeuronsByDefault(d));
  }

  /** Whether the distinct-neuron statistics are on by default for {@code d} inputs. */
  public static boolean distinctNeuronsByDefault(int d) {
    return d <= DISTINCT_NEURONS_DEFAULT_MAX_INPUTS;
  }

  /**
   * Checks the number of inputs.
   *
   * @throws IllegalArgumentException if {@code d < 1} or {@code d > MAX_INPUTS}
   */
  public static void check(int d) {
    if (d < 1 || d > MAX_INPUTS) {
      throw new IllegalArgumentException("the Monte Carlo statistics support 1 to " + MAX_INPUTS
          + " inputs (the number of V components grows like d^4), got d=" + d);
    }
  }

  /** Number of inputs d. */
  public int inputs() {
    return d;
  }

  /**
   * Whether the distinct-neuron statistics (G from the neurons, V from distinct neurons, the
   * kurtosis ratios) are kept.
   */
  public boolean distinctNeurons() {
    return neurons;
  }

  /** The numbering of input pairs and pairs of pairs (the V components) that this layout uses. */
  public PairIndex index() {
    return index;
  }

  /** Number of input pairs P = d(d+1)/2. */
  public int pairs() {
    return pairs;
  }

  /** Number of pairs of pairs R = P(P+1)/2 (the V components). */
  public int pairPairs() {
    return pairPairs;
  }

  /** Number of sums kept per layer. */
  public int sumCount() {
    return sumCount;
  }

  /**
   * Number of maxima kept per layer: {@code max |g_p|} (P), then with the distinct-neuron statistics
   * {@code max |u_p|} (P).
   */
  public int maxCount() {
    return neurons ? 2 * pairs : pairs;
  }

  /** Whether the layout keeps sum segment {@code s}. */
  public boolean has(Sum s) {
    return offsets.containsKey(s);
  }

  /**
   * Offset of segment {@code s} in the per-layer sum vector; entry {@code i} of the segment (a
   * pair, pair of pairs or input index) is at {@code offset(s) + i}.
   *
   * @throws IllegalArgumentException if the layout does not keep {@code s}
   */
  public int offset(Sum s) {
    Integer o = offsets.get(s);
    if (o == null) {
      throw new IllegalArgumentException("the statistics " + describe() + " do not keep " + s);
    }
    return o;
  }

  /** The pair (aa) of input a. */
  public int diagonalPair(int a) {
    return diagonalPair[a];
  }

  /** The pair of pairs ((aa),(aa)) of input a. */
  public int diagonalPairPair(int a) {
    return diagonalPairPair[a];
  }

  /** "metric" or "metric+neurons": the statistics kept, as the output names them. */
  public String describe() {
    return neurons ? "metric+neurons" : "metric";
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
    int p = index.pairPairFirst(r);
    int q = index.pairPairSecond(r);
    int a = index.first(p);
    int b = index.second(p);
    int cc = index.first(q);
    int dd = index.second(q);
    return -(c[index.pair(a, cc)] * c[index.pair(b, dd)] + c[index.pair(a, dd)] * c[index.pair(b, cc)]) / n;
  }

  @Override
  public String toString() {
    return "ObservableLayout[d=" + d + ", " + describe() + ", " + sumCount + " sums per layer]";
  }
}
