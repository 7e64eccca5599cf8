package org.finwidth.sim.experiment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.finwidth.sim.QuickUniversality;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code experiment universality --quick} end to end: all files, real plots, a tidy CSV, and the
 * measurements agree with theory where the theory is exact.
 */
class UniversalityExperimentTest {
  static Path dir;
  static String out;
  static List<ExperimentFiles.CsvRow> rows;

  @BeforeAll
  static void run() throws Exception {
    QuickUniversality.Run run = QuickUniversality.get(); // the run the README tour's check shares
    dir = run.dir();
    out = run.out();
    rows = ExperimentFiles.readCsv(dir.resolve("universality.csv"));
  }

  @Test
  void writesEveryFileWithRealPlots() throws Exception {
    List<String> figures = ExperimentFiles.assertAllFiles(dir, "universality");
    assertEquals(List.of("kernel", "vertex"), figures);
    assertEquals(2, FigureCheck.assertReadable(QuickUniversality.get().report()));
    assertTrue(out.contains("report: " + dir.toAbsolutePath().resolve("report.html")), out);
    assertTrue(out.contains("\ntanh "), out);
  }

  @Test
  void csvCoversEveryRepresentativeWidthAndLayer() {
    Set<String> acts = rows.stream().map(ExperimentFiles.CsvRow::activation).collect(Collectors.toSet());
    assertEquals(Set.of("relu", "tanh", "sin", "swish", "gelu", "softplus"), acts);
    for (String a : acts) {
      for (int n : UniversalityExperiment.widths(true)) {
        for (String q : List.of("G", "ratio4-1", "V")) {
          long count = rows.stream().filter(r -> r.activation().equals(a) && r.n() == n && r.quantity().equals(q)
              && Double.isFinite(r.se()) && Double.isFinite(r.theory()) && r.networks() > 0).count();
          assertEquals(n, count, a + " n=" + n + " " + q); // depth L = n, every layer
        }
      }
    }
  }

  /**
   * Where the theory is exact at any width, the measurement must agree within 4 SE: at layer 2,
   * E[z⁴]/(3E[z²]²) − 1 = V^(2)/(n K^(2)²) exactly (z^(2) is Gaussian given the layer-1 metric,
   * whose neurons are independent), for every activation and width (12 points); for ReLU
   * (C_b = 0) E[z²] = K^(1) exactly at every layer, and the ratio equals the exact Π(1 + 5/n)
   * − 1; those are checked for ℓ ≤ n/4, where the heavy tails of deep narrow ReLU networks
   * (docs/theory.md §6.2) do not yet make the SE unreliable (2 × 12 points). False-failure probability:
   * 36 Gaussian points at 4 SE, about 36 × 6.3e-5 ≈ 0.2%.
   */
  @Test
  void measurementsAgreeWithExactTheory() {
    int checked = 0;
    for (ExperimentFiles.CsvRow r : rows) {
      boolean layer2 = r.layer() == 2 && r.quantity().equals("ratio4-1");
      boolean reluG = r.activation().equals("relu") && r.quantity().equals("G") && r.layer() <= r.n() / 4;
      if (layer2 || reluG) {
        assertTrue(Math.abs(r.z()) <= 4, r + " z=" + r.z());
        checked++;
      }
    }
    assertEquals(6 * 2 + 4 + 8, checked);
    // Every representative's Monte Carlo against its exact finite-width value (docs/theory.md §6.5;
    // for ReLU also the closed form), at ℓ ≤ n/4 where the tails leave the SE honest. 72 comparisons
    // at 4 SE: with normal z the union bound on a false failure is 72·6.3e-5 < 5e-3.
    int exactChecked = 0;
    for (ExperimentFiles.CsvRow exact : rows) {
      // the network of a theory row: its depth (L = n here; the width column of layer 1 is n_0)
      int n = exact.depth();
      if (exact.quantity().equals("ratio4-1 exact") && exact.layer() <= n / 4) {
        ExperimentFiles.CsvRow mc = rows.stream().filter(r -> r.activation().equals(exact.activation())
            && r.quantity().equals("ratio4-1") && r.depth() == n && r.layer() == exact.layer())
            .findFirst().orElseThrow();
        assertEquals(n, mc.n(), mc.toString());
        if (exact.activation().equals("relu")) {
          // the exact value Π_{k<ℓ}(1 + 5/n) − 1 (docs/theory.md §6.2), computed independently here
          assertEquals(Math.pow(1 + 5.0 / n, exact.layer() - 1) - 1, exact.exact(), 1e-12);
        }
        assertTrue(Math.abs(mc.value() - exact.exact()) <= 4 * mc.se() + 1e-15, mc + " vs exact " + exact.exact());
        exactChecked++;
      }
    }
    assertEquals(6 * (4 + 8), exactChecked);
  }

  /**
   * The main job's table: one line per representative with a flag, and the legend; a line whose
   * measurement lies beyond 3 SE of the leading order is never "ok" unless an exact value exists
   * (the flag then judges against it); ReLU's line is judged against its exact value, or flagged
   * heavy-tailed.
   */
  @Test
  void summaryFlagsEveryRow() {
    assertTrue(out.contains(UniversalityExperiment.FLAG_LEGEND), out);
    Set<String> words = Set.of("ok", "beyond-LO", "heavy-tail", "disagree");
    int n = UniversalityExperiment.widths(true)[UniversalityExperiment.widths(true).length - 1];
    int lines = 0;
    for (String line : out.lines().toList()) {
      String[] f = line.trim().split("\\s+");
      // activation, init (one or two words), n, ℓ, measured, "±", SE, theory, exact, z, flag, ...
      int k = java.util.Arrays.asList(f).indexOf("±");
      if (k < 5 || f.length < k + 6 || !Set.of("relu", "tanh", "sin", "swish", "gelu", "softplus").contains(f[0])
          || !f[k - 3].equals(Integer.toString(n))) {
        continue;
      }
      lines++;
      double z = Double.parseDouble(f[k + 4]);
      String flag = f[k + 5];
      assertTrue(words.contains(flag), line);
      ExperimentFiles.CsvRow exact = rows.stream().filter(r -> r.activation().equals(f[0]) && r.quantity().equals("ratio4-1 exact")
          && r.width() == n && r.layer() == n).findFirst().orElse(null);
      if (exact == null) {
        assertEquals("–", f[k + 3], line);
        assertTrue(Math.abs(z) <= 3 || !flag.equals("ok"), line);
      } else {
        ExperimentFiles.CsvRow mc = rows.stream().filter(r -> r.activation().equals(f[0]) && r.quantity().equals("ratio4-1")
            && r.width() == n && r.layer() == n).findFirst().orElseThrow();
        boolean within = Math.abs(mc.value() - exact.exact()) <= 3 * mc.se();
        assertEquals(Fmt.num(exact.exact(), 4), f[k + 3], "the exact value shown: " + line);
        assertTrue(within ? flag.equals("ok") : flag.equals("heavy-tail") || flag.equals("disagree"), line);
      }
    }
    assertEquals(6, lines, out);
  }
}
