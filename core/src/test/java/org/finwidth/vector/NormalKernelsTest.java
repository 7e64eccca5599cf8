package org.finwidth.vector;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

import org.finwidth.random.BoxMuller;
import org.finwidth.random.Philox4x32;
import org.finwidth.random.RandomStreams;
import org.finwidth.random.Xoshiro128PlusPlus;
import org.finwidth.vector.panama.PanamaNormalKernels;
import org.junit.jupiter.api.Test;

/**
 * Both implementations against the definition ({@link BoxMuller#normal}) and against each other,
 * bit for bit, over lengths and offsets that hit every partial run and segment and every lane tail.
 */
class NormalKernelsTest {

  private static final NormalKernels SCALAR = new ScalarNormalKernels();
  private static final NormalKernels PANAMA = new PanamaNormalKernels();
  private static final float SENTINEL = Float.intBitsToFloat(0x7fc0_dead);

  private static void assertSameBits(float[] expected, float[] actual, String what) {
    for (int i = 0; i < expected.length; i++) {
      if (Float.floatToRawIntBits(expected[i]) != Float.floatToRawIntBits(actual[i])) {
        throw new AssertionError(what + ": first difference at " + i + ": " + expected[i] + " vs " + actual[i]);
      }
    }
  }

  /** Fills out[off .. off+len) with impl, sentinels around it; checks the sentinels survived. */
  private static float[] fill(NormalKernels impl, long seed, long network, int layer, int purpose, long first,
                float scale, int off, int len) {
    float[] out = new float[off + len + 70];
    Arrays.fill(out, SENTINEL);
    impl.fill(seed, network, layer, purpose, first, scale, out, off, len);
    for (int i = 0; i < out.length; i++) {
      if (i < off || i >= off + len) {
        assertEquals(Float.floatToRawIntBits(SENTINEL), Float.floatToRawIntBits(out[i]),
            impl.name() + " wrote outside [off, off+len) at " + i);
      }
    }
    return out;
  }

  @Test
  void scalarIsTheDefinition() {
    SplittableRandom rnd = new SplittableRandom(1);
    for (int t = 0; t < 200; t++) {
      long seed = rnd.nextLong();
      long first = rnd.nextLong(BoxMuller.MAX_INDEX - 1100);
      int len = rnd.nextInt(t < 100 ? 140 : 1100);
      float scale = t % 2 == 0 ? 1f : (float) rnd.nextDouble(0.01, 3);
      float[] out = fill(SCALAR, seed, t, t % 5, RandomStreams.BIASES, first, scale, 3, len);
      for (int i = 0; i < len; i++) {
        assertEquals(BoxMuller.normal(seed, t, t % 5, RandomStreams.BIASES, first + i, scale), out[3 + i]);
      }
    }
  }

  @Test
  void panamaEqualsScalarBitwiseOnEveryTail() {
    // Ends inside a run, on run and segment boundaries, ranges with fewer than two whole runs in
    // a segment (scalar fallback), ranges starting late in a segment (lanes skipped ahead).
    long[] firsts = {0, 1, 15, 16, 17, 31, 32, 33, 47, 63, 64, 65, 500, 960, 991, 1000, 1023, 1024, 1025,
      2047, 1L << 33, BoxMuller.MAX_INDEX - 300, BoxMuller.MAX_INDEX - 3000};
    for (long first : firsts) {
      for (int len = 0; len <= 300 || len < 3000 && first + len <= BoxMuller.MAX_INDEX; len += len < 300 ? (first == 0 ? 1 : 7) : 293) {
        for (int off : new int[] {0, 5}) {
          float scale = len % 3 == 0 ? 1f : 0.0625f * len;
          float[] s = fill(SCALAR, 42, 7, 3, RandomStreams.WEIGHTS, first, scale, off, len);
          float[] p = fill(PANAMA, 42, 7, 3, RandomStreams.WEIGHTS, first, scale, off, len);
          assertSameBits(s, p, "first " + first + " len " + len + " off " + off);
        }
      }
    }
    // Long ranges and random coordinates, including negative seeds and networks.
    SplittableRandom rnd = new SplittableRandom(2);
    for (int t = 0; t < 40; t++) {
      long seed = rnd.nextLong();
      long network = rnd.nextLong();
      int layer = rnd.nextInt(RandomStreams.MAX_LAYER + 1);
      int purpose = rnd.nextInt(RandomStreams.MAX_PURPOSE + 1);
      int len = rnd.nextInt(5000);
      long first = rnd.nextLong(BoxMuller.MAX_INDEX - len + 1);
      float[] s = fill(SCALAR, seed, network, layer, purpose, first, 1f, 1, len);
      float[] p = fill(PANAMA, seed, network, layer, purpose, first, 1f, 1, len);
      assertSameBits(s, p, "random case " + t);
    }
  }

