package org.finwidth.theory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.finwidth.activation.Activation;
import org.finwidth.network.NetworkSpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The V and K1 recursions (docs/theory.md §5) through {@link Prediction}, against docs/theory.md §4, §8. */
class PredictionTest {
  /** docs/theory.md §8 tables are correct to ≥ 13 digits; the recursion adds rounding only: 1e-10. */
  private static final double TABLE = 1e-10;

  private static NetworkSpec single(String act, double cb, double cw, double k1, int[] widths) {
    return NetworkSpec.ofGram(Activation.parse(act), cb, cw, 1, widths, new double[][] {{(k1 - cb) / cw}});
  }

  private static void assertRelative(double expected, double actual, double tolerance, String what) {
    assertEquals(expected, actual, tolerance * Math.abs(expected), what);
  }

  @Test
  void tanhTable83() {
    // docs/theory.md §8.3: tanh, C_b = 0, C_W = 1, K^(1) = 1, equal widths.
    double[][] table = {
      {1, 1, 0, 0, 0},
      {2, 0.394294490397841, 0.0975237380858573, 0.627290806014871, 0},
      {3, 0.236450410499296, 0.0678074938920956, 1.21282334775613, -0.0309325198661463},
      {4, 0.166656353801939, 0.0501465964673039, 1.8055009045492, -0.0526824673413114},
      {5, 0.127904735299415, 0.0393984430357428, 2.40827353422975, -0.0682253713604792},
      {10, 0.0580118478402229, 0.0185887275859484, 5.52352424435468, -0.107133750309087},
    };
    Prediction p = Prediction.of(single("tanh", 0, 1, 1, NetworkSpec.equalWidths(10, 64)));
    assertTrue(p.isComplete());
    for (double[] row : table) {
      LayerPrediction l = p.layer((int) row[0]);
      assertRelative(row[1], l.kernel(0, 0), TABLE, "K at " + l.layer());
      assertRelative(row[2], l.vertex(0, 0, 0, 0), TABLE, "V at " + l.layer());
      assertRelative(row[3], l.vertexOverKernelSquared(0), TABLE, "V/K^2 at " + l.layer());
      assertRelative(row[4], l.nloKernel(0, 0), TABLE, "K1 at " + l.layer());
      assertEquals(l.vertexOverKernelSquared(0) / 64, l.vertexOverWidthKernelSquared(0), 1e-15);
      assertEquals(l.kernel(0, 0) + l.nloKernel(0, 0) / l.fanIn(), l.twoPoint(0, 0), 1e-15);
    }
    assertEquals(0, p.layer(2).nloKernel(0, 0)); // K1^(2) = 0 exactly (docs/theory.md §9.5)
  }

