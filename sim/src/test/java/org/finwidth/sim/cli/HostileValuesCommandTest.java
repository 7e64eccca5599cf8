package org.finwidth.sim.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.finwidth.ensemble.EnsembleResult;
import org.finwidth.sim.state.ResultFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Values that are legal but unusual, through the command line (the refusals are rows of the
 * bad-input table): −0.0 is the same network as 0 (its runs give the same bytes, its shards merge
 * with those of 0), a thread count far beyond the blocks of a run is not counted in the memory
 * check, and a result file records the kernels that computed it.
 */
class HostileValuesCommandTest {
  @TempDir Path dir;

  private static final String[] RUN = {"simulate", "-a", "relu", "--cw", "2", "-L", "2", "-n", "4", "-s", "1",
      "-M", "3000", "--threads", "1", "--no-progress"};

  private void run(String... more) {
    CliRun r = CliRun.of(CliRun.with(RUN, more));
    assertEquals(0, r.code(), String.join(" ", more) + ": " + r.err());
  }

  @Test
  void minusZeroIsZero() throws Exception {
    run("--cb", "0", "--gram", "1,0;0,1", "--out", dir.resolve("zero.fwr").toString());
    run("--cb", "-0.0", "--gram", "1,-0;-0,1", "--out", dir.resolve("minus.fwr").toString());
    assertArrayEquals(Files.readAllBytes(dir.resolve("zero.fwr")), Files.readAllBytes(dir.resolve("minus.fwr")),
        "--cb -0.0 and a Gram matrix with -0 are the run of 0");
    run("--cb", "-0.0", "--gram", "1,-0;-0,1", "--shard", "1/3", "--out", dir.resolve("s1.fwr").toString());
    run("--cb", "0", "--gram", "1,0;0,1", "--shard", "2/3", "--out", dir.resolve("s2.fwr").toString());
    run("--cb", "0", "--gram", "1,0;0,1", "--shard", "3/3", "--out", dir.resolve("s3.fwr").toString());
    CliRun m = CliRun.of("merge", dir.resolve("s1.fwr").toString(), dir.resolve("s2.fwr").toString(),
        dir.resolve("s3.fwr").toString(), "--out", dir.resolve("m.fwr").toString());
    assertEquals(0, m.code(), m.err());
    assertArrayEquals(Files.readAllBytes(dir.resolve("zero.fwr")), Files.readAllBytes(dir.resolve("m.fwr")),
        "shards of -0.0 and of 0 merge into the run of 0");
  }

  @Test
  void threadsBeyondTheBlocksAreNotCountedAndTheKernelsAreRecorded() throws Exception {
    // 2 networks are one block: one thread runs, whatever --threads says (the memory check used to
    // count 100000 threads' layers and refuse with "4.8 TB")
    CliRun r = CliRun.of("simulate", "-a", "relu", "--cb", "0", "--cw", "2", "-L", "2", "-n", "4", "--gram", "1",
        "-s", "1", "-M", "2", "--threads", "100000", "--no-progress", "--out", dir.resolve("two.fwr").toString());
    assertEquals(0, r.code(), r.err());
    assertTrue(r.out().contains("1 thread,"), "the table says how many threads ran, not how many were asked:\n"
        + r.out());
    assertFalse(r.out().contains("100000 thread"), r.out());
    assertEquals(EnsembleResult.thisJvmsKernels(), ResultFile.read(dir.resolve("two.fwr")).result().kernels());
  }
}
