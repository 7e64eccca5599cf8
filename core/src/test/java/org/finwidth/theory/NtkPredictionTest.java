package org.finwidth.theory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.finwidth.activation.Activation;
import org.finwidth.gauss.GaussianExpectation;
import org.finwidth.network.LearningRates;
import org.finwidth.network.NetworkSpec;
import org.junit.jupiter.api.Test;

/**
 * The NTK recursions of {@link NtkPrediction} (docs/theory.md §11) against the ReLU closed forms,
 * the tanh reference table of docs/theory.md §11.6, an independent single-input implementation in
 * this test, the index symmetries, and the structure of two inputs.
 */
class NtkPredictionTest {
  private static NetworkSpec single(String act, double cb, double cw, double k1, int[] widths) {
    return NetworkSpec.ofGram(Activation.parse(act), cb, cw, 1, widths, new double[][] {{(k1 - cb) / cw}});
  }

  private static NtkPrediction ntk(NetworkSpec spec, double lb, double lw) {
    return NtkPrediction.of(spec, LearningRates.constant(lb, lw, spec.depth()));
  }

  /**
   * ReLU at criticality, K = 1, λ_b = λ_W = 1, equal widths: the leading-order recursion has exact
   * rational values (docs/theory.md §11.5). The quadrature is accurate to about 1e-15 relative per
   * average; the recursion sums a few dozen terms: 1e-12 relative.
   */
  @Test
  void reluClosedFormsAtCriticality() {
    NtkPrediction p = ntk(single("relu", 0, 2, 1, NetworkSpec.equalWidths(5, 64)), 1, 1);
    assertTrue(p.isComplete());
    double[] d = {0, 4, 12, 24, 40};
    double[] f = {0, 3, 9, 18, 30};
    double[] a = {0, 5, 23.5, 64, 135};
    double[] b = {0, 4.5, 22.5, 63, 135};
    for (int l = 1; l <= 5; l++) {
      NtkLayer x = p.layer(l);
      assertEquals(1.5 * l, x.h(0, 0), 1e-12 * 1.5 * l, "H at " + l);
      assertEquals(0, x.h1(0, 0), 1e-12, "H1 at " + l); // exact for ReLU on the diagonal
      assertEquals(d[l - 1], x.d(0, 0, 0, 0), 1e-12 * Math.max(1, d[l - 1]), "D at " + l);
      assertEquals(f[l - 1], x.f(0, 0, 0, 0), 1e-12 * Math.max(1, f[l - 1]), "F at " + l);
      assertEquals(a[l - 1], x.a(0, 0, 0, 0), 1e-12 * Math.max(1, a[l - 1]), "A at " + l);
      assertEquals(b[l - 1], x.b(0, 0, 0, 0), 1e-12 * Math.max(1, b[l - 1]), "B at " + l);
    }
  }

  /**
   * The ReLU closed sums of docs/theory.md §11.5 for general K, λ and unequal widths (each
   * carried-over term times r = n_ℓ/n_{ℓ−1}), against the recursion: 1e-12 relative.
   */
  @Test
  void reluClosedSumsGeneralRatesAndWidths() {
    double k = 0.7;
    double lb = 0.3;
    double lw = 1.9;
    int[] widths = {8, 24, 12, 36, 9, 27};
    NtkPrediction p = ntk(single("relu", 0, 2, k, widths), lb, lw);
    double h = lb + lw * k / 2;
    double hh = lb + lw * k / 2; // H^(1) = λ_b + λ_W x·x/n_0, x·x/n_0 = K/C_W = K/2
    double v = 0;
    double dd = 0;
    double ff = 0;
    double aa = 0;
    double bb = 0;
    for (int l = 1; l <= widths.length; l++) {
      NtkLayer x = p.layer(l);
      assertEquals(hh, x.h(0, 0), 1e-12 * hh, "H at " + l);
      assertEquals(dd, x.d(0, 0, 0, 0), 1e-12 * Math.max(1, Math.abs(dd)), "D at " + l);
      assertEquals(ff, x.f(0, 0, 0, 0), 1e-12 * Math.max(1, Math.abs(ff)), "F at " + l);
      assertEquals(aa, x.a(0, 0, 0, 0), 1e-12 * Math.max(1, Math.abs(aa)), "A at " + l);
      assertEquals(bb, x.b(0, 0, 0, 0), 1e-12 * Math.max(1, Math.abs(bb)), "B at " + l);
      assertEquals(v, p.prediction().layer(l).vertex(0, 0, 0, 0), 1e-12 * Math.max(1, v), "V at " + l);
      if (l == widths.length) {
        break;
      }
      double r = l == 1 ? 0 : (double) widths[l - 1] / widths[l - 2];
      double dNext = r * dd + 2.5 * lw * k * k + k * hh + 0.5 * lw * r * v;
      double aNext = r * aa + 1.25 * lw * lw * k * k + lw * k * hh + hh * hh + 0.25 * lw * lw * r * v
          + lw * r * dd;
      ff = r * ff + 2 * k * hh;
      bb = r * bb + 2 * hh * hh;
      dd = dNext;
      aa = aNext;
      v = 5 * k * k + r * v; // V' = C_W²(⟨σ⁴⟩ − ⟨σ²⟩²) + χ_∥² r V = 5K² + rV
      hh = hh + h;
    }
  }

