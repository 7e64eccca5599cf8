package org.finwidth.theory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.util.List;
import java.util.SplittableRandom;
import org.finwidth.activation.Activation;
import org.finwidth.gauss.GaussianExpectation;
import org.finwidth.network.NetworkSpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The exact finite-width oracle (docs/theory.md §6) against its tables, the leading order and brute force. */
class ExactMomentsTest {
  private static List<ExactMoments.LayerMoments> exact(String act, double cb, double cw, double gram, int[] widths) {
    return ExactMoments.compute(Activation.parse(act), cb, cw, gram, widths);
  }

  private static void assertRelative(double expected, double actual, double tolerance, String what) {
    assertEquals(expected, actual, tolerance * Math.abs(expected), what);
  }

  @Test
  void reluTable62() {
    // docs/theory.md §6.2: E[z⁴]/(3E[z²]²) = (1 + 5/n)^{L−1}, printed to 9-12 digits: 5e-11 relative.
    double[][] table = {
      {4, 2.25, 5.0625, 11.390625, 25.62890625, 57.6650390625, 129.746337891, 291.929260254, 656.840835571, 1477.89188004},
      {16, 1.3125, 1.72265625, 2.26098632812, 2.96754455566, 3.89490222931, 5.11205917597, 6.70957766846, 8.80632068985, 11.5582959054},
      {64, 1.078125, 1.16235351562, 1.25316238403, 1.35106569529, 1.45661770273, 1.57041596076, 1.69310470769, 1.82537851298, 1.9679862093},
    };
    for (double[] row : table) {
      int n = (int) row[0];
      List<ExactMoments.LayerMoments> m = exact("relu", 0, 2, 1.3, NetworkSpec.equalWidths(10, n));
      assertEquals(1, m.get(0).kurtosisRatio());
      for (int l = 2; l <= 10; l++) {
        double ratio = m.get(l - 1).kurtosisRatio();
        assertRelative(row[l - 1], ratio, 5e-11, "n=" + n + " L=" + l);
        assertRelative(Math.pow(1 + 5.0 / n, l - 1), ratio, 1e-14, "product formula n=" + n + " L=" + l);
        // E[z⁴] = 3E[z_i²z_j²] and E[z²] = (C_W A₂)^{L−1} G^(1) = 2.6.
        assertRelative(3 * m.get(l - 1).ezizjDouble(), m.get(l - 1).ez4Double(), 1e-15, "E[z^4] = 3E[z_i^2 z_j^2]");
        assertEquals(2.6, m.get(l - 1).ez2Double(), 1e-15);
      }
    }
  }

  @ParameterizedTest
  @CsvSource({"linear, 2", "leaky:a=0.2, 4.556213017751479"})
  void productFormulaIndependentOfCwAndInput(String act, double c) {
    // docs/theory.md §6.2: Π(1 + c/n_ℓ), c = 3A₄/A₂² − 1 (leaky a₋ = 1/5: 770/169); C_W, G^(1) drop out.
    assertEquals(770.0 / 169, act.startsWith("leaky") ? c : 770.0 / 169, 1e-15);
    int[] widths = {3, 8, 5, 2, 6};
    double expected = 1;
    for (int l = 2; l <= widths.length; l++) {
      expected *= 1 + c / widths[l - 2];
      for (double[] cwg : new double[][] {{0.7, 1}, {2.3, 0.01}}) {
        double ratio = exact(act, 0, cwg[0], cwg[1], widths).get(l - 1).kurtosisRatio();
        assertRelative(expected, ratio, 1e-14, act + " L=" + l);
      }
    }
  }

  @Test
  void reluWithBiasTheory63() {
    // docs/theory.md §6.3: C_b = 0.1, C_W = 2, G^(1) = 1, n = 16: E[Ĝ²]/E[Ĝ]² at ℓ = 2 is 1.25826446281,
    // and E[Ĝ] is the infinite-width K = K^(1) + (ℓ−1)C_b exactly (K1 ≡ 0).
    List<ExactMoments.LayerMoments> m = exact("relu", 0.1, 2, 0.45, NetworkSpec.equalWidths(6, 16));
    assertEquals(1.25826446281, m.get(1).kurtosisRatio(), 5e-12);
    // Exactly, with the doubles 0.1, 2, 0.45 as given: K^(ℓ) = 0.1 + 2·0.45 + (ℓ−1)·0.1.
    for (int l = 1; l <= 6; l++) {
      BigDecimal k = new BigDecimal(0.1).multiply(BigDecimal.valueOf(l))
          .add(new BigDecimal(2).multiply(new BigDecimal(0.45)));
      assertEquals(0, k.round(new java.math.MathContext(ExactMoments.DIGITS)).compareTo(m.get(l - 1).ez2()),
          "E[z^2] = K at " + l + ": " + k + " vs " + m.get(l - 1).ez2());
    }
  }

