package org.finwidth.sim.experiment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.finwidth.theory.Prediction;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ControlledSwishExperimentTest {
  /**
   * {@code experiment controlled-swish --quick} writes every file, and its Monte Carlo agrees with
   * the theory where it must: E[Ĝ] against K + K1/n at every layer ≥ 2 of every ensemble (the
   * O(1/n²) remainder is far below the SE at these sizes), V at layer 2 (exact at any width), and
   * ReLU's V at every layer ≥ 2 against the exact finite-width oracle. 7 ensembles × (4 G + 1 V) +
   * 4 ReLU V = 39 comparisons at 4.5 SE: false-failure probability 39 × 6.8e-6 ≈ 3e-4 for Gaussian
   * errors (fixed seed).
   */
  @Test
  void quickRunWritesEverythingAndAgreesWithTheory(@TempDir Path tmp) throws Exception {
    Path dir = tmp.resolve("controlled-swish");
    ExperimentFiles.runQuick("controlled-swish", dir);
    List<String> figures = ExperimentFiles.assertAllFiles(dir, "controlled-swish");
    assertEquals(List.of("critical-points", "flow", "kernel-vs-relu", "vertex-at-kstar", "vertex-fixed-scale"),
        figures);
    List<ExperimentFiles.CsvRow> rows = ExperimentFiles.readCsv(dir.resolve("controlled-swish.csv"));
    int compared = 0;
    List<ExperimentFiles.CsvRow> exactV = new ArrayList<>();
    for (ExperimentFiles.CsvRow row : rows) {
      if (row.quantity().equals("V exact")) {
        exactV.add(row);
      }
    }
    for (ExperimentFiles.CsvRow row : rows) {
      boolean must = row.width() > 0 && row.layer() >= 2
          && (row.quantity().equals("G") || (row.quantity().equals("V") && row.layer() == 2));
      if (must) {
        compared++;
        assertTrue(Math.abs(row.z()) <= 4.5, row.toString());
      }
      if (row.activation().equals("relu") && row.quantity().equals("V")) {
        for (ExperimentFiles.CsvRow e : exactV) {
          if (e.layer() == row.layer()) {
            compared++;
            assertTrue(Math.abs(row.value() - e.exact()) <= 4.5 * row.se(), row + " vs exact " + e.exact());
          }
        }
      }
    }
    assertEquals(39, compared);
  }

  /**
   * docs/theory.md §7.2: C_W(T) = C_W(1), K*(T) = T² K*(1), C_b(T) = T² C_b(1) — computed independently
   * for each T by the solver (Brent to about 1e-14), so they agree to 1e-9; the slope of V/K² from
   * K* is the same for every T (docs/theory.md §4.3: 4.92318709099538) to 1e-6 (quadrature accuracy); the
   * nearby attractive fixed point is at 14.5931049906/14.3201736180 of K* (docs/theory.md §4.3 table).
   */
  @Test
  void criticalPointScalesWithTSquared() {
    List<ControlledSwishExperiment.Critical> cs = new ArrayList<>();
    for (double t : ControlledSwishExperiment.QUICK_TEMPERATURES) {
      cs.add(ControlledSwishExperiment.critical(t));
    }
    assertTrue(ControlledSwishExperiment.maxScalingDeviation(cs) < 1e-9);
    for (ControlledSwishExperiment.Critical c : cs) {
      assertEquals(cs.get(0).init().cw(), c.init().cw(), 1e-9);
      Prediction p = Prediction.of(c.init().spec(6, 1000));
      assertEquals(4.92318709099538, ControlledSwishExperiment.vertexSlope(p), 1e-6);
      assertEquals(14.5931049906 / 14.320173618025798817, c.otherFixedPoint() / c.kstar(), 1e-8);
    }
  }
}
