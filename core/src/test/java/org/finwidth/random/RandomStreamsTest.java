package org.finwidth.random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class RandomStreamsTest {

  /** The documented layout: key = seed halves, counter = (block, layer << 8 | purpose, network halves). */
  @Test
  void keyingIsTheDocumentedLayout() {
    long seed = 0x0123_4567_89ab_cdefL;
    long network = 0xfedc_ba98_7654_3210L;
    int layer = 0xabcdef;
    int purpose = 0x5a;
    int[] expected = new int[4];
    int[] actual = new int[4];
    for (long block : new long[] {0, 1, 77, (1L << 32) - 1}) {
      Philox4x32.block(0x89ab_cdef, 0x0123_4567, (int) block, 0xabcdef5a, 0x7654_3210, 0xfedc_ba98, expected, 0);
      RandomStreams.block(seed, network, layer, purpose, block, actual, 0);
      assertEquals(java.util.Arrays.toString(expected), java.util.Arrays.toString(actual));
      for (int j = 0; j < 4; j++) {
        assertEquals(expected[j], RandomStreams.word(seed, network, layer, purpose, 4 * block + j));
      }
    }
  }

  @Test
  void everyCoordinateChangesTheWords() {
    int base = RandomStreams.word(1, 2, 3, 4, 5);
    assertNotEquals(base, RandomStreams.word(2, 2, 3, 4, 5));
    assertNotEquals(base, RandomStreams.word(1 + (1L << 32), 2, 3, 4, 5));
    assertNotEquals(base, RandomStreams.word(1, 3, 3, 4, 5));
    assertNotEquals(base, RandomStreams.word(1, 2 + (1L << 32), 3, 4, 5));
    assertNotEquals(base, RandomStreams.word(1, 2, 4, 4, 5));
    assertNotEquals(base, RandomStreams.word(1, 2, 3, 5, 5));
    assertNotEquals(base, RandomStreams.word(1, 2, 3, 4, 9));
  }

  @Test
  void rejectsOutOfDomainCoordinates() {
    assertThrows(IllegalArgumentException.class, () -> RandomStreams.word(0, 0, -1, 0, 0));
    assertThrows(IllegalArgumentException.class, () -> RandomStreams.word(0, 0, 1 << 24, 0, 0));
    assertThrows(IllegalArgumentException.class, () -> RandomStreams.word(0, 0, 0, 256, 0));
    assertThrows(IllegalArgumentException.class, () -> RandomStreams.word(0, 0, 0, -1, 0));
    assertThrows(IllegalArgumentException.class, () -> RandomStreams.word(0, 0, 0, 0, -1));
    assertThrows(IllegalArgumentException.class, () -> RandomStreams.word(0, 0, 0, 0, 1L << 34));
    assertThrows(IllegalArgumentException.class, () -> RandomStreams.block(0, 0, 0, 0, 1L << 32, new int[4], 0));
    RandomStreams.word(0, 0, RandomStreams.MAX_LAYER, RandomStreams.MAX_PURPOSE, (1L << 34) - 1);
  }
}
