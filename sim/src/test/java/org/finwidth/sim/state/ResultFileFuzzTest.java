package org.finwidth.sim.state;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.finwidth.sim.cli.FinwidthCommand;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * The result-file reader under the seeded mutation fuzzer {@link ResultFileFuzz}, in a child JVM
 * with a 256 MB heap: every mutated file is decoded or refused with one line (exit 1 through
 * {@code merge}), in bounded time and memory. The default suite fuzzes for a few seconds; the
 * {@code slow} suite for two minutes with another seed. A failure prints the case, which
 * {@code ResultFileFuzz SEED replay CASE ...} replays.
 */
class ResultFileFuzzTest {
  @TempDir Path dir;

  /** Valid seed files: a shard of a one-input run, an explicit-inputs two-input run, a checkpoint. */
  private List<String> seedFiles() {
    List<String[]> runs = List.of(
        new String[] {"simulate", "-a", "relu", "--cb", "0", "--cw", "2", "-L", "2", "-n", "4", "--gram", "1", "-M", "3000",
            "-s", "1", "--threads", "1", "--no-progress", "--shard", "2/3", "--out", dir.resolve("a.fwr").toString()},
        new String[] {"simulate", "-a", "tanh", "--cb", "0.1", "--cw", "1.5", "-L", "3", "-n", "6", "--inputs",
            "1,0,2;0.5,1,-1", "-M", "1500", "-s", "2", "--threads", "1", "--no-progress", "--out",
            dir.resolve("b.fwr").toString()},
        new String[] {"simulate", "-a", "swish", "--cb", "0", "--cw", "2", "-L", "1", "-n", "3", "--gram", "2",
            "-M", "2100", "-s", "3", "--threads", "1", "--no-progress", "--range", "1024:2100", "--out",
            dir.resolve("c.fwr").toString()});
    List<String> files = new ArrayList<>();
    for (String[] run : runs) {
      CommandLine cl = FinwidthCommand.commandLine();
      StringWriter err = new StringWriter();
      cl.setOut(new PrintWriter(new StringWriter()));
      cl.setErr(new PrintWriter(err, true));
      assertEquals(0, cl.execute(run), String.join(" ", run) + ": " + err);
      files.add(run[run.length - 1]);
    }
    return files;
  }

  private String fuzz(long seed, double seconds) throws Exception {
    List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-Xmx256m", "--add-modules", "jdk.incubator.vector", "-cp", System.getProperty("java.class.path"),
        ResultFileFuzz.class.getName(), Long.toString(seed), Double.toString(seconds), dir.toString()));
    cmd.addAll(seedFiles());
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    byte[] out = p.getInputStream().readAllBytes();
    assertTrue(p.waitFor((long) seconds + 120, TimeUnit.SECONDS), "the fuzzer did not end");
    String text = new String(out, StandardCharsets.UTF_8);
    assertEquals(0, p.exitValue(), text);
    List<String> lines = text.lines().filter(l -> !l.startsWith("WARNING: Using incubator modules")).toList();
    assertEquals(1, lines.size(), text);
    System.out.println(lines.getFirst());
    return lines.getFirst();
  }

  @Test
  void everyMutantIsDecodedOrRefusedWithOneLineInBoundedMemory() throws Exception {
    String summary = fuzz(20261206L, 6);
    assertTrue(summary.matches("fuzz seed 20261206: \\d+ cases .*, heap max 256 MB"), summary);
  }

  @Test
  @Tag("slow")
  void fuzzesForTwoMinutes() throws Exception {
    fuzz(7L, 120);
  }
}
