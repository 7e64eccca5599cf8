package org.finwidth.theory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.finwidth.activation.Activation;
import org.finwidth.network.NetworkSpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The d-input recursions of {@link Prediction} (docs/theory.md §5.1, §5.3) against independent oracles. */
class MultiInputPredictionTest {
  private static NetworkSpec spec(String act, double cb, double cw, int depth, int width, double[][] gram) {
    return NetworkSpec.ofGram(Activation.parse(act), cb, cw, gram.length, NetworkSpec.equalWidths(depth, width), gram);
  }

  /**
   * The largest |x − y| over every component of K, K1 and V, each divided by its natural scale:
   * √(K_aa K_bb) for K_ab and K1_ab... see {@link #scaleK}, √(V_(aa)(bb)... ) for V.
   */
  static void assertAgree(SinClosedForm.Layer want, LayerPrediction got, double tol, String what) {
    int d = want.k().length;
    for (int a = 0; a < d; a++) {
      for (int b = 0; b < d; b++) {
        double sk = Math.sqrt(want.k()[a][a] * want.k()[b][b]);
        assertEquals(want.k()[a][b], got.kernel(a, b), tol * sk, what + " K" + a + b);
        double s1 = Math.max(Math.sqrt(Math.abs(want.k1()[a][a] * want.k1()[b][b])), 1e-300);
        assertEquals(want.k1()[a][b], got.nloKernel(a, b), tol * Math.max(s1, Math.abs(want.k1()[a][b])),
            what + " K1" + a + b + " at layer " + got.layer());
        for (int c = 0; c < d; c++) {
          for (int e = 0; e < d; e++) {
            double w = want.v()[a][b][c][e];
            double sv = Math.sqrt(Math.abs(want.v()[a][b][a][b] * want.v()[c][e][c][e]));
            assertEquals(w, got.vertex(a, b, c, e), tol * Math.max(sv, Math.abs(w)),
                what + " V" + a + b + "|" + c + e + " at layer " + got.layer());
          }
        }
      }
    }
  }

  @Test
  void sinThreeInputsMatchClosedForms() {
    double[][] gram = {{1, 0.3, -0.2}, {0.3, 0.8, 0.1}, {-0.2, 0.1, 1.3}};
    long t0 = System.nanoTime();
    Prediction p = Prediction.of(spec("sin", 0.1, 1.2, 4, 64, gram));
    System.out.println("d=3 sin: " + (System.nanoTime() - t0) / 1e6 + " ms");
    assertTrue(p.isComplete(), p.breakdown().toString());
    List<SinClosedForm.Layer> want = SinClosedForm.predict(0.1, 1.2, gram, 4);
    for (int l = 1; l <= 4; l++) {
      assertAgree(want.get(l - 1), p.layer(l), 1e-9, "sin d=3");
    }
  }

  @Test
  void sinFourInputsMatchClosedForms() {
    double[][] gram = {{1, 0.3, -0.2, 0.1}, {0.3, 0.8, 0.1, -0.3}, {-0.2, 0.1, 1.3, 0.4}, {0.1, -0.3, 0.4, 0.9}};
    long t0 = System.nanoTime();
    Prediction p = Prediction.of(spec("sin", 0.1, 1.2, 4, 64, gram));
    System.out.println("d=4 sin: " + (System.nanoTime() - t0) / 1e6 + " ms");
    assertTrue(p.isComplete(), p.breakdown().toString());
    List<SinClosedForm.Layer> want = SinClosedForm.predict(0.1, 1.2, gram, 4);
    for (int l = 1; l <= 4; l++) {
      assertAgree(want.get(l - 1), p.layer(l), 1e-9, "sin d=4");
    }
  }

