package org.finwidth.sim.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.finwidth.activation.Activation;
import org.finwidth.network.LearningRates;
import org.finwidth.network.NetworkSpec;
import org.finwidth.theory.NtkLayer;
import org.finwidth.theory.NtkPrediction;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code theory --ntk}, {@code simulate --ntk} and the NTK lines of {@code criticality}
 * (docs/cli.md, "The neural tangent kernel"): every component at every layer in the documented
 * JSON shapes, the numbers those of {@link NtkPrediction} and the Monte Carlo, the refusals.
 */
class NtkCommandsTest {
  private static final String[] TANH = {"theory", "-a", "tanh", "--cb", "0", "--cw", "1", "--depth", "5", "--width",
    "64", "--gram", "1,0.5;0.5,1.2", "--ntk", "--json"};

  private static JsonNode json(CliRun r) throws Exception {
    assertEquals(0, r.code(), r.err());
    return new ObjectMapper().readTree(r.out());
  }

  /** The theory JSON: per layer "ntk" with H, H1 (2×2) and D, F, A, B (2×2×2×2), = NtkPrediction. */
  @Test
  void theoryJsonHasEveryComponentAtEveryLayer() throws Exception {
    JsonNode root = json(CliRun.of(TANH));
    NetworkSpec spec = NetworkSpec.ofGram(Activation.parse("tanh"), 0, 1, 2, NetworkSpec.equalWidths(5, 64),
        new double[][] {{1, 0.5}, {0.5, 1.2}});
    NtkPrediction p = NtkPrediction.of(spec, LearningRates.constant(1, 1, 5));
    assertEquals(1.0, root.get("ntkRates").get("lambdaB").get(4).asDouble());
    JsonNode layers = root.get("layers");
    assertEquals(5, layers.size());
    for (int l = 1; l <= 5; l++) {
      JsonNode n = layers.get(l - 1).get("ntk");
      assertNotNull(n, "layer " + l);
      NtkLayer t = p.layer(l);
      for (int a = 0; a < 2; a++) {
        for (int b = 0; b < 2; b++) {
          assertEquals(t.h(a, b), n.get("H").get(a).get(b).asDouble(), 0);
          assertEquals(t.h1(a, b), n.get("H1").get(a).get(b).asDouble(), 0);
          for (int c = 0; c < 2; c++) {
            for (int e = 0; e < 2; e++) {
              assertEquals(t.d(a, b, c, e), n.get("D").get(a).get(b).get(c).get(e).asDouble(), 0);
              assertEquals(t.f(a, b, c, e), n.get("F").get(a).get(b).get(c).get(e).asDouble(), 0);
              assertEquals(t.a(a, b, c, e), n.get("A").get(a).get(b).get(c).get(e).asDouble(), 0);
              assertEquals(t.b(a, b, c, e), n.get("B").get(a).get(b).get(c).get(e).asDouble(), 0);
            }
          }
        }
      }
    }
  }

  /** Per-layer rates, the table of one input (ReLU at criticality: the rationals) and the CSV. */
  @Test
  void theoryTableAndPerLayerRates(@TempDir Path dir) throws Exception {
    CliRun r = CliRun.of("theory", "-a", "relu", "--cb", "0", "--cw", "2", "--depth", "5", "--width", "64", "--gram",
        "0.5", "--ntk");
    assertEquals(0, r.code(), r.err());
    assertTrue(r.out().contains("neural tangent kernel"), r.out());
    // layer 5 of docs/theory.md §11.5: H = 7.5, D = 40, F = 30, A = 135, B = 135
    assertTrue(r.out().lines().anyMatch(line -> line.matches(" *5 +64 +7\\.5000+ .* 40\\.000+ +30\\.000+ +135\\.000+ +135\\.000+ .*")),
        r.out());
    JsonNode root = json(CliRun.of("theory", "-a", "relu", "--cb", "0", "--cw", "2", "--depth", "3", "--width", "8",
        "--gram", "0.5", "--ntk", "--lambda-b", "0,1,2", "--lambda-w", "3", "--json"));
    assertEquals(2.0, root.get("ntkRates").get("lambdaB").get(2).asDouble());
    assertEquals(3.0, root.get("ntkRates").get("lambdaW").get(0).asDouble());
    // H^(1) = λ_b^(1) + λ_W^(1)·Gram = 0 + 3·0.5; H^(2) = λ_b^(2) + λ_W^(2) K/2 + H^(1) = 1 + 1.5 + 1.5
    assertEquals(1.5, root.get("layers").get(0).get("ntk").get("H").get(0).get(0).asDouble(), 1e-15);
    assertEquals(4.0, root.get("layers").get(1).get("ntk").get("H").get(0).get(0).asDouble(), 1e-14);
    Path csv = dir.resolve("theory.csv");
    CliRun c = CliRun.of("theory", "-a", "relu", "--cb", "0", "--cw", "2", "--depth", "5", "--width", "64", "--gram",
        "0.5", "--ntk", "--csv", csv.toString());
    assertEquals(0, c.code(), c.err());
    String text = Files.readString(csv);
    assertEquals("135.0", tidy(text, 5, "ntk.A", "0000").get(15), "theory column");
    assertEquals("135.0", tidy(text, 5, "ntk.B", "0000").get(15), "theory column");
    assertEquals("64", tidy(text, 3, "ntk.H1", "00").get(5), "width column (the fan-in)");
  }

