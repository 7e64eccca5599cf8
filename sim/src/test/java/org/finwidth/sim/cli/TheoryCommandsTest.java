package org.finwidth.sim.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.List;
import org.finwidth.activation.Activation;
import org.finwidth.activation.Catalogue;
import org.finwidth.network.NetworkSpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** {@code finwidth criticality} and {@code finwidth theory}, run in-process with captured output. */
class TheoryCommandsTest {
  private static CliRun run(String... args) {
    return CliRun.of(args);
  }

  private static JsonNode json(CliRun r) throws Exception {
    assertEquals(0, r.code(), r.err());
    return new ObjectMapper().readTree(r.out());
  }

  @Test
  void criticalityJsonSchema() throws Exception {
    // docs/theory.md §4.3 GELU: K* = (3 + √17)/2, approached from above.
    JsonNode n = json(run("criticality", "--activation", "gelu", "--json"));
    assertEquals("gelu", n.get("activation").asText());
    assertEquals("half-stable", n.get("class").asText());
    JsonNode p = n.get("critical").get(0);
    assertEquals((3 + Math.sqrt(17)) / 2, p.get("kstar").asDouble(), 1e-13);
    assertEquals(0.17292239075606735175, p.get("cb").asDouble(), 1e-12);
    assertEquals(1.9830582574375471252, p.get("cw").asDouble(), 1e-12);
    assertEquals("above", p.get("approach").asText());
    assertEquals(6 / Math.PI, n.get("a1").asDouble(), 1e-15);
    assertFalse(n.get("reason").asText().isBlank());
    List<String> keys = new ArrayList<>();
    n.fieldNames().forEachRemaining(keys::add);
    assertEquals(List.of("activation", "class", "critical", "a1", "reason", "evidence"), keys);
  }

  @ParameterizedTest
  @CsvSource({
    "swish:T=0.1, half-stable, 0.14320173618025798817, below",
    "leaky:a=0.3, scale-invariant, NaN, ",
    "repu:p=3, none, NaN, ",
    "'mrepu:c=1,q=2', none, NaN, ",
    "tanh, k-star-zero, 0, above",
  })
  void criticalityOfParametrisedActivations(String spec, String cls, double kstar, String approach) throws Exception {
    JsonNode n = json(run("criticality", "-a", spec, "--json"));
    assertEquals(cls, n.get("class").asText());
    switch (cls) {
      case "none" -> {
        assertEquals(0, n.get("critical").size());
        String reason = n.get("reason").asText();
        assertTrue(spec.startsWith("repu") ? reason.contains("p/(2p-1) = 0.6") : reason.contains("a_1 = 18 > 0"), reason);
      }
      case "scale-invariant" -> {
        JsonNode p = n.get("critical").get(0);
        assertTrue(p.get("kstar").isNull());
        assertTrue(p.get("approach").isNull());
        assertEquals(0, p.get("cb").asDouble());
        assertEquals(2 / 1.09, p.get("cw").asDouble(), 1e-15);
        assertTrue(n.get("a1").isNull());
      }
      default -> {
        JsonNode p = n.get("critical").get(0);
        assertEquals(kstar, p.get("kstar").asDouble(), 1e-13 * Math.max(kstar, 1e-3));
        assertEquals(approach, p.get("approach").asText());
      }
    }
    CliRun table = run("criticality", "-a", spec);
    assertEquals(0, table.code(), table.err());
    assertTrue(table.out().contains("class       " + cls), table.out());
  }

  @Test
  void criticalityTableOfTheCatalogue() throws Exception {
    JsonNode list = json(run("criticality", "--json"));
    assertEquals(Catalogue.entries().size(), list.size());
    CliRun r = run("criticality");
    assertEquals(0, r.code(), r.err());
    assertTrue(r.out().matches("(?s).*\\nswish +half-stable +0\\.5551431707\\d* +1\\.988004678\\d* +14\\.32017361\\d* +below +0\\.75\\n.*"), r.out());
  }

