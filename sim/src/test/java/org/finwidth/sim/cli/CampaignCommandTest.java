package org.finwidth.sim.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.finwidth.sim.campaign.CampaignDir;
import org.finwidth.sim.campaign.CampaignRun;
import org.finwidth.sim.campaign.Plan;
import org.finwidth.sim.campaign.RunsFile;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code campaign run} of examples/campaigns/quick.toml end to end (in process, production
 * samplers, 2 threads): every file is written; each run's result file is bitwise that of the
 * single {@code simulate} command of its arguments (1 thread); a second invocation computes
 * nothing and changes nothing; adding a run to the plan computes only that run and leaves every
 * other run's file as it was (bytes and modification time); collect is a pure function of the
 * result files; a directory finwidth does not own is refused.
 */
class CampaignCommandTest {
  static final Path QUICK = Path.of("..", "examples", "campaigns", "quick.toml").toAbsolutePath().normalize();

  @TempDir static Path tmp;
  static Path dir;
  static CliRun first;

  @BeforeAll
  static void runQuick() {
    dir = tmp.resolve("quick");
    long t0 = System.nanoTime();
    first = CliRun.of("campaign", "run", QUICK.toString(), "--dir", dir.toString(), "--threads", "2", "--no-progress");
    System.out.printf("CampaignCommandTest: quick.toml in %.1f s (2 threads, in process)%n",
        (System.nanoTime() - t0) * 1e-9);
    assertEquals(0, first.code(), first.err());
  }

  private static Plan plan() throws IOException {
    return RunsFile.read(CampaignDir.existing(dir));
  }

  @Test
  void theQuickCampaignWritesEveryFile() throws IOException {
    Plan p = plan();
    assertEquals(9, p.runs().size(), "2 activations x 2 widths x 2 depths and one explicit run");
    assertTrue(first.out().startsWith("campaign quick: 9 runs (9 computed now, 0 finished earlier); "), first.out());
    for (String f : List.of(CampaignDir.MARKER, "plan.toml", "runs.json", "campaign.csv", "manifest.json",
        "report.html")) {
      assertTrue(Files.isRegularFile(dir.resolve(f)), f);
    }
    assertEquals(Files.readString(QUICK), Files.readString(dir.resolve("plan.toml")));
    try (Stream<Path> all = Files.walk(dir)) {
      List<String> left = all.map(x -> x.getFileName().toString()).filter(x -> x.endsWith(".ckpt") || x.endsWith(".tmp"))
          .toList();
      assertEquals(List.of(), left, "no checkpoint or temporary file is left");
    }
    List<String> csv = Files.readAllLines(dir.resolve("campaign.csv"), StandardCharsets.UTF_8);
    assertEquals("run," + String.join(",", TidyCsv.COLUMNS), csv.getFirst());
    // one input: per layer G, Gmetric, V, Vmetric, ratio4, pairRatio
    long layers = p.runs().stream().mapToLong(CampaignRun::depth).sum();
    assertEquals(1 + 6 * layers, csv.size());
    for (String line : csv.subList(1, csv.size())) {
      assertEquals(TidyCsv.COLUMNS.size() + 1, line.split(",", -1).length, line);
    }
    JsonNode m = new ObjectMapper().readTree(dir.resolve("manifest.json").toFile());
    assertEquals("quick", m.get("campaign").asText());
    assertEquals(9, m.get("runs").size());
    for (JsonNode r : m.get("runs")) {
      assertEquals("done", r.get("status").asText());
      assertTrue(r.get("seconds").asDouble() >= 0, r.toString());
      assertFalse(r.get("machines").isEmpty(), r.toString());
    }
    String html = Files.readString(dir.resolve("report.html"));
    int figures = 0;
    for (JsonNode f : m.get("files")) {
      String name = f.asText();
      assertTrue(Files.isRegularFile(dir.resolve(name)), name);
      if (name.endsWith(".png")) {
        figures++;
        byte[] png = Files.readAllBytes(dir.resolve(name));
        assertEquals((byte) 0x89, png[0]);
        assertEquals('P', png[1]);
        assertTrue(Files.isRegularFile(dir.resolve(name.replace(".png", ".svg"))), name);
        assertTrue(html.contains("<figure id=\"" + name.replace(".png", "") + "\">"), name);
      }
    }
    assertEquals(3, figures, "one figure per activation and initialisation: tanh, relu, swish");
    CliRun status = CliRun.of("campaign", "status", dir.toString());
    assertEquals(0, status.code(), status.err());
    assertTrue(status.out().startsWith("campaign quick (" + dir + "): 9 runs: 9 done\n"), status.out());
  }

  @Test
  void everyRunIsBitwiseTheSimulateCommandOfItsArguments() throws IOException {
    for (CampaignRun r : plan().runs()) {
      Path single = tmp.resolve("single-" + r.key() + ".fwr");
      List<String> args = new ArrayList<>(r.simulateArgs());
      args.addAll(List.of("--out", single.toString(), "--threads", "1", "--no-progress"));
      CliRun s = CliRun.of(args.toArray(String[]::new));
      assertEquals(0, s.code(), s.err());
      assertArrayEquals(Files.readAllBytes(single), Files.readAllBytes(dir.resolve("runs").resolve(r.key() + ".fwr")),
          r.key() + ": " + String.join(" ", r.simulateArgs()));
    }
  }

