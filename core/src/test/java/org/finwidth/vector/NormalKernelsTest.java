package org.finwidth.vector;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

import org.finwidth.random.BoxMuller;
import org.finwidth.random.RandomStreams;
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
