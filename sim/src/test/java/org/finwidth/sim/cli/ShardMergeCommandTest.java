package org.finwidth.sim.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.finwidth.sim.state.ResultFile;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code simulate --shard/--range --out} and {@code merge} (production samplers): 4 shards merged
 * are bitwise one run (JSON and result file); merge refuses gaps, overlaps, other runs and
 * damaged files, naming them.
 */
class ShardMergeCommandTest {
  /** Two inputs, 3 layers, 10 blocks (the last one short), 2 threads. */
  static final String[] RUN = {"simulate", "-a", "tanh", "--cb", "0.2", "--cw", "1.5", "-L", "3", "-n", "8",
      "--gram", "1,0.6;0.6,1.5", "-M", "10000", "-s", "11", "--threads", "2", "--no-progress"};

  @TempDir static Path dir;
  static String wholeJson;

  @BeforeAll
  static void shardsAndOneRun() {
    CliRun whole = CliRun.of(CliRun.with(RUN, "--json", "--out", dir.resolve("whole.fwr").toString()));
    assertEquals(0, whole.code(), whole.err());
    wholeJson = whole.out();
    for (int i = 1; i <= 4; i++) {
      CliRun s = CliRun.of(CliRun.with(RUN, "--shard", i + "/4", "--out", dir.resolve("s" + i + ".fwr").toString()));
      assertEquals(0, s.code(), s.err());
    }
  }

  private static String f(String name) {
    return dir.resolve(name).toString();
  }

  @Test
  void fourShardsMergedAreBitwiseOneRun() throws IOException {
    CliRun m = CliRun.of("merge", f("s3.fwr"), f("s1.fwr"), f("s4.fwr"), f("s2.fwr"), "--json", "--out", f("merged.fwr"));
    assertEquals(0, m.code(), m.err());
    assertEquals(wholeJson, m.out());
    assertArrayEquals(Files.readAllBytes(dir.resolve("whole.fwr")), Files.readAllBytes(dir.resolve("merged.fwr")));
    // and a file's result prints as simulate prints it
    CliRun show = CliRun.of("merge", f("whole.fwr"), "--json");
    assertEquals(wholeJson, show.out());
    CliRun table = CliRun.of("merge", f("merged.fwr"));
    assertEquals(0, table.code(), table.err());
    assertTrue(table.out().contains("merged from 1 file"), table.out());
  }

  @Test
  void rangesAndShardsGiveTheSameFiles() throws IOException {
    // shard 2/4 of 10 blocks is blocks [2, 5) = networks 2048:5120
    CliRun r = CliRun.of(CliRun.with(RUN, "--range", "2048:5120", "--out", f("r2.fwr")));
    assertEquals(0, r.code(), r.err());
    assertArrayEquals(Files.readAllBytes(dir.resolve("s2.fwr")), Files.readAllBytes(dir.resolve("r2.fwr")));
  }

  @Test
  void gapsAndOverlapsAreNamed() {
    CliRun gap = CliRun.of("merge", f("s1.fwr"), f("s2.fwr"), f("s4.fwr"));
    assertEquals(2, gap.code());
    assertEquals("finwidth: the files do not tile the run's networks 0:10000: missing 5120:7168\n", gap.err());
    CliRun overlap = CliRun.of("merge", f("s1.fwr"), f("s2.fwr"), f("s3.fwr"), f("s4.fwr"), f("whole.fwr"));
    assertEquals(2, overlap.code());
    assertTrue(overlap.err().contains("overlapping 0:2048 (" + f("s1.fwr") + " and " + f("whole.fwr") + "), 2048:5120 ("
        + f("whole.fwr") + " and " + f("s2.fwr") + ")"), overlap.err());
    CliRun partial = CliRun.of("merge", f("s1.fwr"), f("s4.fwr"), "--partial", "--json");
    assertEquals(0, partial.code(), partial.err());
    assertTrue(partial.out().contains("\"partialBlocks\" : \"[0,2) [7,10)\""), partial.out());
  }

  @Test
  void otherRunsAreRefused() {
    String[][] others = {{"-s", "12"}, {"--cw", "1.4"}, {"--sampler", "weights"}, {"-M", "10001"}};
    for (String[] other : others) {
      String[] args = CliRun.with(RUN, "--shard", "4/4", "--out", f("other.fwr"));
      int at = Arrays.asList(args).indexOf(other[0]);
      if (at < 0) {
        args = CliRun.with(args, other);
      } else {
        args[at + 1] = other[1];
      }
      CliRun o = CliRun.of(args);
      assertEquals(0, o.code(), o.err());
      CliRun m = CliRun.of("merge", f("s1.fwr"), f("s2.fwr"), f("s3.fwr"), f("other.fwr"));
      assertEquals(2, m.code(), Arrays.toString(other));
      assertTrue(m.err().startsWith("finwidth: " + f("other.fwr") + " and " + f("s1.fwr") + " are not shards of one run: results "),
          m.err());
    }
  }

  @Test
  void damagedFilesAreRefusedByName() throws IOException {
    byte[] good = Files.readAllBytes(dir.resolve("s2.fwr"));
    Files.write(dir.resolve("cut.fwr"), Arrays.copyOf(good, good.length / 2));
    CliRun cut = CliRun.of("merge", f("s1.fwr"), f("cut.fwr"), f("s3.fwr"), f("s4.fwr"));
    assertEquals(1, cut.code());
    assertEquals("finwidth: " + f("cut.fwr") + ": truncated: " + good.length / 2 + " of the " + good.length
        + " bytes the header announces\n", cut.err());
    byte[] flipped = good.clone();
    flipped[good.length / 2] ^= 4;
    Files.write(dir.resolve("flip.fwr"), flipped);
    CliRun flip = CliRun.of("merge", f("s1.fwr"), f("flip.fwr"));
    assertEquals("finwidth: " + f("flip.fwr") + ": corrupted: SHA-256 checksum mismatch\n", flip.err());
    ResultFile s4 = ResultFile.read(dir.resolve("s4.fwr"));
    new ResultFile("0.0.1", s4.range(), s4.result()).write(dir.resolve("old.fwr"));
    CliRun old = CliRun.of("merge", f("s1.fwr"), f("s2.fwr"), f("s3.fwr"), f("old.fwr"));
    assertEquals(2, old.code());
    assertTrue(old.err().contains("was written by finwidth 0.0.1"), old.err());
    assertFalse(Files.exists(dir.resolve("never.fwr")));
  }
}