  @Test
  void aSecondInvocationAndAnAddedRunLeaveEveryFinishedRunAsItWas() throws IOException {
    Path copy = tmp.resolve("copy");
    copyTree(dir, copy);
    Map<String, String> before = runFiles(copy);
    CliRun again = CliRun.of("campaign", "run", QUICK.toString(), "--dir", copy.toString(), "--threads", "2",
        "--no-progress");
    assertEquals(0, again.code(), again.err());
    assertTrue(again.out().contains("(0 computed now, 9 finished earlier)"), again.out());
    assertEquals(before, runFiles(copy));
    assertArrayEquals(Files.readAllBytes(dir.resolve("campaign.csv")), Files.readAllBytes(copy.resolve("campaign.csv")));
    Path bigger = tmp.resolve("bigger.toml");
    Files.writeString(bigger, Files.readString(QUICK) + """

        [[run]]
        activation = "sin"
        init = "critical"
        width = 16
        depth = 4
        gram = 0.5
        networks = 2048
        """);
    CliRun added = CliRun.of("campaign", "run", bigger.toString(), "--dir", copy.toString(), "--threads", "2",
        "--no-progress");
    assertEquals(0, added.code(), added.err());
    assertTrue(added.out().contains("campaign quick: 10 runs (1 computed now, 9 finished earlier)"), added.out());
    Map<String, String> after = runFiles(copy);
    for (Map.Entry<String, String> e : before.entrySet()) {
      assertEquals(e.getValue(), after.get(e.getKey()), e.getKey() + " unchanged (bytes and modification time)");
    }
    assertEquals(before.size() + 2, after.size(), "the new run's .fwr and .json");
    // the old runs' rows are the same lines of the larger table
    List<String> oldCsv = Files.readAllLines(dir.resolve("campaign.csv"));
    List<String> newCsv = Files.readAllLines(copy.resolve("campaign.csv"));
    assertEquals(oldCsv, newCsv.subList(0, oldCsv.size()));
    assertTrue(newCsv.get(oldCsv.size()).startsWith("sin-L4-n16-"), newCsv.get(oldCsv.size()));
  }

  @Test
  void collectIsAPureFunctionOfTheResultFiles() throws IOException {
    Path copy = tmp.resolve("recollect");
    copyTree(dir, copy);
    Files.delete(copy.resolve("campaign.csv"));
    CliRun c = CliRun.of("campaign", "collect", copy.toString());
    assertEquals(0, c.code(), c.err());
    assertTrue(c.out().startsWith("campaign quick: 9 of 9 runs collected; "), c.out());
    assertArrayEquals(Files.readAllBytes(dir.resolve("campaign.csv")), Files.readAllBytes(copy.resolve("campaign.csv")));
    // a run not finished is left out and named
    CampaignRun r = plan().runs().get(4);
    Files.delete(copy.resolve("runs").resolve(r.key() + ".fwr"));
    c = CliRun.of("campaign", "collect", copy.toString());
    assertEquals(0, c.code(), c.err());
    assertTrue(c.out().contains("8 of 9 runs collected") && c.out().contains("not finished: " + r.key()), c.out());
    CliRun s = CliRun.of("campaign", "status", copy.toString());
    assertTrue(s.out().contains("8 done, 1 not started") && s.out().contains("not started  " + r.key()), s.out());
  }

  @Test
  void aDirectoryItDoesNotOwnIsRefusedAndLeftAsItWas() throws IOException {
    Path user = tmp.resolve("user");
    Files.createDirectories(user);
    Files.writeString(user.resolve("thesis.tex"), "\\documentclass{article}\n");
    CliRun r = CliRun.of("campaign", "run", QUICK.toString(), "--dir", user.toString(), "--no-progress");
    assertEquals(2, r.code());
    assertEquals("finwidth: --dir " + user + ": exists and is not a campaign directory (no .finwidth-campaign in it);"
        + " give a new or empty directory\n", r.err());
    try (Stream<Path> s = Files.list(user)) {
      assertEquals(List.of(user.resolve("thesis.tex")), s.toList());
    }
    assertEquals("\\documentclass{article}\n", Files.readString(user.resolve("thesis.tex")));
  }

  /** Every file under runs/ with its SHA-256 and modification time. */
  private static Map<String, String> runFiles(Path campaign) throws IOException {
    Map<String, String> m = new TreeMap<>();
    try (Stream<Path> s = Files.list(campaign.resolve("runs"))) {
      for (Path p : s.toList()) {
        FileTime t = Files.getLastModifiedTime(p);
        m.put(p.getFileName().toString(), java.util.HexFormat.of().formatHex(sha256(Files.readAllBytes(p))) + " " + t);
      }
    }
    return m;
  }

  private static byte[] sha256(byte[] b) {
    try {
      return java.security.MessageDigest.getInstance("SHA-256").digest(b);
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new AssertionError(e);
    }
  }

  static void copyTree(Path from, Path to) throws IOException {
    try (Stream<Path> s = Files.walk(from)) {
      for (Path p : s.toList()) {
        Path q = to.resolve(from.relativize(p).toString());
        if (Files.isDirectory(p)) {
          Files.createDirectories(q);
        } else {
          Files.copy(p, q, StandardCopyOption.COPY_ATTRIBUTES);
        }
      }
    }
  }
}
