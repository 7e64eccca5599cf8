package org.finwidth.random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.apache.commons.rng.core.source32.XoShiRo128PlusPlus;
import org.junit.jupiter.api.Test;

class Xoshiro128PlusPlusTest {

  /**
   * Golden sequence: Commons RNG 1.7's {@code XoShiRo128PlusPlus}, seeded with the same four words
   * (its int[] constructor takes the state as is), gives the same 4096 outputs, one step at a time
   * and in jumps of several steps.
   */
  @Test
  void goldenSequenceOfCommonsRng() {
    int[][] seeds = {
      {1, 0, 0, 0},
      {0x12345678, 0x9abcdef0, 0x0fedcba9, 0x87654321},
      {-1, -1, -1, -1},
      {0, 0, 0, 0x80000000},
    };
    for (int[] s : seeds) {
      var commons = new XoShiRo128PlusPlus(s.clone());
      int[] state = s.clone();
      for (int i = 0; i < 4096; i++) {
        assertEquals(commons.nextInt(), Xoshiro128PlusPlus.advance(state, 1),
            "seed " + java.util.Arrays.toString(s) + " step " + i);
      }
      int[] jumped = s.clone();
      int last = 0;
      for (int i = 0; i < 4096; i += 64) {
        last = Xoshiro128PlusPlus.advance(jumped, 64);
      }
      assertArrayEquals(state, jumped);
      assertEquals(Xoshiro128PlusPlus.advance(s.clone(), 4096), last);
    }
  }

  @Test
  void allZeroSeedIsRepaired() {
    assertEquals(1, Xoshiro128PlusPlus.seedWord0(0, 0, 0, 0));
    assertEquals(0, Xoshiro128PlusPlus.seedWord0(0, 1, 0, 0));
    assertEquals(0, Xoshiro128PlusPlus.seedWord0(0, 0, 0, 1));
    assertEquals(-7, Xoshiro128PlusPlus.seedWord0(-7, 0, 0, 0));
    assertEquals(0, Xoshiro128PlusPlus.advance(new int[4], 0));
    assertThrows(IllegalArgumentException.class, () -> Xoshiro128PlusPlus.advance(new int[4], -1));
  }
}
