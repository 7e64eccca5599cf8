package org.finwidth.ensemble;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.finwidth.activation.Activation;
import org.finwidth.network.NetworkSpec;
import org.finwidth.stats.LayerEstimates;
import org.finwidth.theory.LayerPrediction;
import org.finwidth.theory.Prediction;
import org.finwidth.vector.PairIndex;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * tanh at criticality (C_b, C_W) = (0, 1) with 3 and with 8 inputs, layer 3, the production
 * conditional sampler with the metric statistics: every measured K_ab, K1_ab and V_(ab)(cd) against
 * the d-input 1/n theory ({@link Prediction}, docs/theory.md §5.1 and §5.3).
 *
 * <p>At each width n = 16, 32, 64 (equal widths) the ensemble runs as {@value #BATCHES} independent
 * batches (own seeds); per batch y(n) is E[Ĝ_ab] (whose intercept in 1/n is K_ab), n·(E[Ĝ_ab] − K_ab)
 * (intercept K1_ab: the 1/n deviation of the mean metric) and n·Cov(Ĝ_ab, Ĝ_cd) (intercept
 * V_(ab)(cd)). The estimate is the straight line through n = 32 and 64, ŷ = 2y(64) − y(32), with SE
 * s = √(4s₆₄² + s₃₂²) from the spread of the batch means. The next order: y(n) = y∞ + b/n + c/n²
 * leaves ŷ − y∞ = −c/(32·64), which the third width measures: β̂ = y(32) − (2/3)y(64) − (1/3)y(16)
 * (the line's intercept minus the parabola's through all three widths) with SE
 * s_β = √(4/9 s₆₄² + s₃₂² + 1/9 s₁₆²). A component fails if |ŷ − theory| &gt; T·s + |β̂| + T·s_β.
 *
 * <p>False failure: the studentised errors of ŷ and β̂ follow Student's t (SEs from 32 batch means;
 * a combination of independent widths has at least 31 degrees of freedom by Welch–Satterthwaite,
 * so t₃₁ is the conservative law). With T = {@value #T}, P(|t₃₁| &gt; T) = 5.2e-7 (the normal law
 * would say 3e-10, 1,800 times less); a component fails by chance only if ŷ or β̂ is off by more than
 * T of its SE, 1.05e-6; with 33 components (d = 3: 6 K, 6 K1, 21 V) the test fails by chance with
 * probability below 3.5e-5 and with 738 (d = 8: 36 + 36 + 666) below 7.8e-4 (union bounds, up to
 * the O(1/n³) terms of β̂; the seeds are fixed, so every run is identical).
 *
 * <p>Sharpness, measured: with 3 inputs and 64,000 networks per width the largest |ŷ − theory| is
 * 0.17 of its tolerance (largest |z| 1.5, 1.7, 1.9 for K, K1, V; |β̂| up to 1.2 SE), and the
 * tolerance is 1.7% of the largest K and 13% of the largest V but 6.5 times the largest |K1|: K1 is
 * small for tanh at criticality and its SE √(nV/N) large, so at this size its comparison catches
 * only gross errors (a sharp K1 needs about 100 times the networks). With 8 inputs the largest
 * |ŷ − theory| is 0.35 of its tolerance (largest |z| 4.3, one V component of 666).
 */
class ManyInputsMonteCarloTest {
  static final int[] WIDTHS = {16, 32, 64};
  static final int BATCHES = 32;
  /** Two-sided P(|t₃₁| &gt; 6.3) = 5.2e-7 per estimate. */
  static final double T = 6.3;
  static final int DEPTH = 3;

  /** Per width, per quantity: {mean of the batch means, its SE}. */
  private static double[][][] measure(NetworkSpec base, LayerPrediction theory, long networksPerWidth,
      long seed) {
    int d = base.inputCount();
    PairIndex ix = PairIndex.of(d);
    int pairs = ix.pairs();
    int m = 2 * pairs + ix.pairPairs();
    double[][][] out = new double[WIDTHS.length][m][2];
    long perBatch = networksPerWidth / BATCHES;
    for (int w = 0; w < WIDTHS.length; w++) {
      int n = WIDTHS[w];
      NetworkSpec spec = base.withEqualWidths(DEPTH, n);
      double[][] y = new double[BATCHES][m];
      for (int b = 0; b < BATCHES; b++) {
        EnsembleResult r = new EnsembleRunner(spec, TestSamplers.CONDITIONAL, seed + 1000L * n + b, perBatch)
            .distinctNeurons(false).threads(2).run();
        assertEquals(perBatch, r.networksAccumulated());
        LayerEstimates e = r.estimates(DEPTH);
        for (int p = 0; p < pairs; p++) {
          double g = e.gMetric(ix.first(p), ix.second(p)).mean();
          y[b][p] = g;
          y[b][pairs + p] = n * (g - theory.kernel(ix.first(p), ix.second(p)));
        }
        for (int q = 0; q < ix.pairPairs(); q++) {
          y[b][2 * pairs + q] = e.vMetric(q).mean();
        }
      }
      for (int i = 0; i < m; i++) {
        double mean = 0;
        for (double[] yb : y) {
          mean += yb[i] / BATCHES;
        }
        double var = 0;
        for (double[] yb : y) {
          var += (yb[i] - mean) * (yb[i] - mean) / (BATCHES - 1);
        }
        out[w][i][0] = mean;
        out[w][i][1] = Math.sqrt(var / BATCHES);
      }
    }
    return out;
  }