  /**
   * d = 2 through the general code against the former two-input special code
   * ({@link TwoInputReference}), every component of K, K1 and V at every layer, unequal widths:
   * 1e-12 relative, with a floor of 1e-12 of the component's natural scale for components near 0.
   * The general code integrates each pair with the larger variance outside; the reference is run
   * in that orientation (swapping the inputs changes the former code's own results by its
   * quadrature error, up to 4e-12 relative in K1 for softplus here).
   */
  @ParameterizedTest(name = "{0}")
  @CsvSource({"tanh", "relu", "gelu", "sin", "swish", "leaky:a=0.2", "erf", "softplus"})
  void twoInputsAgreeWithTheFormerTwoInputCode(String act) {
    double[][] gram = {{0.9, 0.35}, {0.35, 1.4}};
    int[] widths = {20, 40, 10, 30, 25, 50};
    NetworkSpec spec = NetworkSpec.ofGram(Activation.parse(act), 0.15, 1.3, 2, widths, gram);
    Prediction p = Prediction.of(spec);
    // The reference in the orientation the general code uses (larger variance outside).
    double[][] swapped = {{gram[1][1], gram[1][0]}, {gram[0][1], gram[0][0]}};
    TwoInputReference ref = new TwoInputReference(NetworkSpec.ofGram(Activation.parse(act), 0.15, 1.3, 2, widths, swapped));
    int[] at = {1, 0}; // input a of the reference is input at[a] here
    assertTrue(p.isComplete(), p.breakdown().toString());
    assertEquals(null, ref.breakdown);
    int[][] pairs = {{0, 0}, {0, 1}, {1, 1}};
    for (int l = 1; l <= widths.length; l++) {
      double[][][] want = ref.layers.get(l - 1);
      LayerPrediction got = p.layer(l);
      for (int a = 0; a < 2; a++) {
        for (int b = 0; b < 2; b++) {
          double sk = Math.sqrt(want[0][a][a] * want[0][b][b]);
          assertRelative(want[0][a][b], got.kernel(at[a], at[b]), 1e-12, sk, "K" + a + b + " at " + l);
          double s1 = Math.sqrt(Math.abs(want[1][a][a] * want[1][b][b]));
          assertRelative(want[1][a][b], got.nloKernel(at[a], at[b]), 1e-12, s1, "K1" + a + b + " at " + l);
        }
      }
      for (int u = 0; u < 3; u++) {
        for (int w = 0; w < 3; w++) {
          double sv = Math.sqrt(Math.abs(want[2][u][u] * want[2][w][w]));
          assertRelative(want[2][u][w], got.vertex(at[pairs[u][0]], at[pairs[u][1]], at[pairs[w][0]], at[pairs[w][1]]), 1e-12, sv,
              "V" + u + w + " at " + l);
        }
      }
    }
  }

  private static void assertRelative(double want, double got, double tol, double scale, String what) {
    assertEquals(want, got, tol * Math.max(Math.abs(want), scale), what);
  }

  /** Every component of K, K1 and V of two predictions, the second's inputs permuted by perm. */
  private static void assertPermuted(Prediction p, Prediction q, int[] perm, double tol) {
    int d = perm.length;
    assertEquals(p.layers().size(), q.layers().size());
    for (int l = 1; l <= p.layers().size(); l++) {
      LayerPrediction x = p.layer(l);
      LayerPrediction y = q.layer(l);
      for (int a = 0; a < d; a++) {
        for (int b = 0; b < d; b++) {
          double sk = Math.sqrt(x.kernel(a, a) * x.kernel(b, b));
          assertRelative(x.kernel(a, b), y.kernel(perm[a], perm[b]), tol, sk, "K" + a + b);
          double s1 = Math.sqrt(Math.abs(x.nloKernel(a, a) * x.nloKernel(b, b)));
          assertRelative(x.nloKernel(a, b), y.nloKernel(perm[a], perm[b]), tol, s1, "K1" + a + b);
          for (int c = 0; c < d; c++) {
            for (int e = 0; e < d; e++) {
              double sv = Math.sqrt(Math.abs(x.vertex(a, b, a, b) * x.vertex(c, e, c, e)));
              assertRelative(x.vertex(a, b, c, e), y.vertex(perm[a], perm[b], perm[c], perm[e]), tol, sv,
                  "V" + a + b + "|" + c + e + " at " + l);
            }
          }
        }
      }
    }
  }

