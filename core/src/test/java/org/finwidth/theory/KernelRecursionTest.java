package org.finwidth.theory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.finwidth.activation.Activation;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The kernel recursion (docs/theory.md §2) and the two-input averages behind V and K1 (§5.1). */
class KernelRecursionTest {
  @Test
  void tanhKernelColumnOfTable83() {
    double[] k = KernelRecursion.single(Activation.parse("tanh"), 0, 1, 1, 10);
    double[] expected = {1, 0.394294490397841, 0.236450410499296, 0.166656353801939, 0.127904735299415};
    for (int l = 0; l < expected.length; l++) {
      assertEquals(expected[l], k[l], 1e-12 * expected[l], "layer " + (l + 1));
    }
    assertEquals(0.0580118478402229, k[9], 1e-12 * k[9]);
    assertEquals(k[1], KernelRecursion.next(Activation.parse("tanh"), 0, 1, 1), 0);
  }

  @Test
  void pairAveragesOfTable82() {
    // docs/theory.md §8.2: K = [[1, 0.5], [0.5, 2]], ReLU 0.364298881694223, tanh 0.1467541154604 (±1e-13).
    assertEquals(0.364298881694223, new Averages(Activation.parse("relu")).pair(1, 0.5, 2, Averages.KERNEL)[0], 1e-14);
    assertEquals(0.1467541154604, new Averages(Activation.parse("tanh")).pair(1, 0.5, 2, Averages.KERNEL)[0], 1e-13);
    double[][][] k = KernelRecursion.multi(Activation.parse("tanh"), 0, 1, new double[][] {{1, 0.5}, {0.5, 2}}, 2);
    assertEquals(0.1467541154604, k[1][0][1], 1e-13);
    assertEquals(k[1][0][1], k[1][1][0]);
    assertEquals(0.394294490397841, k[1][0][0], 1e-14);
  }

  /**
   * ReLU at criticality (C_b = 0, C_W = 2): the angle obeys cos θ' = (sin θ + (π − θ) cos θ)/π
   * (docs/theory.md §4.1, from the arc-cosine closed form of §2.1) — the two-dimensional quadrature
   * of the recursion against that map, layer by layer, down to θ ≈ 0.05.
   */
  @Test
  void reluAngleMap() {
    int depth = 200;
    double[][][] k = KernelRecursion.multi(Activation.parse("relu"), 0, 2, new double[][] {{1, 0.5}, {0.5, 3}}, depth);
    double theta = Math.acos(0.5 / Math.sqrt(3));
    for (int l = 0; l < depth; l++) {
      double[][] kl = k[l];
      assertEquals(1, kl[0][0], 1e-14);
      assertEquals(3, kl[1][1], 1e-14);
      // sin θ from the determinant keeps its relative accuracy as θ → 0 (acos does not).
      double sin = Math.sqrt(Averages.determinant(kl[0][0], kl[0][1], kl[1][1]) / (kl[0][0] * kl[1][1]));
      assertEquals(Math.sin(theta), sin, 1e-11 * Math.sin(theta), "sin theta at layer " + (l + 1));
      double cos = (Math.sin(theta) + (Math.PI - theta) * Math.cos(theta)) / Math.PI;
      // θ' from (sin, cos) without cancellation: sin²θ' = 1 − cos²θ'.
      double sinNext = Math.sqrt((1 - cos) * (1 + cos));
      theta = Math.atan2(sinNext, cos);
    }
    // θ_ℓ·ℓ → 3π (docs/theory.md §4.1) with O(ln ℓ/ℓ) corrections (measured on the map: 0.93 at 200).
    assertEquals(1, theta * depth / (3 * Math.PI), 3 * Math.log(depth) / depth);
  }

  /** docs/theory.md §4.1: θ_ℓ·ℓ → 3π for critical ReLU, within 3 ln ℓ/ℓ at ℓ = 10⁴ (quadrature at every layer). */
  @Test
  @Tag("slow")
  void reluAngleTimesDepthTendsTo3Pi() {
    int depth = 10_000;
    double[][][] k = KernelRecursion.multi(Activation.parse("relu"), 0, 2, new double[][] {{1, 0.5}, {0.5, 1}}, depth);
    double[][] kl = k[depth - 1];
    double sin = Math.sqrt(Averages.determinant(kl[0][0], kl[0][1], kl[1][1]) / (kl[0][0] * kl[1][1]));
    double theta = Math.asin(sin);
    assertEquals(1, theta * depth / (3 * Math.PI), 3 * Math.log(depth) / depth);
  }

