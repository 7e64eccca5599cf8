package org.finwidth.sim.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.finwidth.activation.Activation;
import org.finwidth.network.NetworkSpec;
import org.finwidth.network.SamplerKind;
import org.finwidth.stats.ObservableLayout;
import org.junit.jupiter.api.Test;

/** The memory estimate of the statistics, and docs/cli.md's table of it, derived here. */
class RunEstimateTest {
  /** The rows of docs/cli.md's memory table: d, depth. */
  private static final int[][] ROWS = {{4, 10}, {8, 10}, {16, 20}, {32, 10}};

  static String row(int d, int depth) {
    ObservableLayout metric = ObservableLayout.of(d, false);
    ObservableLayout both = ObservableLayout.of(d, true);
    return "| " + d + " | " + depth + " | " + RunEstimate.approx(RunEstimate.statisticsBytes(metric, depth, 0)) + " | "
        + RunEstimate.approx(RunEstimate.statisticsBytes(both, depth, 0)) + " | "
        + RunEstimate.approx(perThread(metric, depth)).replace(" MB", "") + " / "
        + RunEstimate.approx(perThread(both, depth)) + " |";
  }

  private static double perThread(ObservableLayout layout, int depth) {
    return RunEstimate.statisticsBytes(layout, depth, 1) - RunEstimate.statisticsBytes(layout, depth, 0);
  }

  @Test
  void theDocumentedMemoryTableIsTheEstimate() throws IOException {
    String cli = Files.readString(Path.of("..").resolve("docs/cli.md"));
    for (int[] r : ROWS) {
      String row = row(r[0], r[1]);
      assertTrue(cli.contains(row), "docs/cli.md lacks the row " + row);
    }
  }

  /**
   * The estimate counts the sums the layout keeps: 4R + P (metric) and 9R + 4P + 4d per layer, at
   * 3 copies of 100 bytes; d = 16 at depth 20 fits a 2 GB heap with either statistics and two
   * threads, d = 32 at depth 20 with the distinct-neuron statistics does not and is refused.
   */
  @Test
  void sixteenInputsAtDepthTwentyFitTwoGigabytes() {
    ObservableLayout metric = ObservableLayout.of(16, false);
    assertEquals(4 * 9316 + 136, metric.sumCount());
    assertEquals(9 * 9316 + 4 * 136 + 4 * 16, ObservableLayout.of(16, true).sumCount());
    assertEquals(3.0 * 20 * metric.sumCount() * 100, RunEstimate.statisticsBytes(metric, 20, 0));
    double[][] gram = new double[16][16];
    for (int a = 0; a < 16; a++) {
      gram[a][a] = 1;
    }
    NetworkSpec spec = NetworkSpec.ofGram(Activation.parse("relu"), 0, 2, 16, NetworkSpec.equalWidths(20, 256), gram);
    for (boolean neurons : new boolean[] {false, true}) {
      assertTrue(RunEstimate.bytes(spec, ObservableLayout.of(16, neurons), 2) < 1e9, "d = 16, L = 20");
      RunEstimate.check(spec, SamplerKind.CONDITIONAL, ObservableLayout.of(16, neurons), 1000, 2, false, 2L << 30);
    }
    double[][] gram32 = new double[32][32];
    for (int a = 0; a < 32; a++) {
      gram32[a][a] = 1;
    }
    NetworkSpec big = NetworkSpec.ofGram(Activation.parse("relu"), 0, 2, 32, NetworkSpec.equalWidths(20, 64), gram32);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> RunEstimate.check(big,
        SamplerKind.CONDITIONAL, ObservableLayout.of(32, true), 1000, 2, false, 2L << 30));
    assertTrue(e.getMessage().contains("for the statistics of 32 inputs over 20 layers"), e.getMessage());
    assertTrue(e.getMessage().contains("--no-distinct-neurons"), e.getMessage());
  }
}
