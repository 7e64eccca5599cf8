package org.finwidth.theory;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.finwidth.activation.Activation;
import org.finwidth.gauss.ActivationAverages;
import org.finwidth.gauss.Quadrature;
import org.finwidth.gauss.GaussianExpectation;

/**
 * The Gaussian averages the NTK recursions need at one layer's kernel K (docs/theory.md §11.3),
 * for d = 1 input or d = 2 distinct inputs (det K &gt; 0 where derivatives are asked for):
 * <pre>
 *   s2[a][b]       = ⟨σ_a σ_b⟩                   p2[a][b]       = ⟨σ'_a σ'_b⟩
 *   s4[a][b][c][e] = ⟨σ_a σ_b σ_c σ_e⟩           ppss[a][b][c][e] = ⟨σ'_a σ'_b σ_c σ_e⟩
 *   p4[a][b][c][e] = ⟨σ'_a σ'_b σ'_c σ'_e⟩
 *   m2s[a][b][c][e] = ⟨∂_c∂_e(σ_a σ_b)⟩ = ⟨σ_a σ_b (y_c y_e − K^{ce})⟩           m2p: the same for σ'_a σ'_b
 *   g1[a][b][c]     = ⟨∂_c(σ'_a σ_b)⟩   = ⟨σ'_a σ_b y_c⟩
 *   m4s[a][b][c][e][f][g] = ⟨∂_c∂_e∂_f∂_g(σ_a σ_b)⟩ = ⟨σ_a σ_b He_{cefg}(y)⟩        m4p: for σ'_a σ'_b
 * </pre>
 * with y = K^{-1}z and He the Hermite tensors of docs/theory.md §1.2. The derivative brackets are
 * derivative-free (Gaussian integration by parts), so they hold across kinks: σ' enters the
 * forward equation explicitly and is never differentiated (for ReLU, σ'' = δ is never taken).
 *
 * <p>Every distinct average is one component of a single vector-valued adaptive quadrature
 * ({@link GaussianExpectation}, split at the activation's kinks, relative tolerance 1e-13 of each
 * component's ⟨|f|⟩): one-dimensional for d = 1, two-dimensional for d = 2. A term is identified
 * by the multisets of its σ indices, σ' indices and Hermite indices, so symmetric copies share one
 * component.
 */
final class NtkBrackets {
  /** Which brackets to compute. */
  enum Level {
    /** s2, p2 only (the mean NTK H). */
    MEAN,
    /** Also the fourth-order products s4, ppss, p4 (the sources of D, F, A, B). */
    SOURCES,
    /** Also the derivative brackets m2s, m2p, g1, m4s, m4p (needs det K &gt; 0). */
    FULL
  }

  final int d;
  final double[][] s2;
  final double[][] p2;
  final double[][][][] s4;
  final double[][][][] ppss;
  final double[][][][] p4;
  final double[][][][] m2s;
  final double[][][][] m2p;
  final double[][][] g1;
  final double[][][][][][] m4s;
  final double[][][][][][] m4p;

  private NtkBrackets(int d) {
    this.d = d;
    s2 = new double[d][d];
    p2 = new double[d][d];
    s4 = new double[d][d][d][d];
    ppss = new double[d][d][d][d];
    p4 = new double[d][d][d][d];
    m2s = new double[d][d][d][d];
    m2p = new double[d][d][d][d];
    g1 = new double[d][d][d];
    m4s = new double[d][d][d][d][d][d];
    m4p = new double[d][d][d][d][d][d];
  }

  /** One distinct term: σ indices, σ' indices (per input counts) and Hermite indices. */
  private record Term(int[] sigmaCount, int[] primeCount, int[] herm) {}

  /** The terms of one computation and where each tensor entry finds its value. */
  private static final class Plan {
    final List<Term> terms = new ArrayList<>();
    final Map<String, Integer> index = new LinkedHashMap<>();
    final int d;

    Plan(int d) {
      this.d = d;
    }

    int term(int[] sigmas, int[] primes, int[] herm) {
      int[] sc = new int[d];
      int[] pc = new int[d];
      for (int a : sigmas) {
        sc[a]++;
      }
      for (int a : primes) {
        pc[a]++;
      }
      int[] h = herm.clone();
      Arrays.sort(h);
      String key = Arrays.toString(sc) + Arrays.toString(pc) + Arrays.toString(h);
      Integer k = index.get(key);
      if (k == null) {
        k = terms.size();
        index.put(key, k);
        terms.add(new Term(sc, pc, h));
      }
      return k;
    }
  }

