package org.finwidth.theory;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.SplittableRandom;
import org.finwidth.activation.Activation;
import org.finwidth.network.NetworkSpec;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * ReLU, five random inputs, depth 10: every V and K1 component with the three- and four-dimensional
 * averages at {@link Prediction#PRODUCT_TOLERANCE} against the same recursion at 1e-11, relative
 * to the component's Cauchy–Schwarz scale (docs/theory.md §5.5). Goal for kinked σ: 1e-6. Opt-in
 * ({@code @Tag("slow")}): the reference run takes many minutes of CPU.
 */
@Tag("slow")
class KinkedProductToleranceSlowTest {
  @Test
  void reluVertexAtTheProductToleranceAgreesWithATightRun() {
    SplittableRandom r = new SplittableRandom(20_251_206L);
    int d = 5;
    double[][] x = new double[d][8];
    for (double[] row : x) {
      for (int i = 0; i < row.length; i++) {
        row[i] = r.nextGaussian();
      }
    }
    NetworkSpec spec = NetworkSpec.ofInputs(Activation.parse("relu"), 0, 2, NetworkSpec.equalWidths(10, 64), x);
    ThreadMXBean t = ManagementFactory.getThreadMXBean();
    long c0 = t.getCurrentThreadCpuTime();
    Prediction fast = Prediction.of(spec);
    long c1 = t.getCurrentThreadCpuTime();
    Prediction tight = Prediction.of(spec, 1e-11);
    long c2 = t.getCurrentThreadCpuTime();
    assertTrue(fast.isComplete() && tight.isComplete());
    double worstV = 0;
    double worstK1 = 0;
    for (int l = 1; l <= 10; l++) {
      LayerPrediction p = fast.layer(l);
      LayerPrediction q = tight.layer(l);
      for (int a = 0; a < d; a++) {
        for (int b = 0; b < d; b++) {
          double s1 = Math.sqrt(Math.abs(q.nloKernel(a, a) * q.nloKernel(b, b)));
          if (s1 > 0) {
            worstK1 = Math.max(worstK1, Math.abs(p.nloKernel(a, b) - q.nloKernel(a, b)) / s1);
          }
          for (int c = 0; c < d; c++) {
            for (int e = 0; e < d; e++) {
              double sv = Math.sqrt(Math.abs(q.vertex(a, b, a, b) * q.vertex(c, e, c, e)));
              if (sv > 0) {
                worstV = Math.max(worstV, Math.abs(p.vertex(a, b, c, e) - q.vertex(a, b, c, e)) / sv);
              }
            }
          }
        }
      }
    }
    System.out.printf("relu d=5 depth 10: V %.3g, K1 %.3g of the scale; CPU %.2f s at %g, %.2f s at 1e-11%n",
        worstV, worstK1, (c1 - c0) / 1e9, Prediction.PRODUCT_TOLERANCE, (c2 - c1) / 1e9);
    assertTrue(worstV <= 1e-6, "V: " + worstV);
    assertTrue(worstK1 <= 1e-6, "K1: " + worstK1);
  }
}
