package org.finwidth.ensemble;

import java.util.Objects;
import java.util.function.Function;
import org.finwidth.network.NetworkSpec;
import org.finwidth.network.Sampler;
import org.finwidth.network.SamplerKind;
import org.finwidth.network.Samplers;

/**
 * Creates the per-thread {@link Sampler}s of a run, and names their kind (recorded in the result:
 * results of different samplers are different ensembles and never merge).
 */
public interface SamplerFactory {
  /** The sampler kind, e.g. "weights" or "conditional". */
  String kind();

  /** A new sampler for the spec (one per thread). */
  Sampler create(NetworkSpec spec);

  /**
   * The engine's sampler of {@code kind} ({@link Samplers#create(NetworkSpec, SamplerKind)}, on the
   * kernels {@link org.finwidth.vector.KernelProvider#getInstance()} chose), named
   * {@link SamplerKind#cliName()}.
   *
   * @throws NullPointerException if {@code kind} is null
   */
  static SamplerFactory of(SamplerKind kind) {
    Objects.requireNonNull(kind, "kind");
    return of(kind.cliName(), spec -> Samplers.create(spec, kind));
  }

  /**
   * A factory from a kind name and a constructor.
   *
   * @throws NullPointerException if an argument is null
   */
  static SamplerFactory of(String kind, Function<NetworkSpec, Sampler> create) {
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(create, "create");
    return new SamplerFactory() {
      @Override
      public String kind() {
        return kind;
      }

      @Override
      public Sampler create(NetworkSpec spec) {
        return create.apply(spec);
      }
    };
  }
}
