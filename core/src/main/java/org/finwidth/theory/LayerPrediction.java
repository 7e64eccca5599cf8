package org.finwidth.theory;

import java.util.Optional;

/**
 * The effective-theory prediction for one layer ℓ of a network (docs/theory.md §2, §3.1, §5, §6):
 * the infinite-width kernel K^(ℓ), the NLO kernel K1^(ℓ), the four-point vertex V^(ℓ), the
 * susceptibilities at K^(ℓ)_aa, and, where the exact oracle applies, the exact moments.
 *
 * <p>Normalisations (docs/theory.md §1.4): with n = n_{ℓ−1} the fan-in of layer ℓ,
 * E[z_{i;a} z_{i;b}] = K_ab + K1_ab/n + O(1/n²) ({@link #twoPoint}) and
 * E[z_{i;a} z_{i;b} z_{j;c} z_{j;d}] − E[z_a z_b] E[z_c z_d] = V_(ab)(cd)/n + O(1/n²) for i ≠ j
 * ({@link #connectedFourPoint}). Immutable.
 */
public final class LayerPrediction {
  private final int layer;
  private final int fanIn;
  private final double[][] kernel;
  private final double[][] nloKernel;
  private final FourPointVertex vertex;
  private final double[] chiParallel;
  private final double[] chiPerp;
  private final ExactMoments.LayerMoments exact;
  private final ExactLaw.Layer law;

  LayerPrediction(int layer, int fanIn, double[][] kernel, double[][] nloKernel,
      FourPointVertex vertex, double[] chiParallel, double[] chiPerp,
      ExactMoments.LayerMoments exact) {
    this(layer, fanIn, kernel, nloKernel, vertex, chiParallel, chiPerp, exact, null);
  }

  private LayerPrediction(int layer, int fanIn, double[][] kernel, double[][] nloKernel,
      FourPointVertex vertex, double[] chiParallel, double[] chiPerp,
      ExactMoments.LayerMoments exact, ExactLaw.Layer law) {
    this.layer = layer;
    this.fanIn = fanIn;
    this.kernel = copy(kernel);
    this.nloKernel = copy(nloKernel);
    this.vertex = vertex;
    this.chiParallel = chiParallel.clone();
    this.chiPerp = chiPerp.clone();
    this.exact = exact;
    this.law = law;
  }

  LayerPrediction withExact(ExactMoments.LayerMoments moments) {
    return new LayerPrediction(layer, fanIn, kernel, nloKernel, vertex, chiParallel, chiPerp,
        moments, law);
  }

  LayerPrediction withLaw(ExactLaw.Layer exactLaw) {
    return new LayerPrediction(layer, fanIn, kernel, nloKernel, vertex, chiParallel, chiPerp,
        exact, exactLaw);
  }

  /**
   * This layer of the distinct inputs replicated to d inputs: input a of the result is input
   * {@code representative[a]} of this one (exact for identical inputs, whose preactivations are
   * equal at every layer).
   */
  LayerPrediction expand(int[] representative) {
    int d = representative.length;
    double[][] k = new double[d][d];
    double[][] k1 = new double[d][d];
    double[] par = new double[d];
    double[] perp = new double[d];
    for (int a = 0; a < d; a++) {
      int x = representative[a];
      par[a] = chiParallel[x];
      perp[a] = chiPerp[x];
      for (int b = 0; b < d; b++) {
        k[a][b] = kernel[x][representative[b]];
        k1[a][b] = nloKernel[x][representative[b]];
      }
    }
    int[][] pairs = FourPointVertex.pairs(d);
    org.finwidth.vector.PairIndex reduced = vertex.index();
    double[][] v = new double[pairs.length][pairs.length];
    for (int u = 0; u < pairs.length; u++) {
      int pu = reduced.pair(representative[pairs[u][0]], representative[pairs[u][1]]);
      for (int w = 0; w < pairs.length; w++) {
        int pw = reduced.pair(representative[pairs[w][0]], representative[pairs[w][1]]);
        v[u][w] = vertex.component(pu, pw);
      }
    }
    return new LayerPrediction(layer, fanIn, k, k1, new FourPointVertex(d, v), par, perp, exact);
  }

