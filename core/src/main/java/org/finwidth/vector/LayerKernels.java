package org.finwidth.vector;

import org.finwidth.random.BoxMuller;
import org.finwidth.random.RandomStreams;

/**
 * The kernels of the Monte Carlo samplers: the fused weights-sampler layer (normals generated on
 * the fly and used once), the conditional-sampler transform (z = L g), and the reductions in
 * double that the metric and the statistics need.
 *
 * <h2>Random numbers (part of the reproducibility contract)</h2>
 * All normals are {@link BoxMuller#normal} of the stream (seed, network, layer, purpose) of
 * {@link RandomStreams}, for a network's layer {@code l = 1..L}:
 * <ul>
 * <li>weights: {@code g_ij = normal(seed, network, l, WEIGHTS, i·m + j)} for output neuron
 *     {@code i < n} and input {@code j < m} (row-major, dense);</li>
 * <li>biases: {@code b_i = normal(seed, network, l, BIASES, i, biasScale)} (the scale is applied
 *     inside the transform, as {@link NormalKernels#fill} does); no bias stream is read when
 *     {@code biasScale == 0} (then {@code b_i = 0}).</li>
 * </ul>
 * (The conditional sampler draws its normals itself: {@code org.finwidth.network.ConditionalSampler}.)
 * The weights are generated in blocks of {@link #weightsBlock} normals that start on segment
 * boundaries of the generator ({@link BoxMuller#SEGMENT}), whatever the fan-in: a row that
 * straddles two blocks is carried over in the work array, never regenerated.
 *
 * <h2>Fixed summation orders: bitwise identical results</h2>
 * Every sum has a fixed order, which the scalar reference follows literally and the Panama kernels
 * reproduce with vectors of any width: so the two implementations (and machines with AVX2 or
 * AVX-512) give the same bits for the same inputs.
 * <ul>
 * <li>Float dot products {@code Σ_{j<m} x_j y_j} ({@link #FLOAT_PARTIALS} = 16 partial sums):
 *     partial {@code k} accumulates {@code s_k = fma(x_j, y_j, s_k)} over {@code j ≡ k (mod 16)}
 *     in increasing j, from +0; then the partials are halved pairwise,
 *     {@code s_l ← s_l + s_{l+h}} for {@code h = 8, 4, 2, 1}, {@code l < h}, and the sum is
 *     {@code s_0}.</li>
 * <li>Double sums over neurons {@code Σ_{i<n} t_i} ({@link #DOUBLE_PARTIALS} = 16 partial sums):
 *     the same with 16 partials ({@code i ≡ k (mod 16)}) and halvings {@code h = 8, 4, 2, 1}
 *     (four 4-lane accumulators: enough independent chains to hide the add latency). A term
 *     {@code t_i = x_i y_i} of two floats is exact in double, so {@code s + t} is one rounding;
 *     a fourth-order term {@code p·q} of two such exact products is accumulated as
 *     {@code fma(p, q, s)}.</li>
 * </ul>
 *
 * <h2>Symmetric index combinations</h2>
 * Second moments are kept for the pairs {@code a ≤ b} in lexicographic order
 * ({@link PairIndex#pair}: (0,0), (0,1), …, (0,d−1), (1,1), …), fourth moments for the quadruples
 * {@code a ≤ b ≤ c ≤ e} in lexicographic order ({@link PairIndex#quad}); there are
 * {@link PairIndex#pairCount d(d+1)/2} and {@link PairIndex#quadCount d(d+1)(d+2)(d+3)/24} of them.
 *
 * <p>Implementations are stateless and thread-safe; they allocate nothing (work arrays are the
 * caller's). Public methods check their arguments once.
 */
public interface LayerKernels {

  /** Number of partial sums of a float dot product (see the class comment). */
  int FLOAT_PARTIALS = 16;
  /** Number of partial sums of a double sum over neurons (see the class comment). */
  int DOUBLE_PARTIALS = 16;
  /**
   * Normals per fill of the weights layer (16 KiB, L1-resident) unless a row is longer: the
   * complete rows of each block are used for all d inputs at once.
   */
  int CHUNK_NORMALS = 4096;
  /** Neurons per chunk of {@link #moments}: pair products of a chunk are kept in the work array. */
  int MOMENT_CHUNK = 64;

