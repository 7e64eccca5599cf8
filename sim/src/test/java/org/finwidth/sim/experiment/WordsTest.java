package org.finwidth.sim.experiment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The statements reports make about numbers follow the numbers: each kind of flow gets its words. */
class WordsTest {
  private static double[] flow(int m, java.util.function.IntToDoubleFunction k) {
    double[] a = new double[m];
    for (int l = 1; l <= m; l++) {
      a[l - 1] = k.applyAsDouble(l);
    }
    return a;
  }

  @Test
  void kernelFlowsAreDescribedByWhatTheyDo() {
    assertEquals("stays at 2 at every layer", Words.kernelFlow(flow(10, l -> 2)));
    String falling = Words.kernelFlow(flow(100, l -> 1.0 / (2 * l)));
    assertTrue(falling.startsWith("falls from 0.5 to 0.005 at ℓ = 100"), falling);
    assertTrue(falling.contains("like ℓ^-1"), falling); // the local power of 1/(2ℓ)
    String rising = Words.kernelFlow(flow(20, l -> Math.pow(1.5, l)));
    assertTrue(rising.startsWith("rises from 1.5 to"), rising);
    String settling = Words.kernelFlow(flow(60, l -> 1 + Math.exp(-l)));
    assertTrue(settling.contains("settled from ℓ = 15 on"), settling); // e^-14 < 1e-6 ≤ e^-13 relative steps
    String exploding = Words.kernelFlow(flow(8, l -> Math.exp(Math.pow(2, l))));
    assertTrue(exploding.contains("multiplied by"), exploding);
    assertTrue(Words.kernelFlow(new double[] {1, 2, 1.5}).contains("not monotonically"));
  }

  @Test
  void vertexGrowthIsLinearOrSaturating() {
    assertEquals("grows by 5 per layer", Words.vertexGrowth(flow(32, l -> 5.0 * (l - 1))));
    assertTrue(Words.vertexGrowth(flow(32, l -> 2 - Math.exp(-l))).startsWith("saturates near 2"));
  }

  @Test
  void whereBeyondCountsThePointsBeyondThreeStandardErrors() {
    List<Row> rows = new ArrayList<>();
    for (int l = 1; l <= 10; l++) {
      double value = l > 8 ? 1.5 : 1.0; // layers 9 and 10 lie 5 SE off
      rows.add(new Row("relu", Setup.none("i"), 10, l, "G", value, 0.1, 1.0, 100, 1));
    }
    assertEquals("The 2 point(s) beyond 3 SE have a median depth-to-width ratio ℓ/n of 0.95 (all 10 points: 0.55).",
        Words.whereBeyond(rows, "G"));
    assertEquals("", Words.whereBeyond(rows.subList(0, 8), "G"));
  }
}
