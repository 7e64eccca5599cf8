package org.finwidth.ensemble;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.finwidth.activation.Activation;
import org.finwidth.network.LayerSink;
import org.finwidth.network.NetworkSpec;
import org.finwidth.network.Sampler;
import org.finwidth.stats.LayerEstimates;
import org.junit.jupiter.api.Test;

/** Reproducibility, exact merging, resumption, divergence and progress of the runner. */
class EnsembleRunnerTest {
  private static final NetworkSpec TANH2 = NetworkSpec.ofGram(Activation.parse("tanh"), 0.2, 1.5, 3,
      new int[] {6, 5, 7}, new double[][] {{1.0, 0.6}, {0.6, 1.5}});
  private static final NetworkSpec RELU1 = NetworkSpec.ofGram(Activation.parse("relu"), 0.0, 2.0, 4,
      NetworkSpec.equalWidths(3, 8), new double[][] {{1.0}});
  /** Small blocks so that a few thousand networks make many blocks. */
  private static final int SMALL_BLOCK = 37;

  private static EnsembleRunner runner(NetworkSpec spec, long seed, long networks) {
    return new EnsembleRunner(spec, TestSamplers.REFERENCE_CONDITIONAL, seed, networks).blockSize(SMALL_BLOCK);
  }

  /** Every number a result reports, as raw bits. */
  private static List<Long> allBits(EnsembleResult r) {
    List<Long> bits = new ArrayList<>();
    int d = r.spec().inputCount();
    for (int l = 1; l <= r.spec().depth(); l++) {
      LayerEstimates e = r.estimates(l);
      for (int a = 0; a < d; a++) {
        for (int b = a; b < d; b++) {
          bits.add(Double.doubleToRawLongBits(e.g(a, b).mean()));
          bits.add(Double.doubleToRawLongBits(e.g(a, b).standardError()));
          bits.add(Double.doubleToRawLongBits(e.gMetric(a, b).mean()));
        }
        bits.add(Double.doubleToRawLongBits(e.ratio4(a).mean()));
        bits.add(Double.doubleToRawLongBits(e.pairRatio(a).standardError()));
      }
      for (int q = 0; q < e.layout().pairPairs(); q++) {
        bits.add(Double.doubleToRawLongBits(e.v(q).mean()));
        bits.add(Double.doubleToRawLongBits(e.v(q).standardError()));
        bits.add(Double.doubleToRawLongBits(e.vMetric(q).mean()));
      }
    }
    return bits;
  }

  @Test
  void resultIsBitwiseIndependentOfThreadCount() {
    EnsembleResult one = runner(TANH2, 42, 2000).threads(1).run();
    EnsembleResult two = runner(TANH2, 42, 2000).threads(2).run();
    EnsembleResult five = runner(TANH2, 42, 2000).threads(5).run();
    assertEquals(one, two);
    assertEquals(one, five);
    assertEquals(allBits(one), allBits(two));
    assertEquals(allBits(one), allBits(five));
    assertTrue(one.isComplete());
    assertEquals(2000, one.networksAccumulated());
  }

  @Test
  void sameSeedSameResultDifferentSeedDifferentResult() {
    EnsembleResult a = runner(RELU1, 7, 500).run();
    EnsembleResult b = runner(RELU1, 7, 500).run();
    EnsembleResult c = runner(RELU1, 8, 500).run();
    assertEquals(allBits(a), allBits(b));
    assertNotEquals(allBits(a), allBits(c));
    assertNotEquals(a.estimates(2).g(0, 0).mean(), c.estimates(2).g(0, 0).mean());
  }

