package org.finwidth.sim.experiment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RepuExperimentTest {
  private static ExperimentFiles.CsvRow find(List<ExperimentFiles.CsvRow> rows, String activation, int layer, String quantity) {
    return rows.stream().filter(r -> r.activation().equals(activation) && r.layer() == layer
        && r.quantity().equals(quantity)).findFirst().orElseThrow(() -> new AssertionError(activation + " "
            + layer + " " + quantity));
  }

  /**
   * {@code experiment repu --quick} writes every file; χ_⊥/χ_∥ = p/(2p−1) at every tabulated K
   * (quadrature, 1e-9); the Monte Carlo agrees with the exact oracle where its SE is honest: ReLU's
   * E[z⁴]/(3E[z²]²) − 1 at layers 2..4 (n = 32: light tails), RePU p = 2, 3 at layer 2 (where the
   * exact value is also the leading order), and E[Ĝ] at layer 2 of every ensemble (K^(2) is exact
   * at any width): 3 + 2 + 5 = 10 comparisons at 4.5 SE, false-failure probability 7e-5 for
   * Gaussian errors (fixed seed). And the explosion the report describes: at the last layer the
   * exact RePU p = 3 value exceeds the leading order by more than a factor 10 (deterministic).
   */
  @Test
  void quickRunWritesEverythingAndAgreesWhereItMust(@TempDir Path tmp) throws Exception {
    Path dir = tmp.resolve("repu");
    ExperimentFiles.runQuick("repu", dir);
    List<String> figures = ExperimentFiles.assertAllFiles(dir, "repu");
    assertEquals(List.of("chi-difference", "explosion", "mrepu-flow"), figures);
    List<ExperimentFiles.CsvRow> rows = ExperimentFiles.readCsv(dir.resolve("repu.csv"));
    int chiRows = 0;
    for (ExperimentFiles.CsvRow r : rows) {
      if (r.quantity().equals("chiPerp/chiPar")) {
        switch (r.activation()) {
          case "relu" -> assertEquals(1, r.theory(), 1e-9, r.toString());
          case "repu:p=2" -> assertEquals(2.0 / 3, r.theory(), 1e-9, r.toString());
          case "repu:p=3" -> assertEquals(3.0 / 5, r.theory(), 1e-9, r.toString());
          case "mrepu" -> assertTrue(r.theory() < 1, r.toString()); // MRePU: χ_⊥ < χ_∥ everywhere
          default -> throw new AssertionError("a χ row of an activation this test does not know: " + r);
        }
        chiRows++;
      }
    }
    assertEquals(4 * RepuExperiment.CHI_TABLE_K.length, chiRows, "χ rows: 4 activations × the tabulated K");
    int compared = 0;
    for (int l = 2; l <= 4; l++) {
      compared += agree(find(rows, "relu", l, "ratio4-1"), find(rows, "relu", l, "ratio4-1 exact").exact());
    }
    for (String a : List.of("repu", "repu:p=3")) {
      compared += agree(find(rows, a, 2, "ratio4-1"), find(rows, a, 2, "ratio4-1 exact").exact());
    }
    for (ExperimentFiles.CsvRow r : rows) {
      if (r.quantity().equals("G") && r.layer() == 2) {
        compared += agree(r, r.theory());
      }
    }
    assertEquals(10, compared);
    ExperimentFiles.CsvRow last = find(rows, "repu:p=3", 4, "ratio4-1");
    assertTrue(find(rows, "repu:p=3", 4, "ratio4-1 exact").exact() > 10 * last.theory(), last.toString());
  }

  private static int agree(ExperimentFiles.CsvRow measured, double truth) {
    assertTrue(Math.abs(measured.value() - truth) <= 4.5 * measured.se(), measured + " vs " + truth);
    return 1;
  }

  /**
   * log₁₀ of the exact Var(Ĝ)/E[Ĝ]² beyond the double range agrees with the double value where
   * both exist (p = 2 at depth 4, n = 32, and ReLU), to 1e-12.
   */
  @Test
  void log10OfExactMomentsMatchesTheDoubleValue() {
    for (String a : List.of("relu", "repu:p=2", "repu:p=3")) {
      Initialisation init = RepuExperiment.repuInit(a);
      for (org.finwidth.theory.ExactMoments.LayerMoments e
          : org.finwidth.theory.ExactMoments.compute(init.spec(4, 32))) {
        if (e.layer() >= 2 && Double.isFinite(e.relativeVariance())) {
          org.finwidth.theory.ExactMoments.LayerMoments big = new org.finwidth.theory.ExactMoments.LayerMoments(
              e.layer(), e.ez2(), e.ez4(), e.ezizj(), Double.POSITIVE_INFINITY, Double.POSITIVE_INFINITY);
          assertEquals(Math.log10(e.relativeVariance()), RepuExperiment.log10(big), 1e-12, a + " " + e.layer());
        }
      }
    }
  }
}
