package org.finwidth.ensemble;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.Arrays;
import java.util.Locale;
import org.finwidth.activation.Activation;
import org.finwidth.network.LearningRates;
import org.finwidth.network.NetworkSpec;
import org.finwidth.stats.Estimate;
import org.finwidth.stats.NtkEstimates;
import org.finwidth.theory.NtkLayer;
import org.finwidth.theory.NtkPrediction;
import org.junit.jupiter.api.Test;

/**
 * The NTK Monte Carlo of {@link EnsembleRunner#ntk} (docs/theory.md §11.8): layer 2 is exact at any
 * width (every component of H, D, F, A, B and the same-neuron combinations within the SE, at two
 * widths), the results are bitwise reproducible across threads, shards, resumption and
 * serialisation, the preactivation statistics do not change, and mismatched ensembles are refused.
 */
class NtkEnsembleTest {
  private static final SamplerFactory WEIGHTS = TestSamplers.WEIGHTS;

  private static NetworkSpec twoInputs(String act, double cw, int depth, int width) {
    double[][] k1 = {{1, 0.5}, {0.5, 1.2}};
    double[][] gram = new double[2][2];
    for (int a = 0; a < 2; a++) {
      for (int b = 0; b < 2; b++) {
        gram[a][b] = k1[a][b] / cw;
      }
    }
    return NetworkSpec.ofGram(Activation.parse(act), 0, cw, 2, NetworkSpec.equalWidths(depth, width), gram);
  }

  /**
   * Layer 2 at widths 8 and 32, tanh and ReLU at criticality, two inputs, 40,000 networks each:
   * every component of H, D, F, A, B and of the same-neuron covariances (A + B + B, D + F + F)
   * within 4.5 standard errors of the leading-order value, which is exact at layer 2. 284
   * comparisons at a two-sided normal tail of 6.8e-6 each: a false-failure probability below 2e-3
   * by the union bound (the SEs rest on 40,000 networks: their own error is ~1%). The z-scores
   * also check the SEs: their root mean square must lie in [0.5, 1.5] (too large SEs would make the
   * first check toothless); it is about 1 for calibrated SEs, with a spread of about 0.1 for the
   * few dozen independent components among the 284 (many are equal by symmetry); measured 1.02.
   */
  @Test
  void layerTwoIsExactAtAnyWidth() {
    sumZ2[0] = 0;
    int checked = 0;
    for (String act : new String[] {"tanh", "relu"}) {
      double cw = act.equals("relu") ? 2 : 1;
      for (int width : new int[] {8, 32}) {
        NetworkSpec spec = twoInputs(act, cw, 2, width);
        NtkOptions options = new NtkOptions(LearningRates.constant(1, 1, 2), 4);
        EnsembleResult r = new EnsembleRunner(spec, WEIGHTS, 7 + width, 40_000).threads(2).ntk(options).run();
        NtkEstimates e = r.ntkEstimates(2);
        NtkLayer t = NtkPrediction.of(spec, options.rates()).layer(2);
        String at = act + " n=" + width + " layer 2 ";
        for (int a1 = 0; a1 < 2; a1++) {
          for (int a2 = a1; a2 < 2; a2++) {
            checked += check(at + "H" + a1 + a2, e.h(a1, a2), t.h(a1, a2));
            for (int a3 = 0; a3 < 2; a3++) {
              for (int a4 = a3; a4 < 2; a4++) {
                checked += check(at + "D" + a1 + a2 + a3 + a4, e.d(a1, a2, a3, a4), t.d(a1, a2, a3, a4));
                checked += check(at + "A" + a1 + a2 + a3 + a4, e.a(a1, a2, a3, a4), t.a(a1, a2, a3, a4));
                checked += check(at + "sameA" + a1 + a2 + a3 + a4, e.sameNeuronA(a1, a2, a3, a4),
                    t.sameNeuronA(a1, a2, a3, a4));
                checked += check(at + "sameD" + a1 + a2 + a3 + a4, e.sameNeuronD(a1, a2, a3, a4),
                    t.sameNeuronD(a1, a2, a3, a4));
              }
            }
          }
        }
        for (int a1 = 0; a1 < 2; a1++) {
          for (int a3 = 0; a3 < 2; a3++) {
            for (int a2 = 0; a2 < 2; a2++) {
              for (int a4 = 0; a4 < 2; a4++) {
                checked += check(at + "F" + a1 + a3 + a2 + a4, e.f(a1, a3, a2, a4), t.f(a1, a3, a2, a4));
                checked += check(at + "B" + a1 + a3 + a2 + a4, e.b(a1, a3, a2, a4), t.b(a1, a3, a2, a4));
              }
            }
          }
        }
      }
    }
    assertTrue(checked > 100, "components checked: " + checked);
    double rms = Math.sqrt(sumZ2[0] / checked);
    System.out.println("layer 2: " + checked + " comparisons, rms z = " + rms);
    assertTrue(rms > 0.5 && rms < 1.5, "rms z-score " + rms + " over " + checked + " comparisons");
  }