  @Test
  void threeInputsArePairwise() {
    Activation tanh = Activation.parse("tanh");
    double[][] k1 = {{1, 0.5, -0.2}, {0.5, 2, 0.3}, {-0.2, 0.3, 0.7}};
    double[][][] k = KernelRecursion.multi(tanh, 0.1, 1.3, k1, 3);
    Averages avg = new Averages(tanh);
    assertEquals(0.1 + 1.3 * avg.pair(1, -0.2, 0.7, Averages.KERNEL)[0], k[1][0][2], 1e-15);
    assertEquals(0.1 + 1.3 * avg.single(0.7).sigma2(), k[1][2][2], 1e-15);
  }

  /**
   * The derivative-free two-input terms ⟨∂_a∂_b(σ0σ1)⟩ = ⟨σ0σ1(y_a y_b − K^{ab})⟩ and
   * ⟨∂^4(σ0σ1)⟩ = ⟨σ0σ1 H⟩ (docs/theory.md §1.2) against finite differences of F(K) = ⟨σ0σ1⟩_K, using
   * ∂F/∂K_aa = ½⟨∂_a²f⟩, ∂F/∂K_01 = ⟨∂_0∂_1 f⟩ (docs/theory.md §1.2, ordered pairs): relu through
   * its arc-cosine closed form (§2.1), tanh through the quadrature. Central differences with
   * step h: truncation O(h²), noise (quadrature 1e-13) / h² for the fourth derivatives.
   */
  @ParameterizedTest
  @ValueSource(strings = {"relu", "tanh", "swish"})
  void derivativeTermsMatchFiniteDifferences(String spec) {
    Activation sigma = Activation.parse(spec);
    Averages avg = new Averages(sigma);
    double a = 0.9;
    double b = 0.35;
    double c = 1.3;
    double[] full = avg.pair(a, b, c, Averages.FULL);
    assertEquals(full[Averages.SS], f(avg, spec, a, b, c), 1e-13);
    double h = spec.equals("relu") ? 1e-4 : 1e-3;
    double d00 = (f(avg, spec, a + h, b, c) - f(avg, spec, a - h, b, c)) / (2 * h);
    double d01 = (f(avg, spec, a, b + h, c) - f(avg, spec, a, b - h, c)) / (2 * h);
    double d11 = (f(avg, spec, a, b, c + h) - f(avg, spec, a, b, c - h)) / (2 * h);
    double tol2 = 1e-6;
    assertEquals(2 * d00, full[Averages.D2], tol2, "d0d0");
    assertEquals(d01, full[Averages.D2 + 1], tol2, "d0d1");
    assertEquals(2 * d11, full[Averages.D2 + 2], tol2, "d1d1");
    double hh = spec.equals("relu") ? 2e-3 : 1e-2;
    double f0 = f(avg, spec, a, b, c);
    double faa = (f(avg, spec, a + hh, b, c) - 2 * f0 + f(avg, spec, a - hh, b, c)) / (hh * hh);
    double fbb = (f(avg, spec, a, b + hh, c) - 2 * f0 + f(avg, spec, a, b - hh, c)) / (hh * hh);
    double fcc = (f(avg, spec, a, b, c + hh) - 2 * f0 + f(avg, spec, a, b, c - hh)) / (hh * hh);
    double fab = mixed(avg, spec, a, b, c, hh, 0, 1);
    double fbc = mixed(avg, spec, a, b, c, hh, 1, 2);
    double fac = mixed(avg, spec, a, b, c, hh, 0, 2);
    double scale = 0;
    for (int i = 0; i < 5; i++) {
      scale = Math.max(scale, Math.abs(full[Averages.D4 + i]));
    }
    double tol4 = 1e-4 * scale;
    assertEquals(4 * faa, full[Averages.D4], tol4, "d0^4");
    assertEquals(2 * fab, full[Averages.D4 + 1], tol4, "d0^3 d1");
    assertEquals(fbb, full[Averages.D4 + 2], tol4, "d0^2 d1^2");
    assertEquals(4 * fac, full[Averages.D4 + 2], tol4, "d0^2 d1^2 (second route)");
    assertEquals(2 * fbc, full[Averages.D4 + 3], tol4, "d0 d1^3");
    assertEquals(4 * fcc, full[Averages.D4 + 4], tol4, "d1^4");
    // The vertex sources against separate quadratures of the three products.
    double[] sources = avg.pair(a, b, c, Averages.SOURCES);
    for (int i = 0; i < Averages.SOURCES; i++) {
      assertEquals(sources[i], full[i], 1e-12 * Math.abs(sources[i]));
    }
  }

  private static double mixed(Averages avg, String spec, double a, double b, double c, double h, int i, int j) {
    double[] x = {a, b, c};
    double s = 0;
    for (int si = -1; si <= 1; si += 2) {
      for (int sj = -1; sj <= 1; sj += 2) {
        double[] y = x.clone();
        y[i] += si * h;
        y[j] += sj * h;
        s += si * sj * f(avg, spec, y[0], y[1], y[2]);
      }
    }
    return s / (4 * h * h);
  }

