package org.finwidth.sim.experiment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FiniteWidthExperimentTest {
  /**
   * {@code experiment finite-width --quick} writes every file, and the fitted V and K1 of every
   * layer 2..4 agree with the recursions within 4.5 standard errors of the fit: 2 activations × 3
   * layers × 2 quantities = 12 comparisons; with Gaussian errors the false-failure probability is
   * 12 × 6.8e-6 ≈ 1e-4 (fixed seed).
   */
  @Test
  void quickRunWritesEverythingAndFitsAgreeWithTheRecursions(@TempDir Path tmp) throws Exception {
    Path dir = tmp.resolve("finite-width");
    ExperimentFiles.runQuick("finite-width", dir);
    List<String> figures = ExperimentFiles.assertAllFiles(dir, "finite-width");
    assertEquals(List.of("tanh-vertex", "tanh-nlo", "swish-vertex", "swish-nlo", "residuals"), figures);
    List<Row> rows = ExperimentFiles.readCsv(dir.resolve("finite-width.csv"));
    int compared = 0;
    for (Row r : rows) {
      if (r.quantity().equals("V fit") || r.quantity().equals("K1 fit")) {
        compared++;
        assertEquals(0, r.width());
        assertTrue(Math.abs(Agreement.z(r)) <= 4.5, r.toString());
      }
    }
    assertEquals(12, compared);
    // every width of the quick run has G, V and K1 at every layer of both networks
    for (int n : FiniteWidthExperiment.QUICK_WIDTHS) {
      final int w = n;
      assertEquals(2 * (FiniteWidthExperiment.QUICK_DEPTH + 2 * (FiniteWidthExperiment.QUICK_DEPTH - 1)),
          rows.stream().filter(r -> r.width() == w).count());
    }
  }
}
