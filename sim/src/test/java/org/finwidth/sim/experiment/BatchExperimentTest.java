package org.finwidth.sim.experiment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.finwidth.network.NetworkSpec;
import org.finwidth.theory.LayerPrediction;
import org.finwidth.theory.Prediction;
import org.finwidth.vector.PairIndex;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BatchExperimentTest {
  /** The batch: the prescribed angles to the first input, unit norms, and a full-rank Gram. */
  @Test
  void theBatchHasThePrescribedAnglesAndFullRank() {
    BatchExperiment.Batch b = BatchExperiment.batch(8, 15, 2);
    assertEquals(10, b.size());
    for (int k = 0; k < 8; k++) {
      // acos of a rounded cosine: 1e-6 degrees is far above its rounding (about 1e-8 at 0°)
      assertEquals(15.0 * k, b.degrees()[k], 1e-6, "angle of input " + (k + 1));
    }
    for (int a = 0; a < 10; a++) {
      double norm = 0;
      for (double x : b.units()[a]) {
        norm += x * x;
      }
      assertEquals(1, norm, 1e-14, "unit norm of input " + (a + 1));
      assertEquals(1, b.cosines()[a][a]);
    }
    assertTrue(b.smallestEigenvalue() > 1e-3, "full rank: smallest eigenvalue " + b.smallestEigenvalue());
    assertEquals(b.smallestEigenvalue(), NetworkSpec.smallestEigenvalue(b.cosines()));
  }

  /**
   * {@code experiment batch --quick} writes every file; every component's fitted K1 and V lies
   * within 5 standard errors of the recursions; and the batch's pair components over inputs 1 and
   * k equal the two-input recursion at their angle (computed here without the other inputs).
   *
   * <p>The fits are straight lines through widths 32 and 64 (intercept 2y(64) − y(32)); each
   * y(n) is a mean or a sample covariance over N = 20,000 networks, with a delta-method SE:
   * normal (N is large, so no Student t is needed), so each z-score exceeds 5 with probability
   * 5.7e-7, and the 81 comparisons (3 networks × (6 K1 + 21 V components) of the three quick
   * inputs) fail by chance with probability below 4.7e-5 (union bound; the seed is fixed, so every
   * run is identical). The straight line leaves an O(1/n²) bias,
   * c/(32·64), included in the 5 SE: it is a few per cent of the SE at this N.
   */
  @Test
  void quickRunWritesEverythingAndAgreesWithTheRecursions(@TempDir Path tmp) throws Exception {
    Path dir = tmp.resolve("batch");
    String out = ExperimentFiles.runQuick("batch", dir);
    List<String> figures = ExperimentFiles.assertAllFiles(dir, "batch");
    List<String> expected = new java.util.ArrayList<>();
    for (String act : List.of("relu", "tanh", "gelu")) {
      for (String f : List.of("kernel", "nlo", "vertex-aabb", "vertex-abab", "angle")) {
        expected.add(act + "-" + f);
      }
    }
    assertEquals(expected, figures);
    BatchExperiment.Batch batch = BatchExperiment.batch(BatchExperiment.QUICK_ANGLES, BatchExperiment.QUICK_STEP,
        BatchExperiment.QUICK_RANDOM);
    int d = batch.size();
    PairIndex ix = PairIndex.of(d);
    List<ExperimentFiles.CsvRow> rows = ExperimentFiles.readCsv(dir.resolve("batch.csv"));
    int widths = BatchExperiment.QUICK_WIDTHS.length;
    assertEquals(3 * (widths * (2 * ix.pairs() + ix.pairPairs()) + ix.pairs() + ix.pairPairs()), rows.size());
    int compared = 0;
    Map<String, Map<String, Double>> theory = new HashMap<>();
    for (ExperimentFiles.CsvRow r : rows) {
      assertEquals(BatchExperiment.QUICK_DEPTH, r.layer());
      assertEquals("conditional", r.sampler(), r.toString());
      if (r.quantity().equals("V fit") || r.quantity().equals("K1 fit")) {
        compared++;
        assertEquals(0, r.width());
        assertTrue(Math.abs(r.z()) <= 5, r.toString());
        theory.computeIfAbsent(r.activation(), k -> new HashMap<>()).put(r.quantity() + " " + r.component(),
            r.theory());
      }
    }
    assertEquals(3 * (ix.pairs() + ix.pairPairs()), compared);
    // The pair components over inputs 1 and k against the two-input recursion at angle θ_k.
    int checked = 0;
    for (Initialisation init : BatchExperiment.initialisations()) {
      double scale = (init.kernel1() - init.cb()) / init.cw();
      Map<String, Double> th = theory.get(init.activation().spec());
      for (int k = 1; k < BatchExperiment.QUICK_ANGLES; k++) {
        double c = Math.cos(Math.toRadians(batch.degrees()[k]));
        Prediction two = Prediction.of(NetworkSpec.ofGram(init.activation(), init.cb(), init.cw(), 2,
            NetworkSpec.equalWidths(BatchExperiment.QUICK_DEPTH, 32),
            new double[][] {{scale, scale * c}, {scale * c, scale}}));
        LayerPrediction lp = two.layer(BatchExperiment.QUICK_DEPTH);
        // The same recursion on the same 2×2 marginals (up to the rounding of the cosine), each
        // average to 1e-10 of ⟨|f|⟩: 1e-8 relative is ample.
        assertEquals(lp.vertex(0, 0, 1, 1), th.get("V fit " + ix.key(ix.component(0, 0, k, k))),
            1e-8 * Math.abs(lp.vertex(0, 0, 1, 1)), init.activation().spec() + " V_(11)(kk), k=" + (k + 1));
        assertEquals(lp.vertex(0, 1, 0, 1), th.get("V fit " + ix.key(ix.component(0, k, 0, k))),
            1e-8 * Math.abs(lp.vertex(0, 1, 0, 1)), init.activation().spec() + " V_(1k)(1k), k=" + (k + 1));
        double k1Scale = Math.max(Math.abs(lp.nloKernel(0, 1)), Math.abs(lp.nloKernel(0, 0)));
        assertEquals(lp.nloKernel(0, 1), th.get("K1 fit " + ix.pairKey(ix.pair(0, k))), 1e-8 * k1Scale + 1e-15,
            init.activation().spec() + " K1_1k, k=" + (k + 1));
        checked++;
      }
    }
    assertEquals(3 * (BatchExperiment.QUICK_ANGLES - 1), checked);
    String html = Files.readString(dir.resolve("report.html"), StandardCharsets.UTF_8);
    assertTrue(html.contains("the smallest eigenvalue of their cosine matrix is"), "report text");
    assertTrue(out.contains("V components within 3 SE of theory"), out);
  }
}
