package org.finwidth.bench.suite;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** One baseline per machine class: the guard picks the class's own, and says plainly when there is none. */
class MachineClassTest {

  @TempDir Path dir;

  @Test
  void namesFromLanesAndModel() {
    assertEquals("avx2-epyc", MachineClass.of(Map.of("cpu", "AMD EPYC", "floatLanes", "8")).name());
    assertEquals("avx512-epyc", MachineClass.of(Map.of("cpu", "AMD EPYC", "floatLanes", "16")).name());
    assertEquals("avx512-xeon-platinum-8375c", MachineClass.of(
        Map.of("cpu", "Intel(R) Xeon(R) Platinum 8375C CPU @ 2.90GHz", "floatLanes", "16")).name());
    assertEquals("avx2-epyc-7b13-64-core", MachineClass.of(
        Map.of("cpu", "AMD EPYC 7B13 64-Core Processor", "floatLanes", "8")).name());
    assertEquals("sse-unknown", MachineClass.of(Map.of("floatLanes", "4")).name());
    assertEquals("lanesunknown-unknown", MachineClass.of(Map.of()).name());
    assertEquals(dir.resolve("baseline-avx2-epyc.json"), new MachineClass("avx2-epyc").baseline(dir));
  }

  /** The committed baselines are named by the class of the machine they were measured on. */
  @Test
  void committedBaselinesAreNamedByTheirClass() throws Exception {
    Path results = Path.of(System.getProperty("user.dir")).resolve("results");
    List<String> names = MachineClass.baselines(results);
    assertFalse(names.isEmpty(), "no baseline in " + results);
    for (String name : names) {
      SuiteRun run = SuiteRun.read(results.resolve(name));
      assertEquals("baseline-" + MachineClass.of(run.machine()).name() + ".json", name);
      assertEquals("quick", run.suite(), name);
    }
  }

  private static SuiteRun run(String cpu, int lanes) {
    MachineLimits lim = new MachineLimits(lanes, 100, 15);
    SuiteItem fma = Suites.baselines().get(0);
    List<Row> rows = List.of(Row.of(fma, 1, 5, 0.01, 5, 5, 0, lim));
    return new SuiteRun("quick", "2026-12-06T00:00:00Z", Map.of("cpu", cpu, "floatLanes", "" + lanes,
        "processors", "2"), new double[] {0.5, 0.5, 0.5}, new double[] {0.5, 0.5, 0.5}, lim, rows);
  }

  private int guard(String... args) throws Exception {
    PrintStream saved = System.out;
    ByteArrayOutputStream buf = new ByteArrayOutputStream();
    System.setOut(new PrintStream(buf, true, StandardCharsets.UTF_8));
    try {
      return BenchSuite.run(args);
    } finally {
      System.setOut(saved);
      last = buf.toString(StandardCharsets.UTF_8);
    }
  }

  private String last = "";

  @Test
  void guardUsesTheBaselineOfItsClassAndExits4WithoutOne() throws Exception {
    Path latest = dir.resolve("latest.json");
    run("AMD EPYC", 16).write(latest);
    run("AMD EPYC", 8).write(dir.resolve("baseline-avx2-epyc.json"));
    assertEquals(4, guard("guard", dir.toString(), latest.toString()));
    assertTrue(last.contains("NO BASELINE for this machine class, avx512-epyc"), last);
    assertTrue(last.contains("baseline-avx2-epyc.json"), last);

    assertEquals(0, guard("record", dir.toString(), latest.toString()));
    assertTrue(Files.isRegularFile(dir.resolve("baseline-avx512-epyc.json")));
    assertEquals(0, guard("guard", dir.toString(), latest.toString()));
    assertTrue(last.contains("machine class avx512-epyc: baseline " + dir.resolve("baseline-avx512-epyc.json")), last);
    assertTrue(last.contains("no regression"), last);

    // an explicit comparison across classes is refused the same way
    assertEquals(4, guard("compare", dir.resolve("baseline-avx2-epyc.json").toString(), latest.toString()));
    assertTrue(last.contains("not comparable"), last);
  }
}