  @Test
  void twoInputLayer2Table82() {
    // docs/theory.md §8.2: tanh, C_b = 0.2, C_W = 1.5, K^(1) = [[1, 0.6], [0.6, 1.5]]; printed to 8
    // decimals (K) and 6 decimals (V): tolerances half a unit of the last digit.
    double cb = 0.2;
    double cw = 1.5;
    double[][] gram = {{(1 - cb) / cw, (0.6 - cb) / cw}, {(0.6 - cb) / cw, (1.5 - cb) / cw}};
    NetworkSpec spec = NetworkSpec.ofGram(Activation.parse("tanh"), cb, cw, 2, NetworkSpec.equalWidths(3, 50), gram);
    LayerPrediction l = Prediction.of(spec).layer(2);
    assertEquals(0.79144174, l.kernel(0, 0), 5e-9);
    assertEquals(0.49485741, l.kernel(0, 1), 5e-9);
    assertEquals(0.90243232, l.kernel(1, 1), 5e-9);
    assertEquals(0.219428, l.vertex(0, 0, 0, 0), 5e-7);
    assertEquals(0.367338, l.vertex(0, 1, 0, 1), 5e-7);
    assertEquals(0.038831, l.vertex(0, 0, 1, 1), 5e-7);
    assertEquals(0.130057, l.vertex(0, 0, 0, 1), 5e-7);
    assertEquals(0.252342, l.vertex(1, 1, 1, 1), 5e-7);
    assertEquals(l.vertex(0, 1, 0, 0), l.vertex(0, 0, 1, 0)); // symmetry of the accessor
    for (int a = 0; a < 2; a++) {
      for (int b = 0; b < 2; b++) {
        assertEquals(0, l.nloKernel(a, b));
      }
    }
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource({"relu, 0.0", "linear, 0.0", "leaky:a=0.1, 0.1", "leaky:a=0.3, 0.3"})
  void scaleInvariantVertexIsLinearInDepth(String act, double slope) {
    // docs/theory.md §4.1: at C_b = 0, C_W = 1/A₂: K constant, V/K² = c(ℓ−1), K1 ≡ 0, with
    // c = 3A₄/A₂² − 1 (relu 5, linear 2, leaky (5(1+a⁴) − 2a²)/(1+a²)²).
    double aPlus = act.equals("linear") ? 1 : 1;
    double aMinus = act.equals("linear") ? 1 : slope;
    double a2 = (aPlus * aPlus + aMinus * aMinus) / 2;
    double a4 = (Math.pow(aPlus, 4) + Math.pow(aMinus, 4)) / 2;
    double c = 3 * a4 / (a2 * a2) - 1;
    if (act.startsWith("leaky")) {
      assertEquals((5 * (1 + Math.pow(slope, 4)) - 2 * slope * slope) / Math.pow(1 + slope * slope, 2), c, 1e-14);
    }
    Prediction p = Prediction.of(single(act, 0, 1 / a2, 1.7, NetworkSpec.equalWidths(30, 100)));
    for (LayerPrediction l : p.layers()) {
      assertRelative(1.7, l.kernel(0, 0), 1e-14, "K");
      assertRelative(c * (l.layer() - 1), l.vertexOverKernelSquared(0), 1e-12, "V/K^2 at " + l.layer());
      assertEquals(0, l.nloKernel(0, 0), "K1 is exactly 0");
      assertRelative(1, l.chiParallel(0), 1e-15, "chi_par");
      assertRelative(1, l.chiPerp(0), 1e-15, "chi_perp");
    }
    // With a bias: K^(ℓ) = K^(1) + (ℓ−1)C_b, and still K1 ≡ 0 (docs/theory.md §4.1).
    Prediction biased = Prediction.of(single(act, 0.3, 1 / a2, 1.7, NetworkSpec.equalWidths(12, 100)));
    for (LayerPrediction l : biased.layers()) {
      assertRelative(1.7 + 0.3 * (l.layer() - 1), l.kernel(0, 0), 1e-14, "K with bias");
      assertEquals(0, l.nloKernel(0, 0));
    }
  }

  @Test
  void unequalWidthsScaleInvariant() {
    // docs/theory.md §4.1: V^(ℓ) = c K² n_{ℓ−1} Σ_{ℓ'<ℓ} 1/n_ℓ' (relu c = 5).
    int[] widths = {7, 50, 3, 20, 11, 1000};
    Prediction p = Prediction.of(single("relu", 0, 2, 0.9, widths));
    double sum = 0;
    for (int l = 2; l <= widths.length; l++) {
      sum += 1.0 / widths[l - 2];
      LayerPrediction lp = p.layer(l);
      assertEquals(widths[l - 2], lp.fanIn());
      assertRelative(5 * 0.81 * widths[l - 2] * sum, lp.vertex(0, 0, 0, 0), 1e-13, "V at " + l);
    }
  }

  @Test
  void unequalWidthsRescaleVertexAndNloKernel() {
    // V^(ℓ+1) = source + χ² (n_ℓ/n_{ℓ−1}) V^(ℓ), K1^(ℓ+1) = (n_ℓ/n_{ℓ−1})[χK1 + ...]: the
    // layer-ℓ quantities are per 1/n_{ℓ−1}, so V^(ℓ)/n_{ℓ−1} — the measurable connected
    // four-point function — of a network whose widths are all multiplied by 3 is exactly 1/3.
    int[] widths = {10, 30, 5, 40, 20};
    int[] triple = widths.clone();
    for (int i = 0; i < triple.length; i++) {
      triple[i] *= 3;
    }
    Prediction p = Prediction.of(single("tanh", 0.1, 1.3, 0.8, widths));
    Prediction q = Prediction.of(single("tanh", 0.1, 1.3, 0.8, triple));
    for (int l = 2; l <= widths.length; l++) {
      assertRelative(p.layer(l).connectedFourPoint(0, 0, 0, 0), 3 * q.layer(l).connectedFourPoint(0, 0, 0, 0),
          1e-14, "V/n at " + l);
      assertRelative(p.layer(l).twoPoint(0, 0) - p.layer(l).kernel(0, 0),
          3 * (q.layer(l).twoPoint(0, 0) - q.layer(l).kernel(0, 0)), 1e-12, "K1/n at " + l);
    }
    // And unequal widths differ from equal widths by exactly the ratio factors.
    Prediction equal = Prediction.of(single("tanh", 0.1, 1.3, 0.8, NetworkSpec.equalWidths(5, 10)));
    LayerPrediction e2 = equal.layer(2);
    LayerPrediction e3 = equal.layer(3);
    double source = e3.vertex(0, 0, 0, 0) - e2.chiParallel(0) * e2.chiParallel(0) * e2.vertex(0, 0, 0, 0);
    double expected = source + e2.chiParallel(0) * e2.chiParallel(0) * (30.0 / 10) * e2.vertex(0, 0, 0, 0);
    assertRelative(expected, p.layer(3).vertex(0, 0, 0, 0), 1e-14, "V^(3) with n2/n1 = 3");
    assertRelative(3 * e3.nloKernel(0, 0), p.layer(3).nloKernel(0, 0), 1e-14, "K1^(3) with n2/n1 = 3");
  }

  /**
   * docs/theory.md §4.2, large depth at criticality: K = 1/(−a_1 ℓ) + O(log ℓ/ℓ²),
   * V/K² = (2/3)ℓ + O(log ℓ), K1 → 1/(3a_1). The stated tolerance at depth ℓ is ln(ℓ)/ℓ for each
   * of K·ℓ·(−a_1), V/(K²ℓ) and K1 (the relative size of the O(log ℓ/ℓ) corrections); the
   * numbers printed in docs/theory.md at ℓ = 10² and 10⁴ are checked to their last digit as well.
   */
  @Test
  void tanhLargeDepthConstants() {
    int depth = 10_000;
    Prediction p = Prediction.of(single("tanh", 0, 1, 1, NetworkSpec.equalWidths(depth, 100)));
    assertTrue(p.isComplete());
    for (int l : new int[] {100, depth}) {
      LayerPrediction lp = p.layer(l);
      double kl = lp.kernel(0, 0) * l * 2;
      double v = lp.vertexOverKernelSquared(0) / l;
      double k1 = lp.nloKernel(0, 0);
      double tol = Math.log(l) / l;
      if (l == depth) {
        assertEquals(1, kl, tol, "K l 2");
        assertEquals(2.0 / 3, v, tol, "V/(K^2 l)");
        assertEquals(-1.0 / 6, k1, tol, "K1");
        // docs/theory.md §4.2: 1.00043, 0.66635, −0.166581 at ℓ = 10⁴.
        assertEquals(1.00043, kl, 5e-6);
        assertEquals(0.66635, v, 5e-6);
        assertEquals(-0.166581, k1, 5e-7);
      } else {
        // docs/theory.md §4.2: 1.0241, 0.6480, −0.15869 at ℓ = 100.
        assertEquals(1.0241, kl, 5e-5);
        assertEquals(0.6480, v, 5e-5);
        assertEquals(-0.15869, k1, 5e-6);
      }
    }
  }

  /** docs/theory.md §4.2 at ℓ = 10⁵: tanh, sin and erf(√π z/2) (σ_1 = 1, a_1 = −π/2). */
  @ParameterizedTest(name = "{0}")
  @CsvSource({
    "tanh, 2, 1.000052, 0.666629, -0.166658, 1e-6, 1e-6, 1e-6",
    "sin, 1, 0.99996, 0.666677, -0.333311, 1e-5, 1e-6, 1e-6",
    "erf:a=0.886226925452758, 1.5707963267948966, 1.000023, 0.666644, -0.212195, 1e-6, 1e-6, 1e-6",
  })
  void kStarZeroClassAtDepth1e5(String act, double minusA1, double kl, double v, double k1,
      double tolK, double tolV, double tolK1) {
    int depth = 100_000;
    Prediction p = Prediction.of(single(act, 0, 1, 1, NetworkSpec.equalWidths(depth, 100)));
    LayerPrediction lp = p.layer(depth);
    double tol = Math.log(depth) / depth;
    assertEquals(1, lp.kernel(0, 0) * depth * minusA1, tol);
    assertEquals(2.0 / 3, lp.vertexOverKernelSquared(0) / depth, tol);
    assertEquals(-1 / (3 * minusA1), lp.nloKernel(0, 0), tol);
    // The printed digits (half a unit of the last one).
    assertEquals(kl, lp.kernel(0, 0) * depth * minusA1, tolK / 2 + 1e-12);
    assertEquals(v, lp.vertexOverKernelSquared(0) / depth, tolV / 2 + 1e-12);
    assertEquals(k1, lp.nloKernel(0, 0), tolK1 / 2 + 1e-12);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource({"swish, 4.92318709099538", "gelu, 4.90422620645042"})
  void halfStableVertexGrowsLinearlyFromKStar(String act, double slope) {
    // docs/theory.md §4.3: started at K*, χ_∥ = 1 and V^(ℓ)/K*² = (ℓ−1) C_W²(⟨σ⁴⟩ − ⟨σ²⟩²)/K*².
    Criticality.CriticalPoint c = CriticalitySolver.solve(Activation.parse(act)).critical().get(0);
    double kStar = c.kstar().getAsDouble();
    NetworkSpec spec = NetworkSpec.ofGram(Activation.parse(act), c.cb(), c.cw(), 1,
        NetworkSpec.equalWidths(8, 100), new double[][] {{(kStar - c.cb()) / c.cw()}});
    for (LayerPrediction l : Prediction.of(spec).layers()) {
      assertRelative(kStar, l.kernel(0, 0), 1e-13, "K stays at K*");
      assertEquals(slope * (l.layer() - 1), l.vertex(0, 0, 0, 0) / (kStar * kStar), TABLE * slope * (l.layer() - 1),
          "V/K*^2 at " + l.layer());
      assertEquals(1, l.chiParallel(0), 1e-12);
      assertEquals(1, l.chiPerp(0), 1e-12);
    }
  }

  @Test
  void twoInputDiagonalsEqualSingleInputs() {
    // V_(aa)(aa), K1_aa and K_aa depend on input a alone: the two-input recursion must agree with
    // the single-input one for each input (a consistency check of the index bookkeeping).
    double[][] gram = {{0.8, 0.3}, {0.3, 1.1}};
    int[] widths = {20, 40, 10, 30, 25, 50};
    Prediction two = Prediction.of(NetworkSpec.ofGram(Activation.parse("tanh"), 0.1, 1.2, 2, widths, gram));
    for (int a = 0; a < 2; a++) {
      Prediction one = Prediction.of(NetworkSpec.ofGram(Activation.parse("tanh"), 0.1, 1.2, 1, widths,
          new double[][] {{gram[a][a]}}));
      for (int l = 1; l <= widths.length; l++) {
        LayerPrediction x = two.layer(l);
        LayerPrediction y = one.layer(l);
        assertRelative(y.kernel(0, 0), x.kernel(a, a), 1e-14, "K");
        assertEquals(y.vertex(0, 0, 0, 0), x.vertex(a, a, a, a), 1e-13 * Math.abs(y.vertex(0, 0, 0, 0)), "V");
        assertEquals(y.nloKernel(0, 0), x.nloKernel(a, a), 1e-13 * Math.abs(y.nloKernel(0, 0)), "K1");
        assertEquals(y.chiParallel(0), x.chiParallel(a), 1e-15);
      }
    }
  }

  @Test
  void identicalInputsReplicateTheSingleInput() {
    int[] widths = NetworkSpec.equalWidths(6, 30);
    Prediction two = Prediction.of(NetworkSpec.ofInputs(Activation.parse("gelu"), 0.2, 1.7, widths,
        new double[][] {{1, -2, 0.5}, {1, -2, 0.5}}));
    Prediction one = Prediction.of(NetworkSpec.ofInputs(Activation.parse("gelu"), 0.2, 1.7, widths,
        new double[][] {{1, -2, 0.5}}));
    for (int l = 1; l <= 6; l++) {
      for (double v : two.layer(l).vertex().components().values()) {
        assertEquals(one.layer(l).vertex(0, 0, 0, 0), v);
      }
      assertEquals(one.layer(l).nloKernel(0, 0), two.layer(l).nloKernel(0, 1));
      assertEquals(one.layer(l).kernel(0, 0), two.layer(l).kernel(1, 0));
    }
  }

  @Test
  void twoInputLinearClosedForm() {
    // σ = z: ⟨σ_aσ_bσ_cσ_d⟩ − ⟨σ_aσ_b⟩⟨σ_cσ_d⟩ = K_ac K_bd + K_ad K_bc (Isserlis) and
    // ⟨∂_a∂_b(z_α1 z_α2)⟩ = δ_aα1 δ_bα2 + δ_aα2 δ_bα1, so V' = C_W²(K_ac K_bd + K_ad K_bc) + C_W² r V,
    // K' = C_b + C_W K and K1 ≡ 0 — every component, with unequal widths.
    double cb = 0.3;
    double cw = 0.9;
    double[][] gram = {{1, 0.4}, {0.4, 2}};
    int[] widths = {5, 9, 4, 12, 7};
    Prediction p = Prediction.of(NetworkSpec.ofGram(Activation.parse("linear"), cb, cw, 2, widths, gram));
    double[][] k = {{cb + cw * gram[0][0], cb + cw * gram[0][1]}, {cb + cw * gram[1][0], cb + cw * gram[1][1]}};
    double[][][][] v = new double[2][2][2][2];
    for (int l = 1; l <= widths.length; l++) {
      LayerPrediction lp = p.layer(l);
      for (int a = 0; a < 2; a++) {
        for (int b = 0; b < 2; b++) {
          assertRelative(k[a][b], lp.kernel(a, b), 1e-14, "K" + a + b);
          assertEquals(0, lp.nloKernel(a, b), 1e-13, "K1" + a + b);
          for (int c = 0; c < 2; c++) {
            for (int d = 0; d < 2; d++) {
              assertEquals(v[a][b][c][d], lp.vertex(a, b, c, d), 1e-13 * Math.max(1, Math.abs(v[a][b][c][d])),
                  "V" + a + b + c + d + " at " + l);
            }
          }
        }
      }
      double ratio = (double) widths[l - 1] / (l == 1 ? 2 : widths[l - 2]); // n_l / n_{l-1}, n_0 = 2
      double[][][][] next = new double[2][2][2][2];
      for (int a = 0; a < 2; a++) {
        for (int b = 0; b < 2; b++) {
          for (int c = 0; c < 2; c++) {
            for (int d = 0; d < 2; d++) {
              next[a][b][c][d] = cw * cw * (k[a][c] * k[b][d] + k[a][d] * k[b][c]) + cw * cw * ratio * v[a][b][c][d];
            }
          }
        }
      }
      v = next;
      for (int a = 0; a < 2; a++) {
        for (int b = 0; b < 2; b++) {
          k[a][b] = cb + cw * k[a][b];
        }
      }
    }
  }

  @Test
  void overflowIsReportedWithItsLayer() {
    // RePU p = 2: K' = C_W (3/2) K², doubly exponential growth (docs/theory.md §9.6).
    Prediction p = Prediction.of(single("repu:p=2", 0, 1, 2, NetworkSpec.equalWidths(40, 10)));
    assertFalse(p.isComplete());
    Prediction.Breakdown b = p.breakdown().orElseThrow();
    assertTrue(b.layer() > 3 && b.layer() < 40, b.toString());
    assertEquals(b.layer() - 1, p.layers().size());
    assertTrue(b.reason().startsWith("layer " + b.layer() + ": "), b.reason());
    assertTrue(b.reason().contains("overflow"), b.reason());
    for (LayerPrediction l : p.layers()) {
      assertTrue(Double.isFinite(l.kernel(0, 0)) && Double.isFinite(l.vertex(0, 0, 0, 0))
          && Double.isFinite(l.nloKernel(0, 0)) && Double.isFinite(l.chiParallel(0)), l.toString());
    }
    assertThrows(IndexOutOfBoundsException.class, () -> p.layer(b.layer()));
  }

  @Test
  void nearlyCollinearInputsStopTheVertexByRank() {
    // relu with C_b = 0, inputs x and 2x + a hair (1 − ρ² = 2.5e-5 at layer 1, and ReLU only
    // correlates them further): the 2x2 kernel is of rank 1 to within 1e-4, the derivative terms
    // need its inverse (a kinked σ: the derivative forms do not apply), and the inputs are not
    // exact copies (docs/theory.md §5.5), so the prediction stops and says so by rank.
    Prediction p = Prediction.of(NetworkSpec.ofGram(Activation.parse("relu"), 0, 2, 2,
        NetworkSpec.equalWidths(5, 10), new double[][] {{1, 2}, {2, 4.0001}}));
    Prediction.Breakdown b = p.breakdown().orElseThrow();
    assertEquals(3, b.layer());
    assertTrue(b.reason().contains("the 2x2 kernel of inputs 1 and 2 has rank 1 to within"), b.reason());
    assertEquals(2, p.layers().size());
    assertRelative(5 * 4.0001 * 4.0001 * 4, p.layer(2).vertex(1, 1, 1, 1), 1e-13, "V_(11)(11) = 5 K11^2");
  }

  @Test
  void collinearInputsAreExactCopies() {
    // relu with C_b = 0 keeps x and 2x collinear at every layer (z_2 = 2 z_1): computed as one
    // input and expanded: V_(11)(11) = 16 V_(00)(00), V_(01)(01) = 4 V_(00)(00) (docs/theory.md §5.5).
    Prediction p = Prediction.of(NetworkSpec.ofGram(Activation.parse("relu"), 0, 2, 2,
        NetworkSpec.equalWidths(5, 10), new double[][] {{1, 2}, {2, 4}}));
    assertTrue(p.isComplete(), p.breakdown().toString());
    assertRelative(5 * 4 * 16, p.layer(2).vertex(1, 1, 1, 1), 1e-13, "V_(11)(11) = 5 K11^2");
    assertRelative(16 * p.layer(5).vertex(0, 0, 0, 0), p.layer(5).vertex(1, 1, 1, 1), 1e-15, "V at 5");
    assertRelative(4 * p.layer(5).vertex(0, 0, 0, 0), p.layer(5).vertex(0, 1, 0, 1), 1e-15, "V01 at 5");
  }

  @Test
  void exactMomentsAreAttachedWhereTheOracleApplies() {
    Prediction relu = Prediction.of(single("relu", 0.1, 2, 1, NetworkSpec.equalWidths(4, 16)));
    assertTrue(relu.layer(4).exact().isPresent());
    // docs/theory.md §6.3: E[Ĝ²]/E[Ĝ]² at ℓ = 2 for C_b = 0.1, C_W = 2, G^(1) = 1, n = 16.
    assertEquals(1.25826446281, relu.layer(2).exact().get().kurtosisRatio(), 5e-12);
    assertFalse(Prediction.of(single("tanh", 0, 1, 1, NetworkSpec.equalWidths(3, 16))).layer(3).exact().isPresent());
    assertFalse(Prediction.of(single("repu:p=2.5", 0, 1, 1, NetworkSpec.equalWidths(3, 16))).layer(3).exact().isPresent());
  }

}
