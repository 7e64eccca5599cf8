package org.finwidth.vector;

/**
 * Fills float arrays with the engine's normals: normal {@code firstIndex + i} of the stream
 * {@code (seed, network, layer, purpose)}, exactly as {@link org.finwidth.random.BoxMuller#normal}
 * defines it (xoshiro128++ lanes seeded by Philox4x32-10 keyed by
 * {@link org.finwidth.random.RandomStreams}, float Box–Muller). Every implementation gives the same
 * bits for the same arguments, so any chunking of a range, any thread and any implementation give
 * the same numbers.
 *
 * <p>Any {@code firstIndex} and {@code len} are allowed. The work unit is a segment of
 * {@value org.finwidth.random.BoxMuller#SEGMENT} normals (16 generator lanes seeded by 16 Philox
 * blocks, then run in order): a call pays the seeding of every segment it touches (about 75 ns
 * with AVX2), and a range that starts inside a segment also pays the generator steps (not the
 * transform) of the skipped part; then about 0.8 ns per normal (bench/README.md). So callers that
 * fill one row at a time should start rows at segment boundaries (row stride a multiple of 1024:
 * row {@code r} at index {@code r * stride}), or fill many short rows in one call (stride a
 * multiple of 32, the call spanning whole segments); either way the index space
 * (2<sup>34</sup> per stream) is ample.
 *
 * <p>Implementations are stateless and thread-safe; they allocate nothing in steady state (the
 * Panama kernels keep 64 floats per thread for short ranges).
 */
public interface NormalKernels {

  /**
   * Sets {@code out[off + i] = BoxMuller.normal(seed, network, layer, purpose, firstIndex + i, scale)}
   * for {@code 0 <= i < len}, i.e. {@code (scale * R) * cos(theta)} or {@code (scale * R) * sin(theta)}.
   *
   * @param seed the run's seed (Philox key)
   * @param network network index within the ensemble (unsigned)
   * @param layer layer, 0 .. 2<sup>24</sup> - 1
   * @param purpose stream purpose, 0 .. 255 (e.g. {@link org.finwidth.random.RandomStreams#WEIGHTS})
   * @param firstIndex index of the first normal, 0 &le; firstIndex and firstIndex + len &le; 2<sup>34</sup>
   * @param scale standard deviation (1 gives standard normals exactly)
   * @param out destination
   * @param off first index of {@code out} written
   * @param len number of normals, &ge; 0
   * @throws IllegalArgumentException if layer, purpose or the index range is out of its domain
   * @throws IndexOutOfBoundsException if {@code [off, off + len)} is not inside {@code out}
   */
  void fill(long seed, long network, int layer, int purpose, long firstIndex, float scale,
       float[] out, int off, int len);

  /**
   * Standard normals: {@link #fill(long, long, int, int, long, float, float[], int, int)} with
   * scale 1.
   */
  default void fill(long seed, long network, int layer, int purpose, long firstIndex,
           float[] out, int off, int len) {
    fill(seed, network, layer, purpose, firstIndex, 1f, out, off, len);
  }

  /** A short name of the implementation for logs and benchmarks, e.g. "scalar" or "panama". */
  String name();
}
