package org.finwidth.sim.campaign;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.finwidth.activation.Activation;
import org.finwidth.theory.Criticality;
import org.finwidth.theory.CriticalitySolver;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Plan files: the grid, exclusions and explicit runs; keys and seeds as documented
 * (docs/campaigns.md) and independent of the other runs; {@code critical} as the solver finds it;
 * the forms of inputs; where each key is in the file.
 */
class PlanParserTest {
  private static final String GRID = """
      name = "t"
      seed = 7
      [axes]
      activation = ["tanh", "relu"]
      init = "critical"
      width = [8, 16]
      depth = [2, 3]
      gram = 1.0
      networks = 2048
      """;

  private static Plan parse(String text) {
    return PlanParser.parse("plan.toml", Path.of("."), text, false);
  }

  private static Map<String, Long> seeds(Plan p) {
    Map<String, Long> m = new LinkedHashMap<>();
    for (CampaignRun r : p.runs()) {
      m.put(r.key(), r.seed());
    }
    return m;
  }

  @Test
  void theGridCrossesEveryAxisInOrder() {
    Plan p = parse(GRID);
    assertEquals(8, p.runs().size());
    CampaignRun first = p.runs().getFirst();
    assertEquals("tanh", first.activation());
    assertEquals(8, first.width());
    assertEquals(2, first.depth());
    assertEquals("conditional", first.sampler());
    assertEquals("grid", first.origin());
    // the last axis listed in docs/campaigns.md's order varies fastest: width, then depth
    assertEquals(List.of("tanh-L2-n8", "tanh-L3-n8", "tanh-L2-n16", "tanh-L3-n16", "relu-L2-n8", "relu-L3-n8",
        "relu-L2-n16", "relu-L3-n16"), p.runs().stream().map(r -> r.key().substring(0, r.key().lastIndexOf('-'))).toList());
  }

  @Test
  void keysAndSeedsAreAsDocumented() throws Exception {
    for (CampaignRun r : parse(GRID).runs()) {
      String canonical = r.canonical();
      assertTrue(canonical.startsWith("finwidth-campaign-run/1;activation=" + r.activation() + ";cb="), canonical);
      MessageDigest md = MessageDigest.getInstance("SHA-256");
      String hash = HexFormat.of().formatHex(md.digest(canonical.getBytes(StandardCharsets.UTF_8))).substring(0, 12);
      assertEquals(r.activation() + "-L" + r.depth() + "-n" + r.width() + "-" + hash, r.key());
      long seed = ByteBuffer.wrap(md.digest(("finwidth-campaign-seed;7;" + r.key()).getBytes(StandardCharsets.UTF_8)))
          .getLong();
      assertEquals(seed, r.seed(), r.key());
    }
  }

  @Test
  void addingOrRemovingRunsChangesNoOtherRunsKeyOrSeed() {
    Map<String, Long> base = seeds(parse(GRID));
    Map<String, Long> more = seeds(parse(GRID.replace("width = [8, 16]", "width = [8, 16, 24]") + """
        [[run]]
        activation = "sin"
        init = "critical"
        width = 8
        depth = 2
        gram = 1.0
        networks = 2048
        """));
    Map<String, Long> fewer = seeds(parse(GRID + """
        [[exclude]]
        activation = "relu"
        depth = 3
        """));
    assertEquals(8 + 4 + 1, more.size());
    assertEquals(6, fewer.size());
    for (Map.Entry<String, Long> e : base.entrySet()) {
      assertEquals(e.getValue(), more.get(e.getKey()), e.getKey());
      if (fewer.containsKey(e.getKey())) {
        assertEquals(e.getValue(), fewer.get(e.getKey()), e.getKey());
      }
    }
    // and the key does not depend on the campaign's name or seed, the seed does
    Map<String, Long> reseeded = seeds(parse(GRID.replace("seed = 7", "seed = 8").replace("\"t\"", "\"u\"")));
    assertEquals(base.keySet(), reseeded.keySet());
    for (String k : base.keySet()) {
      assertTrue(base.get(k) != reseeded.get(k).longValue(), k);
    }
  }

  @Test
  void criticalIsTheSolversPointAndStartsAHalfStableRunAtItsFixedPoint() {
    Plan p = parse("""
        name = "c"
        seed = 1
        [axes]
        activation = ["relu", "tanh", "swish"]
        init = "critical"
        width = 8
        depth = 2
        networks = 1024
        [[exclude]]
        activation = ["relu", "tanh"]
        [[run]]
        activation = "relu"
        init = "critical"
        width = 8
        depth = 2
        gram = "2"
        networks = 1024
        """);
    assertEquals(2, p.runs().size());
    CampaignRun swish = p.runs().get(0);
    Criticality c = CriticalitySolver.solve(Activation.parse("swish"));
    Criticality.CriticalPoint point = PlanParser.criticalPoint(c);
    assertEquals(point.cb(), swish.cb());
    assertEquals(point.cw(), swish.cw());
    assertEquals(1, swish.inputDim());
    // K^(1) = C_b + C_W G = K*, to rounding of one division and one multiplication (2 ulp)
    double k1 = swish.spec().kernel1()[0][0];
    double kstar = point.kstar().getAsDouble();
    assertEquals(kstar, k1, 4 * Math.ulp(kstar));
    CampaignRun relu = p.runs().get(1);
    assertEquals(0.0, relu.cb());
    assertEquals(2.0, relu.cw(), 1e-12, "ReLU's critical C_W is 2 (A_2 = 1/2); the solver computes it");
    assertEquals("critical", relu.init());
    assertArrayEquals(new double[] {2.0}, relu.gram()[0]);
  }

