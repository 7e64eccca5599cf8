package org.finwidth.ensemble;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.finwidth.activation.Activation;
import org.finwidth.network.FloatScale;
import org.finwidth.network.NetworkSpec;
import org.finwidth.network.SamplerKind;
import org.finwidth.network.Samplers;
import org.finwidth.stats.Estimate;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.Test;

/**
 * Networks whose numbers lie far outside the float range ({@link FloatScale}): ReLU at
 * {@code --gram 1e-160} and an off-critical ReLU network whose kernel shrinks by 2^-21 per layer
 * down to 2^-293 (where unscaled float preactivations, about 2^-146, would underflow) are measured
 * right, by both samplers: E[G^(ℓ)] = (C_W/2)^(ℓ−1) K^(1) exactly at any width for ReLU with
 * C_b = 0 (E[relu(z)²] = Ĝ/2 given the previous layer), so each measured G must lie within 4.5
 * standard errors of it. tanh at a scale no unit can hold is counted as out of range at the first
 * layer below the range, never measured.
 *
 * <p>False failures: each assertion at 4.5 SE (two-sided normal tail 6.8e-6; the SEs rest on
 * 500–4000 networks, where the normal approximation holds); about 65 assertions, so below 5e-4
 * for a random seed (the seeds are fixed).
 */
class FloatRangeTest {
  private static final double Z = 4.5;

  private static EnsembleResult run(NetworkSpec spec, SamplerKind kind, long m, long seed) {
    SamplerFactory f = SamplerFactory.of(kind.cliName(), s -> Samplers.create(s, kind));
    return new EnsembleRunner(spec, f, seed, m).threads(2).run();
  }

  private static void assertReluKernels(EnsembleResult r, double k1, double cw) {
    assertEquals(0, r.diverged(), "no network leaves the range");
    double k = k1;
    for (int l = 1; l <= r.spec().depth(); l++) {
      Estimate g = r.estimates(l).g(0, 0);
      assertTrue(Math.abs(g.mean() - k) <= Z * g.standardError() && g.standardError() > 0,
          "layer " + l + ": G = " + g + ", exact " + k);
      Estimate gm = r.estimates(l).gMetric(0, 0);
      if (l == 1) {
        assertEquals(k, gm.mean(), 1e-12 * k, "layer 1 metric is K^(1)");
      } else {
        assertTrue(Math.abs(gm.mean() - k) <= Z * gm.standardError(), "layer " + l + ": Gmetric = " + gm + ", exact " + k);
      }
      double ratio = r.estimates(l).ratio4(0).mean();
      assertTrue(ratio > 0.9 && ratio < 10, "layer " + l + ": ratio4 " + ratio + " is of order 1, scale-free");
      k *= cw / 2;
    }
  }

  @ParameterizedTest
  @EnumSource(SamplerKind.class)
  void reluAtGram1eMinus160IsMeasuredRight(SamplerKind kind) {
    NetworkSpec spec = NetworkSpec.ofGram(Activation.parse("relu"), 0, 2, 1, NetworkSpec.equalWidths(3, 8),
        new double[][] {{1e-160}});
    assertTrue(FloatScale.exponents(spec)[1] < -200, "held in units of about 2^-266");
    assertReluKernels(run(spec, kind, 3000, 1), 2e-160, 2);
  }

  @ParameterizedTest
  @EnumSource(SamplerKind.class)
  void aKernelShrinkingGeometricallyWithDepthIsMeasuredAtEveryLayer(SamplerKind kind) {
    double cw = 0x1p-20;
    NetworkSpec spec = NetworkSpec.ofGram(Activation.parse("relu"), 0, cw, 1, NetworkSpec.equalWidths(14, 64),
        new double[][] {{1}});
    assertReluKernels(run(spec, kind, kind == SamplerKind.WEIGHTS ? 2000 : 4000, 3), cw, cw);
  }

  @Test
  void ordinaryNetworksAreHeldAsTheyAre() {
    for (String act : new String[] {"relu", "tanh", "swish", "leaky:a=0.2", "repu:p=2"}) {
      NetworkSpec spec = NetworkSpec.ofGram(Activation.parse(act), 0.1, 1.5, 1, NetworkSpec.equalWidths(50, 16),
          new double[][] {{1e-20}});
      assertArrayEquals(new int[51], FloatScale.exponents(spec), act);
    }
  }

  /**
   * RePU (p = 2, not scale-invariant: held in true units after layer 1) with z^(1) of order
   * 2^-50: σ(z) = z² of order 2^-100 is a normal float, and E[Ĝ^(2)] = C_W·E[relu(z)⁴] = 1.5·C_W·K²
   * exactly at any width; it is measured, within 4.5 SE. With z^(1) of order 2^-70, z² of order
   * 2^-140 is subnormal in float (9 bits or fewer of precision), although the metric of layer 2
   * (about 2^-198, C_W = 2^80) is within range: the loss is detected and every network counted
   * at layer 2, none measured.
   */
  @Test
  void activationsThatFloatHoldsOnlyAsSubnormalsAreCountedNotMeasured() {
    // two layers: a third would see σ(z^(2)) of order 2^-140 (K^(3) ≈ 2^-219) and be counted
    NetworkSpec held = NetworkSpec.ofGram(Activation.parse("repu:p=2"), 0, 0x1p60, 1, NetworkSpec.equalWidths(2, 16),
        new double[][] {{0x1p-160}});
    EnsembleResult r = run(held, SamplerKind.CONDITIONAL, 3000, 7);
    assertEquals(0, r.diverged(), "z² of order 2^-100 is held");
    double k1 = 0x1p-100;
    Estimate g1 = r.estimates(1).g(0, 0);
    assertTrue(Math.abs(g1.mean() - k1) <= Z * g1.standardError(), "layer 1: G = " + g1 + ", exact " + k1);
    Estimate g2 = r.estimates(2).gMetric(0, 0);
    double k2 = 1.5 * 0x1p60 * k1 * k1;
    assertTrue(Math.abs(g2.mean() - k2) <= Z * g2.standardError(), "layer 2: Gmetric = " + g2 + ", exact " + k2);

    for (SamplerKind kind : SamplerKind.values()) {
      NetworkSpec lost = NetworkSpec.ofGram(Activation.parse("repu:p=2"), 0, 0x1p80, 1, NetworkSpec.equalWidths(3, 16),
          new double[][] {{0x1p-220}});
      EnsembleResult q = run(lost, kind, 500, 7);
      assertEquals(500, q.divergedAtLayer(2), kind + ": every network's σ(z^(1)) is subnormal in float");
      assertEquals(500, q.diverged(), kind.cliName());
    }
  }

  @Test
  void tanhBeyondTheRangeIsCountedAtTheLayerWhereItLeaves() {
    // K^(ℓ) ≈ (2^-30)^ℓ: 2^-180 at layer 6 (in range), 2^-210 at layer 7 (below 2^-200)
    NetworkSpec spec = NetworkSpec.ofGram(Activation.parse("tanh"), 0, 0x1p-30, 1, NetworkSpec.equalWidths(8, 64),
        new double[][] {{1}});
    EnsembleResult r = run(spec, SamplerKind.CONDITIONAL, 2000, 5);
    assertEquals(2000, r.divergedAtLayer(7), "every network leaves the float range at layer 7");
    assertEquals(2000, r.diverged());
  }
}
