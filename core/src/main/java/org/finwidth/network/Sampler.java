package org.finwidth.network;

/**
 * Turns (seed, network index) into the preactivations of every layer of one random network of a
 * {@link NetworkSpec} (docs/design.md, "The data flow of one simulation"). The randomness of network {@code k} is a
 * pure function of {@code (seed, k)} (docs/design.md invariant 1): blocks, threads and shards never
 * change a number.
 *
 * <p>One instance per thread: it owns its workspace and is not thread-safe. The engine's samplers
 * are created by {@link Samplers#create(NetworkSpec, SamplerKind)}.
 */
public interface Sampler {

  /**
   * The largest |z| a sampler accepts: 2<sup>100</sup> ≈ 1.27e30. A layer with a preactivation
   * that is not finite or exceeds this in magnitude diverged: then z<sup>8</sup> (the highest power
   * the four-point statistics square) could no longer be summed in double over an ensemble
   * (2<sup>800</sup> per network leaves a factor 2<sup>224</sup> of head room).
   */
  float MAX_ABS_PREACTIVATION = 0x1p100f;

  /**
   * Samples network {@code network} of the ensemble with this seed and calls
   * {@code sink.layer(l, ...)} for {@code l = 1..L} in order.
   *
   * @param seed the run's seed
   * @param network the network's index in the ensemble (any long; taken as unsigned)
   * @param sink receives each layer; its arrays are reused by the next call
   * @return 0, or the first layer {@code l} at which a preactivation was not finite or exceeded
   *     {@link #MAX_ABS_PREACTIVATION} in magnitude, or the layer's numbers left the float range
   *     ({@link FloatScale}): then the sampler stops before calling the sink for layer {@code l}
   *     (layers {@code 1..l-1} were delivered), and the network must be counted as diverged,
   *     never folded into statistics. The sink receives each layer in the units of
   *     {@link FloatScale} ({@code z / 2^e[l]}, the metric {@code / 4^e[l]}; e = 0 for every
   *     ordinary network). Allocates nothing in steady state.
   */
  int sample(long seed, long network, LayerSink sink);
}
