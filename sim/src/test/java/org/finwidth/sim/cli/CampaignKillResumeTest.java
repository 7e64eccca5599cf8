package org.finwidth.sim.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.finwidth.sim.Main;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code campaign run} killed with SIGKILL at random moments and run again gives the bytes of an
 * uninterrupted campaign in every run's result file and in campaign.csv (the manifest's and the
 * report's timings may differ). Each invocation is a child JVM ({@link Main}) with checkpoints
 * every 50 ms; a trial kills it once or twice at moments drawn uniformly from the duration of an
 * uninterrupted campaign (JVM start-up, a run, a checkpoint, between runs, the collection), then
 * runs it to the end. After every kill each result file and campaign.csv is absent or complete
 * (the reference's bytes). The moments come from a fixed seed, so a failure can be replayed.
 */
class CampaignKillResumeTest {
  private static final int TRIALS = 3;
  /** Three runs of explicit initialisations (no criticality solve: the time goes into the runs). */
  private static final String PLAN = """
      name = "kill"
      seed = 99
      [axes]
      activation = ["tanh", "relu"]
      init = {cb = 0.1, cw = 1.5}
      width = [16, 32]
      depth = 4
      gram = 1.0
      networks = 6144
      [[exclude]]
      activation = "relu"
      width = 32
      """;

  @TempDir Path dir;

  private Process start(Path campaign, String name) throws IOException {
    List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "--add-modules", "jdk.incubator.vector", "-cp", System.getProperty("java.class.path"), Main.class.getName(),
        "campaign", "run", dir.resolve("plan.toml").toString(), "--dir", campaign.toString(), "--threads", "2",
        "--checkpoint-every", "0.05", "--no-progress"));
    return new ProcessBuilder(cmd).redirectOutput(dir.resolve(name + ".out").toFile())
        .redirectError(ProcessBuilder.Redirect.appendTo(dir.resolve("stderr.txt").toFile())).start();
  }

  private int finish(Process p) throws InterruptedException {
    if (!p.waitFor(5, TimeUnit.MINUTES)) {
      p.destroyForcibly();
      throw new AssertionError("a campaign did not finish in 5 minutes");
    }
    return p.exitValue();
  }

  /** The result files and campaign.csv of a campaign directory, by name. */
  private static Map<String, byte[]> results(Path campaign) throws IOException {
    Map<String, byte[]> m = new TreeMap<>();
    if (Files.isDirectory(campaign.resolve("runs"))) {
      try (Stream<Path> s = Files.list(campaign.resolve("runs"))) {
        for (Path p : s.filter(p -> p.toString().endsWith(".fwr")).toList()) {
          m.put(p.getFileName().toString(), Files.readAllBytes(p));
        }
      }
    }
    if (Files.exists(campaign.resolve("campaign.csv"))) {
      m.put("campaign.csv", Files.readAllBytes(campaign.resolve("campaign.csv")));
    }
    return m;
  }

  @Test
  void killedAtRandomMomentsAndRunAgainGivesTheBytesOfAnUninterruptedCampaign() throws Exception {
    Files.writeString(dir.resolve("plan.toml"), PLAN);
    long t0 = System.nanoTime();
    Path reference = dir.resolve("reference");
    assertEquals(0, finish(start(reference, "reference")), () -> read(dir.resolve("stderr.txt")));
    double seconds = (System.nanoTime() - t0) * 1e-9;
    Map<String, byte[]> ref = results(reference);
    assertEquals(4, ref.size(), "three runs and the CSV: " + ref.keySet());
    Random random = new Random(20_251_206L);
    for (int trial = 0; trial < TRIALS; trial++) {
      Path campaign = dir.resolve("trial" + trial);
      int kills = 1 + trial % 2;
      StringBuilder moments = new StringBuilder();
      for (int k = 0; k < kills; k++) {
        Process p = start(campaign, "trial" + trial + "-" + k);
        long ms = (long) (random.nextDouble() * seconds * 1000);
        moments.append(ms).append(" ms ");
        if (!p.waitFor(ms, TimeUnit.MILLISECONDS)) {
          p.destroyForcibly(); // SIGKILL on Linux
          p.waitFor();
        }
        for (Map.Entry<String, byte[]> e : results(campaign).entrySet()) {
          assertArrayEquals(ref.get(e.getKey()), e.getValue(), "trial " + trial + ": " + e.getKey()
              + " after a kill at " + moments + "is complete");
        }
      }
      assertEquals(0, finish(start(campaign, "trial" + trial + "-final")), () -> read(dir.resolve("stderr.txt")));
      Map<String, byte[]> got = results(campaign);
      assertEquals(ref.keySet(), got.keySet());
      for (String f : ref.keySet()) {
        assertArrayEquals(ref.get(f), got.get(f), "trial " + trial + ": " + f + ", killed at " + moments);
      }
      try (Stream<Path> s = Files.walk(campaign)) {
        assertTrue(s.noneMatch(p -> p.toString().endsWith(".ckpt") || p.toString().endsWith(".tmp")),
            "no checkpoint or temporary file is left");
      }
      System.out.println("CampaignKillResumeTest trial " + trial + ": killed at " + moments + "(uninterrupted campaign "
          + Math.round(seconds * 1000) + " ms)");
    }
  }

  private static String read(Path p) {
    try {
      return Files.readString(p);
    } catch (IOException e) {
      return "(no stderr: " + e.getMessage() + ")";
    }
  }
}
