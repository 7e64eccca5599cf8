package org.finwidth.stats;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.finwidth.stats.Verdict.Flag;
import org.junit.jupiter.api.Test;

/** The rules of {@link Verdict}, case by case (docs/theory.md §9.7). */
class VerdictTest {
  private static final TailCheck LIGHT = new TailCheck(0.001, 100_000);
  private static final TailCheck HEAVY = new TailCheck(0.5, 100_000);
  private static final double NONE = Double.NaN;

  private static Flag flag(double mean, double se, double leading, double next, double exact, TailCheck t) {
    return Verdict.judge(new Estimate(mean, se), leading, next, exact, 0, t).flag();
  }

  @Test
  void exactValueJudgesFirst() {
    // within 3 SE of the exact value: ok, even 10 SE off the leading order and with heavy tails
    assertEquals(Flag.OK, flag(10.2, 0.1, 9.2, 0.05, 10.0, LIGHT));
    assertEquals(Flag.OK, flag(10.2, 0.1, 9.2, 0.05, 10.0, HEAVY));
    // beyond 3 SE of the exact value: heavy-tail or disagree, never beyond-LO
    assertEquals(Flag.DISAGREE, flag(10.4, 0.1, 10.4, 5, 10.0, LIGHT));
    assertEquals(Flag.HEAVY_TAIL, flag(10.4, 0.1, 10.4, 5, 10.0, HEAVY));
    // the exact value's own numerical tolerance counts
    assertEquals(Flag.OK, Verdict.judge(new Estimate(10.4, 0.1), NONE, NONE, 10.0, 0.15, LIGHT).flag());
    Verdict v = Verdict.judge(new Estimate(10.4, 0.1), 9.4, 0, 10.0, 0, LIGHT);
    assertEquals(10, v.zLeading(), 1e-12);
    assertEquals(4, v.zExact(), 1e-12);
    assertEquals(4, v.z(), 1e-12, "the one-number z is against the exact value");
  }

  @Test
  void leadingOrderOnly() {
    assertEquals(Flag.OK, flag(1.02, 0.01, 1.0, 0.1, NONE, LIGHT)); // 2 SE
    assertEquals(Flag.BEYOND_LO, flag(1.05, 0.01, 1.0, 0.1, NONE, LIGHT)); // 5 SE, gap 0.05 <= 0.03 + 0.1
    assertEquals(Flag.DISAGREE, flag(1.2, 0.01, 1.0, 0.1, NONE, LIGHT)); // gap 0.2 > 0.13
    assertEquals(Flag.DISAGREE, flag(1.05, 0.01, 1.0, NONE, NONE, LIGHT)); // no next-order estimate
    // heavy tails: no agreement is vouched for, whatever the z-score
    assertEquals(Flag.HEAVY_TAIL, flag(1.02, 0.01, 1.0, 0.1, NONE, HEAVY));
    assertEquals(Flag.HEAVY_TAIL, flag(98.9, 58, 4.844, 2.4, NONE, HEAVY));
    assertEquals(Flag.OK, flag(1.02, 0.01, 1.0, 0.1, NONE, null));
    Verdict v = Verdict.judge(new Estimate(1.05, 0.01), 1.0, 0.1, NONE, 0, LIGHT);
    assertEquals(5, v.zLeading(), 1e-9);
    assertTrue(Double.isNaN(v.zExact()));
    assertEquals(5, v.z(), 1e-9);
  }

  @Test
  void nothingToJudge() {
    assertEquals(Verdict.NONE, Verdict.judge(new Estimate(1, 0.1), NONE, NONE, NONE, 0, LIGHT));
    assertEquals(Verdict.NONE, Verdict.judge(Estimate.UNDEFINED, 1, 0.1, 1, 0, LIGHT));
    assertEquals("-", Verdict.NONE.flag().label());
  }

  @Test
  void exactMeasurements() {
    // SE 0 (layer 1's metric): equal to rounding agrees, anything else disagrees
    Verdict same = Verdict.judge(new Estimate(1.01, 0), 1.0100000000000002, 0, NONE, 0, LIGHT);
    assertEquals(Flag.OK, same.flag());
    assertEquals(0, same.zLeading());
    Verdict off = Verdict.judge(new Estimate(1.02, 0), 1.01, 0, NONE, 0, LIGHT);
    assertEquals(Flag.DISAGREE, off.flag());
    assertEquals(Double.POSITIVE_INFINITY, off.zLeading());
    assertEquals(Flag.OK, Verdict.judge(new Estimate(0, 0), 0, 0, NONE, 0, LIGHT).flag());
  }

  @Test
  void nextOrderNeverExcusesTheQuantitysOwnSize() {
    assertEquals(0, Verdict.depthToWidth(1, k -> 8));
    assertEquals(19 / 100.0, Verdict.depthToWidth(20, k -> 100), 1e-15);
    assertEquals(1 / 4.0 + 1 / 8.0, Verdict.depthToWidth(3, k -> k == 1 ? 4 : 8), 1e-15);
    assertEquals(0.19 * 0.5, Verdict.nextOrder(-0.5, 0.19), 1e-15);
    // at depth = width the ratio is capped at 1/2: a gap of the whole 1/n term stays a disagreement
    double v = 0.6192;
    double next = Verdict.nextOrder(v, Verdict.depthToWidth(32, k -> 32));
    assertEquals(v / 2, next, 1e-15);
    assertEquals(Flag.DISAGREE, flag(2 * v, 0.001, v, next, NONE, LIGHT));
    assertEquals(Flag.BEYOND_LO, flag(1.3 * v, 0.001, v, next, NONE, LIGHT));
    assertTrue(Double.isNaN(Verdict.nextOrder(Double.NaN, 0.1)));
  }
}
