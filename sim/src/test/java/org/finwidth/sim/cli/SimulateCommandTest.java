package org.finwidth.sim.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Function;
import org.finwidth.ensemble.SamplerFactory;
import org.finwidth.network.ReferenceConditionalSampler;
import org.finwidth.network.ReferenceWeightsSampler;
import org.finwidth.network.SamplerKind;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** {@code finwidth simulate} in-process: JSON schema, reproducibility, CSV, bad input. */
class SimulateCommandTest {
  private static Function<SamplerKind, SamplerFactory> saved;

  @BeforeAll
  static void useReferenceSamplers() {
    saved = SimulateCommand.samplers;
    SimulateCommand.samplers = kind -> kind == SamplerKind.WEIGHTS
        ? SamplerFactory.of("weights", ReferenceWeightsSampler::new)
        : SamplerFactory.of("conditional", ReferenceConditionalSampler::new);
  }

  @AfterAll
  static void restore() {
    SimulateCommand.samplers = saved;
  }

  private static CliRun run(String... args) {
    return CliRun.of(args);
  }

  private static final String[] TANH2 = {"simulate", "--activation", "tanh", "--cb", "0.2", "--cw", "1.5",
      "--depth", "3", "--width", "8", "--gram", "1,0.6;0.6,1.5", "--seed", "7"};

  private static String[] with(String[] base, String... more) {
    return CliRun.with(base, more);
  }

  @Test
  void jsonFollowsTheSchema() throws Exception {
    CliRun r = run(with(TANH2, "--json", "--threads", "2", "--networks", "3000"));
    assertEquals(0, r.code(), r.err());
    assertEquals("", r.err());
    JsonNode root = new ObjectMapper().readTree(r.out());
    assertEquals("tanh", root.get("spec").get("activation").asText());
    assertEquals(3000, root.get("networks").asLong());
    assertEquals(7, root.get("seed").asLong());
    assertEquals("conditional", root.get("sampler").asText());
    assertEquals(0, root.get("diverged").asLong());
    JsonNode layers = root.get("layers");
    assertEquals(3, layers.size());
    for (int l = 0; l < 3; l++) {
      JsonNode m = layers.get(l).get("measured");
      assertEquals(l + 1, layers.get(l).get("layer").asInt());
      assertEquals(2, m.get("G").get("mean").size());
      assertEquals(m.get("G").get("mean").get(0).get(1).asDouble(), m.get("G").get("mean").get(1).get(0).asDouble());
      assertTrue(m.get("G").get("se").get(1).get(1).asDouble() > 0);
      List<String> keys = List.of("00|00", "00|01", "00|11", "01|01", "01|11", "11|11");
      assertEquals(keys, iterable(m.get("V").fieldNames()));
      assertTrue(m.get("V").get("01|11").has("mean") && m.get("V").get("01|11").has("se"));
      assertFalse(m.has("ratio4"), "ratio4 is for a single input");
      assertEquals(2, m.get("ratio4ByInput").size());
    }
  }

  private static List<String> iterable(java.util.Iterator<String> it) {
    List<String> l = new java.util.ArrayList<>();
    it.forEachRemaining(l::add);
    return l;
  }

  @Test
  void threadsDoNotChangeTheJsonAndSeedsDo() {
    String[] relu = {"simulate", "-a", "relu", "--cb", "0", "--cw", "2", "-L", "3", "-n", "6", "--gram", "1",
        "-M", "2500", "--json"};
    CliRun one = run(with(relu, "--seed", "3", "--threads", "1"));
    CliRun two = run(with(relu, "--seed", "3", "--threads", "2"));
    CliRun again = run(with(relu, "--seed", "3", "--threads", "2"));
    CliRun other = run(with(relu, "--seed", "4", "--threads", "2"));
    assertEquals(0, one.code(), one.err());
    assertEquals(one.out(), two.out());
    assertEquals(one.out(), again.out());
    assertNotEquals(one.out(), other.out());
    assertTrue(one.out().contains("\"ratio4\""), "single input has ratio4");
  }

  @Test
  void tablePrintsEveryQuantityAndCsvHasEveryNumber(@TempDir Path dir) throws Exception {
    Path csv = dir.resolve("out.csv");
    CliRun r = run(with(TANH2, "--csv", csv.toString(), "--sampler", "weights", "--networks", "500"));
    assertEquals(0, r.code(), r.err());
    assertTrue(r.out().contains("sampler weights"), r.out());
    assertTrue(r.out().contains("V 01|11"), r.out());
    assertTrue(r.out().contains("pairRatio 1"), r.out());
    CsvTable t = CsvTable.read(csv);
    assertEquals(TidyCsv.COLUMNS, t.header());
    // per layer: 3 G + 3 Gmetric + 6 V + 6 Vmetric + 2 ratio4 + 2 pairRatio = 22 rows
    assertEquals(3 * 22, t.rows().size());
    assertTrue(t.rows().stream().anyMatch(x -> x.get("layer").equals("3") && x.get("quantity").equals("V")
        && x.get("component").equals("01|11") && x.get("sampler").equals("weights") && x.get("networks").equals("500")),
        t.rows().toString());
    try (var files = Files.list(dir)) {
      assertEquals(1, files.count(), "no temporary file left behind");
    }
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "--networks 0|--networks must be >= 1, got 0",
      "--networks -5|--networks must be >= 1, got -5",
      "--threads 0|--threads must be >= 1, got 0",
      "--sampler fast|unknown sampler 'fast', expected weights or conditional",
      "--networks x|--networks",
      "--csv /nonexistent-dir/out.csv|--csv: cannot write /nonexistent-dir/out.csv: directory /nonexistent-dir does not exist",
  })
  void badInputIsOneLineAndExitTwo(String args, String message) {
    String[] base = {"simulate", "-a", "relu", "--cb", "0", "--cw", "2", "-L", "2", "-n", "4", "--gram", "1",
        "--seed", "1"};
    String[] more = args.contains("--networks") ? args.split(" ") : with(args.split(" "), "--networks", "10");
    CliRun r = run(with(base, more));
    assertEquals(2, r.code(), r.err());
    assertTrue(r.err().contains(message), r.err());
    assertEquals(1, r.err().strip().lines().count(), r.err());
    assertEquals("", r.out());
  }

  @Test
  void missingSeedIsAUsageError() {
    CliRun r = run("simulate", "-a", "relu", "--cb", "0", "--cw", "2", "-L", "2", "-n", "4", "--gram", "1",
        "--networks", "10");
    assertEquals(2, r.code());
    assertTrue(r.err().contains("--seed"), r.err());
  }

  @Test
  void tooManyInputsAreRefused() {
    StringBuilder gram = new StringBuilder();
    for (int a = 0; a < 33; a++) {
      for (int b = 0; b < 33; b++) {
        gram.append(a == b ? "1" : "0").append(b < 32 ? "," : "");
      }
      gram.append(a < 32 ? ";" : "");
    }
    CliRun r = run("simulate", "-a", "relu", "--cb", "0", "--cw", "2", "-L", "1", "-n", "4", "--gram",
        gram.toString(), "--networks", "10", "--seed", "1");
    assertEquals(2, r.code(), r.err());
    assertTrue(r.err().contains("1 to 32 inputs"), r.err());
  }
}
