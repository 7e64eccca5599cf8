package org.finwidth.network;

import java.util.Objects;

import org.finwidth.vector.KernelProvider;

/** Creates the engine's samplers: one per thread (each owns its workspace). */
public final class Samplers {

  private Samplers() {
  }

  /**
   * A sampler of {@code kind} for this network on the kernels {@link KernelProvider#getInstance()}
   * chose.
   *
   * @throws IllegalArgumentException if the network is too large for the random stream layout
   */
  public static Sampler create(NetworkSpec spec, SamplerKind kind) {
    return create(spec, kind, KernelProvider.getInstance());
  }

  /**
   * A sampler of {@code kind} for this network on the given kernels (tests and benchmarks compare
   * {@link KernelProvider#scalar()} with the default).
   *
   * @throws IllegalArgumentException if the network is too large for the random stream layout
   */
  public static Sampler create(NetworkSpec spec, SamplerKind kind, KernelProvider kernels) {
    Objects.requireNonNull(kind, "kind");
    return switch (kind) {
      case WEIGHTS -> new WeightsSampler(spec, kernels);
      case CONDITIONAL -> new ConditionalSampler(spec, kernels);
    };
  }
}