  /**
   * simulate --ntk (the weights sampler by default): measured.ntk in the shape of measured G, with
   * the theory beside it; the same JSON for 1 and 2 threads; H at layer 1 exact; the CSV has the
   * NTK rows.
   */
  @Test
  void simulateMeasuresEveryComponent(@TempDir Path dir) throws Exception {
    String[] base = {"simulate", "-a", "tanh", "--cb", "0", "--cw", "1", "--depth", "3", "--width", "8", "--gram",
      "1,0.5;0.5,1.2", "-M", "2100", "-s", "5", "--ntk", "--no-progress", "--json"};
    CliRun one = CliRun.of(CliRun.with(base, "--threads", "1"));
    CliRun two = CliRun.of(CliRun.with(base, "--threads", "2"));
    assertEquals(one.out(), two.out());
    JsonNode root = json(one);
    assertEquals("weights", root.get("sampler").asText());
    assertEquals(4, root.get("ntkNeurons").asInt());
    for (int l = 1; l <= 3; l++) {
      JsonNode layer = root.get("layers").get(l - 1);
      JsonNode m = layer.get("measured").get("ntk");
      assertEquals(2100, m.get("networks").asLong());
      for (String q : List.of("H", "H1")) {
        assertEquals(2, m.get(q).get("mean").size(), q);
        assertEquals(2, m.get(q).get("se").get(1).size(), q);
      }
      for (String q : List.of("D", "F", "A", "B", "sameNeuronA", "sameNeuronD")) {
        JsonNode mean = m.get(q).get("mean");
        JsonNode se = m.get(q).get("se");
        assertEquals(2, mean.get(1).get(0).get(1).size(), q);
        assertTrue(mean.get(1).get(0).get(1).get(0).isNumber(), q + " at layer " + l);
        assertTrue(se.get(0).get(1).get(1).get(0).isNumber(), q + " at layer " + l);
      }
      assertNotNull(layer.get("ntk"), "theory beside the measurement");
    }
    // Layer 1: Ĥ = λ_b + λ_W·Gram exactly, no fluctuation.
    JsonNode h1 = root.get("layers").get(0).get("measured").get("ntk").get("H");
    assertEquals(2.0, h1.get("mean").get(0).get(0).asDouble(), 0);
    assertEquals(0.0, h1.get("se").get(0).get(0).asDouble(), 0);
    Path csv = dir.resolve("ntk.csv");
    CliRun c = CliRun.of("simulate", "-a", "relu", "--cb", "0", "--cw", "2", "--depth", "2", "--width", "6", "--gram",
        "1", "-M", "500", "-s", "5", "--ntk", "--ntk-neurons", "3", "--no-progress", "--csv", csv.toString());
    assertEquals(0, c.code(), c.err());
    assertTrue(c.out().contains("ntk B 0000"), c.out());
    String text = Files.readString(csv);
    List<String> a = tidy(text, 2, "ntk.A", "0000");
    assertEquals("500", a.get(8), "networks column");
    assertFalse(a.get(13).isEmpty() || a.get(14).isEmpty() || a.get(15).isEmpty(), "value, se, theory: " + a);
    assertFalse(tidy(text, 2, "ntk.H1", "00").get(13).isEmpty(), "H1 measured");
    assertFalse(text.contains("NaN"), text);
  }

  /** The fields of the tidy CSV row (TidyCsv.COLUMNS) of a layer, quantity and component; fails if absent. */
  private static List<String> tidy(String csv, int layer, String quantity, String component) {
    for (String line : csv.split("\n")) {
      List<String> f = List.of(line.split(",", -1));
      if (f.size() == TidyCsv.COLUMNS.size() && f.get(4).equals(Integer.toString(layer)) && f.get(11).equals(quantity)
          && f.get(12).equals(component)) {
        return f;
      }
    }
    throw new AssertionError("no row " + layer + " " + quantity + " " + component + " in\n" + csv);
  }

  @Test
  void refusals() {
    String[] sim = {"simulate", "-a", "relu", "--cb", "0", "--cw", "2", "-L", "2", "-n", "4", "--gram", "1", "-s", "1",
      "-M", "100", "--no-progress"};
    CliRun r = CliRun.of(CliRun.with(sim, "--ntk", "--sampler", "conditional"));
    assertEquals(2, r.code());
    assertTrue(r.err().contains("--sampler weights"), r.err());
    assertEquals(1, r.err().lines().count(), r.err());
    r = CliRun.of(CliRun.with(sim, "--ntk", "--lambda-w", "1,2,3"));
    assertEquals(2, r.code());
    assertTrue(r.err().contains("--lambda-w"), r.err());
    r = CliRun.of("theory", "-a", "relu", "--cb", "0", "--cw", "2", "-L", "2", "-n", "4", "--gram", "1", "--ntk",
        "--ntk-neurons", "3");
    assertEquals(2, r.code());
    assertTrue(r.err().contains("--ntk-neurons"), r.err());
  }

  /** criticality: the NTK's growth at the critical point (ReLU: exactly linear, exponent → 1). */
  @Test
  void criticalityShowsTheNtkGrowth() throws Exception {
    CliRun r = CliRun.of("criticality", "-a", "relu");
    assertEquals(0, r.code(), r.err());
    assertTrue(r.out().contains("chi_perp = 1 is also the NTK's criticality condition"), r.out());
    JsonNode g = json(CliRun.of("criticality", "-a", "relu", "--json")).get("critical").get(0).get("ntk");
    // K^(1) = 1, λ = 1: H^(ℓ) = 1.5ℓ (docs/theory.md §11.5)
    assertEquals(1.5 * 1000, g.get("H").get(3).asDouble(), 1e-9);
    assertEquals(Math.log(1500.0 / 150) / Math.log(10), g.get("exponent").asDouble(), 1e-12);
  }
}
