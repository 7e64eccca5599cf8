package org.finwidth.random;

/**
 * The keying of every random number of the engine: which Philox4x32-10 key and counter produce
 * the random words of a stream (directly, or as the seeds of the normals' generator lanes). <b>This mapping is part of the reproducibility contract and of the
 * shard file format: changing it changes every result of every seed. Do not change it.</b>
 *
 * <p>A <em>stream</em> is identified by {@code (seed, network, layer, purpose)}; its words are
 * indexed by a position. Block {@code b} (0 &le; b &lt; 2<sup>32</sup>) of the stream is
 * {@link Philox4x32#block Philox4x32-10} with
 * <pre>
 *   key     = (k0, k1) = (low 32 bits of seed, high 32 bits of seed)
 *   counter = (c0, c1, c2, c3) = (b, layer &lt;&lt; 8 | purpose, low 32 bits of network, high 32 bits of network)
 * </pre>
 * Raw word {@code q} of the stream (0 &le; q &lt; 2<sup>34</sup>) is word {@code q & 3} of block
 * {@code q >>> 2}. The normals of a stream ({@link BoxMuller}) use the same blocks as the seeds of
 * their xoshiro128++ lanes (block {@code 16 s + l} seeds lane {@code l} of segment {@code s}), so a
 * stream is consumed either as raw words or as normals, never both.
 *
 * <p>Domains: seed and network are any 64-bit values (the network index is taken as unsigned);
 * layer is in [0, 2<sup>24</sup>), purpose in [0, 256). Distinct {@code (network, layer,
 * purpose, block)} give distinct counters, so under one seed every random word of every network
 * is drawn from a distinct input of the bijection.
 *
 * <p>Purposes in use are the constants below; a new use of randomness takes a new number.
 */
public final class RandomStreams {

  /** Purpose of the weight matrices W^(l) of the weights sampler. */
  public static final int WEIGHTS = 0;
  /** Purpose of the bias vectors b^(l) of the weights sampler. */
  public static final int BIASES = 1;
  /** Purpose of the standard normals of the conditional sampler (layer l's preactivations). */
  public static final int CONDITIONAL = 2;

  /** Number of bits of the purpose in counter word 1. */
  public static final int PURPOSE_BITS = 8;
  /** Largest layer a stream may carry: 2<sup>24</sup> - 1. */
  public static final int MAX_LAYER = (1 << (32 - PURPOSE_BITS)) - 1;
  /** Largest purpose: 255. */
  public static final int MAX_PURPOSE = (1 << PURPOSE_BITS) - 1;
  /** Number of counter blocks in one stream: 2<sup>32</sup>. */
  public static final long BLOCKS_PER_STREAM = 1L << 32;

  private RandomStreams() {
  }

  /** Key word 0 of a seed. */
  public static int key0(long seed) {
    return (int) seed;
  }

  /** Key word 1 of a seed. */
  public static int key1(long seed) {
    return (int) (seed >>> 32);
  }

  /**
   * Counter word 1: {@code layer << 8 | purpose}.
   *
   * @throws IllegalArgumentException if layer or purpose is out of its domain
   */
  public static int counter1(int layer, int purpose) {
    checkStream(layer, purpose);
    return layer << PURPOSE_BITS | purpose;
  }

  /** Counter word 2: the low 32 bits of the network index. */
  public static int counter2(long network) {
    return (int) network;
  }

  /** Counter word 3: the high 32 bits of the network index. */
  public static int counter3(long network) {
    return (int) (network >>> 32);
  }

  /**
   * Checks that a stream's layer and purpose are in their domains.
   *
   * @throws IllegalArgumentException naming the parameter and its value otherwise
   */
  public static void checkStream(int layer, int purpose) {
    if (layer < 0 || layer > MAX_LAYER) {
      throw new IllegalArgumentException("layer must be in [0, " + MAX_LAYER + "], got " + layer);
    }
    if (purpose < 0 || purpose > MAX_PURPOSE) {
      throw new IllegalArgumentException("purpose must be in [0, " + MAX_PURPOSE + "], got " + purpose);
    }
  }

  /**
   * Writes the four words of block {@code block} of a stream to {@code out[off .. off+3]}.
   *
   * @param block block index, 0 &le; block &lt; 2<sup>32</sup>
   * @throws IllegalArgumentException if layer, purpose or block is out of its domain
   * @throws IndexOutOfBoundsException if {@code out} has no room for four words at {@code off}
   */
  public static void block(long seed, long network, int layer, int purpose, long block, int[] out, int off) {
    int c1 = counter1(layer, purpose);
    if (block < 0 || block >= BLOCKS_PER_STREAM) {
      throw new IllegalArgumentException("block must be in [0, 2^32), got " + block);
    }
    Philox4x32.block(key0(seed), key1(seed), (int) block, c1, counter2(network), counter3(network), out, off);
  }

  /**
   * Raw word {@code position} of a stream: word {@code position & 3} of block {@code position >>> 2}.
   *
   * @param position 0 &le; position &lt; 2<sup>34</sup>
   * @throws IllegalArgumentException if layer, purpose or position is out of its domain
   */
  public static int word(long seed, long network, int layer, int purpose, long position) {
    int c1 = counter1(layer, purpose);
    if (position < 0 || position >= 4 * BLOCKS_PER_STREAM) {
      throw new IllegalArgumentException("position must be in [0, 2^34), got " + position);
    }
    return Philox4x32.word(key0(seed), key1(seed), (int) (position >>> 2), c1, counter2(network),
        counter3(network), (int) position & 3);
  }
}