  /**
   * Fused weights-sampler layer: for every output neuron {@code i < n} and input {@code a < d},
   * <pre>
   *   z[a][i] = fma(weightScale, Σ_{j&lt;m} g_ij · h[a][j], b_i)
   * </pre>
   * with the normals {@code g_ij}, {@code b_i} of the class comment (stream layer {@code layer})
   * and the float dot product in its fixed order. The weights are generated a block at a time into
   * {@code work} ({@link #weightsBlock}) and used once for all d inputs: never stored.
   *
   * @param layer the network layer l (1..2<sup>24</sup>−1): selects the streams
   * @param h inputs of the layer, rows {@code a < d} of at least m floats (x for l = 1, σ(z) after)
   * @param d number of inputs, ≥ 1
   * @param m fan-in n_{l−1}, ≥ 1
   * @param weightScale {@code sqrt(C_W / m)}: the standard deviation of a weight
   * @param biasScale {@code sqrt(C_b)}, ≥ 0
   * @param z output rows {@code a < d} of at least n floats (distinct arrays, none of them an h row)
   * @param n fan-out n_l, ≥ 1, with {@code n·m ≤ 2^34}
   * @param work scratch of at least {@link #weightsWorkLength(int, int, int) weightsWorkLength(d, m, n)}
   * @throws IllegalArgumentException if a size, scale, layer or stream range is out of its domain
   *     or arrays alias
   * @throws IndexOutOfBoundsException if an array is too short
   */
  void weightsLayer(long seed, long network, int layer, float[][] h, int d, int m,
      float weightScale, float biasScale, float[][] z, int n, float[] work);

  /**
   * Conditional-sampler transform: {@code z[a][i] = Σ_{b≤a} chol[a·d+b] · g[offset + b·stride + i]},
   * evaluated as {@code t = chol[a·d]·g_{0,i}; t = fma(chol[a·d+b], g_{b,i}, t)} for b = 1..a
   * (element-wise: no order question).
   *
   * @param chol lower-triangular d×d factor, row-major (entries above the diagonal are ignored)
   * @param g standard normals, row b of n at {@code offset + b·stride}
   * @param stride row stride of g, ≥ n
   * @param z output rows {@code a < d} of at least n floats, distinct arrays
   * @param n neurons, ≥ 1
   * @throws IllegalArgumentException if a size is out of its domain or rows alias
   * @throws IndexOutOfBoundsException if an array is too short
   */
  void conditionalTransform(float[] chol, int d, float[] g, int offset, int stride, float[][] z, int n);

  /**
   * The Gram sums {@code gram[a·d+b] = gram[b·d+a] = Σ_{i<n} h[a][i]·h[b][i]} for all a, b &lt; d,
   * in double in the fixed order of the class comment (products exact). The metric of the next
   * layer is {@code C_b + (C_W/n)·gram}.
   *
   * @throws IllegalArgumentException if d &lt; 1 or n &lt; 0
   * @throws IndexOutOfBoundsException if a row is shorter than n or gram shorter than d²
   */
  void gram(float[][] h, int d, int n, double[] gram);

  /**
   * {@link #gram(float[][], int, int, double[])} with a work array, the same bits: an
   * implementation may convert the rows to double once there and reuse them for every pair (the
   * Panama kernels do; the scalar reference ignores it).
   *
   * @param work scratch of at least {@link #gramWorkLength(int, int) gramWorkLength(d, n)} doubles
   * @throws IllegalArgumentException if d &lt; 1 or n &lt; 0
   * @throws IndexOutOfBoundsException if a row is shorter than n or an array is too short
   */
  default void gram(float[][] h, int d, int n, double[] gram, double[] work) {
    java.util.Objects.checkFromIndexSize(0, gramWorkLength(d, n), work.length);
    gram(h, d, n, gram);
  }

  /**
   * Second and fourth moment sums over neurons, in double, for the unique index combinations:
   * <pre>
   *   s2[pair(a,b)]     = Σ_{i&lt;n} z_ia·z_ib                      (a ≤ b)
   *   s4[quad(a,b,c,e)] = Σ_{i&lt;n} (z_ia·z_ib)·(z_ic·z_ie)          (a ≤ b ≤ c ≤ e)
   * </pre>
   * with the indices of {@link PairIndex}, in the fixed orders of the class comment (s2 terms
   * exact; s4 accumulated by fma of the two exact pair products).
   *
   * @param s2 at least {@link PairIndex#pairCount(int) pairCount(d)} entries
   * @param s4 at least {@link PairIndex#quadCount(int) quadCount(d)} entries
   * @param work scratch of at least {@link #momentsWorkLength(int) momentsWorkLength(d)} doubles
   * @throws IllegalArgumentException if d &lt; 1 or n &lt; 0
   * @throws IndexOutOfBoundsException if an array is too short
   */
  void moments(float[][] z, int d, int n, double[] s2, double[] s4, double[] work);

  /**
   * One input's sums of a layer in one pass over z and h = σ(z) (d = 1):
   * <pre>
   *   out[0] = Σ_{i&lt;n} z_i²,   out[1] = Σ_{i&lt;n} fma(z_i², z_i², ·),   out[2] = Σ_{i&lt;n} h_i²
   * </pre>
   * bit for bit {@link #moments moments}{@code ({z}, 1, n)} and {@link #gram gram}{@code ({h}, 1, n)}
   * (the same terms in the same fixed orders): a one-input layer's statistics and the next layer's
   * metric read the layer once instead of twice.
   *
   * @param out at least 3 entries
   * @param work scratch of at least {@link #momentsWorkLength(int) momentsWorkLength(1)} doubles
   * @throws IllegalArgumentException if n &lt; 0
   * @throws IndexOutOfBoundsException if an array is too short
   */
  void sums1(float[] z, float[] h, int n, double[] out, double[] work);

