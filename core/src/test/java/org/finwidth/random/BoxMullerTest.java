package org.finwidth.random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;

import org.apache.commons.rng.core.source32.XoShiRo128PlusPlus;
import org.junit.jupiter.api.Test;

/**
 * Accuracy of the float Box–Muller pieces against {@link Math} in double, on all extreme inputs
 * and 2^21 random ones (the exhaustive scan over all 2^31 radius inputs, which gave the bound
 * quoted in {@link BoxMuller}'s Javadoc, takes minutes: see {@code BoxMullerExhaustiveTest}), and
 * the documented layout of the stream, rebuilt from Commons RNG's generators.
 */
class BoxMullerTest {

  private static final int SAMPLES = 1 << 21;
  /** Relative error bound of R^2 against -2 ln(U as rounded to float): 1 float ulp of 1 (2^-23). */
  private static final double R2_REL_TOL = 0x1p-23;
  /** Absolute error bound of cos/sin of the angle word: 1.2e-7 (about 2 ulps of 1). */
  private static final double TRIG_ABS_TOL = 1.2e-7;

  /** U = (a >>> 1 + 1/2) 2^-31 rounded to float, computed independently of BoxMuller. */
  static double uniformAsFloat(int a) {
    return Math.fma((float) (a >>> 1), 0x1p-31f, 0x1p-32f);
  }

  /** phi = pi/4 + (pi/2) (b >> 8) 2^-24, exactly (in double). */
  static double phi(int b) {
    return Math.PI / 4 + Math.PI / 2 * ((b >> 8) * 0x1p-24);
  }

  private static void checkRadius(int a) {
    double exact = -2 * Math.log(uniformAsFloat(a));
    float r2 = BoxMuller.radiusSquared(a);
    if (exact == 0) {
      assertEquals(0f, r2, "a = " + a);
    } else {
      assertTrue(Math.abs(r2 - exact) <= R2_REL_TOL * exact, () -> "a = " + a + ": " + r2 + " vs " + exact);
    }
  }

  private static void checkAngle(int b) {
    assertEquals(Math.cos(phi(b)), BoxMuller.cosPart(b), TRIG_ABS_TOL, () -> "b = " + b);
    assertEquals(Math.sin(phi(b)), BoxMuller.sinPart(b), TRIG_ABS_TOL, () -> "b = " + b);
  }

  @Test
  void radiusMatchesMathLog() {
    for (int a = 0; a < 4096; a++) {
      checkRadius(a);       // the far tail: U = 2^-32 .. 2^-21
      checkRadius(-1 - a);  // U near 1
      checkRadius(0x7ffff000 + a);
    }
    for (int k = 0; k < 32; k++) { // every binade boundary and sqrt(1/2) split
      checkRadius(1 << k);
      checkRadius((1 << k) - 1);
      checkRadius((int) ((1L << k) * 1.41421356));
      checkRadius((int) ((1L << k) * 1.41421357));
    }
    SplittableRandom rnd = new SplittableRandom(20260101L);
    for (int i = 0; i < SAMPLES; i++) {
      checkRadius(rnd.nextInt());
    }
  }

  @Test
  void angleMatchesMathSinCos() {
    for (int e : new int[] {-(1 << 23), -(1 << 22), 0, 1 << 22, (1 << 23) - 1}) { // phi = 0, pi/8, pi/4, ...
      for (int d = -2048; d <= 2048; d++) {
        checkAngle((e + d) << 8);
      }
    }
    SplittableRandom rnd = new SplittableRandom(20260102L);
    for (int i = 0; i < SAMPLES; i++) {
      checkAngle(rnd.nextInt());
    }
    // The low 8 bits of b do not move the angle (bit 0 is z_s's sign).
    assertEquals(BoxMuller.cosPart(0x1234_5600), BoxMuller.cosPart(0x1234_56ff));
    assertEquals(BoxMuller.sinPart(0x1234_5600), BoxMuller.sinPart(0x1234_56ff));
  }