  private final double[] sumZ2 = new double[1];

  private int check(String what, Estimate e, double theory) {
    String line = String.format(Locale.ROOT, "%s: %.6f ± %.6f, theory %.6f (%.2f SE)", what, e.mean(),
        e.standardError(), theory, e.zScore(theory));
    assertTrue(e.standardError() > 0, line);
    assertTrue(e.within(theory, 4.5), line);
    sumZ2[0] += e.zScore(theory) * e.zScore(theory);
    return 1;
  }

  /** Layer 1: the NTK is deterministic, so its deviations and D, F, A, B are exactly 0. */
  @Test
  void layerOneIsDeterministic() {
    NetworkSpec spec = twoInputs("tanh", 1, 2, 10);
    NtkOptions options = new NtkOptions(LearningRates.constant(0.5, 2, 2), 3);
    EnsembleResult r = new EnsembleRunner(spec, WEIGHTS, 3, 500).ntk(options).run();
    NtkEstimates e = r.ntkEstimates(1);
    double[][] gram = spec.gram();
    for (int a = 0; a < 2; a++) {
      for (int b = 0; b < 2; b++) {
        assertEquals(0.5 + 2 * gram[a][b], e.h(a, b).mean(), 0);
        assertEquals(0, e.h(a, b).standardError(), 0);
        assertEquals(0, e.a(a, b, a, b).mean(), 0);
        assertEquals(0, e.b(a, b, b, a).mean(), 0);
        assertEquals(0, e.f(a, b, b, a).mean(), 0);
      }
    }
  }

  /**
   * One thread, two threads, two shards merged, a resumed partial run, a checkpointed run and a
   * serialisation round trip: the same result, bitwise (NTK sums included); the preactivation sums
   * equal those of a plain weights run.
   */
  @Test
  void bitwiseReproducible() throws IOException {
    NetworkSpec spec = twoInputs("tanh", 1, 3, 12).withWidths(new int[] {12, 7, 9});
    NtkOptions options = new NtkOptions(LearningRates.of(new double[] {1, 0.5, 2}, new double[] {1, 1.5, 0.7}), 3);
    long n = 2600;
    EnsembleResult one = new EnsembleRunner(spec, WEIGHTS, 21, n).ntk(options).run();
    EnsembleResult two = new EnsembleRunner(spec, WEIGHTS, 21, n).threads(2).ntk(options).run();
    assertEquals(one, two);
    EnsembleResult a = new EnsembleRunner(spec, WEIGHTS, 21, n).ntk(options).blocks(BlockSet.range(0, 1)).run();
    EnsembleResult b = new EnsembleRunner(spec, WEIGHTS, 21, n).threads(2).ntk(options).blocks(BlockSet.range(1, 3))
        .run();
    assertEquals(one, b.merge(a));
    EnsembleResult resumed = new EnsembleRunner(spec, WEIGHTS, 21, n).ntk(options).resumeFrom(a).run();
    assertEquals(one, resumed);
    EnsembleResult[] last = new EnsembleResult[1];
    EnsembleResult checkpointed = new EnsembleRunner(spec, WEIGHTS, 21, n).ntk(options)
        .checkpoints(x -> last[0] = x, 1e-6).run();
    assertEquals(one, checkpointed);
    assertEquals(one, last[0]);
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    one.writeTo(new DataOutputStream(bytes));
    EnsembleResult read = EnsembleResult.readFrom(new DataInputStream(new ByteArrayInputStream(bytes.toByteArray())));
    assertEquals(one, read);
    assertTrue(read.ntk().isPresent());
    // The NTK sampler's preactivations are the weights sampler's: the same preactivation sums.
    EnsembleResult plain = new EnsembleRunner(spec, WEIGHTS, 21, n).run();
    assertEquals(plain.sums(), one.sums());
    assertFalse(plain.ntk().isPresent());
  }

