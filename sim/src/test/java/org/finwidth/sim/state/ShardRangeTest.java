package org.finwidth.sim.state;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Shards tile the blocks, ranges are block-aligned, bad syntax is refused. */
class ShardRangeTest {
  @Test
  void shardsTileEveryEnsembleAndDifferByAtMostOneBlock() {
    int b = 1024;
    for (long m : new long[] {1, 1023, 1024, 1025, 10_000, 3 * 1024, 1_000_000, Long.MAX_VALUE / 2}) {
      long blocks = Math.ceilDiv(m, (long) b);
      for (long n : new long[] {1, 2, 3, 7, 64}) {
        if (n > blocks) {
          continue;
        }
        long next = 0;
        long min = Long.MAX_VALUE;
        long max = 0;
        for (long i = 1; i <= n; i++) {
          ShardRange r = ShardRange.ofShard(i + "/" + n, m, b);
          assertEquals(next, r.from(), "contiguous " + i + "/" + n + " of " + m);
          assertTrue(r.to() > r.from());
          assertEquals(0, r.from() % b);
          long k = r.blocks(b).size();
          min = Math.min(min, k);
          max = Math.max(max, k);
          next = r.to();
        }
        assertEquals(m, next, "the last shard ends at M");
        assertTrue(max - min <= 1, "balanced: " + min + ".." + max);
      }
    }
  }

  @Test
  void rangesMustBeAlignedToBlocks() {
    assertEquals(new ShardRange(1024, 4096), ShardRange.parse("1024:4096", 10_000, 1024));
    assertEquals(new ShardRange(9216, 10_000), ShardRange.parse("9216:10000", 10_000, 1024));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ShardRange.parse("1000:5000", 10_000, 1024));
    assertTrue(e.getMessage().contains("nearest aligned range is 0:5120"), e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> ShardRange.parse("0:10001", 10_000, 1024));
    assertThrows(IllegalArgumentException.class, () -> ShardRange.parse("2048:2048", 10_000, 1024));
    assertThrows(IllegalArgumentException.class, () -> ShardRange.parse("x:5", 10_000, 1024));
    assertThrows(IllegalArgumentException.class, () -> ShardRange.ofShard("0/4", 10_000, 1024));
    assertThrows(IllegalArgumentException.class, () -> ShardRange.ofShard("5/4", 10_000, 1024));
    assertThrows(IllegalArgumentException.class, () -> ShardRange.ofShard("3/11", 10_000, 1024));
    assertThrows(IllegalArgumentException.class, () -> ShardRange.ofShard("3", 10_000, 1024));
  }
}