  @Test
  void repuTheory64() {
    // docs/theory.md §6.4: p = 2, n = 4, L = 2: 237/36; "about 5.3·10²" at L = 3 and "10⁷" at L = 4.
    List<ExactMoments.LayerMoments> m = exact("repu:p=2", 0, 1.7, 0.3, NetworkSpec.equalWidths(4, 4));
    assertRelative(237.0 / 36, m.get(1).kurtosisRatio(), 1e-15, "237/36");
    assertEquals(5.3e2, m.get(2).kurtosisRatio(), 0.05e2);
    assertEquals(1e7, m.get(3).kurtosisRatio(), 0.05e7);
    // L = 2: 1 + c_p/n with c_p = 2(4p−1)!!/((2p−1)!!)² − 1 (c_1 = 5, c_2 = 201/9, c_3 = 457/5).
    double[] cp = {5, 201.0 / 9, 457.0 / 5};
    for (int p = 1; p <= 3; p++) {
      double c = 2 * doubleFactorial(4 * p - 1) / Math.pow(doubleFactorial(2 * p - 1), 2) - 1;
      assertEquals(cp[p - 1], c, 1e-13);
      for (int n : new int[] {1, 3, 10, 1000}) {
        double r = exact("repu:p=" + p, 0, 0.8, 1.1, new int[] {n, 5}).get(1).kurtosisRatio();
        assertRelative(1 + c / n, r, 1e-14, "p=" + p + " n=" + n);
      }
    }
  }

  private static double doubleFactorial(int n) {
    double r = 1;
    for (int j = n; j > 1; j -= 2) {
      r *= j;
    }
    return r;
  }

  /**
   * n(ratio − 1) = n Var(Ĝ)/E[Ĝ]² → V/K² as n grows (docs/theory.md §1.4, §5): the exact oracle
   * against the leading-order recursion of {@link Prediction}. The difference must fall like
   * 1/n: checked over n = 10²..10⁶ (each decade at least 7x smaller), and the Richardson
   * extrapolation (10 x(10⁶) − x(10⁵))/9, whose error is O(1/n²), must equal V/K² to 1e-6.
   */
  @ParameterizedTest
  @CsvSource({
    "relu, 0.3, 2, 0.7, 5",          // scale-invariant with bias
    "leaky:a=0.3, 0.2, 1.5, 1, 4",
    "repu:p=2, 0.5, 0.3333333333333333, 1.5, 4", // docs/theory.md §4.4: χ_∥ = 1 at K* = 1
    "repu:p=2, 0, 0.5, 1, 4",        // c_2 Σ p^{2(L−1−ℓ)} (docs/theory.md §6.4)
    "repu:p=3, 0.1, 0.2, 1, 3",
  })
  void approachesTheLeadingOrderVertexAtLargeWidth(String act, double cb, double cw, double gram, int depth) {
    NetworkSpec spec = NetworkSpec.ofGram(Activation.parse(act), cb, cw, 1, NetworkSpec.equalWidths(depth, 100),
        new double[][] {{gram}});
    LayerPrediction last = Prediction.of(spec).layer(depth);
    // Leading order: Var(Ĝ)/G² ≈ V/(n K²) with G = K + K1/n, so compare with V/K².
    double leading = last.vertexOverKernelSquared(0);
    double previous = Double.NaN;
    double[] widths = {1e2, 1e3, 1e4, 1e5, 1e6};
    double[] x = new double[widths.length];
    for (int i = 0; i < widths.length; i++) {
      double n = widths[i];
      double relVar = exact(act, cb, cw, gram, NetworkSpec.equalWidths(depth, (int) n)).get(depth - 1).relativeVariance();
      x[i] = n * relVar;
      double difference = Math.abs(x[i] - leading);
      if (!Double.isNaN(previous)) {
        assertTrue(difference < previous / 7, act + ": n=" + n + " difference " + difference + " after " + previous);
      }
      previous = difference;
    }
    double extrapolated = (10 * x[4] - x[3]) / 9;
    assertRelative(leading, extrapolated, 1e-6, act + " extrapolated n(ratio - 1)");
    if (act.equals("repu:p=2") && cb == 0) {
      assertRelative(201.0 / 9 * (1 + 4 + 16), leading, 1e-12, "c_2 (1 + p^2 + p^4)");
    }
  }