  /** A state of version 3 (before the NTK section) is still read, as a result without one. */
  @Test
  void readsVersionThreeStates() throws IOException {
    NetworkSpec spec = twoInputs("relu", 2, 2, 6);
    EnsembleResult plain = new EnsembleRunner(spec, WEIGHTS, 2, 300).run();
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    plain.writeTo(new DataOutputStream(bytes));
    byte[] v4 = bytes.toByteArray();
    assertEquals(4, v4[3]); // the big-endian i32 version
    assertEquals(0, v4[v4.length - 1]); // the "no NTK section" flag is the last byte
    byte[] v3 = Arrays.copyOf(v4, v4.length - 1); // without the flag
    v3[3] = 3;
    EnsembleResult read = EnsembleResult.readFrom(new DataInputStream(new ByteArrayInputStream(v3)));
    assertEquals(plain, read);
    assertEquals(plain.kernels(), read.kernels());
    assertFalse(read.ntk().isPresent());
    // versions 1 and 2 (before the float units and the kernels) and a future version: refused in one line
    for (int version : new int[] {1, 2, 5}) {
      byte[] other = v4.clone();
      other[3] = (byte) version;
      IOException e = assertThrows(IOException.class,
          () -> EnsembleResult.readFrom(new DataInputStream(new ByteArrayInputStream(other))));
      assertTrue(e.getMessage().startsWith("result state version " + version + " was written by "
          + (version < 4 ? "an older" : "a newer") + " finwidth"), e.getMessage());
      assertTrue(e.getMessage().contains("this build reads versions 3 to 4 only"), e.getMessage());
      assertFalse(e.getMessage().contains("\n"), e.getMessage());
    }
  }

  /**
   * The NTK is measured in true units only: a network whose kernels need the float units (relu,
   * K^(1) = 2 × 1e70 far beyond 2^100) is refused an NTK section, and a state that carries one
   * for such a network is refused as inconsistent.
   */
  @Test
  void ntkOnlyInTrueUnits() throws IOException {
    NtkOptions options = new NtkOptions(LearningRates.constant(1, 1, 2), 2);
    NetworkSpec huge = NetworkSpec.ofGram(Activation.parse("relu"), 0, 2, 2, NetworkSpec.equalWidths(2, 6),
        new double[][] {{1e70, 0}, {0, 1e70}});
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> new EnsembleRunner(huge, WEIGHTS, 3, 100).ntk(options).run());
    assertTrue(e.getMessage().contains("2^-100..2^100"), e.getMessage());
    // forge: a true-units state with an NTK section, its spec's Gram entries replaced by 1e70
    NetworkSpec spec = twoInputs("relu", 2, 2, 6);
    EnsembleResult with = new EnsembleRunner(spec, WEIGHTS, 3, 100).ntk(options).run();
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    with.writeTo(new DataOutputStream(bytes));
    byte[] state = bytes.toByteArray();
    java.nio.ByteBuffer buf = java.nio.ByteBuffer.wrap(state);
    int replaced = 0;
    for (int i = 0; i + 8 <= state.length && replaced < 2; i++) {
      // the Gram diagonal: 1/2 and 1.2/2 (twoInputs), written as doubles right after d = 2
      double x = buf.getDouble(i);
      if (x == 1.0 / 2 || x == 1.2 / 2) {
        buf.putDouble(i, 1e70);
        replaced++;
        i += 7;
      }
    }
    assertEquals(2, replaced);
    IOException r = assertThrows(IOException.class,
        () -> EnsembleResult.readFrom(new DataInputStream(new ByteArrayInputStream(state))));
    assertTrue(r.getMessage().startsWith("inconsistent result state: an NTK section for a network beyond the true"
        + " units"), r.getMessage());
  }

  @Test
  void mismatchesAreRefused() {
    NetworkSpec spec = twoInputs("tanh", 1, 2, 6);
    NtkOptions options = new NtkOptions(LearningRates.constant(1, 1, 2), 2);
    EnsembleResult with = new EnsembleRunner(spec, WEIGHTS, 5, 2048).ntk(options).blocks(BlockSet.range(0, 1)).run();
    EnsembleResult without = new EnsembleRunner(spec, WEIGHTS, 5, 2048).blocks(BlockSet.range(1, 2)).run();
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> with.merge(without));
    assertTrue(e.getMessage().contains("NTK"), e.getMessage());
    EnsembleResult other = new EnsembleRunner(spec, WEIGHTS, 5, 2048)
        .ntk(new NtkOptions(LearningRates.constant(1, 2, 2), 2)).blocks(BlockSet.range(1, 2)).run();
    e = assertThrows(IllegalArgumentException.class, () -> with.merge(other));
    assertTrue(e.getMessage().contains("NTK"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class,
        () -> new EnsembleRunner(spec, TestSamplers.CONDITIONAL, 5, 10).ntk(options));
    assertTrue(e.getMessage().contains("--sampler weights"), e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> new NtkOptions(LearningRates.constant(1, 1, 2), 1));
    assertThrows(IllegalArgumentException.class,
        () -> new EnsembleRunner(spec, WEIGHTS, 5, 10).ntk(new NtkOptions(LearningRates.constant(1, 1, 3), 2)));
    assertThrows(IllegalArgumentException.class,
        () -> new EnsembleRunner(spec, WEIGHTS, 5, 2048).ntk(options).resumeFrom(without).run());
  }
}