  /** Inverse of the Philox4x32-10 bijection: the counter whose block under key (k0, k1) is {@code out}. */
  private static int[] philoxInverse(int k0, int k1, int[] out) {
    long m0inv = modInverse(Philox4x32.M0 & 0xFFFF_FFFFL);
    long m1inv = modInverse(Philox4x32.M1 & 0xFFFF_FFFFL);
    int x0 = out[0];
    int x1 = out[1];
    int x2 = out[2];
    int x3 = out[3];
    for (int r = Philox4x32.ROUNDS - 1; r >= 0; r--) {
      int rk0 = k0 + r * Philox4x32.W0;
      int rk1 = k1 + r * Philox4x32.W1;
      // Forward: x0' = hi(M1 c2) ^ c1 ^ k0, x1' = lo(M1 c2), x2' = hi(M0 c0) ^ c3 ^ k1, x3' = lo(M0 c0).
      int c2 = (int) ((x1 & 0xFFFF_FFFFL) * m1inv);
      int c0 = (int) ((x3 & 0xFFFF_FFFFL) * m0inv);
      int c1 = x0 ^ (int) (((c2 & 0xFFFF_FFFFL) * (Philox4x32.M1 & 0xFFFF_FFFFL)) >>> 32) ^ rk0;
      int c3 = x2 ^ (int) (((c0 & 0xFFFF_FFFFL) * (Philox4x32.M0 & 0xFFFF_FFFFL)) >>> 32) ^ rk1;
      x0 = c0;
      x1 = c1;
      x2 = c2;
      x3 = c3;
    }
    return new int[] {x0, x1, x2, x3};
  }

  private static long modInverse(long m) { // odd m, inverse mod 2^32 by Newton's iteration
    long x = m;
    for (int i = 0; i < 5; i++) {
      x = x * (2 - m * x) & 0xFFFF_FFFFL;
    }
    return x;
  }

  /**
   * The all-zero Philox block (probability 2^-128 per lane) seeds xoshiro128++ with the state
   * (1, 0, 0, 0) in both implementations: found by inverting Philox for seeds until the zero
   * block's counter is a valid (segment, lane, layer, purpose, network).
   */
  @Test
  void allZeroSeedBlockIsRepairedAlike() {
    for (long seed = 1; ; seed++) {
      int[] c = philoxInverse(RandomStreams.key0(seed), RandomStreams.key1(seed), new int[4]);
      int[] check = new int[4];
      Philox4x32.block(RandomStreams.key0(seed), RandomStreams.key1(seed), c[0], c[1], c[2], c[3], check, 0);
      assertEquals("[0, 0, 0, 0]", Arrays.toString(check));
      if (Integer.toUnsignedLong(c[0]) >= 1L << 28) {
        continue; // block 16 s + l must be below 2^28 (s < 2^24)
      }
      long segment = (c[0] & 0xFFFF_FFFFL) >>> 4;
      int lane = c[0] & 15;
      int layer = c[1] >>> 8;
      int purpose = c[1] & 0xFF;
      long network = (c[2] & 0xFFFF_FFFFL) | (long) c[3] << 32;
      long first = segment << 10;
      float[] s = fill(SCALAR, seed, network, layer, purpose, first, 1f, 0, BoxMuller.SEGMENT);
      float[] p = fill(PANAMA, seed, network, layer, purpose, first, 1f, 0, BoxMuller.SEGMENT);
      assertSameBits(s, p, "segment with the zero block");
      // The repaired lane: state (1, 0, 0, 0), outputs from Xoshiro128PlusPlus.
      int[] state = {1, 0, 0, 0};
      int a = Xoshiro128PlusPlus.advance(state, 1);
      int b = Xoshiro128PlusPlus.advance(state, 1);
      assertEquals(BoxMuller.pairNormal(a, b, 1f, false), s[lane]);
      assertEquals(BoxMuller.pairNormal(a, b, 1f, true), s[lane + 16]);
      return;
    }
  }