  @Test
  void relativeVarianceKeepsItsDigitsAtHugeWidth() {
    // (1 + 5/n)² − 1 at n = 10⁹ is 1.0000000025e-8: the 80-digit arithmetic keeps it exactly.
    double relVar = exact("relu", 0, 2, 1, new int[] {1_000_000_000, 1_000_000_000, 1}).get(2).relativeVariance();
    assertEquals(1.0000000025e-8, relVar, 1e-15 * 1.0000000025e-8);
  }

  /**
   * Brute force at small width, independent of the moment recursion: layer 1 has n_1 = 2
   * neurons, integrated directly by two-dimensional quadrature over (z_1, z_2) ~ N(0, G^(1) I);
   * layer 3 given layer 2 uses only μ_1 = ⟨σ²⟩_1 and μ_2 = ⟨σ⁴⟩_1 from one-dimensional quadrature:
   * E[Ĝ3 | Ĝ2] = C_b + C_W μ_1 Ĝ2^p and E[Ĝ3² | Ĝ2] = C_b² + 2C_b C_W μ_1 Ĝ2^p
   * + (C_W/n_2)² (n_2 μ_2 + n_2(n_2−1) μ_1²) Ĝ2^{2p}.
   */
  @ParameterizedTest
  @CsvSource({"relu, 1, 0.2, 1.8, 0.6, 3", "leaky:a=0.3, 1, 0.4, 1.1, 1.3, 5", "repu:p=2, 2, 0.3, 0.7, 0.9, 3",
      "repu:p=3, 3, 0.1, 0.5, 1.2, 2", "monomial:p=3, 3, 0.2, 0.6, 0.8, 4"})
  void bruteForceAtWidthTwo(String act, int p, double cb, double cw, double gram, int n2) {
    Activation sigma = Activation.parse(act);
    double g1 = cb + cw * gram;
    double[] kinks = sigma.kinks();
    java.util.function.DoubleBinaryOperator g2 = (y1, y2) -> {
      double s1 = sigma.value(y1);
      double s2 = sigma.value(y2);
      return cb + cw / 2 * (s1 * s1 + s2 * s2);
    };
    double eg2 = GaussianExpectation.mean(g2, g1, 0, g1, kinks, kinks);
    double eg2sq = GaussianExpectation.mean((a, b) -> Math.pow(g2.applyAsDouble(a, b), 2), g1, 0, g1, kinks, kinks);
    double eg2p = GaussianExpectation.mean((a, b) -> Math.pow(g2.applyAsDouble(a, b), p), g1, 0, g1, kinks, kinks);
    double eg22p = GaussianExpectation.mean((a, b) -> Math.pow(g2.applyAsDouble(a, b), 2 * p), g1, 0, g1, kinks, kinks);
    double mu1 = GaussianExpectation.mean(z -> Math.pow(sigma.value(z), 2), 1, kinks);
    double mu2 = GaussianExpectation.mean(z -> Math.pow(sigma.value(z), 4), 1, kinks);
    double eg3 = cb + cw * mu1 * eg2p;
    double eg3sq = cb * cb + 2 * cb * cw * mu1 * eg2p
        + Math.pow(cw / n2, 2) * (n2 * mu2 + n2 * (n2 - 1.0) * mu1 * mu1) * eg22p;
    List<ExactMoments.LayerMoments> m = exact(act, cb, cw, gram, new int[] {2, n2, 7});
    double tol = 1e-12;
    assertRelative(eg2, m.get(1).ez2Double(), tol, "E[z^2] layer 2");
    assertRelative(3 * eg2sq, m.get(1).ez4Double(), tol, "E[z^4] layer 2");
    assertRelative(eg3, m.get(2).ez2Double(), tol, "E[z^2] layer 3");
    assertRelative(3 * eg3sq, m.get(2).ez4Double(), tol, "E[z^4] layer 3");
    assertRelative(eg3sq, m.get(2).ezizjDouble(), tol, "E[z_i^2 z_j^2] layer 3");
  }

