package org.finwidth.stats;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.math.MathContext;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** ExactSum against BigDecimal arithmetic: exact values, correct rounding, order independence. */
class ExactSumTest {

  /** Doubles over the whole range: random sign, exponent and mantissa bits, plus specials. */
  private static double randomDouble(SplittableRandom r) {
    switch (r.nextInt(8)) {
      case 0:
        return Double.longBitsToDouble(r.nextLong() & 0x800f_ffff_ffff_ffffL); // subnormal
      case 1:
        return r.nextDouble() * 2 - 1;
      case 2:
        return (r.nextBoolean() ? 1 : -1) * Double.MAX_VALUE * r.nextDouble();
      default:
        long bits = r.nextLong();
        double x = Double.longBitsToDouble(bits);
        return Double.isFinite(x) ? x : 1.5;
    }
  }

  private static BigDecimal exact(List<Double> xs) {
    BigDecimal s = BigDecimal.ZERO;
    for (double x : xs) {
      s = s.add(new BigDecimal(x));
    }
    return s;
  }

  @Test
  void sumsOfArbitraryDoublesAreExactAndCorrectlyRounded() {
    SplittableRandom r = new SplittableRandom(20240101L); // fixed seed: deterministic inputs
    for (int trial = 0; trial < 200; trial++) {
      int n = 1 + r.nextInt(60);
      List<Double> xs = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        xs.add(randomDouble(r));
      }
      ExactSum s = new ExactSum();
      xs.forEach(s::add);
      BigDecimal want = exact(xs);
      assertEquals(0, want.compareTo(s.toBigDecimal()), "exact value, trial " + trial);
      // BigDecimal.doubleValue is correctly rounded (half-even) on JDK 25 (JDK-8205592)
      assertEquals(want.doubleValue(), s.doubleValue(), 0.0, "rounded value, trial " + trial);
    }
  }

  @Test
  void cancellationLeavesTheTinyRest() {
    ExactSum s = new ExactSum();
    s.add(1e300);
    s.add(Double.MIN_VALUE);
    s.add(-1e300);
    s.add(3.0);
    s.add(-3.0);
    assertEquals(Double.MIN_VALUE, s.doubleValue(), 0.0);
    s.add(-Double.MIN_VALUE);
    assertTrue(s.isZero());
    assertEquals("0", s.toExactString());
  }

  @Test
  void roundsHalfToEven() {
    // 1 + 2^-53 is exactly halfway between 1 and 1 + 2^-52: ties to even gives 1
    ExactSum s = ExactSum.of(1.0);
    s.add(0x1p-53);
    assertEquals(1.0, s.doubleValue(), 0.0);
    s.add(0x1p-200); // now just above half: rounds up
    assertEquals(1.0 + 0x1p-52, s.doubleValue(), 0.0);
    ExactSum t = ExactSum.of(1.0 + 0x1p-52);
    t.add(0x1p-53); // halfway between an odd and an even mantissa: up to even
    assertEquals(1.0 + 0x1p-51, t.doubleValue(), 0.0);
    ExactSum big = ExactSum.of(Double.MAX_VALUE);
    big.add(Double.MAX_VALUE);
    assertEquals(Double.POSITIVE_INFINITY, big.doubleValue(), 0.0);
    big.add(-Double.MAX_VALUE);
    assertEquals(Double.MAX_VALUE, big.doubleValue(), 0.0, "the exact value survives an overflowing partial sum");
  }

  @Test
  void orderAndGroupingDoNotMatter() {
    SplittableRandom r = new SplittableRandom(7L); // fixed seed
    List<Double> xs = new ArrayList<>();
    for (int i = 0; i < 5000; i++) {
      xs.add(r.nextGaussian() * Math.pow(10, r.nextInt(40) - 20));
    }
    ExactSum forward = new ExactSum();
    xs.forEach(forward::add);
    List<Double> shuffled = new ArrayList<>(xs);
    Collections.shuffle(shuffled, new java.util.Random(3));
    // shuffled, and added in 7 groups that are then merged in another order
    ExactSum[] groups = new ExactSum[7];
    for (int g = 0; g < groups.length; g++) {
      groups[g] = new ExactSum();
    }
    for (int i = 0; i < shuffled.size(); i++) {
      groups[(i * 5) % 7].add(shuffled.get(i));
    }
    ExactSum merged = new ExactSum();
    for (int g = groups.length - 1; g >= 0; g--) {
      merged.add(groups[g]);
    }
    assertEquals(forward, merged);
    assertEquals(forward.hashCode(), merged.hashCode());
    assertEquals(Double.doubleToRawLongBits(forward.doubleValue()), Double.doubleToRawLongBits(merged.doubleValue()));
    assertEquals(0, exact(xs).compareTo(merged.toBigDecimal()));
    // naive double summation does depend on the order here (sanity check of the test data)
    double a = 0;
    double b = 0;
    for (double x : xs) {
      a += x;
    }
    for (double x : shuffled) {
      b += x;
    }
    assertTrue(a != b || a != forward.doubleValue(), "test data should defeat naive summation");
  }

  @Test
  void lazyCarriesAreExactWhateverTheThreshold() {
    // the carry propagation threshold (2^30 additions) forced down to 1..5: same exact values
    SplittableRandom r = new SplittableRandom(99L); // fixed seed
    for (int threshold = 1; threshold <= 5; threshold++) {
      List<Double> xs = new ArrayList<>();
      for (int i = 0; i < 400; i++) {
        xs.add(randomDouble(r));
      }
      ExactSum s = new ExactSum(threshold);
      ExactSum t = new ExactSum(threshold);
      for (int i = 0; i < xs.size(); i++) {
        (i % 2 == 0 ? s : t).add(xs.get(i));
      }
      s.add(t);
      assertEquals(0, exact(xs).compareTo(s.toBigDecimal()), "threshold " + threshold);
    }
  }

  /** 3·2^30 additions: digits would overflow without the lazy carries (about 25 s). */
  @Test
  @org.junit.jupiter.api.Tag("slow")
  void manyAdditionsTriggerCarryPropagation() {
    double x = Math.scalb((double) ((1L << 53) - 1), -20); // bits in all three digits of its window
    ExactSum s = new ExactSum();
    long n = 3L << 30;
    for (long i = 0; i < n; i++) {
      s.add(x);
    }
    BigDecimal want = new BigDecimal(x).multiply(BigDecimal.valueOf(n));
    assertEquals(0, want.compareTo(s.toBigDecimal()));
  }

  @Test
  void nonFiniteStatesCombineLikeIeeeAddition() {
    ExactSum p = ExactSum.of(Double.POSITIVE_INFINITY);
    p.add(5.0);
    assertEquals(Double.POSITIVE_INFINITY, p.doubleValue(), 0.0);
    ExactSum m = ExactSum.of(Double.NEGATIVE_INFINITY);
    assertEquals(Double.NEGATIVE_INFINITY, m.doubleValue(), 0.0);
    ExactSum pm = p.copy();
    pm.add(m);
    assertTrue(Double.isNaN(pm.doubleValue()));
    ExactSum n = ExactSum.of(Double.NaN);
    assertTrue(Double.isNaN(n.doubleValue()));
    assertTrue(!n.isFinite());
    ExactSum f = ExactSum.of(1.0);
    f.add(p);
    assertEquals(p, f);
    assertThrows(ArithmeticException.class, f::toBigDecimal);
  }

  @Test
  void binaryAndTextStatesRoundTrip() {
    SplittableRandom r = new SplittableRandom(11L); // fixed seed
    for (int trial = 0; trial < 300; trial++) {
      ExactSum s = new ExactSum();
      int n = r.nextInt(6);
      for (int i = 0; i < n; i++) {
        s.add(randomDouble(r));
      }
      if (trial == 1) {
        s.add(Double.NaN);
      } else if (trial == 2) {
        s.add(Double.NEGATIVE_INFINITY);
      }
      ExactSum fromBytes = ExactSum.fromBytes(s.toBytes());
      assertEquals(s, fromBytes);
      ExactSum fromText = ExactSum.parseExact(s.toExactString());
      assertEquals(s, fromText);
      assertEquals(s.toExactString(), fromText.toExactString());
      if (s.isFinite()) {
        assertEquals(0, s.toBigDecimal().compareTo(fromText.toBigDecimal()));
      }
    }
    assertEquals("0x3p-2", ExactSum.of(0.75).toExactString());
    assertEquals("-0x1p0", ExactSum.of(-1.0).toExactString());
    assertEquals("0x1p-1074", ExactSum.of(Double.MIN_VALUE).toExactString());
    assertEquals(2, new ExactSum().toBytes().length, "zero takes two bytes");
  }

  @Test
  void malformedStatesAreRejected() {
    assertThrows(IllegalArgumentException.class, () -> ExactSum.parseExact("0x2p0")); // even mantissa
    assertThrows(IllegalArgumentException.class, () -> ExactSum.parseExact("0x1p-1075")); // below the grid
    assertThrows(IllegalArgumentException.class, () -> ExactSum.parseExact("1.5"));
    assertThrows(IllegalArgumentException.class, () -> ExactSum.fromBytes(new byte[] {0, 1})); // truncated
    assertThrows(IllegalArgumentException.class, () -> ExactSum.fromBytes(new byte[] {9}));
    assertThrows(IllegalArgumentException.class, () -> ExactSum.fromBytes(new byte[] {0, 1, 3, 0, 0, 0, 0})); // zero word
    assertThrows(IllegalArgumentException.class, () -> ExactSum.fromBytes(new byte[] {0, 1, 80, 0, 0, 0, 1})); // off the grid
    assertThrows(IllegalArgumentException.class, () -> ExactSum.fromBytes(new byte[] {0, 0, 0})); // trailing
    byte[] ok = ExactSum.of(3.25).toBytes();
    assertEquals(ExactSum.of(3.25), ExactSum.fromBytes(ok));
  }

  @Test
  void exactValueAgreesWithHighPrecisionForGaussianSums() {
    // a sanity check of toBigDecimal against a 50-digit running sum
    SplittableRandom r = new SplittableRandom(5L);
    ExactSum s = new ExactSum();
    BigDecimal ref = BigDecimal.ZERO;
    MathContext mc = new MathContext(50);
    for (int i = 0; i < 1000; i++) {
      double x = r.nextGaussian();
      s.add(x);
      ref = ref.add(new BigDecimal(x), mc);
    }
    assertEquals(0, ref.round(new MathContext(40)).compareTo(s.toBigDecimal().round(new MathContext(40))));
  }
}
