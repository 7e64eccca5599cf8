package org.finwidth.theory;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import org.finwidth.gauss.Quadrature;
import org.finwidth.gauss.GaussianProducts;

/**
 * The Gaussian averages of one layer of the d-input recursion (docs/theory.md §5.1, §5.3) at a
 * kernel K: per input the single-input averages; per pair a < b the two-dimensional ones
 * (⟨σ_aσ_b⟩, ⟨σ_a³σ_b⟩, ⟨σ_a²σ_b²⟩, ⟨σ_aσ_b³⟩ and, when the vertex is propagated, the derivative
 * terms ⟨∂∂(σ_aσ_b)⟩ and ⟨∂⁴(σ_aσ_b)⟩ on the 2×2 marginal, {@link Averages#pair}); per triple
 * ⟨σ_a²σ_bσ_c⟩ and its two permutations, per quadruple ⟨σ_aσ_bσ_cσ_d⟩ (three and four dimensions,
 * {@link GaussianProducts}, on the range of the marginal whatever its rank).
 *
 * <p>Each two-dimensional average is computed in a canonical orientation (the input with the larger
 * variance outside, the given order on ties) and the higher ones in the canonical order of
 * {@link GaussianProducts}, so that permuting the inputs permutes the results. Not thread-safe.
 */
final class MultiAverages {
  private static final int[][] TRIPLE = {{2, 1, 1}, {1, 2, 1}, {1, 1, 2}};
  private static final int[][] QUADRUPLE = {{1, 1, 1, 1}};

  private final Averages averages;
  private final GaussianProducts products;
  private final int d;
  /** σ without kinks: the derivative terms have forms without K^{-1}. */
  private final boolean smooth;
  Averages.Single[] single;
  /** pair[a][b], a &lt; b, in the orientation a first (indices of {@link Averages}). */
  private final double[][][] pair;
  private final Map<Integer, double[]> triple = new HashMap<>();
  private final Map<Integer, Double> quadruple = new HashMap<>();

  MultiAverages(Averages averages, GaussianProducts products, int d) {
    this.averages = averages;
    this.smooth = averages.activation().kinks().length == 0;
    this.products = products;
    this.d = d;
    this.single = new Averages.Single[d];
    this.pair = new double[d][d][];
  }

  void singles(double[][] k) {
    for (int a = 0; a < d; a++) {
      single[a] = averages.single(k[a][a]);
    }
  }

  /**
   * Why the derivative terms cannot be computed at K, or null: an input of zero variance, or for a
   * kinked σ a 2×2 marginal that is (nearly) of rank 1 (the Hermite forms need its inverse,
   * docs/theory.md §1.2, accurate only while 1 − ρ² ≥ {@link Prediction#MIN_DECORRELATION}; a
   * smooth σ uses the derivative forms there).
   */
  String rankProblem(double[][] k) {
    for (int a = 0; a < d; a++) {
      for (int b = a + 1; b < d; b++) {
        if (!(k[a][a] > 0 && k[b][b] > 0)) {
          int zero = k[a][a] > 0 ? b : a;
          return "input " + (zero + 1) + " has zero variance (the 2x2 kernel of inputs " + (a + 1)
              + " and " + (b + 1) + " has rank " + (k[a][a] > 0 || k[b][b] > 0 ? 1 : 0) + ")";
        }
        if (smooth) {
          continue; // the derivative forms need no inverse (pairDerivativeForms)
        }
        double det = Averages.determinant(k[a][a], k[a][b], k[b][b]);
        double decorrelation = det / (k[a][a] * k[b][b]);
        if (!(decorrelation >= Prediction.MIN_DECORRELATION)) {
          return "the 2x2 kernel of inputs " + (a + 1) + " and " + (b + 1) + " has rank 1 to "
              + "within 1 - rho^2 = " + (float) decorrelation + " < " + Prediction.MIN_DECORRELATION;
        }
      }
    }
    return null;
  }

  /** The two-input averages of every pair; with the derivative terms if {@code derivatives}. */
  void pairs(double[][] k, boolean derivatives) {
    int mode = derivatives ? Averages.FULL : Averages.SOURCES;
    for (int a = 0; a < d; a++) {
      for (int b = a + 1; b < d; b++) {
        boolean swap = k[b][b] > k[a][a];
        int x = swap ? b : a;
        int y = swap ? a : b;
        double[] m;
        if (derivatives && smooth && !(Averages.determinant(k[x][x], k[x][y], k[y][y])
            / (k[x][x] * k[y][y]) >= Prediction.MIN_DECORRELATION)) {
          // Nearly rank 1: the Hermite forms lose accuracy like 1/(1 − ρ²)²; σ is smooth, so
          // take the derivative forms, which need no inverse.
          m = averages.pairDerivativeForms(k[x][x], k[x][y], k[y][y]);
          System.arraycopy(averages.pair(k[x][x], k[x][y], k[y][y], Averages.SOURCES), 0, m, 0, Averages.SOURCES);
        } else {
          m = averages.pair(k[x][x], k[x][y], k[y][y], mode);
        }
        pair[a][b] = swap ? flip(m, mode) : m;
      }
    }
  }