  /**
   * The conditional layer of one input under ReLU, in one pass: {@code z[i] = c·g[offset + i]}
   * ({@link #conditionalTransform} with d = 1) and {@code out} = {@link #sums1} of z and
   * {@code h = max(z, 0)} (ReLU in float, as the activation kernels give it), bit for bit, without
   * storing h: the conditional sampler's whole layer for one ReLU input after its normals.
   *
   * @param n neurons, ≥ 1
   * @param out at least 3 entries
   * @param work scratch of at least {@link #momentsWorkLength(int) momentsWorkLength(1)} doubles
   * @throws IllegalArgumentException if n &lt; 1
   * @throws IndexOutOfBoundsException if an array is too short
   */
  void reluLayer1(float c, float[] g, int offset, float[] z, int n, double[] out, double[] work);

  /**
   * {@code max |z[a][i]|} over a &lt; d, i &lt; n: NaN if any element is NaN (so that
   * {@code !(maxAbs(...) <= bound)} detects both overflow and NaN), 0 if n = 0.
   *
   * @throws IllegalArgumentException if d &lt; 1 or n &lt; 0
   * @throws IndexOutOfBoundsException if a row is shorter than n
   */
  float maxAbs(float[][] z, int d, int n);

  /** A short name of the implementation, e.g. "scalar" or "panama". */
  String name();

  // ---- layout helpers shared by the implementations and their callers ----------------------

  /**
   * Normals generated per fill of the weights layer for fan-in m: {@link #CHUNK_NORMALS}, or m
   * rounded up to a whole segment if longer; always a multiple of {@link BoxMuller#SEGMENT}, so
   * every fill starts on a segment.
   */
  static int weightsBlock(int m) {
    long seg = BoxMuller.SEGMENT;
    return (int) Math.max(CHUNK_NORMALS, ((long) m + seg - 1) / seg * seg);
  }

  /**
   * Length of the work array of {@link #weightsLayer}: a carried partial row and a block
   * ({@code m − 1 + weightsBlock(m)}) with {@link #FLOAT_PARTIALS} floats of slack, the d inputs
   * copied and zero-padded to a multiple of {@link #FLOAT_PARTIALS} (so that SIMD loops need no
   * masks), {@link #FLOAT_PARTIALS} partial sums and n biases.
   */
  static int weightsWorkLength(int d, int m, int n) {
    if (d < 1 || m < 1 || n < 1 || m > Integer.MAX_VALUE / 4) {
      throw new IllegalArgumentException("weights layer too large or empty: d = " + d + ", m = " + m + ", n = " + n);
    }
    long padded = ((long) m + FLOAT_PARTIALS - 1) / FLOAT_PARTIALS * FLOAT_PARTIALS;
    long len = (long) m - 1 + weightsBlock(m) + FLOAT_PARTIALS + d * padded + FLOAT_PARTIALS + n;
    if (len > Integer.MAX_VALUE - 16) {
      throw new IllegalArgumentException("weights layer too large: m = " + m + ", n = " + n);
    }
    return (int) len;
  }

  /**
   * Length of the work array of {@link #gram(float[][], int, int, double[], double[])}: the d rows
   * as doubles, each zero-padded to a multiple of {@link #DOUBLE_PARTIALS}, and the partial sums of
   * 16 pairs (a tile of four rows by four) and their 16 sums.
   *
   * @throws IllegalArgumentException if d &lt; 1, n &lt; 0 or the length exceeds an array's
   */
  static int gramWorkLength(int d, int n) {
    if (d < 1 || n < 0) {
      throw new IllegalArgumentException("need d >= 1 and n >= 0, got d = " + d + ", n = " + n);
    }
    long padded = ((long) n + DOUBLE_PARTIALS - 1) / DOUBLE_PARTIALS * DOUBLE_PARTIALS;
    long len = d * padded + 17L * DOUBLE_PARTIALS;
    if (len > Integer.MAX_VALUE - 16) {
      throw new IllegalArgumentException("Gram work array too large: d = " + d + ", n = " + n);
    }
    return (int) len;
  }

  /**
   * Length of the work array of {@link #moments}: the pair products of one chunk of
   * {@link #MOMENT_CHUNK} neurons and the partial sums of every pair and quadruple.
   */
  static int momentsWorkLength(int d) {
    return PairIndex.pairCount(d) * (MOMENT_CHUNK + DOUBLE_PARTIALS) + PairIndex.quadCount(d) * DOUBLE_PARTIALS;
  }
}