  private static double[][] permute(double[][] g, int[] perm) {
    int d = g.length;
    double[][] h = new double[d][d];
    for (int a = 0; a < d; a++) {
      for (int b = 0; b < d; b++) {
        h[perm[a]][perm[b]] = g[a][b];
      }
    }
    return h;
  }

  /**
   * Permuting the inputs permutes every component of K, K1 and V: 1e-13 relative (natural scale
   * floor), the rounding of sums taken in another order; the quadratures themselves run in a
   * canonical orientation and order and give identical numbers.
   */
  @Test
  void permutingTheInputsPermutesEveryComponent() {
    double[][] gram = {{0.5, 0.15, -0.1, 0.05}, {0.15, 0.4, 0.05, -0.15}, {-0.1, 0.05, 0.65, 0.2}, {0.05, -0.15, 0.2, 0.45}};
    int[] perm = {2, 0, 3, 1};
    int[] widths = {30, 20, 40};
    Prediction p = Prediction.of(NetworkSpec.ofGram(Activation.parse("tanh"), 0.05, 1.1, 4, widths, gram));
    Prediction q = Prediction.of(NetworkSpec.ofGram(Activation.parse("tanh"), 0.05, 1.1, 4, widths, permute(gram, perm)));
    assertTrue(p.isComplete(), p.breakdown().toString());
    assertPermuted(p, q, perm, 1e-13);
  }

  /** Duplicated inputs give exactly the components of the distinct ones (the same numbers). */
  @Test
  void duplicateInputsReduceExactly() {
    double[][] x = {{1, -0.5, 0.3}, {0.2, 0.9, -0.4}, {1, -0.5, 0.3}, {0.2, 0.9, -0.4}, {1, -0.5, 0.3}};
    int[] rep = {0, 1, 0, 1, 0};
    int[] widths = NetworkSpec.equalWidths(4, 32);
    Prediction five = Prediction.of(NetworkSpec.ofInputs(Activation.parse("gelu"), 0.1, 1.5, widths, x));
    Prediction two = Prediction.of(NetworkSpec.ofInputs(Activation.parse("gelu"), 0.1, 1.5, widths,
        new double[][] {x[0], x[1]}));
    assertTrue(five.isComplete(), five.breakdown().toString());
    for (int l = 1; l <= 4; l++) {
      for (int a = 0; a < 5; a++) {
        for (int b = 0; b < 5; b++) {
          assertEquals(two.layer(l).kernel(rep[a], rep[b]), five.layer(l).kernel(a, b));
          assertEquals(two.layer(l).nloKernel(rep[a], rep[b]), five.layer(l).nloKernel(a, b));
          for (int c = 0; c < 5; c++) {
            for (int e = 0; e < 5; e++) {
              assertEquals(two.layer(l).vertex(rep[a], rep[b], rep[c], rep[e]), five.layer(l).vertex(a, b, c, e));
            }
          }
        }
        assertEquals(two.layer(l).chiParallel(rep[a]), five.layer(l).chiParallel(a));
      }
    }
  }