  @Test
  void signsComeFromBitZeroOfEachWord() {
    SplittableRandom rnd = new SplittableRandom(20260103L);
    for (int i = 0; i < 10_000; i++) {
      int a = rnd.nextInt();
      int b = rnd.nextInt();
      float s = (float) rnd.nextDouble(0.01, 3);
      float r = BoxMuller.radius(a) * s;
      assertEquals(BoxMuller.cosPart(b) * ((a & 1) == 0 ? r : -r), BoxMuller.pairNormal(a, b, s, false));
      assertEquals(BoxMuller.sinPart(b) * ((b & 1) == 0 ? r : -r), BoxMuller.pairNormal(a, b, s, true));
    }
  }

  @Test
  void tailCapIsSqrt64Ln2() {
    // U_min = 2^-32 for radius words 0 and 1: R_max = sqrt(-2 ln 2^-32) = sqrt(64 ln 2).
    double cap = Math.sqrt(64 * Math.log(2));
    assertEquals(cap, BoxMuller.TAIL_CAP, 2 * Math.ulp((float) cap));
    assertEquals(BoxMuller.TAIL_CAP, BoxMuller.radius(0));
    assertEquals(BoxMuller.TAIL_CAP, BoxMuller.radius(1));
    // The second atom: U = 3 * 2^-32.
    assertEquals(Math.sqrt(-2 * Math.log(3 * 0x1p-32)), BoxMuller.radius(2), 2e-6);
    // Every radius is below the cap (checked on the extremes; monotone in between).
    assertTrue(BoxMuller.radius(-1) <= BoxMuller.TAIL_CAP && BoxMuller.radius(-1) >= 0);
    // |cos phi|, |sin phi| <= 1 at the ends of the angle range, so |z| <= the cap.
    assertTrue(Math.abs(BoxMuller.cosPart(0x8000_0000)) <= 1f && Math.abs(BoxMuller.sinPart(0x7fff_ffff)) <= 1f);
  }

  /**
   * The documented layout, rebuilt from Commons RNG 1.7: lane l of segment s is Commons'
   * XoShiRo128PlusPlus seeded with the Philox4x32-10 block 16 s + l (Commons' Philox4x32, which
   * increments its 128-bit counter before each block, seeded one counter earlier); pair j takes
   * its outputs 2j and 2j + 1; normal i = 1024 s + 32 j + 16 h + l is z_c (h = 0) or z_s.
   */
  @Test
  void normalFollowsTheLayout() {
    long seed = 0x0123_4567_89ab_cdefL;
    long network = -12345;
    int layer = 7;
    int purpose = RandomStreams.BIASES;
    for (long i : new long[] {0, 1, 15, 16, 17, 31, 32, 63, 64, 1000, 1023, 1024, 1024 + 16 * 33,
                  (1L << 20) + 999, BoxMuller.MAX_INDEX - 1}) {
      long block = (i >>> 10 << 4) | (i & 15);
      int pair = (int) (i >>> 5) & 31;
      // Counter (block, c1, c2, c3) minus one, as a 128-bit number.
      int c0 = (int) block;
      int c1 = RandomStreams.counter1(layer, purpose);
      int c2 = RandomStreams.counter2(network);
      int c3 = RandomStreams.counter3(network);
      if (c0-- == 0 && c1-- == 0 && c2-- == 0) {
        c3--;
      }
      var philox = new org.apache.commons.rng.core.source32.Philox4x32(
          new int[] {RandomStreams.key0(seed), RandomStreams.key1(seed), c0, c1, c2, c3});
      int[] w = {philox.nextInt(), philox.nextInt(), philox.nextInt(), philox.nextInt()};
      var lane = new XoShiRo128PlusPlus(new int[] {Xoshiro128PlusPlus.seedWord0(w[0], w[1], w[2], w[3]), w[1], w[2], w[3]});
      for (int k = 0; k < 2 * pair; k++) {
        lane.nextInt();
      }
      int a = lane.nextInt();
      int b = lane.nextInt();
      boolean sin = (i & 16) != 0;
      assertEquals(BoxMuller.pairNormal(a, b, 1f, sin), BoxMuller.normal(seed, network, layer, purpose, i), "index " + i);
      assertEquals(BoxMuller.pairNormal(a, b, 0.37f, sin), BoxMuller.normal(seed, network, layer, purpose, i, 0.37f), "index " + i);
    }
    assertThrows(IllegalArgumentException.class, () -> BoxMuller.normal(0, 0, 0, 0, 1L << 34));
    assertThrows(IllegalArgumentException.class, () -> BoxMuller.normal(0, 0, 0, 0, -1));
  }
}