  /** Every K, K1 and V component of layer 3 for tanh on the Gram matrix {@code gram}. */
  private static void check(double[][] gram, long networksPerWidth, long seed) {
    int d = gram.length;
    NetworkSpec base = NetworkSpec.ofGram(Activation.parse("tanh"), 0, 1, d,
        NetworkSpec.equalWidths(DEPTH, WIDTHS[0]), gram);
    Prediction prediction = Prediction.of(base);
    assertTrue(prediction.isComplete(), "the d-input theory goes through");
    LayerPrediction theory = prediction.layer(DEPTH);
    PairIndex ix = PairIndex.of(d);
    int pairs = ix.pairs();
    double[][][] est = measure(base, theory, networksPerWidth, seed);
    int compared = 0;
    double worst = 0;
    double[] worstZ = new double[3];
    double[] worstNext = new double[3];
    double[] largestTolerance = new double[3];
    double[] largestTheory = new double[3];
    for (int i = 0; i < est[0].length; i++) {
      String what;
      double expected;
      if (i < pairs) {
        what = "K " + ix.pairKey(i);
        expected = theory.kernel(ix.first(i), ix.second(i));
      } else if (i < 2 * pairs) {
        int p = i - pairs;
        what = "K1 " + ix.pairKey(p);
        expected = theory.nloKernel(ix.first(p), ix.second(p));
      } else {
        int q = i - 2 * pairs;
        int p1 = ix.pairPairFirst(q);
        int p2 = ix.pairPairSecond(q);
        what = "V " + ix.key(q);
        expected = theory.vertex(ix.first(p1), ix.second(p1), ix.first(p2), ix.second(p2));
      }
      double y16 = est[0][i][0];
      double y32 = est[1][i][0];
      double y64 = est[2][i][0];
      double s16 = est[0][i][1];
      double s32 = est[1][i][1];
      double s64 = est[2][i][1];
      double line = 2 * y64 - y32;
      double se = Math.sqrt(4 * s64 * s64 + s32 * s32);
      double next = y32 - 2.0 / 3 * y64 - 1.0 / 3 * y16;
      double seNext = Math.sqrt(4.0 / 9 * s64 * s64 + s32 * s32 + 1.0 / 9 * s16 * s16);
      double tolerance = T * se + Math.abs(next) + T * seNext;
      assertTrue(se > 0 && seNext > 0, what + ": no spread between the batches");
      assertTrue(Math.abs(line - expected) <= tolerance, String.format(
          "d=%d %s: measured %.6g ± %.3g (next order %.3g ± %.3g) against theory %.6g", d, what, line, se, next,
          seNext, expected));
      worst = Math.max(worst, Math.abs(line - expected) / tolerance);
      int family = i < pairs ? 0 : i < 2 * pairs ? 1 : 2;
      worstZ[family] = Math.max(worstZ[family], Math.abs(line - expected) / se);
      worstNext[family] = Math.max(worstNext[family], Math.abs(next) / se);
      largestTolerance[family] = Math.max(largestTolerance[family], tolerance);
      largestTheory[family] = Math.max(largestTheory[family], Math.abs(expected));
      compared++;
    }
    assertEquals(2 * pairs + ix.pairPairs(), compared);
    System.out.printf(java.util.Locale.ROOT, "ManyInputsMonteCarloTest d=%d: %d components, largest"
        + " |measured − theory|/tolerance %.3f; K, K1, V: largest |z| %.2f, %.2f, %.2f; largest |next order|/SE"
        + " %.2f, %.2f, %.2f; largest tolerance/largest |theory| %.3g, %.3g, %.3g%n", d, compared, worst, worstZ[0],
        worstZ[1], worstZ[2], worstNext[0], worstNext[1], worstNext[2], largestTolerance[0] / largestTheory[0],
        largestTolerance[1] / largestTheory[1], largestTolerance[2] / largestTheory[2]);
  }

  /** Three inputs of unequal norms and correlations of both signs. */
  @Test
  void threeInputs() {
    check(new double[][] {{1, 0.5, 0.2}, {0.5, 1.2, -0.3}, {0.2, -0.3, 0.8}}, 64_000, 31);
  }

  /**
   * Eight inputs: G_ab = s_a s_b 0.7^|a−b| with norms s_a = 0.8 + 0.05a (full rank). The theory of
   * eight inputs at layer 3 alone takes several seconds (70 four-input averages per layer), hence slow.
   */
  @Tag("slow")
  @Test
  void eightInputs() {
    double[][] g = new double[8][8];
    for (int a = 0; a < 8; a++) {
      for (int b = 0; b < 8; b++) {
        g[a][b] = (0.8 + 0.05 * a) * (0.8 + 0.05 * b) * Math.pow(0.7, Math.abs(a - b));
      }
    }
    check(g, 64_000, 47);
  }
}