  @Test
  void anyChunkingGivesTheSameNumbers() {
    int n = 10_000;
    SplittableRandom rnd = new SplittableRandom(3);
    for (NormalKernels impl : List.of(SCALAR, PANAMA)) {
      float[] whole = new float[n];
      impl.fill(5, 6, 7, RandomStreams.CONDITIONAL, 1000, whole, 0, n);
      float[] pieces = new float[n];
      for (int at = 0; at < n; ) {
        int len = Math.min(n - at, rnd.nextInt(3) == 0 ? 64 * rnd.nextInt(1, 20) : rnd.nextInt(1, 300));
        impl.fill(5, 6, 7, RandomStreams.CONDITIONAL, 1000 + at, pieces, at, len);
        at += len;
      }
      assertSameBits(whole, pieces, impl.name());
    }
  }

  @Test
  void scaleOneGivesStandardNormalsAndScaleMultipliesTheRadius() {
    float[] a = new float[256];
    float[] b = new float[256];
    PANAMA.fill(1, 2, 3, 4, 64, a, 0, 256);
    PANAMA.fill(1, 2, 3, 4, 64, 1f, b, 0, 256);
    assertSameBits(a, b, "scale 1");
    PANAMA.fill(1, 2, 3, 4, 64, 2f, b, 0, 256);
    for (int i = 0; i < 256; i++) {
      assertEquals(2 * a[i], b[i], Math.ulp(2 * a[i]), "index " + i); // (2R) c vs 2 (R c): exact for 2
    }
  }

  @Test
  void rejectsBadArgumentsAtTheBoundary() {
    for (NormalKernels impl : List.of(SCALAR, PANAMA)) {
      float[] out = new float[10];
      assertThrows(IllegalArgumentException.class, () -> impl.fill(0, 0, -1, 0, 0, out, 0, 1));
      assertThrows(IllegalArgumentException.class, () -> impl.fill(0, 0, 0, 256, 0, out, 0, 1));
      assertThrows(IllegalArgumentException.class, () -> impl.fill(0, 0, 0, 0, -1, out, 0, 1));
      assertThrows(IllegalArgumentException.class, () -> impl.fill(0, 0, 0, 0, BoxMuller.MAX_INDEX - 1, out, 0, 2));
      assertThrows(IllegalArgumentException.class, () -> impl.fill(0, 0, 0, 0, 0, out, 0, -1));
      assertThrows(IndexOutOfBoundsException.class, () -> impl.fill(0, 0, 0, 0, 0, out, 5, 6));
      assertThrows(IndexOutOfBoundsException.class, () -> impl.fill(0, 0, 0, 0, 0, out, -1, 2));
      assertThrows(NullPointerException.class, () -> impl.fill(0, 0, 0, 0, 0, null, 0, 0));
      impl.fill(0, 0, 0, 0, BoxMuller.MAX_INDEX, out, 10, 0); // empty range at the very end: fine
    }
  }

  @Test
  void theProviderHandsOutTheForcedImplementation() {
    // core's surefire runs force panama and scalar in turn (see KernelProviderTest).
    String forced = System.getProperty(KernelProvider.PROPERTY);
    NormalKernels k = KernelProvider.getInstance().normalKernels();
    if ("panama".equals(forced) || "scalar".equals(forced)) {
      assertEquals(forced, k.name());
      assertEquals("panama".equals(forced) ? PanamaNormalKernels.class : ScalarNormalKernels.class, k.getClass());
    }
    assertTrue(PanamaNormalKernels.species().startsWith("Species[int"), PanamaNormalKernels.species());
  }
}
