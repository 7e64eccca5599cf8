package org.finwidth.random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;

/**
 * Accuracy of the float Box–Muller pieces against {@link Math} in double, on all extreme inputs
 * and 2^21 random ones (the exhaustive scan over all 2^31 / 2^32 inputs, which gave the bounds
 * quoted in {@link BoxMuller}'s Javadoc, takes minutes: see {@code BoxMullerExhaustiveTest}).
 */
class BoxMullerTest {

  private static final int SAMPLES = 1 << 21;
  /** Relative error bound of R^2 against -2 ln(U as rounded to float): 2 float ulps (2^-23). */
  private static final double R2_REL_TOL = 0x1p-23;
  /** Absolute error bound of cos/sin of the angle word: 1.2e-7 (about 2 ulps of 1). */
  private static final double TRIG_ABS_TOL = 1.2e-7;

  private static double uniformAsFloat(int a) {
    return Math.fma((float) (a >>> 1), BoxMuller.U_SCALE, BoxMuller.U_OFFSET);
  }

  private static void checkRadius(int a) {
    double u = uniformAsFloat(a);
    double exact = -2 * Math.log(u);
    float r2 = BoxMuller.radiusSquared(a);
    if (exact == 0) {
      assertEquals(0f, r2, "a = " + a);
    } else {
      assertTrue(Math.abs(r2 - exact) <= R2_REL_TOL * exact, () -> "a = " + a + ": " + r2 + " vs " + exact);
    }
  }

  private static void checkAngle(int b) {
    double theta = 2 * Math.PI * (Integer.toUnsignedLong(b) * 0x1p-32);
    assertEquals(Math.cos(theta), BoxMuller.cosTurn(b), TRIG_ABS_TOL, () -> "b = " + b);
    assertEquals(Math.sin(theta), BoxMuller.sinTurn(b), TRIG_ABS_TOL, () -> "b = " + b);
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
    for (int q = 0; q < 8; q++) { // octant boundaries and their neighbours
      int b0 = q << 29;
      for (int d = -2048; d <= 2048; d++) {
        checkAngle(b0 + d);
      }
    }
    SplittableRandom rnd = new SplittableRandom(20260102L);
    for (int i = 0; i < SAMPLES; i++) {
      checkAngle(rnd.nextInt());
    }
    // Exact values where the construction is exact.
    assertEquals(1f, BoxMuller.cosTurn(0));
    assertEquals(0f, BoxMuller.sinTurn(0));
    assertEquals(-1f, BoxMuller.cosTurn(0x8000_0000));
    assertEquals(1f, BoxMuller.sinTurn(0x4000_0000));
    assertEquals(-1f, BoxMuller.sinTurn(0xC000_0000));
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
  }

  /** normal(index) follows the documented layout: group 64, row j = (i >>> 4) & 3, lane i & 15. */
  @Test
  void normalFollowsTheLayout() {
    long seed = 99;
    long network = 12345;
    int layer = 7;
    int purpose = RandomStreams.WEIGHTS;
    int[] w = new int[4];
    for (long i : new long[] {0, 1, 15, 16, 17, 31, 32, 48, 63, 64, 1000, (1L << 34) - 1}) {
      long block = (i >>> 6) * 16 + (i & 15);
      int row = (int) (i >>> 4) & 3;
      RandomStreams.block(seed, network, layer, purpose, block, w, 0);
      float r = BoxMuller.radius(w[row & 2]);
      float expected = (row & 1) == 0 ? r * BoxMuller.cosTurn(w[(row & 2) + 1]) : r * BoxMuller.sinTurn(w[(row & 2) + 1]);
      assertEquals(expected, BoxMuller.normal(seed, network, layer, purpose, i), "index " + i);
      float s = 0.37f;
      assertEquals((s * r) * ((row & 1) == 0 ? BoxMuller.cosTurn(w[(row & 2) + 1]) : BoxMuller.sinTurn(w[(row & 2) + 1])),
          BoxMuller.normal(seed, network, layer, purpose, i, s), "index " + i);
    }
    assertThrows(IllegalArgumentException.class, () -> BoxMuller.normal(0, 0, 0, 0, 1L << 34));
    assertThrows(IllegalArgumentException.class, () -> BoxMuller.normal(0, 0, 0, 0, -1));
  }
}
