package org.finwidth.sim.state;

import java.math.BigInteger;
import org.finwidth.ensemble.BlockSet;

/**
 * A range of network indices {@code [from, to)} of an ensemble of M networks that one shard runs.
 * Ranges are <em>block-aligned</em>: {@code from} is a multiple of the block size B and
 * {@code to} is a multiple of B or M. The statistics of a block are accumulated in double
 * precision before they are added exactly, so a boundary inside a block would change the
 * rounding; aligned ranges merge into the bitwise result of one run, unaligned ones are refused.
 *
 * <p>{@code --shard i/N} (i = 1..N) splits the ⌈M/B⌉ blocks into N contiguous ranges whose sizes
 * differ by at most one block: shard i has blocks {@code [⌊(i−1)C/N⌋, ⌊iC/N⌋)}, C = ⌈M/B⌉.
 *
 * @param from first network (inclusive)
 * @param to last network + 1 (exclusive)
 */
public record ShardRange(long from, long to) {
  /** The whole ensemble {@code 0:M}. */
  public static ShardRange all(long networks) {
    return new ShardRange(0, networks);
  }

  /**
   * Shard {@code i} of {@code N} ({@code "i/N"}, 1 ≤ i ≤ N ≤ ⌈M/B⌉).
   *
   * @throws IllegalArgumentException "--shard ...: why" otherwise
   */
  public static ShardRange ofShard(String text, long networks, int blockSize) {
    long[] pair = pair(text, "/");
    if (pair == null) {
      throw new IllegalArgumentException("--shard " + text + ": expected i/N with whole numbers 1 <= i <= N, e.g. 3/8");
    }
    long i = pair[0];
    long n = pair[1];
    if (n < 1 || i < 1 || i > n) {
      throw new IllegalArgumentException("--shard " + text + ": expected 1 <= i <= N (shards are numbered from 1)");
    }
    long blocks = Math.ceilDiv(networks, (long) blockSize);
    if (n > blocks) {
      throw new IllegalArgumentException("--shard " + text + ": " + networks + " networks make only " + blocks
          + " block" + (blocks == 1 ? "" : "s") + " of " + blockSize + "; use at most " + blocks + " shards");
    }
    long fromBlock = scale(i - 1, blocks, n);
    long toBlock = scale(i, blocks, n);
    return new ShardRange(fromBlock * blockSize, Math.min(networks, toBlock * blockSize));
  }

  /** ⌊a·c/n⌋ without overflow. */
  private static long scale(long a, long c, long n) {
    return BigInteger.valueOf(a).multiply(BigInteger.valueOf(c)).divide(BigInteger.valueOf(n)).longValueExact();
  }

  /**
   * The range {@code "a:b"} of network indices, checked against M and the block size.
   *
   * @throws IllegalArgumentException "--range ...: why" (with the aligned range nearest to it)
   */
  public static ShardRange parse(String text, long networks, int blockSize) {
    long[] pair = pair(text, ":");
    if (pair == null) {
      throw new IllegalArgumentException("--range " + text + ": expected a:b, network indices 0 <= a < b <= M, e.g. 0:"
          + Math.min(networks, 4L * blockSize));
    }
    long a = pair[0];
    long b = pair[1];
    if (a < 0 || b <= a || b > networks) {
      throw new IllegalArgumentException("--range " + text + ": expected 0 <= a < b <= " + networks + " (the networks)");
    }
    String problem = alignmentProblem(a, b, networks, blockSize);
    if (problem != null) {
      long fa = a / blockSize * blockSize;
      long fb = Math.min(networks, Math.ceilDiv(b, (long) blockSize) * blockSize);
      throw new IllegalArgumentException("--range " + text + ": " + problem + "; the nearest aligned range is " + fa + ":" + fb);
    }
    return new ShardRange(a, b);
  }

  /** The two whole numbers of {@code "x SEP y"}, or null if it is not that. */
  private static long[] pair(String text, String separator) {
    String[] parts = text.trim().split(java.util.regex.Pattern.quote(separator), -1);
    try {
      return parts.length == 2 ? new long[] {Long.parseLong(parts[0].trim()), Long.parseLong(parts[1].trim())} : null;
    } catch (NumberFormatException e) {
      return null;
    }
  }

  /** Why {@code [a, b)} is not block-aligned, or null if it is. */
  static String alignmentProblem(long a, long b, long networks, int blockSize) {
    if (a % blockSize != 0 || (b % blockSize != 0 && b != networks)) {
      return "shard boundaries must be multiples of the block size " + blockSize
          + " (or M for the end), since a block split between two shards would not give the bits of one run";
    }
    return null;
  }

  /** The blocks of this range. */
  public BlockSet blocks(int blockSize) {
    return BlockSet.range(from / blockSize, Math.ceilDiv(to, (long) blockSize));
  }

  /** Number of networks. */
  public long size() {
    return to - from;
  }

  /** {@code "from:to"}, the syntax of {@code --range}. */
  @Override
  public String toString() {
    return from + ":" + to;
  }
}