  /**
   * Explicit-weight Monte Carlo of a tiny network (n_0 = 3, n_1 = n_2 = 3, L = 3, relu with a
   * bias): E[z⁴] and E[z_i² z_j²] of layer 3 within 4 standard errors of the oracle. The
   * per-network averages over neurons (pairs) are i.i.d. over networks, so the standard error
   * is the sample standard deviation over √N; false-failure probability ≤ 2·6.3e-5.
   */
  @Test
  void explicitWeightMonteCarlo() {
    double cb = 0.3;
    double cw = 1.7;
    double[] x = {0.8, -1.1, 0.4};
    int n = 3;
    double gram = (x[0] * x[0] + x[1] * x[1] + x[2] * x[2]) / 3;
    List<ExactMoments.LayerMoments> m = exact("relu", cb, cw, gram, new int[] {n, n, n});
    SplittableRandom rng = new SplittableRandom(20240917L); // fixed seed
    int networks = 200_000;
    double s4 = 0;
    double ss4 = 0;
    double s22 = 0;
    double ss22 = 0;
    double[] in = x;
    for (int k = 0; k < networks; k++) {
      double[] z = in;
      for (int l = 1; l <= 3; l++) {
        int fanIn = z.length;
        double[] a = new double[fanIn];
        for (int j = 0; j < fanIn; j++) {
          a[j] = l == 1 ? z[j] : Math.max(0, z[j]);
        }
        double[] next = new double[n];
        double sd = Math.sqrt(cw / fanIn);
        for (int i = 0; i < n; i++) {
          double s = Math.sqrt(cb) * rng.nextGaussian();
          for (int j = 0; j < fanIn; j++) {
            s += sd * rng.nextGaussian() * a[j];
          }
          next[i] = s;
        }
        z = next;
      }
      double q = 0;
      double pairs = 0;
      for (int i = 0; i < n; i++) {
        double zi2 = z[i] * z[i];
        q += zi2 * zi2;
        for (int j = 0; j < n; j++) {
          if (j != i) {
            pairs += zi2 * z[j] * z[j];
          }
        }
      }
      q /= n;
      pairs /= n * (n - 1);
      s4 += q;
      ss4 += q * q;
      s22 += pairs;
      ss22 += pairs * pairs;
    }
    double mean4 = s4 / networks;
    double se4 = Math.sqrt((ss4 / networks - mean4 * mean4) / (networks - 1));
    double mean22 = s22 / networks;
    double se22 = Math.sqrt((ss22 / networks - mean22 * mean22) / (networks - 1));
    assertEquals(m.get(2).ez4Double(), mean4, 4 * se4, "E[z^4]");
    assertEquals(m.get(2).ezizjDouble(), mean22, 4 * se22, "E[z_i^2 z_j^2]");
  }

  @Test
  void astronomicalMomentsStayExact() {
    // RePU p = 3 at depth 6: E[z⁴] ≈ 1e1002, far beyond double; the BigDecimals hold it.
    List<ExactMoments.LayerMoments> m = exact("repu:p=3", 0.3, 1.1, 0.7, NetworkSpec.equalWidths(6, 1000));
    ExactMoments.LayerMoments last = m.get(5);
    assertTrue(last.ez4().compareTo(new BigDecimal("1e1000")) > 0, last.ez4().toString());
    assertEquals(Double.POSITIVE_INFINITY, last.ez4Double());
    assertEquals(0, last.ez4().compareTo(last.ezizj().multiply(BigDecimal.valueOf(3))));
    assertTrue(Double.isFinite(m.get(3).kurtosisRatio()));
  }

  @Test
  void refusesWhereItCannotCloseOrCostsTooMuch() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> exact("repu:p=2.5", 0, 1, 1, new int[] {4, 4}));
    assertEquals("the exact moment recursion closes only for an integer degree of homogeneity"
        + " (docs/theory.md §6.1), got p=2.5 for repu:p=2.5", e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> exact("tanh", 0, 1, 1, new int[] {4, 4}));
    assertTrue(e.getMessage().contains("positively homogeneous"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> exact("repu:p=3", 0, 1, 1, NetworkSpec.equalWidths(12, 10)));
    assertTrue(e.getMessage().startsWith("exact moments of repu:p=3 at depth 12 need moments of order 354294"
        + " of layer 1, about "), e.getMessage());
    assertTrue(e.getMessage().contains("multiply-adds"), e.getMessage());
    NetworkSpec two = NetworkSpec.ofGram(Activation.parse("relu"), 0, 2, 2, new int[] {3, 3},
        new double[][] {{1, 0}, {0, 1}});
    assertThrows(IllegalArgumentException.class, () -> ExactMoments.compute(two));
    assertEquals("C_W must be a finite number > 0, got cw=0.0",
        assertThrows(IllegalArgumentException.class, () -> exact("relu", 0, 0, 1, new int[] {3})).getMessage());
  }
}
