package org.finwidth.sim.experiment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FiniteWidthExperimentTest {
  @TempDir static Path tmp;
  static Path dir;
  static List<ExperimentFiles.CsvRow> rows;

  /** One quick run serves every test. */
  @BeforeAll
  static void run() throws Exception {
    dir = tmp.resolve("finite-width");
    ExperimentFiles.runQuick("finite-width", dir);
    rows = ExperimentFiles.readCsv(dir.resolve("finite-width.csv"));
  }

  /**
   * {@code experiment finite-width --quick} writes every file, and the fitted V and K1 of every
   * layer 2..4 agree with the recursions within 4.5 standard errors of the fit: 2 activations × 3
   * layers × 2 quantities = 12 comparisons; with Gaussian errors the false-failure probability is
   * 12 × 6.8e-6 ≈ 1e-4 (fixed seed).
   */
  @Test
  void quickRunWritesEverythingAndFitsAgreeWithTheRecursions() throws Exception {
    List<String> figures = ExperimentFiles.assertAllFiles(dir, "finite-width");
    assertEquals(List.of("tanh-vertex", "tanh-nlo", "swish-vertex", "swish-nlo", "residuals"), figures);
    int compared = 0;
    for (ExperimentFiles.CsvRow r : rows) {
      if (r.quantity().equals("V fit") || r.quantity().equals("K1 fit")) {
        compared++;
        assertEquals(0, r.width());
        assertTrue(Math.abs(r.z()) <= 4.5, r.toString());
      }
    }
    assertEquals(12, compared);
    // every width of the quick run has G, V and K1 at every layer of both networks, and the exact
    // V and K1 at layers 2..L
    for (int n : FiniteWidthExperiment.QUICK_WIDTHS) {
      final int w = n;
      assertEquals(2 * (FiniteWidthExperiment.QUICK_DEPTH + 4 * (FiniteWidthExperiment.QUICK_DEPTH - 1)),
          rows.stream().filter(r -> r.n() == w).count());
    }
  }

  /**
   * The Monte Carlo V̂(n) = n·Var(Ĝ) and K̂1(n) = n·(E[Ĝ] − K) at every measured width and layer
   * 2..4 agree with the exact finite-width values (docs/theory.md §6.5) within 4 SE: 2 activations
   * × 5 widths × 3 layers × 2 quantities = 60 comparisons at ℓ/n ≤ 1/4 (the tails leave the SE
   * honest there, docs/theory.md §6.2). False-failure probability for normal z: at most
   * 60 × 6.3e-5 ≈ 0.4% (union bound; fixed seed). The exact values' own error (below 1e-9
   * relative) is negligible beside the SE.
   */
  @Test
  void monteCarloAgreesWithTheExactCurve() {
    int compared = 0;
    for (ExperimentFiles.CsvRow exact : rows) {
      boolean v = exact.quantity().equals("V exact");
      if (!v && !exact.quantity().equals("K1 exact")) {
        continue;
      }
      ExperimentFiles.CsvRow mc = rows.stream().filter(r -> r.activation().equals(exact.activation()) && r.width() == exact.width()
          && r.layer() == exact.layer() && r.quantity().equals(v ? "V" : "K1") && r.networks() > 0)
          .findFirst().orElse(null);
      if (mc == null) {
        continue; // a width of the exact curve that was not measured
      }
      assertTrue(Math.abs(mc.value() - exact.exact()) <= 4 * mc.se(), mc + " vs exact " + exact.exact());
      compared++;
    }
    assertEquals(2 * FiniteWidthExperiment.QUICK_WIDTHS.length * 3 * 2, compared);
  }
}