  /**
   * tanh at criticality (C_b = 0, C_W = 1, K^(1) = 1, λ = 1): the reference table of
   * docs/theory.md §11.6, printed to 12 significant digits (an independent 30-digit
   * implementation agreed with them to 4e-14): 1e-10 relative, and absolute for the exact 0.
   */
  @Test
  void tanhReferenceTable() {
    double[][] table = {
      // layer, H, H1, D, F, A, B
      {2, 2.32310029529, 0, -0.118597367432, 0.150101906002, 0.168638133107, 1.36603682927},
      {3, 2.71520727155, 0.00377266798024, -0.163766947111, 0.209349144129, 0.458825561931, 3.24791739657},
      {4, 3.13987535868, 0.026621087293, -0.202926950514, 0.258659872341, 0.987307567733, 6.1069932779},
      {5, 3.58272035106, 0.0721165953983, -0.241389052217, 0.306048700755, 1.84517069374, 10.250632842},
    };
    NtkPrediction p = ntk(single("tanh", 0, 1, 1, NetworkSpec.equalWidths(5, 64)), 1, 1);
    assertEquals(2, p.layer(1).h(0, 0), 0);
    for (double[] row : table) {
      NtkLayer x = p.layer((int) row[0]);
      double[] got = {x.h(0, 0), x.h1(0, 0), x.d(0, 0, 0, 0), x.f(0, 0, 0, 0), x.a(0, 0, 0, 0), x.b(0, 0, 0, 0)};
      String[] names = {"H", "H1", "D", "F", "A", "B"};
      for (int j = 0; j < 6; j++) {
        double expected = row[j + 1];
        assertEquals(expected, got[j], expected == 0 ? 1e-14 : 1e-10 * Math.abs(expected),
            names[j] + " at layer " + x.layer());
      }
    }
  }