  /** ⟨σ(z0)σ(z1)⟩ over [[a, b], [b, c]]: the relu arc-cosine closed form, else quadrature. */
  private static double f(Averages avg, String spec, double a, double b, double c) {
    if (spec.equals("relu")) {
      double norm = Math.sqrt(a * c);
      double theta = Math.acos(b / norm);
      return norm / (2 * Math.PI) * (Math.sin(theta) + (Math.PI - theta) * Math.cos(theta));
    }
    return avg.pair(a, b, c, Averages.KERNEL)[0];
  }

  /**
   * Near-collinear inputs, down to Prediction.MIN_DECORRELATION: the derivative-free terms against
   * the ReLU closed forms ⟨σ_0'σ_1'⟩ = (π − θ)/(2π), ⟨σ_0''σ_1⟩ = sin θ/(2π) and
   * ⟨σ_0''σ_1''⟩ = 1/(2π sin θ) (unit variances, cos θ = ρ). Their error grows like
   * 1e-13/(1 − ρ²)²; measured 1.2e-8 at 1 − ρ² = 1e-4, asserted 1e-7.
   */
  @Test
  void nearlyCollinearDerivativeTerms() {
    Averages relu = new Averages(Activation.parse("relu"));
    for (double s2 : new double[] {1e-1, 1e-2, 1e-3, Prediction.MIN_DECORRELATION}) {
      double sin = Math.sqrt(s2);
      double cos = Math.sqrt(1 - s2);
      double theta = Math.atan2(sin, cos);
      double[] f = relu.pair(1, cos, 1, Averages.FULL);
      double tol = 1e-13 / (s2 * s2) + 1e-12;
      assertEquals((Math.PI - theta) / (2 * Math.PI), f[Averages.D2 + 1], tol * (Math.PI - theta) / (2 * Math.PI));
      assertEquals(sin / (2 * Math.PI), f[Averages.D2], tol * sin / (2 * Math.PI));
      assertEquals(1 / (2 * Math.PI * sin), f[Averages.D4 + 2], tol / (2 * Math.PI * sin));
    }
  }

  /**
   * tanh with C_b = 0 and an input of zero variance: tanh(0) = 0 keeps it at 0 at every layer, so
   * its components are exactly 0 and the other input's are its one-input prediction.
   */
  @Test
  void zeroVarianceInputOfTanhIsComputed() {
    int[] widths = org.finwidth.network.NetworkSpec.equalWidths(4, 4);
    Prediction p = Prediction.of(org.finwidth.network.NetworkSpec.ofGram(Activation.parse("tanh"), 0, 1, 2,
        widths, new double[][] {{1, 0}, {0, 0}}));
    Prediction one = Prediction.of(org.finwidth.network.NetworkSpec.ofGram(Activation.parse("tanh"), 0, 1, 1,
        widths, new double[][] {{1}}));
    assertTrue(p.isComplete(), p.breakdown().toString());
    for (int l = 1; l <= 4; l++) {
      assertEquals(0.0, p.layer(l).kernel(1, 1));
      assertEquals(0.0, p.layer(l).vertex(0, 1, 0, 1));
      assertEquals(0.0, p.layer(l).nloKernel(0, 1));
      assertEquals(one.layer(l).vertex(0, 0, 0, 0), p.layer(l).vertex(0, 0, 0, 0));
      assertEquals(one.layer(l).nloKernel(0, 0), p.layer(l).nloKernel(0, 0));
    }
  }

  @Test
  void badArguments() {
    Activation tanh = Activation.parse("tanh");
    assertEquals("the depth L must be >= 1, got depth=0",
        assertThrows(IllegalArgumentException.class, () -> KernelRecursion.single(tanh, 0, 1, 1, 0)).getMessage());
    assertEquals("C_W must be a finite number > 0, got cw=0.0",
        assertThrows(IllegalArgumentException.class, () -> KernelRecursion.single(tanh, 0, 0, 1, 3)).getMessage());
    assertEquals("C_b must be a finite number >= 0, got cb=NaN",
        assertThrows(IllegalArgumentException.class, () -> KernelRecursion.single(tanh, Double.NaN, 1, 1, 3)).getMessage());
    assertThrows(IllegalArgumentException.class, () -> KernelRecursion.single(tanh, 0, 1, -1, 3));
    assertThrows(IllegalArgumentException.class,
        () -> KernelRecursion.multi(tanh, 0, 1, new double[][] {{1, 0.5}, {0.4, 1}}, 3));
    IllegalStateException e = assertThrows(IllegalStateException.class,
        () -> KernelRecursion.single(Activation.parse("repu:p=2"), 0, 1, 3, 40));
    assertTrue(e.getMessage().startsWith("kernel recursion "), e.getMessage());
    assertTrue(e.getMessage().contains("at layer "), e.getMessage());
  }
}
