package org.finwidth.ensemble;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Locale;
import org.finwidth.activation.Activation;
import org.finwidth.network.NetworkSpec;
import org.finwidth.stats.Estimate;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The 1/n theory is visible (issue 4): V̂ measured at widths 16..128 for tanh at criticality
 * (C_b = 0, C_W = 1, K^(1) = 1), layer 3, extrapolated to n = ∞ by a weighted least-squares fit
 * {@code V(n) = V∞ + b/n + c/n²} (THEORY §5.4 note: O(1/n²) terms are visible at n ≤ 64), recovers
 * THEORY §8.3's V^(3) = 0.0678074938920956 within 1%.
 *
 * <p>Opt-in ({@code @Tag("slow")}, a few minutes on one core):
 * <pre>
 *   ./mvnw -B -pl core -am test -Dtest=WidthScalingSlowTest -Dsurefire.failIfNoSpecifiedTests=false \
 *       -Dtest.excluded.groups=slurm
 * </pre>
 * Seeds 1000 + width (fixed). Also checked: the fitted V∞ is within 4 of its standard errors of
 * the theory (a false-failure probability of 6e-5 per fit if the fit model were exact).
 */
@Tag("slow")
class WidthScalingSlowTest {
  static final int[] WIDTHS = {16, 24, 32, 48, 64, 96, 128};
  /** THEORY §8.3, tanh, ℓ = 3. */
  static final double V3 = 0.0678074938920956;
  static final double REL_TOL = 0.01;

  /** Weighted least squares of y on (1, x, x²); returns {a, se(a)}. */
  static double[] fitIntercept(double[] x, double[] y, double[] se) {
    double[][] m = new double[3][3];
    double[] v = new double[3];
    for (int i = 0; i < x.length; i++) {
      double w = 1 / (se[i] * se[i]);
      double[] f = {1, x[i], x[i] * x[i]};
      for (int j = 0; j < 3; j++) {
        v[j] += w * f[j] * y[i];
        for (int k = 0; k < 3; k++) {
          m[j][k] += w * f[j] * f[k];
        }
      }
    }
    double[][] inv = invert3(m);
    double a = 0;
    for (int k = 0; k < 3; k++) {
      a += inv[0][k] * v[k];
    }
    return new double[] {a, Math.sqrt(inv[0][0])};
  }

  private static double[][] invert3(double[][] m) {
    double det = m[0][0] * (m[1][1] * m[2][2] - m[1][2] * m[2][1])
        - m[0][1] * (m[1][0] * m[2][2] - m[1][2] * m[2][0])
        + m[0][2] * (m[1][0] * m[2][1] - m[1][1] * m[2][0]);
    double[][] c = new double[3][3];
    for (int i = 0; i < 3; i++) {
      for (int j = 0; j < 3; j++) {
        int i1 = (i + 1) % 3;
        int i2 = (i + 2) % 3;
        int j1 = (j + 1) % 3;
        int j2 = (j + 2) % 3;
        c[j][i] = (m[i1][j1] * m[i2][j2] - m[i1][j2] * m[i2][j1]) / det;
      }
    }
    return c;
  }

  private static void scan(SamplerFactory sampler, long networks, boolean metric) {
    double[] x = new double[WIDTHS.length];
    double[] y = new double[WIDTHS.length];
    double[] se = new double[WIDTHS.length];
    for (int i = 0; i < WIDTHS.length; i++) {
      int n = WIDTHS[i];
      NetworkSpec spec = NetworkSpec.ofGram(Activation.parse("tanh"), 0, 1, 1, NetworkSpec.equalWidths(3, n),
          new double[][] {{1.0}});
      EnsembleResult r = new EnsembleRunner(spec, sampler, 1000 + n, networks).threads(2).run();
      Estimate v = metric ? r.estimates(3).vMetric(0) : r.estimates(3).v(0);
      x[i] = 1.0 / n;
      y[i] = v.mean();
      se[i] = v.standardError();
      System.out.printf(Locale.ROOT, "%s %s n=%d V=%.6f ± %.6f%n", sampler.kind(), metric ? "Vmetric" : "V", n, y[i], se[i]);
    }
    double[] fit = fitIntercept(x, y, se);
    String line = String.format(Locale.ROOT, "%s %s: V(n) = V∞ + b/n + c/n², V∞ = %.6f ± %.6f, theory %.6f,"
        + " off by %.2f%% (%.2f SE)", sampler.kind(), metric ? "Vmetric" : "V", fit[0], fit[1], V3,
        100 * (fit[0] - V3) / V3, (fit[0] - V3) / fit[1]);
    System.out.println(line);
    assertTrue(Math.abs(fit[0] - V3) <= REL_TOL * V3, line);
    assertTrue(Math.abs(fit[0] - V3) <= 4 * fit[1], line);
  }

  @Test
  void metricVertexExtrapolatesToTheTheory() {
    scan(TestSamplers.REFERENCE_CONDITIONAL, 1_000_000, true);
  }
}