  /**
   * The layer for d inputs with z_a = factor[a]·z_{representative[a]} (factor 1 replicates, 0
   * an identically zero input): K, K1 scale by the factors of both indices, V by all four; the
   * susceptibilities of each input are given.
   */
  LayerPrediction expand(int[] representative, double[] factor, double[] par, double[] perp) {
    int d = representative.length;
    double[][] k = new double[d][d];
    double[][] k1 = new double[d][d];
    for (int a = 0; a < d; a++) {
      int x = representative[a];
      for (int b = 0; b < d; b++) {
        double f = factor[a] * factor[b];
        k[a][b] = f == 0 ? 0 : f * kernel[x][representative[b]];
        k1[a][b] = f == 0 ? 0 : f * nloKernel[x][representative[b]];
      }
    }
    int[][] pairs = FourPointVertex.pairs(d);
    org.finwidth.vector.PairIndex reduced = vertex.index();
    double[][] v = new double[pairs.length][pairs.length];
    for (int u = 0; u < pairs.length; u++) {
      int pu = reduced.pair(representative[pairs[u][0]], representative[pairs[u][1]]);
      double fu = factor[pairs[u][0]] * factor[pairs[u][1]];
      for (int w = 0; w < pairs.length; w++) {
        int pw = reduced.pair(representative[pairs[w][0]], representative[pairs[w][1]]);
        double f = fu * (factor[pairs[w][0]] * factor[pairs[w][1]]);
        v[u][w] = f == 0 ? 0 : f * vertex.component(pu, pw); // no −0.0
      }
    }
    return new LayerPrediction(layer, fanIn, k, k1, new FourPointVertex(d, v), par, perp, exact);
  }

  private static double[][] copy(double[][] m) {
    double[][] c = new double[m.length][];
    for (int i = 0; i < m.length; i++) {
      c[i] = m[i].clone();
    }
    return c;
  }

  /** The layer ℓ (1-based). */
  public int layer() {
    return layer;
  }

  /** The fan-in n_{ℓ−1} of the layer (n_0, the input dimension, for ℓ = 1). */
  public int fanIn() {
    return fanIn;
  }

  /** Number of inputs d. */
  public int inputCount() {
    return kernel.length;
  }

  /** K^(ℓ)_ab, the infinite-width kernel (docs/theory.md §2). */
  public double kernel(int a, int b) {
    return kernel[a][b];
  }

  /** K^(ℓ) as a d×d matrix (a copy). */
  public double[][] kernel() {
    return copy(kernel);
  }

  /** K1^(ℓ)_ab, the NLO kernel (docs/theory.md §5.3; 0 for ℓ ≤ 2). */
  public double nloKernel(int a, int b) {
    return nloKernel[a][b];
  }

  /** K1^(ℓ) as a d×d matrix (a copy). */
  public double[][] nloKernel() {
    return copy(nloKernel);
  }

  /** V^(ℓ) (docs/theory.md §5.1; 0 for ℓ = 1). */
  public FourPointVertex vertex() {
    return vertex;
  }

  /** V^(ℓ)_(ab)(cd). */
  public double vertex(int a, int b, int c, int d) {
    return vertex.get(a, b, c, d);
  }

  /** χ_∥(K^(ℓ)_aa) = C_W ⟨σ²(z² − K)⟩/(2K²) (docs/theory.md §3.1), the susceptibility of the map ℓ → ℓ+1. */
  public double chiParallel(int a) {
    return chiParallel[a];
  }

  /** χ_⊥(K^(ℓ)_aa) = C_W ⟨σ'²⟩ (docs/theory.md §3.1). */
  public double chiPerp(int a) {
    return chiPerp[a];
  }

  /** χ_∥ per input (a copy). */
  public double[] chiParallel() {
    return chiParallel.clone();
  }

  /** χ_⊥ per input (a copy). */
  public double[] chiPerp() {
    return chiPerp.clone();
  }

  /** The exact moments (single input, positively homogeneous σ of integer degree), if computed. */
  public Optional<ExactMoments.LayerMoments> exact() {
    return Optional.ofNullable(exact);
  }

