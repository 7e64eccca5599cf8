package org.finwidth.sim.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.finwidth.sim.Main;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A run killed with SIGKILL at random moments and resumed from its checkpoint gives the bitwise
 * result of an uninterrupted run. Each run is a child JVM ({@link Main}) with
 * checkpoints every 50 ms; a trial kills it once or twice at a moment drawn uniformly from the
 * duration of an uninterrupted run (so the kill lands in JVM start-up, mid-run, mid-checkpoint or
 * after the end), then resumes it to the end, and compares the result file and the JSON with the
 * uninterrupted run's, byte for byte. After every kill the output file is absent or complete.
 * The moments come from a fixed seed, so a failure can be replayed. Since a random moment may fall
 * before the first checkpoint (then the resumed run starts from scratch and resuming is not
 * tested), one more trial waits for the first checkpoint file and kills the run right after it,
 * and the test asserts that at least one kill landed while a checkpoint existed and the run had not
 * finished.
 */
class KillResumeTest {
  private static final int TRIALS = 5;
  private static final List<String> RUN = List.of("simulate", "-a", "tanh", "--cb", "0", "--cw", "1", "-L", "3", "-n",
      "32", "--gram", "1", "-M", "30000", "-s", "5", "--threads", "2", "--json", "--no-progress");

  @TempDir Path dir;

  private record Child(Process process, Path stdout) {}

  private Child start(String name, List<String> extra) throws IOException {
    List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "--add-modules", "jdk.incubator.vector", "-cp", System.getProperty("java.class.path"),
        Main.class.getName()));
    cmd.addAll(RUN);
    cmd.addAll(extra);
    Path stdout = dir.resolve(name + ".json");
    Process p = new ProcessBuilder(cmd).redirectOutput(stdout.toFile())
        .redirectError(ProcessBuilder.Redirect.appendTo(dir.resolve("stderr.txt").toFile())).start();
    return new Child(p, stdout);
  }

  private static int finish(Child c) throws InterruptedException {
    if (!c.process().waitFor(5, TimeUnit.MINUTES)) {
      c.process().destroyForcibly();
      throw new AssertionError("a child run did not finish in 5 minutes");
    }
    return c.process().exitValue();
  }

  @Test
  void killedAtRandomMomentsAndResumedGivesTheBitsOfAnUninterruptedRun() throws Exception {
    long t0 = System.nanoTime();
    Child ref = start("reference", List.of("--out", dir.resolve("reference.fwr").toString()));
    assertEquals(0, finish(ref), () -> read(dir.resolve("stderr.txt")));
    double seconds = (System.nanoTime() - t0) * 1e-9;
    byte[] refFile = Files.readAllBytes(dir.resolve("reference.fwr"));
    byte[] refJson = Files.readAllBytes(ref.stdout());
    Random random = new Random(20_251_129L);
    int afterCheckpoint = 0;
    for (int trial = 0; trial < TRIALS; trial++) {
      Path out = dir.resolve("out" + trial + ".fwr");
      List<String> flags = List.of("--out", out.toString(), "--checkpoint", dir.resolve("ck" + trial).toString(),
          "--checkpoint-every", "0.05", "--resume");
      int kills = 1 + trial % 2;
      StringBuilder moments = new StringBuilder();
      for (int k = 0; k < kills; k++) {
        Child c = start("trial" + trial + "-" + k, flags);
        long ms = (long) (random.nextDouble() * seconds * 1000);
        moments.append(ms).append(" ms ");
        if (!c.process().waitFor(ms, TimeUnit.MILLISECONDS)) {
          boolean checkpointed = Files.exists(dir.resolve("ck" + trial)) && !Files.exists(out);
          c.process().destroyForcibly(); // SIGKILL on Linux
          c.process().waitFor();
          afterCheckpoint += checkpointed ? 1 : 0;
        }
        if (Files.exists(out)) {
          assertArrayEquals(refFile, Files.readAllBytes(out), "trial " + trial + ": an output after a kill is complete");
        }
      }
      Child last = start("trial" + trial + "-final", flags);
      assertEquals(0, finish(last), () -> read(dir.resolve("stderr.txt")));
      assertArrayEquals(refFile, Files.readAllBytes(out), "trial " + trial + " killed at " + moments);
      assertArrayEquals(refJson, Files.readAllBytes(last.stdout()), "trial " + trial + " JSON, killed at " + moments);
      System.out.println("KillResumeTest trial " + trial + ": killed at " + moments + "(uninterrupted run "
          + Math.round(seconds * 1000) + " ms)");
    }
    afterCheckpoint += killRightAfterTheFirstCheckpoint(refFile, refJson);
    assertTrue(afterCheckpoint >= 1, "no kill landed after a checkpoint was written: resuming was not tested");
    System.out.println("KillResumeTest: " + afterCheckpoint + " kill(s) landed after a checkpoint was written");
    try (Stream<Path> files = Files.list(dir)) {
      assertTrue(files.noneMatch(p -> p.getFileName().toString().endsWith(".tmp")), "stale temporary files are removed");
    }
  }

  /**
   * Starts the run with checkpoints, polls for the checkpoint file, kills the run (SIGKILL) as soon
   * as it exists while the run is still going and has written no output, then resumes and compares
   * with the uninterrupted run. Returns 1 (the kill landed after a checkpoint) or fails.
   */
  private int killRightAfterTheFirstCheckpoint(byte[] refFile, byte[] refJson) throws Exception {
    Path out = dir.resolve("out-after-checkpoint.fwr");
    Path ck = dir.resolve("ck-after-checkpoint");
    List<String> flags = List.of("--out", out.toString(), "--checkpoint", ck.toString(), "--checkpoint-every", "0.05",
        "--resume");
    Child c = start("after-checkpoint", flags);
    long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(5);
    while (!Files.exists(ck) && c.process().isAlive() && System.nanoTime() < deadline) {
      Thread.sleep(1);
    }
    boolean alive = c.process().isAlive();
    boolean noOutput = !Files.exists(out);
    c.process().destroyForcibly();
    c.process().waitFor();
    assertTrue(Files.exists(ck) && alive && noOutput, "the run was to be killed after its first checkpoint and before"
        + " its end: checkpoint " + Files.exists(ck) + ", still running " + alive + ", no output yet " + noOutput);
    Child last = start("after-checkpoint-final", flags);
    assertEquals(0, finish(last), () -> read(dir.resolve("stderr.txt")));
    assertArrayEquals(refFile, Files.readAllBytes(out), "killed right after the first checkpoint");
    assertArrayEquals(refJson, Files.readAllBytes(last.stdout()), "JSON, killed right after the first checkpoint");
    return 1;
  }

  private static String read(Path p) {
    try {
      return Files.readString(p);
    } catch (IOException e) {
      return "(no stderr: " + e.getMessage() + ")";
    }
  }
}
