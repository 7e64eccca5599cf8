package org.finwidth.sim.experiment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code experiment relu --quick} end to end: files, plots, CSV, and agreement with the exact results. */
class ReluExperimentTest {
  @TempDir static Path tmp;
  static Path dir;
  static List<Row> rows;

  @BeforeAll
  static void run() throws Exception {
    dir = tmp.resolve("relu");
    ExperimentFiles.runQuick("relu", dir);
    rows = ExperimentFiles.readCsv(dir.resolve("relu.csv"));
  }

  @Test
  void writesEveryFileWithRealPlots() throws Exception {
    assertEquals(List.of("fixed-points", "vertex", "finite-width-ratio", "angle"), ExperimentFiles.assertAllFiles(dir, "relu"));
  }

  @Test
  void theoryRowsAreTheClosedForms() {
    for (Row r : rows) {
      switch (r.quantity()) {
        // V/K² = 5(ℓ − 1) at leading order (docs/theory.md §4.1)
        case "V/K2" -> {
          if (r.width() == 0) {
            assertEquals(5.0 * (r.layer() - 1), r.value(), 1e-9, r.toString());
          } else {
            // exact n[(1 + 5/n)^(ℓ−1) − 1] (docs/theory.md §6.2), relative 1e-12
            double exact = r.width() * (Math.pow(1 + 5.0 / r.width(), r.layer() - 1) - 1);
            assertEquals(exact, r.theory(), 1e-12 * Math.max(1, exact), r.toString());
          }
        }
        case "ratio4" -> assertEquals(Math.pow(1 + 5.0 / r.width(), r.layer() - 1), r.theory(),
            1e-12 * r.theory(), r.toString());
        case "G" -> assertEquals(Double.parseDouble(r.init().replaceAll("K1=([^,]+),.*", "$1")), r.theory(), 1e-12,
            r.toString()); // E[z²] = K(1) at every layer and width
        default -> { }
      }
    }
  }

  /**
   * Monte Carlo against the exact finite-width values (E[z²] = K(1), n·Var(Ĝ)/K² and
   * E[z⁴]/(3E[z²]²) exact, cos θ against (K_01 + K1_01/n)/K) within 4.5 SE for ℓ ≤ n/2, where the
   * heavy tails of deeper layers (docs/theory.md §6.2) do not yet make the SE unreliable. About 100
   * points; false-failure probability ≈ 100 × 6.8e-6 < 0.1% for Gaussian errors.
   */
  @Test
  void monteCarloAgreesWithTheExactValues() {
    int checked = 0;
    for (Row r : rows) {
      boolean measured = r.networks() > 0 && r.se() > 0 && Double.isFinite(r.theory());
      if (measured && r.layer() <= r.width() / 2 && !r.quantity().equals("tailShare")) {
        assertTrue(Math.abs(Agreement.z(r)) <= 4.5, r + " z=" + Agreement.z(r));
        checked++;
      }
    }
    assertTrue(checked >= 90, "checked " + checked);
  }
}
