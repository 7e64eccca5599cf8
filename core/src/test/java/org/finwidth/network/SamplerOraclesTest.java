package org.finwidth.network;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;

import org.finwidth.activation.Activation;
import org.finwidth.vector.PairIndex;
import org.junit.jupiter.api.Test;

/**
 * Both samplers against exact finite-width facts (docs/theory.md §6.2) and against each other.
 *
 * <p>Per network the tests keep A = (1/n)Σ_i z_i² and Q = (1/n)Σ_i z_i⁴ per layer (neurons of one
 * network are exchangeable, so E[A] = E[z²] and E[Q] = E[z⁴]); estimates are means over
 * independent networks with SE = sd/√N, the ratio E[Q]/(3E[A]²) with its delta-method SE. Each
 * assertion allows K = 5 standard errors (two-sided normal tail 5.7e-7; about 150 assertions, so a
 * correct sampler fails with probability below 1e-4 for a random seed; the seeds are fixed). The
 * networks are kept at moderate depth/width (n ≥ 12, L ≤ 4) where Ĝ is not heavy-tailed enough to
 * make the ratio's delta-method error bars optimistic (docs/theory.md §6.2 note).
 */
class SamplerOraclesTest {

  private static final double K = 5;

  /** Hidden widths n_1..n_4 (unequal, so that the product formula is tested layer by layer). */
  private static final int[] WIDTHS = {16, 12, 20, 16};
  private static final double GRAM = 1.3;

  /**
   * Linear (c = 2) and ReLU (c = 5) with C_b = 0: E[z^(l)²] = (C_W A₂)^{l−1} C_W G and
   * E[z⁴]/(3E[z²]²) = Π_{k<l} (1 + c/n_k) (docs/theory.md §6.2; A₂ = 1 linear, 1/2 ReLU).
   */
  @Test
  void linearAndReluMatchTheExactProductFormulas() {
    record Case(String activation, double cw, double a2, double c) {}
    for (Case cs : new Case[] {new Case("linear", 1.1, 1, 2), new Case("relu", 2, 0.5, 5)}) {
      NetworkSpec spec = NetworkSpec.ofGram(Activation.parse(cs.activation), 0, cs.cw, 16, WIDTHS, new double[][] {{GRAM}});
      for (SamplerKind kind : SamplerKind.values()) {
        int networks = kind == SamplerKind.WEIGHTS ? 60_000 : 200_000;
        Columns col = run(spec, kind, networks, 20261128L + kind.ordinal());
        double ratio = 1;
        double second = cs.cw * GRAM;
        for (int l = 1; l <= WIDTHS.length; l++) {
          int a = 2 * (l - 1);
          int q = a + 1;
          String at = cs.activation + " " + kind + " layer " + l;
          assertTrue(Math.abs(col.mean(a) - second) <= K * col.se(a),
              at + ": E[z^2] " + col.mean(a) + " +- " + col.se(a) + " vs " + second);
          assertTrue(Math.abs(col.ratio4(q, a) - ratio) <= K * col.ratio4Se(q, a),
              at + ": E[z^4]/3E[z^2]^2 " + col.ratio4(q, a) + " +- " + col.ratio4Se(q, a) + " vs " + ratio);
          ratio *= 1 + cs.c / WIDTHS[l - 1];
          second *= cs.cw * cs.a2;
        }
      }
    }
  }

  /** Columns 2(l−1), 2(l−1)+1 = A, Q of layer l (input 0). */
  private static Columns run(NetworkSpec spec, SamplerKind kind, int networks, long seed) {
    Columns col = new Columns(2 * spec.depth(), networks);
    Sampler s = Samplers.create(spec, kind);
    LayerSink sink = (l, z, n, g) -> {
      double a = 0;
      double q = 0;
      for (int i = 0; i < n; i++) {
        double z2 = (double) z[0][i] * z[0][i];
        a += z2;
        q += z2 * z2;
      }
      col.set(2 * (l - 1), a / n);
      col.set(2 * (l - 1) + 1, q / n);
    };
    for (int k = 0; k < networks; k++) {
      assertEquals(0, s.sample(seed, k, sink));
      col.next();
    }
    return col;
  }

  /**
   * The two samplers give one distribution: per layer the means of every Ĝ_ab and of every
   * (1/n)Σ_i z_ia⁴ agree within K standard errors of their difference (independent runs), for
   * d = 2 and d = 8 correlated inputs through tanh.
   */
  @Test
  void weightsAndConditionalSamplersAgree() {
    SplittableRandom rnd = new SplittableRandom(8);
    for (int d : new int[] {2, 8}) {
      int n0 = d + 4;
      double[][] x = new double[d][n0];
      for (double[] row : x) {
        for (int j = 0; j < n0; j++) {
          row[j] = rnd.nextGaussian() + (j < 2 ? 1 : 0);
        }
      }
      NetworkSpec spec = NetworkSpec.ofInputs(Activation.parse("tanh"), 0.2, 1.6, d == 2 ? new int[] {12, 10, 12}
          : new int[] {8, 9, 8}, x);
      int networks = 30_000;
      Columns w = statistics(spec, SamplerKind.WEIGHTS, networks, 31);
      Columns c = statistics(spec, SamplerKind.CONDITIONAL, networks, 32);
      int pairs = PairIndex.pairCount(d);
      int perLayer = pairs + d;
      for (int l = 2; l <= spec.depth(); l++) { // layer 1's metric is K^(1) in both, exactly
        for (int k = 0; k < perLayer; k++) {
          int col = (l - 1) * perLayer + k;
          double diff = w.mean(col) - c.mean(col);
          double se = Math.hypot(w.se(col), c.se(col));
          String what = k < pairs ? "metric pair " + k : "z^4 of input " + (k - pairs);
          assertTrue(Math.abs(diff) <= K * se, "d " + d + " layer " + l + " " + what + ": weights "
              + w.mean(col) + ", conditional " + c.mean(col) + ", se of difference " + se);
        }
      }
    }
  }

  /** Per layer: the unique Ĝ_ab, then (1/n)Σ_i z_ia⁴ for each input a. */
  private static Columns statistics(NetworkSpec spec, SamplerKind kind, int networks, long seed) {
    int d = spec.inputCount();
    int pairs = PairIndex.pairCount(d);
    int perLayer = pairs + d;
    Columns col = new Columns(spec.depth() * perLayer, networks);
    Sampler s = Samplers.create(spec, kind);
    LayerSink sink = (l, z, n, g) -> {
      int base = (l - 1) * perLayer;
      int u = 0;
      for (int a = 0; a < d; a++) {
        for (int b = a; b < d; b++) {
          col.set(base + u++, g[a * d + b]);
        }
        double q = 0;
        for (int i = 0; i < n; i++) {
          double z2 = (double) z[a][i] * z[a][i];
          q += z2 * z2;
        }
        col.set(base + pairs + a, q / n);
      }
    };
    for (int k = 0; k < networks; k++) {
      assertEquals(0, s.sample(seed, k, sink));
      col.next();
    }
    return col;
  }
}
