package org.finwidth.theory;

/**
 * The neural tangent kernel statistics of one layer ℓ at leading order in 1/n (docs/theory.md
 * §11): the infinite-width mean H, its 1/n correction H1, the NTK–preactivation correlations D, F
 * and the NTK fluctuations A, B. With n' = n_{ℓ−1} the fan-in of the layer, Ĥ the NTK of the layer's
 * output neurons (learning rates of {@link org.finwidth.network.LearningRates}) and ΔĤ = Ĥ − E[Ĥ],
 * for distinct neurons i ≠ k:
 * <pre>
 *   E[Ĥ_{ii;ab}]                       = H_ab + H1_ab/n' + O(1/n²)          E[Ĥ_{ik;ab}] = 0
 *   n' E[ΔĤ_{ii;a1a2} z_{k;a3} z_{k;a4}] → D_{a1a2a3a4}
 *   n' E[Ĥ_{ik;a1a2} z_{i;a3} z_{k;a4}]  → F_{a1a3a2a4}
 *   n' E[ΔĤ_{ii;a1a2} ΔĤ_{kk;a3a4}]      → A_{(a1a2)(a3a4)}
 *   n' E[Ĥ_{ik;a1a2} Ĥ_{ik;a3a4}]        → B_{a1a3a2a4}
 * </pre>
 * Index orders (the arrays and the JSON): D[a1][a2][a3][a4], F[a1][a3][a2][a4], A[a1][a2][a3][a4],
 * B[a1][a3][a2][a4]; in F and B the first pair (a1, a3) belongs to neuron i and the second
 * (a2, a4) to neuron k, a1 and a2 being the NTK's sample indices. The same neuron mixes them:
 * n' Cov(Ĥ_{ii;a1a2}, Ĥ_{ii;a3a4}) → A + B_{a1a3a2a4} + B_{a1a4a2a3} and
 * n' Cov(Ĥ_{ii;a1a2}, z_{i;a3}z_{i;a4}) → D + F_{a1a3a2a4} + F_{a1a4a2a3} ({@link #sameNeuronA},
 * {@link #sameNeuronD}; single input: A + 2B and D + 2F). Immutable.
 */
public final class NtkLayer {
  private final int layer;
  private final int fanIn;
  private final double[][] h;
  private final double[][] h1;
  private final double[][][][] d;
  private final double[][][][] f;
  private final double[][][][] a;
  private final double[][][][] b;

  NtkLayer(int layer, int fanIn, double[][] h, double[][] h1, double[][][][] d, double[][][][] f,
      double[][][][] a, double[][][][] b) {
    this.layer = layer;
    this.fanIn = fanIn;
    this.h = copy2(h);
    this.h1 = copy2(h1);
    this.d = copy4(d);
    this.f = copy4(f);
    this.a = copy4(a);
    this.b = copy4(b);
  }

  static double[][] copy2(double[][] m) {
    double[][] c = new double[m.length][];
    for (int i = 0; i < m.length; i++) {
      c[i] = m[i].clone();
    }
    return c;
  }

  static double[][][][] copy4(double[][][][] t) {
    double[][][][] c = new double[t.length][][][];
    for (int i = 0; i < t.length; i++) {
      c[i] = new double[t[i].length][][];
      for (int j = 0; j < t[i].length; j++) {
        c[i][j] = copy2(t[i][j]);
      }
    }
    return c;
  }

  /** The layer ℓ (1-based). */
  public int layer() {
    return layer;
  }

  /** The fan-in n_{ℓ−1} that normalises H1, D, F, A, B. */
  public int fanIn() {
    return fanIn;
  }

  /** Number of inputs d. */
  public int inputCount() {
    return h.length;
  }

  /** H_ab, the infinite-width mean NTK (PDLT's frozen NTK). */
  public double h(int x, int y) {
    return h[x][y];
  }

  /** H as a d×d matrix (a copy). */
  public double[][] h() {
    return copy2(h);
  }

  /** H1_ab, the 1/n correction of the mean: E[Ĥ_ii] = H + H1/n_{ℓ−1} + O(1/n²); 0 at ℓ ≤ 2. */
  public double h1(int x, int y) {
    return h1[x][y];
  }

  /** H1 as a d×d matrix (a copy). */
  public double[][] h1() {
    return copy2(h1);
  }

  /** E[Ĥ_ii;ab] to NLO: H + H1/n_{ℓ−1}. */
  public double meanNlo(int x, int y) {
    return h[x][y] + h1[x][y] / fanIn;
  }

  /** D_{a1a2a3a4} (index order D[a1][a2][a3][a4]). */
  public double d(int a1, int a2, int a3, int a4) {
    return d[a1][a2][a3][a4];
  }

  /** F_{a1a3a2a4} in the stored order: {@code f(a1, a3, a2, a4)}. */
  public double f(int a1, int a3, int a2, int a4) {
    return f[a1][a3][a2][a4];
  }

  /** A_{(a1a2)(a3a4)} (index order A[a1][a2][a3][a4]). */
  public double a(int a1, int a2, int a3, int a4) {
    return a[a1][a2][a3][a4];
  }

  /** B_{a1a3a2a4} in the stored order: {@code b(a1, a3, a2, a4)}. */
  public double b(int a1, int a3, int a2, int a4) {
    return b[a1][a3][a2][a4];
  }

  /** D as D[a1][a2][a3][a4] (a copy). */
  public double[][][][] tensorD() {
    return copy4(d);
  }

  /** F as F[a1][a3][a2][a4] (a copy). */
  public double[][][][] tensorF() {
    return copy4(f);
  }

  /** A as A[a1][a2][a3][a4] (a copy). */
  public double[][][][] tensorA() {
    return copy4(a);
  }

  /** B as B[a1][a3][a2][a4] (a copy). */
  public double[][][][] tensorB() {
    return copy4(b);
  }

  /**
   * The same-neuron NTK covariance n' Cov(Ĥ_{ii;a1a2}, Ĥ_{ii;a3a4}) at leading order:
   * A_{(a1a2)(a3a4)} + B_{a1a3a2a4} + B_{a1a4a2a3} (single input: A + 2B).
   */
  public double sameNeuronA(int a1, int a2, int a3, int a4) {
    return a[a1][a2][a3][a4] + b[a1][a3][a2][a4] + b[a1][a4][a2][a3];
  }

  /**
   * The same-neuron correlation n' Cov(Ĥ_{ii;a1a2}, z_{i;a3} z_{i;a4}) at leading order:
   * D_{a1a2a3a4} + F_{a1a3a2a4} + F_{a1a4a2a3} (single input: D + 2F).
   */
  public double sameNeuronD(int a1, int a2, int a3, int a4) {
    return d[a1][a2][a3][a4] + f[a1][a3][a2][a4] + f[a1][a4][a2][a3];
  }

  @Override
  public String toString() {
    return "NtkLayer[layer=" + layer + ", H=" + java.util.Arrays.deepToString(h) + ", H1="
        + java.util.Arrays.deepToString(h1) + ", D=" + java.util.Arrays.deepToString(d) + ", F="
        + java.util.Arrays.deepToString(f) + ", A=" + java.util.Arrays.deepToString(a) + ", B="
        + java.util.Arrays.deepToString(b) + "]";
  }
}