  /**
   * σ = z with d = 4: K' = C_b + C_W K, K1 ≡ 0 and V' = C_W²(K_ac K_bd + K_ad K_bc) + C_W² r V
   * (Isserlis; ⟨∂_a∂_b(z_α1 z_α2)⟩ = δ_aα1 δ_bα2 + δ_aα2 δ_bα1), every component, unequal widths;
   * with C_b = 0 and orthogonal inputs the inputs stay independent, V_(ab)(cd) = 0 unless
   * {a,b} = {c,d}, and the vertex factorises. 1e-12 relative (natural scale floor).
   */
  @ParameterizedTest(name = "cb={0}, orthogonal={1}")
  @CsvSource({"0.3, false", "0, true"})
  void linearNetworksMatchIsserlis(double cb, boolean orthogonal) {
    double cw = 0.9;
    double[][] gram = orthogonal
        ? new double[][] {{1, 0, 0, 0}, {0, 2, 0, 0}, {0, 0, 0.5, 0}, {0, 0, 0, 1.5}}
        : new double[][] {{1, 0.4, -0.2, 0.3}, {0.4, 2, 0.1, -0.5}, {-0.2, 0.1, 0.5, 0.2}, {0.3, -0.5, 0.2, 1.5}};
    int d = 4;
    int[] widths = {5, 9, 4, 12};
    Prediction p = Prediction.of(NetworkSpec.ofGram(Activation.parse("linear"), cb, cw, d, widths, gram));
    assertTrue(p.isComplete(), p.breakdown().toString());
    double[][] k = new double[d][d];
    for (int a = 0; a < d; a++) {
      for (int b = 0; b < d; b++) {
        k[a][b] = cb + cw * gram[a][b];
      }
    }
    double[][][][] v = new double[d][d][d][d];
    for (int l = 1; l <= widths.length; l++) {
      LayerPrediction lp = p.layer(l);
      for (int a = 0; a < d; a++) {
        for (int b = 0; b < d; b++) {
          assertRelative(k[a][b], lp.kernel(a, b), 1e-12, Math.sqrt(k[a][a] * k[b][b]), "K");
          assertEquals(0, lp.nloKernel(a, b), 1e-12 * Math.sqrt(k[a][a] * k[b][b]), "K1");
          for (int c = 0; c < d; c++) {
            for (int e = 0; e < d; e++) {
              double sv = Math.sqrt(v[a][b][a][b] * v[c][e][c][e]);
              assertRelative(v[a][b][c][e], lp.vertex(a, b, c, e), 1e-12, sv, "V" + a + b + c + e + " at " + l);
              boolean samePair = (a == c && b == e) || (a == e && b == c);
              if (orthogonal && !samePair) {
                assertEquals(0, lp.vertex(a, b, c, e), 1e-12 * sv, "independent inputs at " + l);
              }
            }
          }
        }
      }
      double ratio = (double) widths[l - 1] / (l == 1 ? d : widths[l - 2]);
      double[][][][] next = new double[d][d][d][d];
      for (int a = 0; a < d; a++) {
        for (int b = 0; b < d; b++) {
          for (int c = 0; c < d; c++) {
            for (int e = 0; e < d; e++) {
              next[a][b][c][e] = cw * cw * (k[a][c] * k[b][e] + k[a][e] * k[b][c]) + cw * cw * ratio * v[a][b][c][e];
            }
          }
        }
      }
      v = next;
      for (int a = 0; a < d; a++) {
        for (int b = 0; b < d; b++) {
          k[a][b] = cb + cw * k[a][b];
        }
      }
    }
  }

  /**
   * The derivative forms of a smooth σ (Stein, no K^{-1}) against the Hermite forms where both
   * apply (1 − ρ² = 0.64 and 0.02): 1e-9 of the larger of the term and the pair's scale
   * ⟨|σ0σ1|⟩-sized terms (both are quadratures to about 1e-13 of their integrands' L1 norms, and
   * the Hermite forms lose (1 − ρ²)^{-2} of that).
   */
  @ParameterizedTest(name = "{0} rho={1}")
  @CsvSource({"tanh, 0.6", "tanh, 0.99", "gelu, 0.6", "swish, -0.99", "sin, 0.6"})
  void derivativeFormsAgreeWithHermiteForms(String act, double rho) {
    Averages av = new Averages(Activation.parse(act));
    double k00 = 0.9;
    double k11 = 1.4;
    double k01 = rho * Math.sqrt(k00 * k11);
    double[] hermite = av.pair(k00, k01, k11, Averages.FULL);
    double[] stein = av.pairDerivativeForms(k00, k01, k11);
    double scale = 0;
    for (int j = Averages.D2; j < Averages.FULL; j++) {
      scale = Math.max(scale, Math.abs(hermite[j]));
    }
    for (int j = Averages.D2; j < Averages.FULL; j++) {
      assertEquals(hermite[j], stein[j], 1e-9 * scale, "term " + j);
    }
  }

