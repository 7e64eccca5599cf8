package org.finwidth.bench.suite;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The guard's comparison: regressions beyond the threshold fire, noise and machine changes do not. */
class GuardTest {

  private static final SuiteItem FMA = Suites.baselines().get(0);
  private static final SuiteItem STREAM = Suites.baselines().get(1);
  private static final SuiteItem LAYER = Suites.layer(256, 1);
  private static final SuiteItem NORMALS = new SuiteItem("NormalsBenchmark.finwidthPanama", Map.of(), "normals/ns",
      Limit.LANES, 1);

  /**
   * A run on a machine with the given FMA peak (vector FMA/ns per CPU second) where the layer's
   * score per CPU second is {@code layer} (its wall-clock mean and best lower: the guard must use
   * the CPU-time score) and the normals' best iteration is {@code normals} (no CPU-time score:
   * the guard falls back to the best iteration; likewise the stream).
   */
  private static SuiteRun run(double fmaScore, double layer, double normals, SuiteItem... extra) {
    MachineLimits lim = new MachineLimits(8, fmaScore * FMA.work(), 15);
    List<Row> rows = new ArrayList<>(List.of(
        Row.of(FMA, 1, fmaScore, 0.01, 0.9 * fmaScore, fmaScore, 0, lim),
        Row.of(STREAM, 1, 14, 0.1, 15, Double.NaN, 0, lim),
        Row.of(LAYER, 1, 0.8 * layer, 0.01, 0.9 * layer, layer, 0, lim),
        Row.of(NORMALS, 1, normals, Double.NaN, normals, Double.NaN, Double.NaN, lim)));
    for (SuiteItem e : extra) {
      rows.add(Row.of(e, 2, 900, 1, 950, 1000, 0, lim));
    }
    return new SuiteRun("quick", "2026-11-29T00:00:00Z", Map.of("cpu", "test"), new double[] {1, 1, 1},
        new double[] {1, 1, 1}, lim, rows);
  }

  private static Guard.Verdict verdict(List<Guard.Verdict> vs, String key) {
    return vs.stream().filter(v -> v.key().equals(key)).findFirst().orElseThrow();
  }

  @Test
  void aTwofoldSlowdownIsARegression() {
    List<Guard.Verdict> vs = Guard.compare(run(4, 1.0, 1.1), run(4, 0.5, 1.1), Guard.DEFAULT_THRESHOLD);
    Guard.Verdict v = verdict(vs, LAYER.key());
    assertEquals(Guard.Status.REGRESSION, v.status());
    assertEquals(0.5, v.ratio(), 1e-12);
    assertEquals(Guard.Status.OK, verdict(vs, NORMALS.key()).status());
  }

  @Test
  void noiseBelowTheThresholdDoesNotFire() {
    // 12% slower and 12% faster: the largest drop measured between unchanged runs (README)
    for (double f : new double[] {0.88, 1.12}) {
      List<Guard.Verdict> vs = Guard.compare(run(4, 1.0, 1.1), run(4, f, 1.1 * f), Guard.DEFAULT_THRESHOLD);
      assertTrue(vs.stream().noneMatch(Guard.Verdict::failed), () -> vs.toString());
    }
  }

  @Test
  void theFractionIsTheCpuTimeScoreOverTheLimitTimesThreads() {
    SuiteRun r = run(4, 1.0, 1.1, Suites.network("network2T", "weights", "relu", 64));
    // layer (n = 256, d = 1): 2 FLOP per weight, 1.0 weights/ns per CPU second, peak 4 vector FMA/ns
    assertEquals(2.0 / (4 * FMA.work()), r.byKey().get(LAYER.key()).fraction(), 1e-15);
    // two threads, 1000 networks/s of 2·64²·10 FLOP: against twice the peak
    SuiteItem net = Suites.network("network2T", "weights", "relu", 64);
    assertEquals(1000 * 2.0 * 64 * 64 * 10 * 1e-9 / (2 * 4 * FMA.work()), r.byKey().get(net.key()).fraction(), 1e-15);
  }

  @Test
  void resultsAreComparedAsFractionsOfTheSameRunsLimit() {
    // the whole machine is half as fast (another job): kernels and peak halve together, no alarm
    List<Guard.Verdict> vs = Guard.compare(run(4, 1.0, 1.1), run(2, 0.5, 0.55), Guard.DEFAULT_THRESHOLD);
    assertTrue(vs.stream().noneMatch(Guard.Verdict::failed));
    assertEquals(1.0, verdict(vs, LAYER.key()).ratio(), 1e-12);
    assertEquals(Guard.Status.MACHINE, verdict(vs, FMA.key()).status());
    assertEquals(0.5, verdict(vs, FMA.key()).ratio(), 1e-12);
    // the peak unchanged but the kernel halved: caught
    assertEquals(Guard.Status.REGRESSION,
        verdict(Guard.compare(run(4, 1.0, 1.1), run(4, 1.0, 0.55), 0.25), NORMALS.key()).status());
  }

