package org.finwidth.random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class Philox4x32Test {

  /**
   * Known-answer vectors of Random123 (D. E. Shaw Research, {@code examples/kat_vectors}, the three
   * "philox4x32 10" lines): counter c0..c3, key k0 k1, expected output.
   */
  private static final int[][] KAT = {
    {0x00000000, 0x00000000, 0x00000000, 0x00000000, 0x00000000, 0x00000000,
      0x6627e8d5, 0xe169c58d, 0xbc57ac4c, 0x9b00dbd8},
    {0xffffffff, 0xffffffff, 0xffffffff, 0xffffffff, 0xffffffff, 0xffffffff,
      0x408f276d, 0x41c83b0e, 0xa20bc7c6, 0x6d5451fd},
    {0x243f6a88, 0x85a308d3, 0x13198a2e, 0x03707344, 0xa4093822, 0x299f31d0,
      0xd16cfe09, 0x94fdcceb, 0x5001e420, 0x24126ea1},
  };

  @Test
  void knownAnswerVectorsOfRandom123() {
    for (int[] v : KAT) {
      int[] out = new int[5];
      Philox4x32.block(v[4], v[5], v[0], v[1], v[2], v[3], out, 1);
      assertArrayEquals(new int[] {0, v[6], v[7], v[8], v[9]}, out);
      for (int j = 0; j < 4; j++) {
        assertEquals(v[6 + j], Philox4x32.word(v[4], v[5], v[0], v[1], v[2], v[3], j));
      }
    }
  }

  /**
   * Golden sequence: Commons RNG 1.7's Philox4x32, seeded with {k0, k1, c0, c1, c2, c3}, returns
   * the words of the blocks at counters c + 1, c + 2, ... (it increments the 128-bit counter,
   * carrying from c0 to c3, before each block). Ours must give the same 4096 words.
   */
  @Test
  void goldenSequenceOfCommonsRng() {
    int[][] seeds = {
      {0, 0, 0, 0, 0, 0},
      {0x12345678, 0x9abcdef0, 1, 2, 3, 4},
      {-1, -1, -3, -1, -1, 7},          // c0 wraps to 0 after 3 blocks: the carry path
      {0xdeadbeef, 0x0badf00d, -1, -1, -1, -1}, // the whole 128-bit counter wraps
    };
    for (int[] s : seeds) {
      var commons = new org.apache.commons.rng.core.source32.Philox4x32(s.clone());
      int c0 = s[2];
      int c1 = s[3];
      int c2 = s[4];
      int c3 = s[5];
      int[] block = new int[4];
      for (int b = 0; b < 1024; b++) {
        // 128-bit increment, as Commons RNG does before each block.
        if (++c0 == 0 && ++c1 == 0 && ++c2 == 0) {
          ++c3;
        }
        Philox4x32.block(s[0], s[1], c0, c1, c2, c3, block, 0);
        for (int j = 0; j < 4; j++) {
          assertEquals(commons.nextInt(), block[j], "seed " + java.util.Arrays.toString(s)
              + " block " + b + " word " + j);
        }
      }
    }
  }

  @Test
  void rejectsBadArguments() {
    assertThrows(IllegalArgumentException.class, () -> Philox4x32.word(0, 0, 0, 0, 0, 0, 4));
    assertThrows(IllegalArgumentException.class, () -> Philox4x32.word(0, 0, 0, 0, 0, 0, -1));
    assertThrows(IndexOutOfBoundsException.class, () -> Philox4x32.block(0, 0, 0, 0, 0, 0, new int[4], 1));
  }
}
