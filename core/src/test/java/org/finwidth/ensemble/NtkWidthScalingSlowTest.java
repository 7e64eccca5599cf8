package org.finwidth.ensemble;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;
import org.finwidth.activation.Activation;
import org.finwidth.network.LearningRates;
import org.finwidth.network.NetworkSpec;
import org.finwidth.stats.Estimate;
import org.finwidth.stats.NtkEstimates;
import org.finwidth.stats.PolynomialFit;
import org.finwidth.theory.NtkLayer;
import org.finwidth.theory.NtkPrediction;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The NTK statistics at layer 3, where the 1/n remainders first appear, extrapolated to n = ∞ over
 * widths 16..128 by a weighted fit a + b/n + c/n² (docs/theory.md §11.6: at these widths the
 * O(1/n²) terms are visible), against the leading-order recursion ({@link NtkPrediction}): two
 * inputs, K^(1) = [[1, 0.5], [0.5, 1.2]], λ_b = λ_W = 1, tanh (C_W = 1) and ReLU (C_W = 2) at
 * criticality. Every distinct component of H, D, F, A, B and of the same-neuron covariances within
 * 4 standard errors of its fit (106 comparisons at a two-sided normal tail of 6.3e-5: a
 * false-failure probability below 7e-3 by the union bound if the fit model were exact). H1 is
 * checked through n'(E[Ĥ_ii] − H), fitted as H1 + b/n. Measured: rms z-score 0.87, largest
 * |z| 2.1 (e.g. ReLU A_0000 = 23.30 ± 0.15 against 23.5, H1_01 = 0.63 ± 0.05 against 0.663;
 * tanh B_0000 = 3.2456 ± 0.0063 against 3.2479); about 4 minutes per kernel run on a loaded
 * 2-core machine.
 *
 * <p>Opt-in ({@code @Tag("slow")}): {@code ./run.sh test --slow}, or alone
 * <pre>
 *   ./run.sh test -pl core -Dtest=NtkWidthScalingSlowTest -Dsurefire.failIfNoSpecifiedTests=false \
 *       -Dtest.excluded.groups=slurm
 * </pre>
 * Seeds 2000 + width. Networks per width {@code -Dfinwidth.ntk.networks} (default 200,000).
 */
@Tag("slow")
class NtkWidthScalingSlowTest {
  static final int[] WIDTHS = {16, 24, 32, 48, 64, 96, 128};

  private interface Pick extends Function<NtkEstimates, Estimate> {}

  @Test
  void tanhLayerThreeExtrapolatesToTheTheory() {
    run("tanh", 1);
  }

  @Test
  void reluLayerThreeExtrapolatesToTheTheory() {
    run("relu", 2);
  }