  /**
   * An independent implementation of the single-input recursions of docs/theory.md §11.4 (written
   * with χ_∥, χ_⊥ and explicit one-dimensional averages, not the tensor code) for a smooth
   * activation off criticality with C_b ≠ 0, λ_b ≠ λ_W and unequal widths: 1e-11 relative (both
   * sides quadrature at 1e-13 of ⟨|f|⟩).
   */
  @Test
  void singleInputAgainstScalarRecursion() {
    Activation sigma = Activation.parse("swish");
    double cb = 0.2;
    double cw = 1.7;
    double lb = 0.6;
    double lw = 1.4;
    int[] widths = {10, 20, 15, 30, 12};
    NetworkSpec spec = NetworkSpec.ofGram(sigma, cb, cw, 3, widths, new double[][] {{0.8}});
    NtkPrediction p = ntk(spec, lb, lw);
    GaussianExpectation g = new GaussianExpectation();
    double k = cb + cw * 0.8;
    double h = lb + lw * 0.8;
    double v = 0;
    double k1 = 0;
    double h1 = 0;
    double dd = 0;
    double ff = 0;
    double aa = 0;
    double bb = 0;
    for (int l = 1; l <= widths.length; l++) {
      NtkLayer x = p.layer(l);
      assertEquals(h, x.h(0, 0), 1e-11 * Math.abs(h), "H at " + l);
      assertEquals(h1, x.h1(0, 0), 1e-11 * Math.max(1e-3, Math.abs(h1)), "H1 at " + l);
      assertEquals(dd, x.d(0, 0, 0, 0), 1e-11 * Math.max(1e-3, Math.abs(dd)), "D at " + l);
      assertEquals(ff, x.f(0, 0, 0, 0), 1e-11 * Math.max(1e-3, Math.abs(ff)), "F at " + l);
      assertEquals(aa, x.a(0, 0, 0, 0), 1e-11 * Math.max(1e-3, Math.abs(aa)), "A at " + l);
      assertEquals(bb, x.b(0, 0, 0, 0), 1e-11 * Math.max(1e-3, Math.abs(bb)), "B at " + l);
      if (l == widths.length) {
        break;
      }
      double kk = k;
      double[] m = new double[12];
      double[] kinks = {};
      double[] vals = g.expect((z, out) -> {
        double s = sigma.value(z);
        double dp = sigma.d1(z);
        double z2 = z * z;
        double he4 = z2 * z2 - 6 * kk * z2 + 3 * kk * kk;
        out[0] = s * s;
        out[1] = dp * dp;
        out[2] = s * s * s * s;
        out[3] = dp * dp * s * s;
        out[4] = dp * dp * dp * dp;
        out[5] = s * s * (z2 - kk) / (kk * kk); // ⟨(σ²)''⟩
        out[6] = dp * dp * (z2 - kk) / (kk * kk); // ⟨(σ'²)''⟩
        out[7] = dp * s * z / kk; // ⟨(σ'σ)'⟩
        out[8] = s * s * he4 / (kk * kk * kk * kk); // ⟨(σ²)''''⟩
        out[9] = dp * dp * he4 / (kk * kk * kk * kk); // ⟨(σ'²)''''⟩
        out[10] = 0;
        out[11] = 0;
      }, m.length, k, kinks).values();
      double s2 = vals[0];
      double p2 = vals[1];
      double s4 = vals[2];
      double pps = vals[3];
      double p4 = vals[4];
      double s2pp = vals[5];
      double p2pp = vals[6];
      double g1 = vals[7];
      double s2pppp = vals[8];
      double p2pppp = vals[9];
      double chiPar = cw * s2pp / 2;
      double chiPerp = cw * p2;
      double r = l == 1 ? 0 : (double) widths[l - 1] / widths[l - 2];
      double pp = lw * s2pp + cw * h * p2pp;
      double dNext = cw * lw * (s4 - s2 * s2) + cw * cw * h * (pps - p2 * s2)
          + r * (0.5 * pp * chiPar * v + chiPerp * chiPar * dd);
      double fNext = cw * cw * h * pps + r * cw * cw * g1 * g1 * ff;
      double aNext = lw * lw * (s4 - s2 * s2) + 2 * lw * cw * h * (pps - s2 * p2) + cw * cw * h * h * (p4 - p2 * p2)
          + r * (0.25 * pp * pp * v + chiPerp * pp * dd + chiPerp * chiPerp * aa);
      double bNext = cw * cw * h * h * p4 + r * chiPerp * chiPerp * bb;
      double h1Next = r * (lw * (0.5 * k1 * s2pp + 0.125 * v * s2pppp) + cw * h * (0.5 * k1 * p2pp + 0.125 * v * p2pppp)
          + chiPerp * h1 + cw / 2 * (dd + 2 * ff) * p2pp);
      double vNext = cw * cw * (s4 - s2 * s2) + chiPar * chiPar * r * v;
      double k1Next = r * (chiPar * k1 + cw / 8 * s2pppp * v);
      // The preactivation theory underneath must be the same as ours.
      assertEquals(vNext, p.prediction().layer(l + 1).vertex(0, 0, 0, 0), 1e-11 * Math.abs(vNext), "V");
      assertEquals(k1Next, p.prediction().layer(l + 1).nloKernel(0, 0), 1e-11 * Math.max(1e-3, Math.abs(k1Next)), "K1");
      h = lb + lw * s2 + chiPerp * h;
      k = cb + cw * s2;
      h1 = h1Next;
      dd = dNext;
      ff = fNext;
      aa = aNext;
      bb = bNext;
      v = vNext;
      k1 = k1Next;
    }
  }