  /**
   * The brackets at kernel K (1×1 or 2×2).
   *
   * @param level which brackets (see {@link Level}); FULL needs K_aa &gt; 0 and, for two inputs,
   *     det K &gt; 0
   * @throws IllegalArgumentException for d &gt; 2 or a K that FULL cannot use
   * @throws IllegalStateException if the quadrature fails or a value is not finite
   */
  static NtkBrackets compute(Activation sigma, GaussianExpectation g, double[][] k, Level level) {
    int d = k.length;
    if (d < 1 || d > 2) {
      throw new IllegalArgumentException("the NTK brackets support 1 or 2 distinct inputs, got d=" + d);
    }
    boolean full = level == Level.FULL;
    boolean sources = level != Level.MEAN;
    double[][] kinv = null;
    if (full) {
      if (d == 1) {
        if (!(k[0][0] > 0)) {
          throw new IllegalArgumentException("the derivative brackets need K > 0, got K = " + k[0][0]);
        }
        kinv = new double[][] {{1 / k[0][0]}};
      } else {
        double det = Averages.determinant(k[0][0], k[0][1], k[1][1]);
        if (!(k[0][0] > 0 && k[1][1] > 0 && det > 0)) {
          throw new IllegalArgumentException("the derivative brackets need det K > 0, got K = "
              + Arrays.deepToString(k));
        }
        kinv = new double[][] {{k[1][1] / det, -k[0][1] / det}, {-k[0][1] / det, k[0][0] / det}};
      }
    }
    Plan plan = new Plan(d);
    NtkBrackets b = new NtkBrackets(d);
    int[][] is2 = new int[d][d];
    int[][] ip2 = new int[d][d];
    int[][][][] is4 = new int[d][d][d][d];
    int[][][][] ippss = new int[d][d][d][d];
    int[][][][] ip4 = new int[d][d][d][d];
    int[][][][] im2s = new int[d][d][d][d];
    int[][][][] im2p = new int[d][d][d][d];
    int[][][] ig1 = new int[d][d][d];
    int[][][][][][] im4s = new int[d][d][d][d][d][d];
    int[][][][][][] im4p = new int[d][d][d][d][d][d];
    int[] none = {};
    for (int a = 0; a < d; a++) {
      for (int c = 0; c < d; c++) {
        is2[a][c] = plan.term(new int[] {a, c}, none, none);
        ip2[a][c] = plan.term(none, new int[] {a, c}, none);
        for (int e = 0; e < d && sources; e++) {
          for (int f = 0; f < d; f++) {
            is4[a][c][e][f] = plan.term(new int[] {a, c, e, f}, none, none);
            ippss[a][c][e][f] = plan.term(new int[] {e, f}, new int[] {a, c}, none);
            ip4[a][c][e][f] = plan.term(none, new int[] {a, c, e, f}, none);
            if (full) {
              im2s[a][c][e][f] = plan.term(new int[] {a, c}, none, new int[] {e, f});
              im2p[a][c][e][f] = plan.term(none, new int[] {a, c}, new int[] {e, f});
              for (int x = 0; x < d; x++) {
                for (int y = 0; y < d; y++) {
                  im4s[a][c][e][f][x][y] = plan.term(new int[] {a, c}, none, new int[] {e, f, x, y});
                  im4p[a][c][e][f][x][y] = plan.term(none, new int[] {a, c}, new int[] {e, f, x, y});
                }
              }
            }
          }
          if (full) {
            ig1[a][c][e] = plan.term(new int[] {c}, new int[] {a}, new int[] {e});
          }
        }
      }
    }
    double[] v = integrate(sigma, g, k, kinv, plan);
    for (int a = 0; a < d; a++) {
      for (int c = 0; c < d; c++) {
        b.s2[a][c] = v[is2[a][c]];
        b.p2[a][c] = v[ip2[a][c]];
        for (int e = 0; e < d && sources; e++) {
          for (int f = 0; f < d; f++) {
            b.s4[a][c][e][f] = v[is4[a][c][e][f]];
            b.ppss[a][c][e][f] = v[ippss[a][c][e][f]];
            b.p4[a][c][e][f] = v[ip4[a][c][e][f]];
            if (full) {
              b.m2s[a][c][e][f] = v[im2s[a][c][e][f]];
              b.m2p[a][c][e][f] = v[im2p[a][c][e][f]];
              for (int x = 0; x < d; x++) {
                for (int y = 0; y < d; y++) {
                  b.m4s[a][c][e][f][x][y] = v[im4s[a][c][e][f][x][y]];
                  b.m4p[a][c][e][f][x][y] = v[im4p[a][c][e][f][x][y]];
                }
              }
            }
          }
          if (full) {
            b.g1[a][c][e] = v[ig1[a][c][e]];
          }
        }
      }
    }
    return b;
  }

