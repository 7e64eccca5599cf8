package org.finwidth.theory;

import java.util.ArrayList;
import java.util.List;
import org.finwidth.network.NetworkSpec;

/**
 * The two-input recursion of V and K1 as {@link Prediction} computed it before the d-input
 * recursion replaced it (a verbatim copy of its former special code, kept as the reference that
 * the general code must reproduce for d = 2). Test oracle only. Each layer is {K, K1, V} with V
 * over the pairs (00, 01, 11) in that order.
 */
final class TwoInputReference {
  final NetworkSpec spec;
  final double cb;
  final double cw;
  final Averages averages;
  final List<double[][][]> layers = new ArrayList<>();
  String breakdown;

  TwoInputReference(NetworkSpec spec) {
    this.spec = spec;
    this.cb = spec.cb();
    this.cw = spec.cw();
    this.averages = new Averages(spec.activation());
    pair();
  }

  /** Multiplicity of the unordered pair u (00, 01, 11) in a sum over ordered index pairs. */
  private static final int[] MULT = {1, 2, 1};
  /** Number of indices equal to 1 in the unordered pair u. */
  private static final int[] ONES = {0, 1, 2};

  /** Two distinct inputs. */
  void pair() {
    int depth = spec.depth();
    double[][] k = spec.kernel1();
    double[][] v = new double[3][3];
    double[] k1 = new double[3]; // over unordered pairs 00, 01, 11
    boolean vertexZero = true;
    for (int l = 1; l <= depth; l++) {
      Averages.Single a0;
      Averages.Single a1;
      double[] m;
      try {
        a0 = averages.single(k[0][0]);
        a1 = averages.single(k[1][1]);
        layers.add(new double[][][] {k, {{k1[0], k1[1]}, {k1[1], k1[2]}}, v});
        if (l == depth) {
          return;
        }
        int mode = Averages.SOURCES;
        if (!vertexZero) {
          if (!(k[0][0] > 0 && k[1][1] > 0)) {
            breakdown = String.valueOf("layer " + (l + 1) + ": input " + (k[0][0] > 0 ? 2 : 1)
                + " has zero variance at layer " + l + " (a constant preactivation): the"
                + " two-input V and K1 recursion needs K^-1 (docs/theory.md §1.2); use one input");
            return;
          }
          double det = Averages.determinant(k[0][0], k[0][1], k[1][1]);
          double decorrelation = det / (k[0][0] * k[1][1]);
          if (!(decorrelation >= Prediction.MIN_DECORRELATION)) {
            breakdown = String.valueOf("layer " + (l + 1) + ": the two inputs are (nearly)"
                + " collinear at layer " + l + " (1 - rho^2 = " + decorrelation + " < "
                + Prediction.MIN_DECORRELATION + "): the two-input V and K1 recursion needs K^-1"
                + " (docs/theory.md §1.2); use one input or less correlated inputs");
            return;
          }
          mode = Averages.FULL;
        }
        m = averages.pair(k[0][0], k[0][1], k[1][1], mode);
      } catch (IllegalStateException e) {
        int at = layers.size() == l ? l + 1 : l;
        breakdown = String.valueOf("layer " + at + ": " + e.getMessage());
        return;
      }
      double ratio = (double) spec.width(l) / spec.width(l - 1);
      // ⟨σ_P⟩ and ⟨σ_P σ_Q⟩ over unordered pairs P, Q ∈ {00, 01, 11}.
      double[] e1 = {a0.sigma2(), m[Averages.SS], a1.sigma2()};
      double[][] e2 = {
        {a0.sigma4(), m[Averages.S3S1], m[Averages.S2S2]},
        {m[Averages.S3S1], m[Averages.S2S2], m[Averages.S1S3]},
        {m[Averages.S2S2], m[Averages.S1S3], a1.sigma4()},
      };
      double[][] vNext = new double[3][3];
      double[] k1Next = new double[3];
      for (int p = 0; p < 3; p++) {
        for (int q = p; q < 3; q++) {
          vNext[p][q] = vNext[q][p] = cw * cw * (e2[p][q] - e1[p] * e1[q]);
        }
      }
      if (!vertexZero) {
        // ⟨∂_a∂_b σ_P⟩ by unordered (ab) and ⟨∂^4 σ_P⟩ by the number of indices equal to 1.
        double[][] d2 = {
          {2 * a0.chiParallel(), 0, 0},
          {m[Averages.D2], m[Averages.D2 + 1], m[Averages.D2 + 2]},
          {0, 0, 2 * a1.chiParallel()},
        };
        double[][] d4 = {
          {a0.k1Source(), 0, 0, 0, 0},
          {m[Averages.D4], m[Averages.D4 + 1], m[Averages.D4 + 2], m[Averages.D4 + 3], m[Averages.D4 + 4]},
          {0, 0, 0, 0, a1.k1Source()},
        };
        for (int p = 0; p < 3; p++) {
          double quartic = 0;
          double quadratic = 0;
          for (int u = 0; u < 3; u++) {
            quadratic += MULT[u] * k1[u] * d2[p][u];
            for (int w = 0; w < 3; w++) {
              quartic += MULT[u] * MULT[w] * v[u][w] * d4[p][ONES[u] + ONES[w]];
            }
          }
          k1Next[p] = ratio * cw * (0.5 * quadratic + 0.125 * quartic);
          for (int q = p; q < 3; q++) {
            double s = 0;
            for (int u = 0; u < 3; u++) {
              for (int w = 0; w < 3; w++) {
                s += MULT[u] * MULT[w] * v[u][w] * d2[p][u] * d2[q][w];
              }
            }
            vNext[p][q] += cw * cw / 4 * ratio * s;
            vNext[q][p] = vNext[p][q];
          }
        }
      }
      double[][] kNext = {
        {cb + cw * a0.sigma2(), cb + cw * m[Averages.SS]},
        {cb + cw * m[Averages.SS], cb + cw * a1.sigma2()},
      };
      if (!finite(kNext) || !finite(vNext) || !finite(new double[][] {k1Next})) {
        breakdown = String.valueOf("layer " + (l + 1) + ": the recursion overflows the"
            + " double range (from K^(" + l + ") = " + java.util.Arrays.deepToString(k) + ")");
        return;
      }
      k = kNext;
      v = vNext;
      k1 = k1Next;
      vertexZero = false;
    }
  }


  private static boolean finite(double[][] m) {
    for (double[] row : m) {
      for (double x : row) {
        if (!Double.isFinite(x)) {
          return false;
        }
      }
    }
    return true;
  }
}