  /**
   * The exact single-input law of this layer (docs/theory.md §6.5), if it was requested
   * ({@link Prediction#of(NetworkSpec, boolean)}) and could be computed.
   */
  public Optional<ExactLaw.Layer> exactLaw() {
    return Optional.ofNullable(law);
  }

  /**
   * The exact E[z²] = E[Ĝ]: from the 80-digit oracle where it applies, else from the exact law;
   * NaN if neither was computed.
   */
  public double exactTwoPoint() {
    if (exact != null) {
      return exact.ez2Double();
    }
    return law != null ? law.mean() : Double.NaN;
  }

  /** The exact E[Ĝ²] = E[z_i²z_j²] (oracle, else law; NaN if neither). */
  public double exactSecond() {
    if (exact != null) {
      return exact.ezizjDouble();
    }
    return law != null ? law.second() : Double.NaN;
  }

  /**
   * The exact vertex n_{ℓ−1} Var(Ĝ) (oracle: from its relative variance, computed before
   * rounding; else the law's cancellation-free variance); NaN if neither, or if it lies below the
   * normal double range.
   */
  public double exactVertex() {
    if (exact != null) {
      double g = exact.ez2Double();
      double v = fanIn * exact.relativeVariance() * g * g;
      // E[Ĝ]² below the normal range reads 0 or keeps few digits: undefined, not a wrong number
      boolean lost = exact.relativeVariance() != 0 && g != 0 && !(Math.abs(v) >= Double.MIN_NORMAL);
      return lost ? Double.NaN : v;
    }
    return law != null ? law.vertex() : Double.NaN;
  }

  /** The exact NLO kernel n_{ℓ−1}(E[Ĝ] − K) of a single input; NaN if not computed. */
  public double exactNloKernel() {
    return fanIn * (exactTwoPoint() - kernel[0][0]);
  }

  /**
   * Relative accuracy of the exact values: 10^(1−34) for the oracle's (34 significant digits),
   * the law's reported accuracy otherwise; NaN if neither was computed.
   */
  public double exactAccuracy() {
    if (exact != null) {
      return Math.pow(10, 1 - ExactMoments.DIGITS);
    }
    return law != null ? law.accuracy() : Double.NaN;
  }

  /** E[z_a z_b] to NLO: K_ab + K1_ab/n_{ℓ−1} (docs/theory.md §1.4). */
  public double twoPoint(int a, int b) {
    return kernel[a][b] + nloKernel[a][b] / fanIn;
  }

  /**
   * The connected four-point function between distinct neurons to leading order,
   * V_(ab)(cd)/n_{ℓ−1} (docs/theory.md §1.4); for one input also (E[z⁴] − 3E[z²]²)/3.
   */
  public double connectedFourPoint(int a, int b, int c, int d) {
    return vertex.get(a, b, c, d) / fanIn;
  }

  /** V_(aa)(aa)/K_aa², the dimensionless vertex of input a (docs/theory.md §4.1: c(ℓ−1) for relu). */
  public double vertexOverKernelSquared(int a) {
    return vertex.get(a, a, a, a) / (kernel[a][a] * kernel[a][a]);
  }

  /**
   * V_(aa)(aa)/(n_{ℓ−1} K_aa²) = the leading-order excess kurtosis over 3 of input a
   * (docs/theory.md §1.4: E[z⁴]/E[z²]² − 3 ≈ 3V/(nK²)).
   */
  public double vertexOverWidthKernelSquared(int a) {
    return vertexOverKernelSquared(a) / fanIn;
  }

  /** K1_aa/K_aa: the relative NLO correction to E[z_a²] is this over n_{ℓ−1}. */
  public double nloKernelOverKernel(int a) {
    return nloKernel[a][a] / kernel[a][a];
  }

  @Override
  public String toString() {
    return "LayerPrediction[layer=" + layer + ", K=" + java.util.Arrays.deepToString(kernel)
        + ", K1=" + java.util.Arrays.deepToString(nloKernel) + ", V=" + vertex.components() + "]";
  }
}
