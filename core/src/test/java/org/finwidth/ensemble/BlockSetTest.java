package org.finwidth.ensemble;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.BitSet;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** BlockSet against a BitSet model on random operations, and its canonical form. */
class BlockSetTest {
  private static BitSet bits(BlockSet s) {
    BitSet b = new BitSet();
    for (int i = 0; i < s.rangeCount(); i++) {
      b.set((int) s.rangeFrom(i), (int) s.rangeTo(i));
    }
    return b;
  }

  private static BlockSet random(SplittableRandom r) {
    BlockSet s = BlockSet.empty();
    int k = r.nextInt(5);
    for (int i = 0; i < k; i++) {
      long f = r.nextInt(60);
      s = s.union(BlockSet.range(f, f + r.nextInt(12)));
    }
    return s;
  }

  @Test
  void operationsMatchABitSetModel() {
    SplittableRandom r = new SplittableRandom(17); // fixed seed
    for (int trial = 0; trial < 2000; trial++) {
      BlockSet a = random(r);
      BlockSet b = random(r);
      BitSet ba = bits(a);
      BitSet bb = bits(b);
      BitSet union = (BitSet) ba.clone();
      union.or(bb);
      assertEquals(union, bits(a.union(b)));
      BitSet minus = (BitSet) ba.clone();
      minus.andNot(bb);
      assertEquals(minus, bits(a.minus(b)));
      assertEquals(ba.intersects(bb), a.intersects(b));
      assertEquals(ba.cardinality(), a.size());
      assertEquals(minus.isEmpty(), b.containsAll(a) || minus.isEmpty());
      // canonical: equal sets are equal objects, ranges non-adjacent
      assertEquals(a.union(b), b.union(a));
      for (int i = 1; i < a.rangeCount(); i++) {
        assertTrue(a.rangeFrom(i) > a.rangeTo(i - 1), a.toString());
      }
      for (int k = 0; k < a.size(); k++) {
        long blk = a.get(k);
        assertTrue(a.contains(blk));
        assertEquals(k, ba.get(0, (int) blk).cardinality());
      }
      long from = a.size() == 0 ? 0 : r.nextLong(a.size() + 1);
      long to = from + (a.size() == from ? 0 : r.nextLong(a.size() - from + 1));
      BlockSet slice = a.slice(from, to);
      assertEquals(to - from, slice.size());
      assertTrue(a.containsAll(slice));
    }
  }

  @Test
  void malformedRangesAreRejected() {
    assertThrows(IllegalArgumentException.class, () -> BlockSet.range(-1, 3));
    assertThrows(IllegalArgumentException.class, () -> BlockSet.range(5, 3));
    assertThrows(IllegalArgumentException.class, () -> BlockSet.of(1, 2, 3));
    assertThrows(IndexOutOfBoundsException.class, () -> BlockSet.range(0, 3).get(3));
    assertEquals("[0,5) [7,9)", BlockSet.of(7, 9, 0, 3, 2, 5).toString());
    assertEquals("{}", BlockSet.empty().toString());
    assertFalse(BlockSet.range(0, 3).contains(3));
  }
}