  /**
   * Two nearly identical inputs (1 − ρ² ≈ 4e-8 at layer 1) of a smooth σ: the prediction goes on
   * through the derivative forms, and V, K1 approach those of two identical inputs (the difference
   * is first order in the separation, here below 1e-3 of the scale).
   */
  @Test
  void nearlyIdenticalSmoothInputsAreComputed() {
    int[] widths = NetworkSpec.equalWidths(5, 32);
    double[][] x = {{1, -0.5, 0.3}, {1, -0.5, 0.3002}};
    Prediction near = Prediction.of(NetworkSpec.ofInputs(Activation.parse("tanh"), 0.1, 1.5, widths, x));
    Prediction same = Prediction.of(NetworkSpec.ofInputs(Activation.parse("tanh"), 0.1, 1.5, widths,
        new double[][] {x[0], x[0]}));
    assertTrue(near.isComplete(), near.breakdown().toString());
    for (int l = 2; l <= 5; l++) {
      double v = same.layer(l).vertex(0, 0, 0, 0);
      assertEquals(v, near.layer(l).vertex(0, 1, 0, 1), 1e-3 * v, "V01|01 at " + l);
      assertEquals(v, near.layer(l).vertex(0, 0, 1, 1), 1e-3 * v, "V00|11 at " + l);
      double k1 = Math.abs(same.layer(l).nloKernel(0, 0));
      assertEquals(same.layer(l).nloKernel(0, 0), near.layer(l).nloKernel(0, 1), 1e-3 * Math.max(k1, 1e-3), "K1 at " + l);
    }
  }

  /**
   * Kinked σ, C_b = 0, inputs x, 2x and y: the collinear pair has a rank-1 kernel at every layer
   * (z_1 = 2z_0 for ReLU, positively homogeneous of degree 1), and the prediction goes on through
   * it. Anchors: the diagonal of 2x equals the single-input prediction of 2x alone (1e-12
   * relative, a separate computation at four times the variance); every component of x and y
   * equals the two-input prediction of (x, y) exactly (the same numbers); and the components of
   * the pair approach those of a nearly collinear pair x, 2x + δ computed by the full d-input
   * recursion with 1 − ρ² ≈ 3e-4 at layer 1, about the least that the recursion accepts to depth 4
   * (measured: within 1.4e-2 of the Cauchy–Schwarz scale for ReLU and leaky;
   * asserted at 3e-2, the difference being of order √(1 − ρ²)).
   */
  @ParameterizedTest(name = "{0}")
  @CsvSource({"relu", "leaky:a=0.2"})
  void collinearKinkedInputsAreComputed(String act) {
    int[] widths = NetworkSpec.equalWidths(4, 32);
    double[] x = {1, -0.5, 0.3};
    double[] y = {0.2, 0.9, -0.4};
    double[] twice = {2, -1, 0.6};
    Activation sigma = Activation.parse(act);
    Prediction three = Prediction.of(NetworkSpec.ofInputs(sigma, 0, 2, widths, new double[][] {x, twice, y}));
    Prediction two = Prediction.of(NetworkSpec.ofInputs(sigma, 0, 2, widths, new double[][] {x, y}));
    Prediction alone = Prediction.of(NetworkSpec.ofInputs(sigma, 0, 2, widths, new double[][] {twice}));
    Prediction near = Prediction.of(NetworkSpec.ofInputs(sigma, 0, 2, widths,
        new double[][] {x, {2, -1, 0.6 + 0.04}, y}));
    assertTrue(three.isComplete(), three.breakdown().toString());
    assertTrue(near.isComplete(), near.breakdown().toString());
    int[] at = {0, 2};
    double worst = 0;
    for (int l = 1; l <= 4; l++) {
      LayerPrediction t = three.layer(l);
      LayerPrediction a = alone.layer(l);
      assertRelative(a.kernel(0, 0), t.kernel(1, 1), 1e-12, 0, "K at " + l);
      assertRelative(a.vertex(0, 0, 0, 0), t.vertex(1, 1, 1, 1), 1e-12, 0, "V at " + l);
      assertRelative(a.nloKernel(0, 0), t.nloKernel(1, 1), 1e-12, 1e-12 * a.kernel(0, 0), "K1 at " + l);
      assertEquals(a.chiParallel(0), t.chiParallel(1), 1e-12 * a.chiParallel(0), "chi at " + l);
      for (int u = 0; u < 2; u++) {
        for (int w = 0; w < 2; w++) {
          assertEquals(two.layer(l).kernel(u, w), t.kernel(at[u], at[w]));
          assertEquals(two.layer(l).nloKernel(u, w), t.nloKernel(at[u], at[w]));
          assertEquals(two.layer(l).vertex(u, w, u, w), t.vertex(at[u], at[w], at[u], at[w]));
        }
      }
      LayerPrediction n = near.layer(l);
      for (int[] c : new int[][] {{0, 1, 0, 1}, {0, 0, 1, 1}, {0, 1, 2, 2}, {1, 2, 1, 2}, {0, 1, 1, 1}}) {
        double scale = Math.sqrt(t.vertex(c[0], c[1], c[0], c[1]) * t.vertex(c[2], c[3], c[2], c[3]));
        double diff = Math.abs(t.vertex(c[0], c[1], c[2], c[3]) - n.vertex(c[0], c[1], c[2], c[3])) / Math.max(scale, 1e-300);
        worst = Math.max(worst, diff);
        assertEquals(t.vertex(c[0], c[1], c[2], c[3]), n.vertex(c[0], c[1], c[2], c[3]), 3e-2 * scale,
            "V" + java.util.Arrays.toString(c) + " at " + l);
      }
    }
    System.out.println(act + " collinear vs nearly collinear: worst " + worst);
  }

