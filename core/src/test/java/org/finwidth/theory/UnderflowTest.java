package org.finwidth.theory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.time.Duration;
import org.finwidth.activation.Activation;
import org.finwidth.network.NetworkSpec;
import org.junit.jupiter.api.Test;

/**
 * Kernels so small that V, of order K², leaves the normal double range: the prediction stops
 * there instead of printing 0 or a subnormal's few digits, and the exact law says why it is
 * missing instead of spending minutes on a lattice of log Ĝ that never ends. Above the edge,
 * ReLU's scale invariance is the outside anchor: V/K² does not depend on the input's scale.
 */
class UnderflowTest {
  private static NetworkSpec relu(double cw, double gram, int depth) {
    return NetworkSpec.ofGram(Activation.parse("relu"), 0, cw, 1, NetworkSpec.equalWidths(depth, 10),
        new double[][] {{gram}});
  }

  @Test
  void aVertexBelowTheNormalRangeIsUndefinedWhileKGoesOnAndAKernelThatUnderflowsStops() {
    // K^(2) = 1e-100 · 1e-100 / 2 = 5e-201 is a double, V^(2) ~ K² = 2.5e-401 is not (it read 0);
    // K^(3) = 2.5e-301 still is; K^(4) = 1.25e-401 is not: the prediction stops there
    Prediction p = Prediction.of(relu(1e-100, 1, 4));
    assertEquals(3, p.layers().size());
    assertEquals(4, p.breakdown().orElseThrow().layer());
    assertTrue(p.breakdown().get().reason().contains("underflows"), p.breakdown().get().reason());
    assertEquals(0, p.layer(1).vertex().get(0, 0, 0, 0), 0); // V^(1) = 0 exactly
    for (int l = 2; l <= 3; l++) {
      assertTrue(Double.isNaN(p.layer(l).vertex().get(0, 0, 0, 0)), "V at layer " + l);
      assertEquals(0, p.layer(l).nloKernel(0, 0), 0, "ReLU's K1 = 0 needs no V");
    }
    // K: two or three roundings of products of powers of ten, so 1e-15 relative
    assertEquals(5e-201, p.layer(2).kernel(0, 0), 1e-15 * 5e-201);
    assertEquals(5e-201, p.layer(2).exactTwoPoint(), 1e-15 * 5e-201); // the 80-digit oracle
    assertTrue(Double.isNaN(p.layer(2).exactVertex()), "the exact V ~ 1e-401 read 0");
    assertEquals(2.5e-301, p.layer(3).kernel(0, 0), 1e-15 * 2.5e-301);
    // gram 1e-160 at C_W = 2: K = 2e-160 at every layer, V ~ 1e-319 undefined from layer 2 on
    Prediction q = Prediction.of(relu(2, 1e-160, 3));
    assertTrue(q.isComplete());
    assertTrue(Double.isNaN(q.layer(3).vertex().get(0, 0, 0, 0)));
    // two inputs at that scale: every V component undefined, K exact
    Prediction two = Prediction.of(NetworkSpec.ofGram(Activation.parse("relu"), 0, 2, 2, NetworkSpec.equalWidths(3, 10),
        new double[][] {{1e-160, 0.5e-160}, {0.5e-160, 1e-160}}));
    assertTrue(Double.isNaN(two.layer(2).vertex().get(0, 1, 0, 1)));
    assertEquals(2e-160, two.layer(2).kernel(0, 0), 1e-12 * 2e-160);
    // a subnormal K^(1) is refused at layer 1
    assertEquals(0, Prediction.of(relu(2, 1e-320, 3)).layers().size());
  }

  @Test
  void justAboveTheEdgeReluIsScaleInvariant() {
    // K = 2e-150 (K² = 4e-300, normal): every layer, with V/K² equal to that at gram 1 to 1e-12
    // relative (the recursion is homogeneous; only rounding differs)
    Prediction small = Prediction.of(relu(2, 1e-150, 5));
    Prediction unit = Prediction.of(relu(2, 1, 5));
    assertTrue(small.isComplete(), () -> small.breakdown().toString());
    for (int l = 2; l <= 5; l++) {
      double a = small.layer(l).vertex().get(0, 0, 0, 0) / Math.pow(small.layer(l).kernel(0, 0), 2);
      double b = unit.layer(l).vertex().get(0, 0, 0, 0) / Math.pow(unit.layer(l).kernel(0, 0), 2);
      assertEquals(b, a, 1e-12 * b, "layer " + l);
    }
  }

  @Test
  void theExactLawSaysItUnderflowsInsteadOfRunningForever() {
    Prediction p = org.junit.jupiter.api.Assertions.assertTimeoutPreemptively(Duration.ofSeconds(60),
        () -> Prediction.of(relu(1e-155, 1e-10, 3), true)); // minutes before, on a 1e-165 kernel
    assertTrue(p.exactLawNote().orElseThrow().contains("underflows"), p.exactLawNote().toString());
  }

  @Test
  void exactMomentsBelowTheNormalRangeAreNotANumber() {
    assertTrue(Double.isNaN(ExactMoments.toDouble(new BigDecimal("1e-400"))));
    assertTrue(Double.isNaN(ExactMoments.toDouble(new BigDecimal("-3e-320")))); // subnormal
    assertEquals(1e-300, ExactMoments.toDouble(new BigDecimal("1e-300")), 0);
    assertEquals(0, ExactMoments.toDouble(BigDecimal.ZERO), 0);
    assertEquals(Double.POSITIVE_INFINITY, ExactMoments.toDouble(new BigDecimal("1e400")), 0);
  }
}