  /** All terms of the plan in one quadrature. */
  private static double[] integrate(Activation sigma, GaussianExpectation g, double[][] k, double[][] kinv,
      Plan plan) {
    int d = plan.d;
    int m = plan.terms.size();
    Term[] terms = plan.terms.toArray(new Term[0]);
    double[] kinks = sigma.kinks();
    double scale = ActivationAverages.featureScale(sigma);
    double[][] sPow = new double[d][5];
    double[][] pPow = new double[d][5];
    double[] y = new double[d];
    Quadrature e;
    if (d == 1) {
      double kk = k[0][0];
      e = g.expectWithScale((z, out) -> {
        powers(sigma, z, 0, sPow, pPow);
        y[0] = kinv == null ? 0 : z * kinv[0][0];
        evaluate(terms, sPow, pPow, y, kinv, out);
      }, m, kk, scale, kinks);
    } else {
      double k00 = k[0][0];
      double k01 = k[0][1];
      double k11 = k[1][1];
      // The standardised variables of Averages: z0 = √K00 u, z1 = r z0 + s v, y = K^{-1}z =
      // (u/√K00 − (K01/(K00 s)) v, v/s), without the cancellation of K^{-1}z.
      double sqrtA = Math.sqrt(k00);
      double r = k00 > 0 ? k01 / k00 : 0;
      double det = Averages.determinant(k00, k01, k11);
      double s = k00 > 0 ? Math.sqrt(Math.max(det, 0) / k00) : 0;
      double y0v = kinv == null ? 0 : -k01 / (k00 * s);
      e = g.expectWithScale((z0, z1, out) -> {
        powers(sigma, z0, 0, sPow, pPow);
        powers(sigma, z1, 1, sPow, pPow);
        if (kinv != null) {
          double u = z0 / sqrtA;
          double vv = (z1 - r * z0) / s;
          y[0] = u / sqrtA + y0v * vv;
          y[1] = vv / s;
        }
        evaluate(terms, sPow, pPow, y, kinv, out);
      }, m, k00, k01, k11, scale, kinks, kinks);
    }
    double[] v = e.values().clone();
    for (int j = 0; j < m; j++) {
      if (!Double.isFinite(v[j])) {
        throw new IllegalStateException("a Gaussian average of the NTK recursion of " + sigma.spec() + " at K = "
            + Arrays.deepToString(k) + " is not finite");
      }
    }
    return v;
  }

  private static void powers(Activation sigma, double z, int a, double[][] sPow, double[][] pPow) {
    double s = sigma.value(z);
    double p = sigma.d1(z);
    sPow[a][0] = 1;
    pPow[a][0] = 1;
    for (int i = 1; i < 5; i++) {
      sPow[a][i] = sPow[a][i - 1] * s;
      pPow[a][i] = pPow[a][i - 1] * p;
    }
  }

  private static void evaluate(Term[] terms, double[][] sPow, double[][] pPow, double[] y, double[][] kinv,
      double[] out) {
    for (int j = 0; j < terms.length; j++) {
      Term t = terms[j];
      double f = 1;
      for (int a = 0; a < t.sigmaCount.length; a++) {
        f *= sPow[a][t.sigmaCount[a]] * pPow[a][t.primeCount[a]];
      }
      if (f != 0 && t.herm.length > 0) {
        f *= hermite(t.herm, y, kinv);
      }
      out[j] = f;
    }
  }

  /**
   * The Hermite tensor He_{c..}(y) of docs/theory.md §1.2: y_c; y_c y_e − K^{ce};
   * y_c y_e y_f y_g − (six K^{..} y y) + (three K^{..} K^{..}).
   */
  static double hermite(int[] h, double[] y, double[][] kinv) {
    switch (h.length) {
      case 1:
        return y[h[0]];
      case 2:
        return y[h[0]] * y[h[1]] - kinv[h[0]][h[1]];
      case 4: {
        int c = h[0];
        int e = h[1];
        int f = h[2];
        int g = h[3];
        double yc = y[c];
        double ye = y[e];
        double yf = y[f];
        double yg = y[g];
        return yc * ye * yf * yg
            - (kinv[c][e] * yf * yg + kinv[c][f] * ye * yg + kinv[c][g] * ye * yf
               + kinv[e][f] * yc * yg + kinv[e][g] * yc * yf + kinv[f][g] * yc * ye)
            + (kinv[c][e] * kinv[f][g] + kinv[c][f] * kinv[e][g] + kinv[c][g] * kinv[e][f]);
      }
      default:
        throw new IllegalArgumentException("Hermite tensors of order 1, 2 and 4 only, got " + h.length);
    }
  }
}