  @Test
  void criticalityPrintsTheTableOfTheCatalogueWithReasons() {
    CliRun r = run("criticality");
    assertEquals(0, r.code(), r.err());
    for (Catalogue.Entry e : Catalogue.entries()) {
      assertTrue(r.out().contains("\n" + e.name() + " "), e.name());
    }
    assertTrue(r.out().matches("(?s).*\\nrelu +scale-invariant +0 +2 +any +- +-\\n.*"), r.out());
    assertTrue(r.out().matches("(?s).*\\ntanh +k-star-zero +0 +1 +0 +above +-2\\n.*"), r.out());
    assertTrue(r.out().matches("(?s).*\\ngelu +half-stable +0\\.1729223907\\d* +1\\.983058257\\d* +3\\.561552812\\d* +above .*"), r.out());
    assertTrue(r.out().matches("(?s).*\\nsoftplus +none +- +- +- +- .*"), r.out());
    assertTrue(r.out().contains("  mrepu      K* = 0 is a fixed point"), r.out());
  }

  private static List<String> iterableToList(java.util.Iterator<String> it) {
    List<String> out = new java.util.ArrayList<>();
    it.forEachRemaining(out::add);
    return out;
  }

  @Test
  void theoryJsonSchemaOneInput() throws Exception {
    // docs/theory.md §8.3 (tanh) and §6.2 (relu exact) through the command line.
    JsonNode n = json(run("theory", "-a", "tanh", "--cb", "0", "--cw", "1", "--depth", "4", "--width", "32",
        "--gram", "1", "--json"));
    assertEquals("tanh", n.get("spec").get("activation").asText());
    assertEquals(4, n.get("spec").get("widths").size());
    JsonNode l3 = n.get("layers").get(2);
    assertEquals(3, l3.get("layer").asInt());
    assertEquals(0.236450410499296, l3.get("K").get(0).get(0).asDouble(), 1e-14);
    assertEquals(-0.0309325198661463, l3.get("K1").get(0).get(0).asDouble(), 1e-14);
    assertEquals(0.0678074938920956, l3.get("V").get("00|00").asDouble(), 1e-14);
    assertEquals(1, l3.get("V").size());
    assertEquals(1, l3.get("chiParallel").size());
    // The exact law (docs/theory.md §6.5): layer 2 is exact at any width (E[z²] = K, n Var = V);
    // at layer 3 the exact values sit within the next order of K + K1/n and V (ℓ/n = 3/32).
    JsonNode x2 = n.get("layers").get(1).get("exact");
    assertEquals(n.get("layers").get(1).get("K").get(0).get(0).asDouble(), x2.get("ez2").asDouble(), 1e-14);
    assertEquals(n.get("layers").get(1).get("V").get("00|00").asDouble(), x2.get("V").asDouble(), 1e-12);
    JsonNode x3 = l3.get("exact");
    double lo = 0.236450410499296 - 0.0309325198661463 / 32;
    assertEquals(lo, x3.get("ez2").asDouble(), 1e-3 * lo);
    assertEquals(0.0678074938920956, x3.get("V").asDouble(), 0.01 * 0.0678);
    assertEquals(x3.get("ez4").asDouble(), 3 * x3.get("ezizj").asDouble(), 1e-15);
    assertTrue(x3.get("accuracy").asDouble() < 1e-10);
    assertEquals(List.of("0.001", "0.01", "0.1", "0.5", "0.9", "0.99", "0.999"),
        iterableToList(x3.get("quantiles").fieldNames()));
    assertTrue(x3.get("quantiles").get("0.001").asDouble() < x3.get("quantiles").get("0.5").asDouble());
    JsonNode relu = json(run("theory", "-a", "relu", "--cb", "0", "--cw", "2", "--depth", "3", "--width", "4",
        "--gram", "0.5", "--json"));
    JsonNode e = relu.get("layers").get(2).get("exact");
    double ez2 = e.get("ez2").asDouble();
    assertEquals(1, ez2, 1e-15);
    assertEquals(5.0625, e.get("ez4").asDouble() / (3 * ez2 * ez2), 1e-14);
    assertEquals(e.get("ez4").asDouble(), 3 * e.get("ezizj").asDouble(), 1e-14);
  }