  /**
   * Kinked σ, C_b = 0, an input x = 0: its preactivations are 0 at every layer (σ(0) = 0), every
   * component with its index is exactly 0, and the other inputs' components are exactly those
   * of the prediction without it.
   */
  @ParameterizedTest(name = "{0}")
  @CsvSource({"relu", "repu:p=2", "mrepu"})
  void zeroInputOfAKinkedActivation(String act) {
    int[] widths = NetworkSpec.equalWidths(3, 32);
    double[][] x = {{0, 0, 0}, {1, -0.5, 0.3}, {0.2, 0.9, -0.4}};
    Activation sigma = Activation.parse(act);
    Prediction with = Prediction.of(NetworkSpec.ofInputs(sigma, 0, 1, widths, x));
    Prediction without = Prediction.of(NetworkSpec.ofInputs(sigma, 0, 1, widths, new double[][] {x[1], x[2]}));
    assertTrue(with.isComplete(), with.breakdown().toString());
    for (int l = 1; l <= 3; l++) {
      LayerPrediction p = with.layer(l);
      LayerPrediction q = without.layer(l);
      for (int a = 0; a < 3; a++) {
        for (int b = 0; b < 3; b++) {
          assertEquals(a == 0 || b == 0 ? 0 : q.kernel(a - 1, b - 1), p.kernel(a, b));
          assertEquals(a == 0 || b == 0 ? 0 : q.nloKernel(a - 1, b - 1), p.nloKernel(a, b));
          for (int c = 0; c < 3; c++) {
            for (int e = 0; e < 3; e++) {
              double want = a * b * c * e == 0 ? 0 : q.vertex(a - 1, b - 1, c - 1, e - 1);
              assertEquals(want, p.vertex(a, b, c, e));
            }
          }
        }
      }
      assertTrue(Double.isFinite(p.chiParallel(0)) && Double.isFinite(p.chiPerp(0)));
    }
  }
}