  @Test
  void missingResultsFailNewOnesAndSpeedUpsDoNot() {
    SuiteItem net = Suites.network("network2T", "weights", "relu", 64);
    List<Guard.Verdict> dropped = Guard.compare(run(4, 1, 1, net), run(4, 1, 1), 0.25);
    assertEquals(Guard.Status.MISSING, verdict(dropped, net.key()).status());
    assertTrue(verdict(dropped, net.key()).failed());
    List<Guard.Verdict> added = Guard.compare(run(4, 1, 1), run(4, 3, 1, net), 0.25);
    assertEquals(Guard.Status.NEW, verdict(added, net.key()).status());
    assertEquals(Guard.Status.FASTER, verdict(added, LAYER.key()).status());
    assertTrue(added.stream().noneMatch(Guard.Verdict::failed));
  }

  @Test
  void printSaysWhetherItFailed() {
    ByteArrayOutputStream buf = new ByteArrayOutputStream();
    PrintStream out = new PrintStream(buf, true, StandardCharsets.UTF_8);
    assertTrue(Guard.print(Guard.compare(run(4, 1, 1), run(4, 0.5, 1), 0.25), 0.25, out));
    assertTrue(buf.toString(StandardCharsets.UTF_8).contains("1 regression(s)"));
    assertFalse(Guard.print(Guard.compare(run(4, 1, 1), run(4, 0.9, 1), 0.25), 0.25, out));
  }

  @Test
  void onlyRegressedItemsAreMeasuredAgain() {
    List<SuiteItem> suite = new ArrayList<>(Suites.quick());
    suite.add(NORMALS);
    List<Guard.Verdict> vs = Guard.compare(run(4, 1.0, 1.1), run(4, 1.0, 0.5), 0.25);
    assertEquals(List.of(NORMALS), Guard.regressed(vs, suite));
    assertTrue(Guard.regressed(Guard.compare(run(4, 1, 1), run(4, 1, 1), 0.25), Suites.quick()).isEmpty());
  }

  @Test
  void aRunIsBusyWhenTheLoadExceedsTheProcessorsAndItsOwnFork() {
    SuiteRun quiet = run(4, 1, 1);
    assertEquals(null, Guard.busy(quiet)); // load 1, "processors" absent: 1 + 1 allowed
    SuiteRun loaded = new SuiteRun("quick", "x", Map.of("processors", "2"), new double[] {3.5, 1, 1},
        new double[] {0.5, 1, 1}, quiet.limits(), quiet.rows());
    assertTrue(Guard.busy(loaded).contains("load average 3.5 on 2 processors"));
    SuiteRun ok = new SuiteRun("quick", "x", Map.of("processors", "2"), new double[] {2.9, 1, 1},
        new double[] {1.2, 1, 1}, quiet.limits(), quiet.rows());
    assertEquals(null, Guard.busy(ok));
  }

  @Test
  void thresholdMustBeAFraction() {
    assertThrows(IllegalArgumentException.class, () -> Guard.compare(run(4, 1, 1), run(4, 1, 1), 0));
    assertThrows(IllegalArgumentException.class, () -> Guard.compare(run(4, 1, 1), run(4, 1, 1), 1));
  }

  @Test
  void runsSurviveTheJsonRoundTrip(@TempDir Path dir) throws Exception {
    SuiteRun r = run(4, 1, 1.1);
    Path f = dir.resolve("latest.json");
    r.write(f);
    SuiteRun back = SuiteRun.read(f);
    assertEquals(r.rows().size(), back.rows().size());
    assertEquals(r.limits(), back.limits());
    assertArrayEquals(r.loadBefore(), back.loadBefore());
    for (int i = 0; i < r.rows().size(); i++) {
      Row a = r.rows().get(i);
      Row b = back.rows().get(i);
      assertEquals(a.key(), b.key());
      assertEquals(a.fraction(), b.fraction());
      assertEquals(a.error(), b.error()); // NaN survives
      assertEquals(a.params(), b.params());
    }
    assertThrows(java.io.FileNotFoundException.class, () -> SuiteRun.read(dir.resolve("missing.json")));
  }
}