  @Test
  void theoryJsonSchemaTwoInputs() throws Exception {
    JsonNode n = json(run("theory", "-a", "tanh", "--cb", "0.2", "--cw", "1.5", "--depth", "3", "--widths",
        "10,20,30", "--inputs", "1,0.5;0.3,1.2", "--json"));
    assertEquals(2, n.get("spec").get("inputDim").asInt());
    assertTrue(n.get("spec").has("inputs"));
    JsonNode v = n.get("layers").get(2).get("V");
    List<String> keys = new ArrayList<>();
    v.fieldNames().forEachRemaining(keys::add);
    assertEquals(List.of("00|00", "00|01", "00|11", "01|01", "01|11", "11|11"), keys);
    assertEquals(2, n.get("layers").get(2).get("K").size());
    assertEquals(2, n.get("layers").get(2).get("chiPerp").size());
    CliRun table = run("theory", "-a", "tanh", "--cb", "0.2", "--cw", "1.5", "--depth", "3", "--width", "10",
        "--gram", "0.5,0.2;0.2,0.8");
    assertEquals(0, table.code(), table.err());
    assertTrue(table.out().contains("V 01|11"), table.out());
  }

  @Test
  void overflowSaysAtWhichLayer() throws Exception {
    CliRun r = run("theory", "-a", "repu:p=2", "--cb", "0", "--cw", "1", "--depth", "30", "--width", "4",
        "--gram", "2", "--json");
    assertEquals(1, r.code());
    String[] lines = r.err().split("\\R");
    // One line for the exact law (RePU is resolved to depth 8 only), one for the overflow.
    assertEquals(2, lines.length, r.err());
    assertTrue(lines[0].startsWith("finwidth: no exact law: the exact law of repu"), lines[0]);
    assertTrue(lines[1].startsWith("finwidth: prediction stops at layer 9: "), lines[1]);
    JsonNode n = new ObjectMapper().readTree(r.out());
    assertEquals(8, n.get("layers").size());
    assertEquals(9, n.get("breakdown").get("layer").asInt());
    assertFalse(r.out().contains("Infinity") || r.out().contains("NaN"), r.out());
  }