  @Test
  void shardsMergeToTheSingleRunBitwise() {
    EnsembleResult whole = runner(TANH2, 3, 1000).threads(2).run();
    long blocks = whole.blockCount();
    EnsembleResult s1 = runner(TANH2, 3, 1000).blocks(BlockSet.range(0, 10)).run();
    EnsembleResult s2 = runner(TANH2, 3, 1000).blocks(BlockSet.of(10, 12, 20, blocks)).threads(2).run();
    EnsembleResult s3 = runner(TANH2, 3, 1000).blocks(BlockSet.range(12, 20)).run();
    assertFalse(s1.isComplete());
    EnsembleResult merged = s3.merge(s1).merge(s2);
    assertEquals(whole, merged);
    assertEquals(allBits(whole), allBits(merged));
    assertThrows(IllegalArgumentException.class, () -> s1.merge(s1), "overlapping blocks");
    EnsembleResult other = runner(TANH2, 4, 1000).blocks(BlockSet.range(12, 20)).run();
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> s1.merge(other));
    assertTrue(e.getMessage().contains("seeds"), e.getMessage());
  }

  @Test
  void cancelledRunResumesToTheSameResult() {
    EnsembleResult whole = runner(RELU1, 11, 3000).run();
    for (int threads = 1; threads <= 2; threads++) {
      AtomicInteger polls = new AtomicInteger();
      EnsembleResult partial = runner(RELU1, 11, 3000).threads(threads)
          .cancellation(() -> polls.incrementAndGet() > 1234).run();
      assertFalse(partial.isComplete());
      assertTrue(partial.networksDone() < 3000 && partial.networksDone() > 0, "partial: " + partial);
      assertEquals(partial.networksDone(), partial.networksAccumulated() + partial.diverged());
      EnsembleResult resumed = runner(RELU1, 11, 3000).threads(3 - threads).resumeFrom(partial).run();
      assertEquals(whole, resumed);
      assertEquals(allBits(whole), allBits(resumed));
    }
  }

  @Test
  void stateRoundTripsBitwise() throws IOException {
    NetworkSpec explicit = NetworkSpec.ofInputs(Activation.parse("swish:T=0.5"), 0.1, 1.2, new int[] {5, 4},
        new double[][] {{0.3, -1.0, 2.0}, {1.0, 0.5, -0.25}});
    for (EnsembleResult r : List.of(runner(TANH2, 5, 300).blocks(BlockSet.of(1, 3, 5, 7)).run(),
        runner(explicit, 5, 100).run())) {
      ByteArrayOutputStream bytes = new ByteArrayOutputStream();
      r.writeTo(new DataOutputStream(bytes));
      byte[] state = bytes.toByteArray();
      EnsembleResult back = EnsembleResult.readFrom(new DataInputStream(new ByteArrayInputStream(state)));
      assertEquals(r, back);
      assertEquals(allBits(r), allBits(back));
      // truncated states are refused
      byte[] cut = java.util.Arrays.copyOf(state, state.length - 3);
      assertThrows(IOException.class, () -> EnsembleResult.readFrom(new DataInputStream(new ByteArrayInputStream(cut))));
    }
  }

  /** Diverges network k at layer 1 + k % 3 when k % 5 == 0; otherwise delegates. */
  private static final class DivergingSampler implements Sampler {
    private final Sampler inner;

    DivergingSampler(NetworkSpec spec) {
      inner = new org.finwidth.network.ReferenceConditionalSampler(spec);
    }

    @Override
    public int sample(long seed, long network, LayerSink sink) {
      if (network % 5 == 0) {
        int bad = (int) (1 + network % 3);
        inner.sample(seed, network, (l, z, w, m) -> {
          if (l < bad) {
            sink.layer(l, z, w, m);
          }
        });
        return bad;
      }
      return inner.sample(seed, network, sink);
    }
  }

  @Test
  void divergedNetworksAreCountedByLayerAndExcluded() {
    SamplerFactory diverging = SamplerFactory.of("diverging", DivergingSampler::new);
    EnsembleResult r = new EnsembleRunner(RELU1, diverging, 9, 1000).blockSize(SMALL_BLOCK).threads(2).run();
    assertEquals(200, r.diverged());
    long[] byLayer = {r.divergedAtLayer(1), r.divergedAtLayer(2), r.divergedAtLayer(3)};
    // k = 5m, m = 0..199: k % 3 = 2m % 3 cycles through 0, 2, 1 → layers 1, 3, 2 (67, 67, 66 times)
    assertArrayEquals(new long[] {67, 66, 67}, byLayer);
    assertEquals(0, r.firstDivergedNetwork());
    assertEquals(800, r.networksAccumulated());
    assertTrue(r.isComplete());
    for (int l = 1; l <= 3; l++) {
      assertTrue(Double.isFinite(r.estimates(l).g(0, 0).mean()));
    }
  }

  @Test
  void samplerContractViolationsAreReported() {
    SamplerFactory lazy = SamplerFactory.of("lazy", s -> (seed, k, sink) -> 0);
    IllegalStateException e = assertThrows(IllegalStateException.class,
        () -> new EnsembleRunner(RELU1, lazy, 1, 10).reference(new double[][] {{1}, {1}, {1}}).run());
    assertTrue(e.getMessage().contains("after 0 of 3 layers"), e.getMessage());
    SamplerFactory wild = SamplerFactory.of("wild", s -> (seed, k, sink) -> 17);
    assertThrows(IllegalStateException.class,
        () -> new EnsembleRunner(RELU1, wild, 1, 10).reference(new double[][] {{1}, {1}, {1}}).run());
    SamplerFactory thrower = SamplerFactory.of("thrower", s -> (seed, k, sink) -> {
      throw new ArithmeticException("boom");
    });
    assertThrows(ArithmeticException.class,
        () -> new EnsembleRunner(RELU1, thrower, 1, 5000).threads(2).reference(new double[][] {{1}, {1}, {1}}).run());
  }

  @Test
  void progressReportsCountEveryNetwork() {
    List<Progress> reports = new ArrayList<>();
    runner(RELU1, 1, 2000).threads(2).progress(reports::add, 0.0).run();
    Progress last = reports.get(reports.size() - 1);
    assertTrue(last.finished());
    assertEquals(2000, last.networksDone());
    assertEquals(2000, last.networksTotal());
    assertEquals(1.0, last.fraction());
    assertTrue(reports.size() > 10, "reports with a zero interval: " + reports.size());
    for (int i = 1; i < reports.size(); i++) {
      assertTrue(reports.get(i).networksDone() >= reports.get(i - 1).networksDone(), "monotone");
    }
  }

  @Test
  void checkpointRoundsLoseNothingAndChangeNoBit() {
    EnsembleResult plain = runner(TANH2, 5, 4000).threads(2).run();
    // a sampler that takes ~20 µs per network, so that 1 ms rounds end many times
    SamplerFactory slow = SamplerFactory.of(TestSamplers.REFERENCE_CONDITIONAL.kind(), spec -> {
      Sampler inner = TestSamplers.REFERENCE_CONDITIONAL.create(spec);
      return (seed, k, sink) -> {
        long until = System.nanoTime() + 20_000;
        while (System.nanoTime() < until) {
          Thread.onSpinWait();
        }
        return inner.sample(seed, k, sink);
      };
    });
    List<EnsembleResult> snapshots = new ArrayList<>();
    List<Progress> reports = new ArrayList<>();
    EnsembleResult checkpointed = new EnsembleRunner(TANH2, slow, 5, 4000).blockSize(SMALL_BLOCK).threads(2)
        .progress(reports::add, 0.0).checkpoints(snapshots::add, 0.001).run();
    assertEquals(plain, checkpointed);
    assertEquals(allBits(plain), allBits(checkpointed));
    assertTrue(snapshots.size() > 3, "rounds: " + snapshots.size());
    assertEquals(checkpointed, snapshots.get(snapshots.size() - 1));
    for (int i = 1; i < snapshots.size(); i++) {
      assertTrue(snapshots.get(i).blocks().containsAll(snapshots.get(i - 1).blocks()), "snapshots grow");
      assertTrue(snapshots.get(i).networksDone() > snapshots.get(i - 1).networksDone(), "every round finishes a block");
    }
    // each snapshot is a valid partial result: resuming it gives the same final result
    EnsembleResult resumed = runner(TANH2, 5, 4000).resumeFrom(snapshots.get(1)).run();
    assertEquals(plain, resumed);
    assertEquals(1, reports.stream().filter(Progress::finished).count(), "one final report, not one per round");
    assertThrows(IllegalArgumentException.class, () -> runner(RELU1, 1, 10).checkpoints(r -> { }, 0));
  }

  @Test
  void badArgumentsAreRejected() {
    assertThrows(IllegalArgumentException.class, () -> runner(RELU1, 1, 0));
    assertThrows(IllegalArgumentException.class, () -> runner(RELU1, 1, 10).threads(0));
    assertThrows(IllegalArgumentException.class, () -> runner(RELU1, 1, 10).blocks(BlockSet.range(0, 5)).run());
    assertThrows(IllegalArgumentException.class, () -> runner(RELU1, 1, 10).reference(new double[][] {{1}}).run());
  }
}
