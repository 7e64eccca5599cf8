package org.finwidth.theory;

import java.util.ArrayList;
import java.util.List;

/**
 * An independent implementation of the d-input recursions of docs/theory.md §2, §5.1 and §5.3 for
 * σ = sin, with every Gaussian average in closed form: a product of sines and cosines of the z_i
 * expands in exponentials e^{±i z_i}, and E[e^{i s·z}] = exp(−sᵀKs/2). The derivative terms are
 * taken literally, ⟨∂_a∂_b(σ_{α1}σ_{α2})⟩ and ⟨∂_a∂_b∂_c∂_d(σ_{α1}σ_{α2})⟩ by the product rule
 * (sin' = cos, cos' = −sin), summed over all ordered index tuples: no K^{-1}, no Hermite tensors,
 * no quadrature. Test oracle only.
 */
final class SinClosedForm {
  private SinClosedForm() {}

  /** A product c · Π_j f_j(z_{index_j}) with f = sin (false) or cos (true). */
  private record Term(double c, int[] index, boolean[] cosine) {}

  /** E[Π_j f_j(z_{index_j})] for sines and cosines. */
  static double expect(double[][] k, int[] index, boolean[] cosine) {
    int n = index.length;
    int d = k.length;
    // (2i)^{-n_sin} 2^{-n_cos} Σ_ε Π_{sin j} ε_j exp(−sᵀKs/2), s_i = Σ_{j: index_j = i} ε_j.
    double total = 0;
    int sines = 0;
    for (boolean c : cosine) {
      sines += c ? 0 : 1;
    }
    if (sines % 2 == 1) {
      return 0; // odd in z ↦ −z
    }
    for (int mask = 0; mask < (1 << n); mask++) {
      double[] s = new double[d];
      double sign = 1;
      for (int j = 0; j < n; j++) {
        int eps = (mask >> j & 1) == 1 ? -1 : 1;
        s[index[j]] += eps;
        if (!cosine[j]) {
          sign *= eps;
        }
      }
      double q = 0;
      for (int a = 0; a < d; a++) {
        for (int b = 0; b < d; b++) {
          q += s[a] * k[a][b] * s[b];
        }
      }
      total += sign * Math.exp(-0.5 * q);
    }
    // (2i)^{-sines}: i^{-sines} = (−1)^{sines/2} for even sines.
    double norm = Math.pow(2, n) * ((sines / 2) % 2 == 0 ? 1 : -1);
    return total / norm;
  }

  /** ∂/∂z_a of a list of terms. */
  private static List<Term> derivative(List<Term> terms, int a) {
    List<Term> out = new ArrayList<>();
    for (Term t : terms) {
      for (int j = 0; j < t.index.length; j++) {
        if (t.index[j] != a) {
          continue;
        }
        boolean[] c = t.cosine.clone();
        c[j] = !c[j];
        out.add(new Term(t.cosine[j] ? -t.c : t.c, t.index, c));
      }
    }
    return out;
  }

  private static double expect(double[][] k, List<Term> terms) {
    double s = 0;
    for (Term t : terms) {
      s += t.c * expect(k, t.index, t.cosine);
    }
    return s;
  }

  private static List<Term> product(int... index) {
    return List.of(new Term(1, index, new boolean[index.length]));
  }

  /** One layer of the prediction: K, K1 (d×d) and V as V[a][b][c][d]. */
  record Layer(double[][] k, double[][] k1, double[][][][] v) {}

  /**
   * The recursion for sin with equal widths (ratio 1) from K^(1) = C_b + C_W·gram.
   */
  static List<Layer> predict(double cb, double cw, double[][] gram, int depth) {
    int d = gram.length;
    double[][] k = new double[d][d];
    for (int a = 0; a < d; a++) {
      for (int b = 0; b < d; b++) {
        k[a][b] = cb + cw * gram[a][b];
      }
    }
    double[][] k1 = new double[d][d];
    double[][][][] v = new double[d][d][d][d];
    List<Layer> layers = new ArrayList<>();
    for (int l = 1; l <= depth; l++) {
      layers.add(new Layer(k, k1, v));
      if (l == depth) {
        break;
      }
      double[][] kNext = new double[d][d];
      double[][] k1Next = new double[d][d];
      double[][][][] vNext = new double[d][d][d][d];
      // ⟨∂_a∂_b(σ_α σ_β)⟩ and ⟨∂_a∂_b∂_c∂_e(σ_α σ_β)⟩ for all indices.
      double[][][][] d2 = new double[d][d][d][d];
      double[][][][][][] d4 = new double[d][d][d][d][d][d];
      for (int al = 0; al < d; al++) {
        for (int be = 0; be < d; be++) {
          List<Term> f = product(al, be);
          for (int a = 0; a < d; a++) {
            List<Term> fa = derivative(f, a);
            for (int b = 0; b < d; b++) {
              List<Term> fab = derivative(fa, b);
              d2[al][be][a][b] = expect(k, fab);
              for (int c = 0; c < d; c++) {
                List<Term> fabc = derivative(fab, c);
                for (int e = 0; e < d; e++) {
                  d4[al][be][a][b][c][e] = expect(k, derivative(fabc, e));
                }
              }
            }
          }
        }
      }
      for (int a1 = 0; a1 < d; a1++) {
        for (int a2 = 0; a2 < d; a2++) {
          double e2 = expect(k, product(a1, a2));
          kNext[a1][a2] = cb + cw * e2;
          double quadratic = 0;
          double quartic = 0;
          for (int a = 0; a < d; a++) {
            for (int b = 0; b < d; b++) {
              quadratic += k1[a][b] * d2[a1][a2][a][b];
              for (int c = 0; c < d; c++) {
                for (int e = 0; e < d; e++) {
                  quartic += v[a][b][c][e] * d4[a1][a2][a][b][c][e];
                }
              }
            }
          }
          k1Next[a1][a2] = cw * (0.5 * quadratic + 0.125 * quartic);
          for (int a3 = 0; a3 < d; a3++) {
            for (int a4 = 0; a4 < d; a4++) {
              double source = expect(k, product(a1, a2, a3, a4)) - e2 * expect(k, product(a3, a4));
              double s = 0;
              for (int a = 0; a < d; a++) {
                for (int b = 0; b < d; b++) {
                  for (int c = 0; c < d; c++) {
                    for (int e = 0; e < d; e++) {
                      s += v[a][b][c][e] * d2[a1][a2][a][b] * d2[a3][a4][c][e];
                    }
                  }
                }
              }
              vNext[a1][a2][a3][a4] = cw * cw * (source + s / 4);
            }
          }
        }
      }
      k = kNext;
      k1 = k1Next;
      v = vNext;
    }
    return layers;
  }
}