  /**
   * Two distinct inputs: the [0,0,0,0] components only involve input 0, so they equal the
   * single-input prediction at K^(1)_00 (the mixed derivative brackets of a function of z_0 alone
   * vanish exactly; numerically to the quadrature's 1e-13): 1e-10 relative. Likewise input 1.
   */
  @Test
  void twoInputDiagonalEqualsSingleInput() {
    for (String act : new String[] {"tanh", "relu"}) {
      double cw = act.equals("relu") ? 2 : 1;
      double[][] gram = {{1 / cw, 0.5 / cw}, {0.5 / cw, 1.2 / cw}};
      NetworkSpec two = NetworkSpec.ofGram(Activation.parse(act), 0, cw, 2, NetworkSpec.equalWidths(4, 32), gram);
      NtkPrediction p2 = ntk(two, 1, 1);
      assertTrue(p2.isComplete(), act);
      for (int in = 0; in < 2; in++) {
        NtkPrediction p1 = ntk(single(act, 0, cw, gram[in][in] * cw, NetworkSpec.equalWidths(4, 32)), 1, 1);
        for (int l = 1; l <= 4; l++) {
          NtkLayer x = p2.layer(l);
          NtkLayer y = p1.layer(l);
          String at = act + " input " + in + " layer " + l;
          close(y.h(0, 0), x.h(in, in), at + " H");
          close(y.h1(0, 0), x.h1(in, in), at + " H1");
          close(y.d(0, 0, 0, 0), x.d(in, in, in, in), at + " D");
          close(y.f(0, 0, 0, 0), x.f(in, in, in, in), at + " F");
          close(y.a(0, 0, 0, 0), x.a(in, in, in, in), at + " A");
          close(y.b(0, 0, 0, 0), x.b(in, in, in, in), at + " B");
        }
      }
    }
  }

  private static void close(double expected, double actual, String what) {
    assertEquals(expected, actual, 1e-10 * Math.max(1e-2, Math.abs(expected)), what);
  }

  /**
   * Two ReLU inputs at criticality: H'_01 = λ_b + λ_W⟨σ0σ1⟩ + (1 − θ/π) H_01 with the arc-cosine
   * kernel ⟨σ0σ1⟩ = √(K00K11)(sin θ + (π − θ) cos θ)/(2π) (docs/theory.md §11.5): 1e-12 relative.
   */
  @Test
  void reluTwoInputMeanClosedForm() {
    double[][] gram = {{0.5, 0.25}, {0.25, 0.6}};
    NetworkSpec spec = NetworkSpec.ofGram(Activation.parse("relu"), 0, 2, 2, NetworkSpec.equalWidths(6, 32), gram);
    NtkPrediction p = ntk(spec, 0.4, 1.3);
    double k00 = 1;
    double k11 = 1.2;
    double k01 = 0.5;
    double h01 = 0.4 + 1.3 * 0.25;
    for (int l = 1; l <= 6; l++) {
      assertEquals(h01, p.layer(l).h(0, 1), 1e-12 * h01, "H_01 at " + l);
      assertEquals(k01, p.prediction().layer(l).kernel(0, 1), 1e-12, "K_01 at " + l);
      double theta = Math.acos(k01 / Math.sqrt(k00 * k11));
      double s01 = Math.sqrt(k00 * k11) * (Math.sin(theta) + (Math.PI - theta) * Math.cos(theta)) / (2 * Math.PI);
      h01 = 0.4 + 1.3 * s01 + (1 - theta / Math.PI) * h01;
      k01 = 2 * s01;
    }
  }

