package org.finwidth.sim.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import org.finwidth.activation.Activation;
import org.finwidth.ensemble.LinearNetworkMoments;
import org.finwidth.network.NetworkSpec;
import org.finwidth.vector.PairIndex;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * {@code simulate} with 3 and 8 inputs on the production samplers: every component of the JSON
 * of a linear network against its exact finite-width moments (LinearNetworkMoments), the
 * distinct-neuron flag, the CSV's rows and the table's diagonal and summary.
 */
class SimulateManyInputsTest {
  /** Three inputs in R^3 (explicit) and an 8×8 Gram matrix (1 on the diagonal, 0.3 off it). */
  private static final String INPUTS3 = "1,0.2,-0.5;0.3,-1,0.4;-0.6,0.1,0.9";

  private static String gram8() {
    StringBuilder g = new StringBuilder();
    for (int a = 0; a < 8; a++) {
      for (int b = 0; b < 8; b++) {
        g.append(a == b ? "1" : "0.3").append(b < 7 ? "," : "");
      }
      g.append(a < 7 ? ";" : "");
    }
    return g.toString();
  }

  private static NetworkSpec spec(int d) {
    if (d == 3) {
      return NetworkSpec.ofInputs(Activation.parse("linear"), 0.1, 0.9, new int[] {8, 6, 9},
          new double[][] {{1, 0.2, -0.5}, {0.3, -1, 0.4}, {-0.6, 0.1, 0.9}});
    }
    double[][] g = new double[8][8];
    for (int a = 0; a < 8; a++) {
      for (int b = 0; b < 8; b++) {
        g[a][b] = a == b ? 1 : 0.3;
      }
    }
    return NetworkSpec.ofGram(Activation.parse("linear"), 0.1, 0.9, 8, new int[] {8, 6, 9}, g);
  }

  private static String[] args(int d, String sampler, String... more) {
    String[] base = {"simulate", "-a", "linear", "--cb", "0.1", "--cw", "0.9", "-L", "3", "--widths", "8,6,9",
        d == 3 ? "--inputs" : "--gram", d == 3 ? INPUTS3 : gram8(), "-s", "11", "--sampler", sampler,
        "--threads", "2", "--no-progress"};
    return CliRun.with(base, more);
  }

  /**
   * Every G, Gmetric, V and Vmetric component (and the ratios) of the JSON within 5 SE of the
   * exact moments (layer 1's metric, exact with SE 0, to 1e-12 relative). SEs from the delta
   * method over N = 6,000 networks (normal): false-failure probability 5.7e-7 per comparison,
   * 4,776 comparisons in all four cases, so at most 2.7e-3 (fixed seeds make every run identical).
   */
  @ParameterizedTest(name = "d={0} {1}")
  @CsvSource({"3, conditional", "3, weights", "8, conditional", "8, weights"})
  void everyComponentMatchesTheExactMomentsOfALinearNetwork(int d, String sampler) throws Exception {
    CliRun r = CliRun.of(args(d, sampler, "-M", "6000", "--json"));
    assertEquals(0, r.code(), r.err());
    JsonNode root = new ObjectMapper().readTree(r.out());
    boolean neurons = d <= 4;
    assertEquals(neurons ? "metric+neurons" : "metric", root.get("statistics").asText());
    NetworkSpec spec = spec(d);
    LinearNetworkMoments exact = new LinearNetworkMoments(spec);
    PairIndex ix = PairIndex.of(d);
    int compared = 0;
    for (int l = 1; l <= 3; l++) {
      JsonNode m = root.get("layers").get(l - 1).get("measured");
      assertEquals(neurons, m.has("G"));
      assertEquals(neurons, m.has("V"));
      assertEquals(neurons, m.has("ratio4ByInput"));
      assertEquals(ix.pairPairs(), m.get("Vmetric").size());
      for (int a = 0; a < d; a++) {
        for (int b = 0; b < d; b++) {
          compared += check(m.get("Gmetric"), a, b, exact.twoPoint(l, a, b), "Gmetric " + a + b, l);
          if (neurons) {
            compared += check(m.get("G"), a, b, exact.twoPoint(l, a, b), "G " + a + b, l);
          }
        }
      }
      for (int q = 0; q < ix.pairPairs(); q++) {
        compared += check(m.get("Vmetric").get(ix.key(q)), exact.vertex(l, q), "Vmetric " + ix.key(q), l);
        if (neurons) {
          compared += check(m.get("V").get(ix.key(q)), exact.vertex(l, q), "V " + ix.key(q), l);
        }
      }
      if (neurons) {
        for (int a = 0; a < d; a++) {
          double ratio = exact.ratio(l, a, spec.width(l - 1));
          compared += check(m.get("ratio4ByInput").get(a), ratio, "ratio4 " + a, l);
          compared += check(m.get("pairRatioByInput").get(a), ratio, "pairRatio " + a, l);
        }
      }
    }
    int p = d * (d + 1) / 2;
    int rr = p * (p + 1) / 2;
    assertEquals(3 * (neurons ? 2 * d * d + 2 * rr + 2 * d : d * d + rr), compared);
  }

