package org.finwidth.vector;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The one pair numbering: lexicographic enumerations, inverses, keys and their parsing. */
class PairIndexTest {

  @Test
  void pairsPairsOfPairsAndQuadruplesEnumerateInLexicographicOrder() {
    for (int d = 1; d <= 17; d++) {
      PairIndex idx = PairIndex.of(d);
      List<int[]> pairs = new ArrayList<>();
      int q = 0;
      for (int a = 0; a < d; a++) {
        for (int b = a; b < d; b++) {
          assertEquals(pairs.size(), idx.pair(a, b), "pair " + a + b);
          assertEquals(pairs.size(), idx.pair(b, a), "pair " + b + a + " (symmetric)");
          assertEquals(a, idx.first(pairs.size()));
          assertEquals(b, idx.second(pairs.size()));
          pairs.add(new int[] {a, b});
          for (int c = b; c < d; c++) {
            for (int e = c; e < d; e++) {
              assertEquals(q++, idx.quad(a, b, c, e));
            }
          }
        }
      }
      assertEquals(pairs.size(), idx.pairs());
      assertEquals(d * (d + 1) / 2, PairIndex.pairCount(d));
      assertEquals(q, idx.quads());
      assertEquals(q, PairIndex.quadCount(d));
      int r = 0;
      for (int p = 0; p < pairs.size(); p++) {
        for (int s = p; s < pairs.size(); s++, r++) {
          assertEquals(r, idx.pairPair(p, s));
          assertEquals(r, idx.pairPair(s, p));
          assertEquals(p, idx.pairPairFirst(r), "first pair of r = " + r + ", d = " + d);
          assertEquals(s, idx.pairPairSecond(r), "second pair of r = " + r + ", d = " + d);
          int[] x = {pairs.get(p)[0], pairs.get(p)[1], pairs.get(s)[0], pairs.get(s)[1]};
          assertEquals(r, idx.component(x[1], x[0], x[3], x[2]));
          java.util.Arrays.sort(x);
          assertEquals(idx.quad(x[0], x[1], x[2], x[3]), idx.quadOf(r));
        }
      }
      assertEquals(r, idx.pairPairs());
      assertEquals(r, PairIndex.pairPairCount(d));
    }
  }

  @Test
  void inverseHoldsAtTheEndsOfTheLargestIndex() {
    PairIndex idx = PairIndex.of(PairIndex.MAX_INPUTS);
    int pairs = idx.pairs();
    for (int p : new int[] {0, 1, 2, pairs / 3, pairs / 2, pairs - 3, pairs - 2, pairs - 1}) {
      for (int s : new int[] {p, p + 1, (p + pairs) / 2, pairs - 1}) {
        if (s < p || s >= pairs) {
          continue;
        }
        int r = idx.pairPair(p, s);
        assertEquals(p, idx.pairPairFirst(r), "r = " + r);
        assertEquals(s, idx.pairPairSecond(r), "r = " + r);
      }
    }
    assertEquals(idx.pairPairs() - 1, idx.pairPair(pairs - 1, pairs - 1));
    assertThrows(IllegalArgumentException.class, () -> PairIndex.of(PairIndex.MAX_INPUTS + 1));
    assertThrows(IllegalArgumentException.class, () -> PairIndex.of(0));
  }

  @Test
  void keysAreDigitsUpToTenInputsAndCommaSeparatedBeyond() {
    PairIndex two = PairIndex.of(2);
    List<String> keys = new ArrayList<>();
    for (int r = 0; r < two.pairPairs(); r++) {
      keys.add(two.key(r));
    }
    assertEquals(List.of("00|00", "00|01", "00|11", "01|01", "01|11", "11|11"), keys);
    assertEquals("09|99", PairIndex.of(10).key(PairIndex.of(10).component(9, 0, 9, 9)));
    PairIndex eleven = PairIndex.of(11);
    assertEquals("1,10|3,4", eleven.key(eleven.component(10, 1, 4, 3)));
    assertEquals("0,0|0,0", eleven.key(0));
    for (int d : new int[] {1, 3, 10, 11, 16}) {
      PairIndex idx = PairIndex.of(d);
      Set<String> seen = new HashSet<>();
      for (int r = 0; r < idx.pairPairs(); r++) {
        String k = idx.key(r);
        assertEquals(r, idx.parseKey(k), k);
        seen.add(k);
      }
      assertEquals(idx.pairPairs(), seen.size(), "keys are distinct, d = " + d);
    }
    assertEquals(two.component(0, 1, 0, 0), two.parseKey("10|00"), "either order within and between pairs");
    for (String bad : new String[] {"0|00", "00|02", "00-00", "00|00|00", "a0|00", "+0|00"}) {
      assertThrows(IllegalArgumentException.class, () -> two.parseKey(bad), bad);
    }
    for (String bad : new String[] {"01|23", "0,11|2,3", "0,1,2|3,4", "00|11", "0,01|1,1"}) {
      assertThrows(IllegalArgumentException.class, () -> eleven.parseKey(bad), bad);
    }
  }

  @Test
  void rejectsIndicesOutOfRangeAndIsCached() {
    PairIndex three = PairIndex.of(3);
    assertSame(three, PairIndex.of(3));
    assertThrows(IndexOutOfBoundsException.class, () -> three.pair(0, 3));
    assertThrows(IndexOutOfBoundsException.class, () -> three.pair(-1, 0));
    assertThrows(IndexOutOfBoundsException.class, () -> three.pairPair(0, 6));
    assertThrows(IndexOutOfBoundsException.class, () -> three.pairPairFirst(21));
    assertThrows(IndexOutOfBoundsException.class, () -> three.pairPairFirst(-1));
    assertThrows(IllegalArgumentException.class, () -> three.quad(0, 0, 2, 1));
    assertThrows(IllegalArgumentException.class, () -> three.quad(0, 0, 1, 3));
  }
}