  @Test
  void inputsComeAsNumbersStringsMatricesAndFiles(@TempDir Path dir) throws Exception {
    Files.writeString(dir.resolve("g.csv"), "# a Gram matrix\n1, 0.5\n0.5, 2\n");
    Plan p = PlanParser.parse("p.toml", dir, """
        name = "i"
        seed = 1
        [axes]
        activation = "tanh"
        init = {cb = 0.1, cw = 1.5}
        width = 8
        depth = 2
        networks = 1024
        gram = [1.0, "1,0.5;0.5,2", [[2, 0.5], [0.5, 2]]]
        [[run]]
        activation = "tanh"
        init = {cb = 0.1, cw = 1.5}
        width = 8
        depth = 2
        networks = 1024
        gram_file = "g.csv"
        input_dim = 5
        [[run]]
        activation = "tanh"
        init = {cb = 0.1, cw = 1.5}
        width = 8
        depth = 2
        networks = 1024
        inputs = [[1, 2, 3], [0, 1, -1]]
        """, false);
    assertEquals(5, p.runs().size());
    assertArrayEquals(new double[][] {{1.0}}, p.runs().get(0).gram());
    assertArrayEquals(new double[][] {{1, 0.5}, {0.5, 2}}, p.runs().get(1).gram());
    assertEquals(2, p.runs().get(1).inputDim());
    assertEquals(List.of("simulate", "-a", "tanh", "--cb", "0.1", "--cw", "1.5", "-L", "2", "-n", "8", "--gram",
        "1.0,0.5;0.5,2.0", "-M", "1024", "-s", Long.toString(p.runs().get(1).seed()), "--sampler", "conditional"),
        p.runs().get(1).simulateArgs());
    assertArrayEquals(new double[][] {{2, 0.5}, {0.5, 2}}, p.runs().get(2).gram());
    CampaignRun file = p.runs().get(3);
    assertEquals(5, file.inputDim());
    assertEquals(List.of("--input-dim", "5"), file.simulateArgs().subList(13, 15));
    CampaignRun explicit = p.runs().get(4);
    assertEquals(3, explicit.inputDim());
    assertArrayEquals(new double[] {14.0 / 3, -1.0 / 3}, explicit.gram()[0], 1e-15);
    assertEquals("--inputs", explicit.simulateArgs().get(11));
  }

  @Test
  void locatesKeysInTablesArraysOfTablesAndMultiLineValues() {
    TomlLines t = TomlLines.of("""
        name = "x"  # a comment with = and [brackets]
        seed = 1
        description = \"\"\"two
        lines [not a table]\"\"\"
        [axes]
        activation = [
          "tanh",   # first
          "relu",
        ]
        init = {cb = 0, cw = 1}
        "quoted.key" = 3
        [[run]]
        width = 8
        [[run]]
        depth = 3
        a.b = 'x # y'
        """);
    assertEquals(1, t.line("name"));
    assertEquals(2, t.line("seed"));
    assertEquals(3, t.line("description"));
    assertEquals(5, t.line("axes"));
    assertEquals(6, t.line("axes.activation"));
    assertEquals(6, t.line("axes.activation[1]"));
    assertEquals(10, t.line("axes.init.cb"));
    assertEquals(11, t.line("axes.quoted.key"));
    assertEquals(12, t.line("run[0]"));
    assertEquals(13, t.line("run[0].width"));
    assertEquals(14, t.line("run[1]"));
    assertEquals(15, t.line("run[1].depth"));
    assertEquals(16, t.line("run[1].a.b"));
    assertEquals(14, t.line("run[1].missing"));
    assertEquals(0, t.line("nowhere"));
    assertNull(t.duplicate());
    assertEquals(new TomlLines.Duplicate("seed", 3, 1), TomlLines.of("seed = 1\n\nseed = 2\n").duplicate());
  }

  @Test
  void refusesABadPlanWithItsLineKeyAndValue() {
    PlanException e = assertThrows(PlanException.class, () -> parse(GRID.replace("depth = [2, 3]",
        "depth = [2,\n  0]")));
    assertEquals("plan.toml:7: axes.depth[1] = 0: not a depth (a whole number >= 1)", e.getMessage());
    e = assertThrows(PlanException.class, () -> parse(GRID + "[[run]]\nactivation = \"tanh\"\n"));
    assertEquals("plan.toml:10: run[0].init: missing", e.getMessage());
    e = assertThrows(PlanException.class, () -> parse(GRID.replace("networks = 2048", "networks = 2048.5")));
    assertEquals("plan.toml:9: axes.networks = 2048.5: not a number of networks (a whole number >= 1)", e.getMessage());
  }

  @Test
  void aLargeGridNeedsForce() {
    String big = GRID.replace("width = [8, 16]", "width = [" + range(1, 251) + "]");
    PlanException e = assertThrows(PlanException.class, () -> parse(big));
    assertEquals("plan.toml:3: axes: the plan makes 1004 runs, more than 1000; pass --force to accept it",
        e.getMessage());
    assertEquals(2 * 251 * 2, PlanParser.parse("plan.toml", Path.of("."), big, true).runs().size());
  }

  private static String range(int from, int to) {
    StringBuilder sb = new StringBuilder();
    for (int i = from; i <= to; i++) {
      sb.append(sb.isEmpty() ? "" : ", ").append(i);
    }
    return sb.toString();
  }
}