  private static int check(JsonNode matrix, int a, int b, double exact, String what, int layer) {
    return compare(matrix.get("mean").get(a).get(b).asDouble(), matrix.get("se").get(a).get(b).asDouble(), exact,
        what, layer);
  }

  private static int check(JsonNode estimate, double exact, String what, int layer) {
    return compare(estimate.get("mean").asDouble(), estimate.get("se").asDouble(), exact, what, layer);
  }

  private static int compare(double mean, double se, double exact, String what, int layer) {
    String msg = String.format(Locale.ROOT, "layer %d %s: %.6g ± %.2g, exact %.6g", layer, what, mean, se, exact);
    if (se == 0) {
      assertEquals(exact, mean, 1e-12 * Math.abs(exact), msg);
    } else {
      assertTrue(se > 0 && Math.abs(mean - exact) <= 5 * se, msg);
    }
    return 1;
  }

  /** --distinct-neurons on 8 inputs, --no-distinct-neurons on 3: the JSON says so and has what it says. */
  @Test
  void theDistinctNeuronFlagOverridesTheDefault() throws Exception {
    CliRun eight = CliRun.of(args(8, "conditional", "-M", "300", "--json", "--distinct-neurons"));
    assertEquals(0, eight.code(), eight.err());
    JsonNode m = new ObjectMapper().readTree(eight.out()).get("layers").get(2).get("measured");
    assertEquals(666, m.get("V").size());
    assertEquals(8, m.get("ratio4ByInput").size());
    CliRun three = CliRun.of(args(3, "weights", "-M", "300", "--json", "--no-distinct-neurons"));
    assertEquals(0, three.code(), three.err());
    JsonNode root = new ObjectMapper().readTree(three.out());
    assertEquals("metric", root.get("statistics").asText());
    assertFalse(root.get("layers").get(1).get("measured").has("V"));
  }

  /** The CSV has a row per component; the table shows the diagonal and a summary line per layer. */
  @Test
  void csvHoldsEveryComponentAndTheTableSummarises(@TempDir Path dir) throws Exception {
    Path csv = dir.resolve("eight.csv");
    CliRun r = CliRun.of(args(8, "conditional", "-M", "500", "--csv", csv.toString()));
    assertEquals(0, r.code(), r.err());
    long rows = Files.readAllLines(csv).size() - 1;
    assertEquals(3 * (36 + 666), rows, "Gmetric and Vmetric rows of three layers");
    String table = r.out();
    assertTrue(table.contains("statistics: the metric's (Gmetric, Vmetric)"), table);
    assertTrue(table.contains("for 8 inputs the table shows the diagonal and a summary"), table);
    for (String row : new String[] {"Gmetric 77 ", "Vmetric 00|00 ", "Vmetric 77|77 "}) {
      assertTrue(table.contains(row), row + " in\n" + table);
    }
    assertFalse(table.lines().anyMatch(s -> s.startsWith("Gmetric 01 ")),
        "off-diagonal rows are in the summary, not the table");
    long summaries = table.lines().filter(s -> s.startsWith("  flags: ")
        || s.startsWith("  summary: no theory to compare with")).count();
    assertEquals(3, summaries, table);
  }
}