  @Test
  void simulateSeesThePrediction() {
    // ReLU, C_b = 0: at layer 2 the exact n_1 Var(Ĝ) equals the leading-order V = 5K² (docs/theory.md
    // §6.2: (1 + 5/n) − 1 exactly), and the leading ratio 1 + V/(nK²) = 1 + 5/n.
    NetworkSpec spec = NetworkSpec.ofGram(Activation.parse("relu"), 0, 2, 1, NetworkSpec.equalWidths(3, 8),
        new double[][] {{0.7}});
    TheoryView view = PredictionView.of(spec);
    assertEquals(null, view.note());
    double k = 1.4;
    assertEquals(5 * k * k, view.vertex(2, 0, 0, 0, 0).getAsDouble(), 1e-13);
    assertEquals(5 * k * k, view.exactVertex(2).getAsDouble(), 1e-13);
    assertEquals(1 + 5.0 / 8, view.ratio(2, 0).getAsDouble(), 1e-15);
    assertEquals(1 + 5.0 / 8, view.exactRatio4(2).getAsDouble(), 1e-15);
    assertEquals(k, view.twoPoint(3, 0, 0).getAsDouble(), 1e-15);
    assertTrue(view.layerJson(3).containsKey("exact"));
    assertTrue(view.vertex(4, 0, 0, 0, 0).isEmpty(), "no layer 4");
    TheoryView deep = PredictionView.of(NetworkSpec.ofGram(Activation.parse("repu:p=2"), 0, 1, 1,
        NetworkSpec.equalWidths(30, 4), new double[][] {{2}}));
    assertTrue(deep.note().startsWith("theory stops at layer 9: "), deep.note());
    assertTrue(deep.twoPoint(9, 0, 0).isEmpty());
    assertTrue(deep.twoPoint(8, 0, 0).isPresent());
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
    "--depth 0 --width 4 --gram 1| finwidth: --depth must be >= 1, got 0",
    "--depth 3 --widths 4,4 --gram 1| finwidth: --widths has 2 entries but --depth is 3",
    "--depth 3 --width 0 --gram 1| finwidth: --width must be >= 1, got 0",
    "--depth 3 --widths 3,0,2 --gram 1| finwidth: --widths entry 2 must be an integer >= 1, got 0",
    "--depth 3 --width 4 --gram 1,2;2,1| finwidth: the Gram matrix is not positive semi-definite (smallest eigenvalue -1.0): [[1.0, 2.0], [2.0, 1.0]]",
    "--depth 3 --width 4 --gram 1,0.5;0.4,1| finwidth: the Gram matrix is not symmetric: entry (2,1)=0.4 but (1,2)=0.5",
    "--depth 3 --width 4 --gram -1| finwidth: Gram matrix diagonal entry (1,1) must be >= 0, got -1.0",
    "--depth 3 --width 4 --gram NaN| finwidth: --gram: entries must be finite, got 'NaN'",
    "--depth 3 --width 4 --gram abc| finwidth: --gram: 'abc' is not a number (in 'abc')",
    "--depth 3 --width 4 --gram 1,2;3| finwidth: --gram must be a square matrix: row 2 has 1 entries for 2 rows ('1,2;3')",
    "--depth 3 --width 4 --gram 1,0;0,1 --input-dim 1| finwidth: d = 2 inputs need input-dim >= d to be realised as vectors, got input-dim=1",
    "--depth 3 --width 4 --input-dim 5 --inputs 1,2| finwidth: --input-dim 5 disagrees with the 2 components of --inputs",
    "--depth 3 --width 4 --inputs 1,2;3| finwidth: all inputs must have the same dimension: input 1 has 2 components, input 2 has 1",
    "--depth 3 --width 4| finwidth: give exactly one of --gram MATRIX, --inputs VECTORS, --gram-file FILE or --inputs-file FILE",
    "--depth 3 --width 4 --gram 1 --input-dim 0| finwidth: --input-dim must be >= 1, got 0",
    "--depth 3 --width 4 --widths 4,4,4 --gram 1| finwidth: give exactly one of --width N or --widths n1,...,nL",
    "--depth abc --width 4 --gram 1| finwidth: Invalid value for option '--depth': 'abc' is not an int",
    "--width 4 --gram 1| finwidth: Missing required option: '--depth=L'",
  })
  void theoryRejectsBadInput(String args, String message) {
    List<String> argv = new ArrayList<>(List.of("theory", "-a", "tanh", "--cb", "0", "--cw", "1"));
    argv.addAll(List.of(args.split(" ")));
    assertBadInput(run(argv.toArray(String[]::new)), message);
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
    "theory -a tanh --cb 0 --cw 0 --depth 3 --width 4 --gram 1| finwidth: C_W must be a finite number > 0, got cw=0.0",
    "theory -a tanh --cb 0 --cw -1 --depth 3 --width 4 --gram 1| finwidth: C_W must be a finite number > 0, got cw=-1.0",
    "theory -a tanh --cb 0 --cw NaN --depth 3 --width 4 --gram 1| finwidth: C_W must be a finite number > 0, got cw=NaN",
    "theory -a tanh --cb NaN --cw 1 --depth 3 --width 4 --gram 1| finwidth: C_b must be a finite number >= 0, got cb=NaN",
    "theory -a tanh --cb -0.5 --cw 1 --depth 3 --width 4 --gram 1| finwidth: C_b must be a finite number >= 0, got cb=-0.5",
    "theory -a foo --cb 0 --cw 1 --depth 3 --width 4 --gram 1| finwidth: unknown activation 'foo'; known activations:",
    "criticality -a swish:T=0| finwidth: swish: parameter T must be > 0, got 0",
    "criticality -a| finwidth: Missing required parameter for option '--activation'",
  })
  void rejectsBadValues(String args, String message) {
    assertBadInput(run(args.split(" ")), message);
  }

  private static void assertBadInput(CliRun r, String messageStart) {
    assertEquals(2, r.code(), r.err());
    assertEquals("", r.out());
    String[] lines = r.err().split("\\R");
    assertEquals(1, lines.length, r.err());
    assertTrue(lines[0].startsWith(messageStart), lines[0]);
  }

  /**
   * d inputs through the CLI: --gram-file gives the numbers of --gram, --inputs-file those of
   * --inputs (bit for bit: the same spec), and the JSON holds K, K1 (d×d) and every one of the
   * P(P+1)/2 V components at every layer; --csv writes the same numbers.
   */
  @Test
  void manyInputsFromFilesAndEveryComponent(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
    String[] net = {"theory", "-a", "sin", "--cb", "0.1", "--cw", "1.2", "--depth", "4", "--width", "64"};
    java.nio.file.Path gram = dir.resolve("gram.csv");
    java.nio.file.Files.writeString(gram, "# three inputs\n1, 0.3, -0.2\n0.3, 0.8, 0.1\n\n-0.2, 0.1, 1.3\n");
    JsonNode inline = json(run(concat(net, "--gram", "1,0.3,-0.2;0.3,0.8,0.1;-0.2,0.1,1.3", "--json")));
    java.nio.file.Path csv = dir.resolve("theory.csv");
    JsonNode fromFile = json(run(concat(net, "--gram-file", gram.toString(), "--json", "--csv", csv.toString())));
    assertEquals(inline, fromFile);
    assertEveryComponent(fromFile, 3, 4);
    CsvTable t = CsvTable.read(csv);
    assertEquals(TidyCsv.COLUMNS, t.header());
    // per layer: 6 K, 6 K1, 21 V, 3 chiParallel, 3 chiPerp
    assertEquals(4 * (6 + 6 + 21 + 3 + 3), t.rows().size());
    double v = fromFile.get("layers").get(2).get("V").get("01|22").asDouble();
    assertEquals(1, t.rows().stream().filter(x -> x.get("layer").equals("3") && x.get("quantity").equals("V")
        && x.get("component").equals("01|22") && CsvTable.num(x, "theory") == v && x.get("value").isEmpty()).count());

    java.nio.file.Path x = dir.resolve("x.csv");
    java.nio.file.Files.writeString(x, "1,0,0.5\n0,1,0.5\n1,0,0.5\n");
    JsonNode vectors = json(run(concat(net, "--inputs", "1,0,0.5;0,1,0.5;1,0,0.5", "--json")));
    assertEquals(vectors, json(run(concat(net, "--inputs-file", x.toString(), "--json"))));
    assertEveryComponent(vectors, 3, 4);
    // inputs 0 and 2 are the same: their components are identical
    JsonNode v3 = vectors.get("layers").get(3).get("V");
    assertEquals(v3.get("00|01").asDouble(), v3.get("01|22").asDouble());

    String[] four = {"theory", "-a", "sin", "--cb", "0.1", "--cw", "1.2", "--depth", "3", "--width", "64", "--gram",
        "1,0.3,-0.2,0.1;0.3,0.8,0.1,-0.3;-0.2,0.1,1.3,0.4;0.1,-0.3,0.4,0.9", "--json"};
    assertEveryComponent(json(run(four)), 4, 3);
  }

  /**
   * ReLU with C_b = 0 on a rank-deficient batch (x, 2x, 0 and a fourth input): every layer is
   * predicted (exit 0, no breakdown), every component is a number, the zero input's components
   * are 0 and the collinear input's V is 16 times its original's (docs/theory.md §5.5).
   */
  @Test
  void kinkedSigmaOnCollinearAndZeroInputs() throws Exception {
    CliRun r = run("theory", "-a", "relu", "--cb", "0", "--cw", "2", "--depth", "4", "--width", "32",
        "--inputs", "1,0.5;2,1;0,0;0.3,-1", "--json");
    assertEquals(0, r.code(), r.err());
    JsonNode n = json(r);
    assertFalse(n.has("breakdown") && !n.get("breakdown").isNull(), r.out());
    assertEveryComponent(n, 4, 4);
    JsonNode v = n.get("layers").get(3).get("V");
    assertEquals(16 * v.get("00|00").asDouble(), v.get("11|11").asDouble(), 1e-12 * v.get("11|11").asDouble());
    assertEquals(0.0, v.get("02|13").asDouble());
    assertEquals(0.0, n.get("layers").get(3).get("K").get(2).get(3).asDouble());
  }

  private static String[] concat(String[] a, String... b) {
    String[] c = java.util.Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, c, a.length, b.length);
    return c;
  }

  private static void assertEveryComponent(JsonNode n, int d, int depth) {
    int pairs = d * (d + 1) / 2;
    assertEquals(depth, n.get("layers").size());
    for (JsonNode l : n.get("layers")) {
      assertEquals(d, l.get("K").size());
      assertEquals(d, l.get("K1").size());
      assertEquals(d, l.get("K1").get(d - 1).size());
      assertEquals(pairs * (pairs + 1) / 2, l.get("V").size());
      JsonNode v = l.get("V");
      v.fieldNames().forEachRemaining(k -> assertTrue(v.get(k).isNumber(), k));
    }
    assertTrue(n.get("layers").get(depth - 1).get("V").has(d == 4 ? "01|23" : "01|22"));
  }
}
