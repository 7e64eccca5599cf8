package org.finwidth.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The SLURM path end to end (opt-in, {@code ./run.sh test --slurm}): runs
 * {@code examples/slurm/selftest.sh}, which installs Debian's slurm-wlm and munge if missing,
 * starts a single-node cluster on this machine, submits a 3-shard job array and the dependent
 * merge job through {@code examples/slurm/submit.sh}, and compares the merged result file and
 * JSON with one run of the whole ensemble byte for byte; then submits a campaign of 3 runs × 2
 * shards ({@code finwidth campaign submit}: two job arrays, the cluster's MaxArraySize being 4,
 * and a dependent collect job) and compares its result files and campaign.csv with a local
 * {@code campaign run} byte for byte. The jobs run this build's classes (the test's class path).
 * Needs root; takes a minute or two once the packages are installed.
 */
@Tag("slurm")
class SlurmSelfTest {
  @Test
  void aShardedRunAndACampaignThroughSlurmGiveTheBitsOfLocalRuns() throws Exception {
    Path script = Path.of("..", "examples", "slurm", "selftest.sh").toAbsolutePath().normalize();
    assertTrue(Files.isExecutable(script), script + " missing");
    ProcessBuilder pb = new ProcessBuilder(script.toString()).redirectErrorStream(true);
    pb.environment().put("FINWIDTH_JAVA", Path.of(System.getProperty("java.home"), "bin", "java").toString());
    pb.environment().put("FINWIDTH_CP", System.getProperty("java.class.path"));
    Process p = pb.start();
    String out = new String(p.getInputStream().readAllBytes());
    assertTrue(p.waitFor(20, TimeUnit.MINUTES), "selftest did not finish in 20 minutes");
    System.out.println(out);
    assertEquals(0, p.exitValue(), out);
    assertTrue(out.contains("PASS"), out);
  }
}