  /**
   * The index symmetries of docs/theory.md §11.1: H and H1 symmetric; D symmetric in (a1a2) and in
   * (a3a4); A in each pair and under pair exchange; F_{a1a3a2a4} = F_{a2a4a1a3}; B_{a1a3a2a4} =
   * B_{a2a4a1a3} = B_{a3a1a4a2}. The recursion computes every ordered component separately, so
   * these are checks, to 1e-13 of the tensor's largest entry (rounding of sums in different orders).
   */
  @Test
  void indexSymmetries() {
    for (String act : new String[] {"tanh", "relu"}) {
      double[][] gram = {{0.9, 0.3}, {0.3, 0.7}};
      NetworkSpec spec = NetworkSpec.ofGram(Activation.parse(act), 0.1, 1.6, 2, new int[] {16, 32, 16, 24}, gram);
      NtkPrediction p = ntk(spec, 0.8, 1.2);
      assertTrue(p.isComplete());
      for (NtkLayer x : p.layers()) {
        double[][][][] d = x.tensorD();
        double[][][][] f = x.tensorF();
        double[][][][] a = x.tensorA();
        double[][][][] b = x.tensorB();
        double tol = 1e-13 * Math.max(1, Math.max(Math.max(max(d), max(f)), Math.max(max(a), max(b))));
        String at = act + " layer " + x.layer();
        assertEquals(x.h(0, 1), x.h(1, 0), 1e-13 * x.h(0, 0), at);
        assertEquals(x.h1(0, 1), x.h1(1, 0), tol, at);
        for (int i = 0; i < 2; i++) {
          for (int j = 0; j < 2; j++) {
            for (int k = 0; k < 2; k++) {
              for (int m = 0; m < 2; m++) {
                assertEquals(d[i][j][k][m], d[j][i][k][m], tol, at + " D 12");
                assertEquals(d[i][j][k][m], d[i][j][m][k], tol, at + " D 34");
                assertEquals(a[i][j][k][m], a[j][i][k][m], tol, at + " A 12");
                assertEquals(a[i][j][k][m], a[i][j][m][k], tol, at + " A 34");
                assertEquals(a[i][j][k][m], a[k][m][i][j], tol, at + " A pairs");
                // stored orders: F[a1][a3][a2][a4], B[a1][a3][a2][a4]
                assertEquals(f[i][j][k][m], f[k][m][i][j], tol, at + " F");
                assertEquals(b[i][j][k][m], b[k][m][i][j], tol, at + " B 2413");
                assertEquals(b[i][j][k][m], b[j][i][m][k], tol, at + " B 3142");
              }
            }
          }
        }
      }
    }
  }

  /**
   * D has no pair-exchange symmetry and F none under a1 ↔ a2 alone (docs/theory.md §11.1,
   * pitfall 3): with two tanh inputs of different variances they differ (by 5e-4 and 1.5e-2 here),
   * far beyond the 1e-13 rounding of the recursion; the threshold is 1e-4.
   */
  @Test
  void noSpuriousSymmetries() {
    double[][] gram = {{0.9, 0.3}, {0.3, 0.5}};
    NetworkSpec spec = NetworkSpec.ofGram(Activation.parse("tanh"), 0, 1, 2, NetworkSpec.equalWidths(4, 16), gram);
    NtkLayer x = ntk(spec, 1, 1).layer(4);
    assertTrue(Math.abs(x.d(0, 0, 1, 1) - x.d(1, 1, 0, 0)) > 1e-4, "D_0011 vs D_1100");
    assertTrue(Math.abs(x.f(0, 0, 1, 1) - x.f(1, 0, 0, 1)) > 1e-4, "F a1<->a2");
  }

  /** Layer 1: deterministic NTK H^(1) = λ_b + λ_W Gram, no fluctuations; H1 = 0 at layers 1, 2. */
  @Test
  void firstLayers() {
    double[][] gram = {{0.9, 0.3}, {0.3, 0.7}};
    NetworkSpec spec = NetworkSpec.ofGram(Activation.parse("tanh"), 0.1, 1.6, 2, NetworkSpec.equalWidths(3, 16), gram);
    NtkPrediction p = ntk(spec, 0.8, 1.2);
    NtkLayer one = p.layer(1);
    for (int i = 0; i < 2; i++) {
      for (int j = 0; j < 2; j++) {
        assertEquals(0.8 + 1.2 * gram[i][j], one.h(i, j), 1e-15);
        assertEquals(0, one.h1(i, j));
        assertEquals(0, p.layer(2).h1(i, j));
        assertEquals(0, one.d(i, j, i, j));
        assertEquals(0, one.b(i, j, j, i));
      }
    }
  }