  /** The components of the swapped orientation. */
  private static double[] flip(double[] m, int mode) {
    double[] f = m.clone();
    f[Averages.S3S1] = m[Averages.S1S3];
    f[Averages.S1S3] = m[Averages.S3S1];
    if (mode == Averages.FULL) {
      for (int i = 0; i < 3; i++) {
        f[Averages.D2 + i] = m[Averages.D2 + 2 - i];
      }
      for (int i = 0; i < 5; i++) {
        f[Averages.D4 + i] = m[Averages.D4 + 4 - i];
      }
    }
    return f;
  }

  /** ⟨σ_a²σ_bσ_c⟩ (three permutations) for every triple and ⟨σ_aσ_bσ_cσ_d⟩ for every quadruple. */
  void triplesAndQuadruples(double[][] k) {
    triple.clear();
    quadruple.clear();
    for (int a = 0; a < d; a++) {
      for (int b = a + 1; b < d; b++) {
        for (int c = b + 1; c < d; c++) {
          Quadrature e = products.expect(sub(k, a, b, c), TRIPLE);
          triple.put(key(a, b, c, 0), e.values().clone());
          for (int x = c + 1; x < d; x++) {
            quadruple.put(key(a, b, c, x + 1), products.expect(sub(k, a, b, c, x), QUADRUPLE).value(0));
          }
        }
      }
    }
  }

  private int key(int a, int b, int c, int x) {
    return ((a * (d + 1) + b) * (d + 1) + c) * (d + 1) + x;
  }

  private static double[][] sub(double[][] k, int... idx) {
    double[][] s = new double[idx.length][idx.length];
    for (int i = 0; i < idx.length; i++) {
      for (int j = 0; j < idx.length; j++) {
        s[i][j] = k[idx[i]][idx[j]];
      }
    }
    return s;
  }

  /** ⟨σ_aσ_b⟩. */
  double e2(int a, int b) {
    if (a == b) {
      return single[a].sigma2();
    }
    return a < b ? pair[a][b][Averages.SS] : pair[b][a][Averages.SS];
  }

  /** ⟨∂_a∂_a(σ_aσ_b)⟩, ⟨∂_a∂_b(σ_aσ_b)⟩, ⟨∂_b∂_b(σ_aσ_b)⟩ for a &lt; b. */
  double[] d2(int a, int b) {
    return Arrays.copyOfRange(pair[a][b], Averages.D2, Averages.D2 + 3);
  }

  /** ⟨∂⁴(σ_aσ_b)⟩ by the number n = 0..4 of derivatives in b, for a &lt; b. */
  double[] d4(int a, int b) {
    return Arrays.copyOfRange(pair[a][b], Averages.D4, Averages.D4 + 5);
  }

  /** ⟨σ_aσ_bσ_cσ_e⟩ for any four indices. */
  double e4(int... idx) {
    int[] s = idx.clone();
    Arrays.sort(s);
    int[] distinct = new int[4];
    int[] mult = new int[4];
    int n = 0;
    for (int i = 0; i < 4; i++) {
      if (n > 0 && distinct[n - 1] == s[i]) {
        mult[n - 1]++;
      } else {
        distinct[n] = s[i];
        mult[n++] = 1;
      }
    }
    switch (n) {
      case 1:
        return single[distinct[0]].sigma4();
      case 2: {
        double[] p = pair[distinct[0]][distinct[1]];
        return switch (mult[0]) {
          case 3 -> p[Averages.S3S1];
          case 2 -> p[Averages.S2S2];
          default -> p[Averages.S1S3];
        };
      }
      case 3: {
        double[] t = triple.get(key(distinct[0], distinct[1], distinct[2], 0));
        int twice = mult[0] == 2 ? 0 : mult[1] == 2 ? 1 : 2;
        return t[twice];
      }
      default:
        return quadruple.get(key(distinct[0], distinct[1], distinct[2], distinct[3] + 1));
    }
  }
}
