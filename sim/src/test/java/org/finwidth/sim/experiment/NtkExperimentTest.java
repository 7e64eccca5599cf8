package org.finwidth.sim.experiment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NtkExperimentTest {
  /**
   * {@code experiment ntk --quick} writes every file; every quantity (H, H1, D, F, A, B, A + 2B,
   * D + 2F) of layers 2 and 3 of the three networks, extrapolated in 1/n, agrees with the
   * leading-order recursion within 4.5 standard errors of its fit: 3 × 2 × 8 = 48 comparisons,
   * with Gaussian errors a false-failure probability below 48 × 6.8e-6 ≈ 3.3e-4 by the union bound
   * (fixed seed; the fit's remainder beyond c/n² is below the quick run's errors, docs/theory.md
   * §11.8). Every width has every quantity at every layer, and the text is computed (the growth of
   * H differs between the critical and the off-critical network).
   */
  @Test
  void quickRunWritesEverythingAndAgreesWithTheRecursions(@TempDir Path tmp) throws Exception {
    Path dir = tmp.resolve("ntk");
    ExperimentFiles.runQuick("ntk", dir);
    List<String> figures = ExperimentFiles.assertAllFiles(dir, "ntk");
    assertEquals(List.of("mean-ntk", "relative-a", "relative-b", "correlations"), figures);
    List<ExperimentFiles.CsvRow> rows = ExperimentFiles.readCsv(dir.resolve("ntk.csv"));
    int compared = 0;
    for (ExperimentFiles.CsvRow r : rows) {
      if (r.quantity().endsWith(" fit")) {
        compared++;
        assertEquals(0, r.width());
        assertTrue(Math.abs(r.z()) <= 4.5, r.toString());
      }
    }
    assertEquals(3 * (NtkExperiment.QUICK_DEPTH - 1) * NtkExperiment.QUANTITIES.size(), compared);
    for (int n : NtkExperiment.QUICK_WIDTHS) {
      final int w = n;
      assertEquals(3L * NtkExperiment.QUICK_DEPTH * NtkExperiment.QUANTITIES.size(),
          rows.stream().filter(r -> r.n() == w).count());
    }
    // layer 1 is deterministic: Ĥ = λ_b + λ_W K^(1)/C_W exactly, no fluctuation
    for (ExperimentFiles.CsvRow r : rows) {
      if (r.networks() > 0 && r.layer() == 1 && r.quantity().equals("H")) {
        assertEquals(r.theory(), r.value(), 1e-6 * r.theory(), r.toString()); // float Jacobian rows: 1e-6
        assertEquals(0, r.se(), 1e-9, r.toString());
      }
    }
    String html = Files.readString(dir.resolve("report.html"), StandardCharsets.UTF_8);
    assertTrue(html.contains("grows like a power of ℓ"), "critical growth described");
    assertTrue(html.contains("exponentially"), "off-critical growth described");
  }
}