  private static void run(String act, double cw) {
    double[][] gram = {{1 / cw, 0.5 / cw}, {0.5 / cw, 1.2 / cw}};
    NetworkSpec base = NetworkSpec.ofGram(Activation.parse(act), 0, cw, 2, NetworkSpec.equalWidths(3, 16), gram);
    NtkOptions options = new NtkOptions(LearningRates.constant(1, 1, 3), NtkOptions.DEFAULT_NEURONS);
    long networks = Long.getLong("finwidth.ntk.networks", 200_000);
    NtkEstimates[] runs = new NtkEstimates[WIDTHS.length];
    for (int i = 0; i < WIDTHS.length; i++) {
      NetworkSpec spec = base.withEqualWidths(3, WIDTHS[i]);
      runs[i] = new EnsembleRunner(spec, TestSamplers.WEIGHTS, 2000 + WIDTHS[i], networks).threads(2).ntk(options).run()
          .ntkEstimates(3);
    }
    NtkLayer t = NtkPrediction.of(base, options.rates()).layer(3);
    List<String> failures = new ArrayList<>();
    int checked = 0;
    for (int a1 = 0; a1 < 2; a1++) {
      for (int a2 = a1; a2 < 2; a2++) {
        final int x1 = a1;
        final int x2 = a2;
        checked += check(act + " H" + a1 + a2, runs, e -> e.h(x1, x2), t.h(a1, a2), 2, failures);
        double h = t.h(a1, a2);
        checked += check(act + " H1" + a1 + a2, runs, e -> e.h1(x1, x2, h), t.h1(a1, a2), 1, failures);
        for (int a3 = 0; a3 < 2; a3++) {
          for (int a4 = a3; a4 < 2; a4++) {
            final int x3 = a3;
            final int x4 = a4;
            String k = "" + a1 + a2 + a3 + a4;
            checked += check(act + " D" + k, runs, e -> e.d(x1, x2, x3, x4), t.d(a1, a2, a3, a4), 2, failures);
            if (a1 * 2 + a2 <= a3 * 2 + a4) {
              checked += check(act + " A" + k, runs, e -> e.a(x1, x2, x3, x4), t.a(a1, a2, a3, a4), 2, failures);
              checked += check(act + " A+B+B " + k, runs, e -> e.sameNeuronA(x1, x2, x3, x4),
                  t.sameNeuronA(a1, a2, a3, a4), 2, failures);
            }
            checked += check(act + " D+F+F " + k, runs, e -> e.sameNeuronD(x1, x2, x3, x4),
                t.sameNeuronD(a1, a2, a3, a4), 2, failures);
          }
        }
      }
    }
    boolean[] fDone = new boolean[16];
    boolean[] bDone = new boolean[16];
    org.finwidth.stats.NtkLayout layout = org.finwidth.stats.NtkLayout.forInputs(2);
    for (int a1 = 0; a1 < 2; a1++) {
      for (int a3 = 0; a3 < 2; a3++) {
        for (int a2 = 0; a2 < 2; a2++) {
          for (int a4 = 0; a4 < 2; a4++) {
            final int x1 = a1;
            final int x2 = a2;
            final int x3 = a3;
            final int x4 = a4;
            String k = "" + a1 + a3 + a2 + a4;
            if (!fDone[layout.fClass(a1, a3, a2, a4)]) {
              fDone[layout.fClass(a1, a3, a2, a4)] = true;
              checked += check(act + " F" + k, runs, e -> e.f(x1, x3, x2, x4), t.f(a1, a3, a2, a4), 2, failures);
            }
            if (!bDone[layout.bClass(a1, a3, a2, a4)]) {
              bDone[layout.bClass(a1, a3, a2, a4)] = true;
              checked += check(act + " B" + k, runs, e -> e.b(x1, x3, x2, x4), t.b(a1, a3, a2, a4), 2, failures);
            }
          }
        }
      }
    }
    System.out.println(act + ": " + checked + " components checked");
    assertTrue(failures.isEmpty(), String.join("\n", failures));
  }

  private static int check(String label, NtkEstimates[] runs, Pick pick, double theory, int degree,
      List<String> failures) {
    double[] x = new double[WIDTHS.length];
    double[] y = new double[WIDTHS.length];
    double[] se = new double[WIDTHS.length];
    StringBuilder sb = new StringBuilder(label + ":");
    for (int i = 0; i < WIDTHS.length; i++) {
      Estimate e = pick.apply(runs[i]);
      x[i] = 1.0 / WIDTHS[i];
      y[i] = e.mean();
      se[i] = e.standardError();
      sb.append(String.format(Locale.ROOT, " n=%d %.5g±%.2g", WIDTHS[i], y[i], se[i]));
    }
    Estimate fit = PolynomialFit.fit(degree, x, y, se).intercept();
    String line = String.format(Locale.ROOT, "%s -> %.6g ± %.2g, theory %.6g (%.2f SE)", sb, fit.mean(),
        fit.standardError(), theory, fit.zScore(theory));
    System.out.println(line);
    if (!fit.within(theory, 4)) {
      failures.add(line);
    }
    return 1;
  }
}