  /** Per-layer rates: layer ℓ+1's λ enters the step ℓ → ℓ+1 (a constant-rate run differs only from there). */
  @Test
  void perLayerRates() {
    NetworkSpec spec = single("tanh", 0, 1, 1, NetworkSpec.equalWidths(4, 16));
    NtkPrediction constant = ntk(spec, 1, 1);
    NtkPrediction varied = NtkPrediction.of(spec, LearningRates.of(new double[] {1, 1, 2, 1}, new double[] {1, 1, 1, 3}));
    assertEquals(constant.layer(2).h(0, 0), varied.layer(2).h(0, 0), 0);
    assertEquals(constant.layer(2).a(0, 0, 0, 0), varied.layer(2).a(0, 0, 0, 0), 0);
    // H^(3) = λ_b^(3) + λ_W⟨σ²⟩ + χ_⊥ H^(2): one more λ_b.
    assertEquals(constant.layer(3).h(0, 0) + 1, varied.layer(3).h(0, 0), 1e-13);
    assertFalse(constant.layer(4).a(0, 0, 0, 0) == varied.layer(4).a(0, 0, 0, 0));
  }

  /**
   * The mean alone over many layers ({@link NtkPrediction#meanSingle}): the full recursion's H at
   * the first layers (1e-13: the same averages), and ReLU's exact linear growth
   * H^(ℓ) = H^(1) + (ℓ−1)(λ_b + λ_W K/2) at ℓ = 1000 (1e-12 relative).
   */
  @Test
  void meanAloneOverManyLayers() {
    NtkPrediction full = ntk(single("tanh", 0.1, 1.3, 0.9, NetworkSpec.equalWidths(6, 32)), 0.7, 1.4);
    double[] h = NtkPrediction.meanSingle(Activation.parse("tanh"), 0.1, 1.3, 0.9, 0.7, 1.4, 6);
    for (int l = 1; l <= 6; l++) {
      assertEquals(full.layer(l).h(0, 0), h[l - 1], 1e-13 * h[l - 1], "layer " + l);
    }
    double[] relu = NtkPrediction.meanSingle(Activation.parse("relu"), 0, 2, 1.3, 0.5, 2, 1000);
    double h1 = 0.5 + 2 * 1.3 / 2;
    assertEquals(h1 + 999 * (0.5 + 2 * 1.3 / 2), relu[999], 1e-12 * relu[999]);
  }

  @Test
  void refusals() {
    NetworkSpec spec = single("tanh", 0, 1, 1, NetworkSpec.equalWidths(4, 16));
    assertThrows(IllegalArgumentException.class, () -> NtkPrediction.of(spec, LearningRates.constant(1, 1, 3)));
    assertThrows(IllegalArgumentException.class, () -> LearningRates.constant(-1, 1, 3));
    assertThrows(IllegalArgumentException.class, () -> LearningRates.constant(1, Double.NaN, 3));
  }

  /** Two identical inputs are replicated from one (exactly). */
  @Test
  void identicalInputs() {
    double[][] gram = {{0.5, 0.5}, {0.5, 0.5}};
    NetworkSpec two = NetworkSpec.ofGram(Activation.parse("tanh"), 0, 1, 2, NetworkSpec.equalWidths(4, 16), gram);
    NtkPrediction p2 = ntk(two, 1, 1);
    NtkPrediction p1 = ntk(single("tanh", 0, 1, 0.5, NetworkSpec.equalWidths(4, 16)), 1, 1);
    assertEquals(p1.layer(4).a(0, 0, 0, 0), p2.layer(4).a(1, 0, 1, 1), 0);
    assertEquals(p1.layer(4).h1(0, 0), p2.layer(4).h1(0, 1), 0);
  }

  private static double max(double[][][][] t) {
    double m = 0;
    for (double[][][] x : t) {
      for (double[][] y : x) {
        for (double[] z : y) {
          for (double w : z) {
            m = Math.max(m, Math.abs(w));
          }
        }
      }
    }
    return m;
  }
}
