package org.finwidth.ensemble;

import java.util.Objects;
import org.finwidth.network.LearningRates;
import org.finwidth.network.NetworkSpec;
import org.finwidth.network.NtkSampler;
import org.finwidth.vector.KernelProvider;

/**
 * What an ensemble measures of the neural tangent kernel (docs/theory.md §11.8): the learning
 * rates that define it and the number s of output neurons per layer whose NTK every network
 * computes. Part of the ensemble's identity (results with other options never merge).
 *
 * @param rates λ_b^(ℓ), λ_W^(ℓ) for ℓ = 1..L
 * @param neurons s ≥ 2: the NTK of the first min(s, n_ℓ) neurons of every layer (A, B and F need
 *     two distinct neurons)
 */
public record NtkOptions(LearningRates rates, int neurons) {
  /**
   * The default s: the backward sweep costs s times the forward's multiply-adds per layer pair, and
   * beyond 4 the standard errors of A, B, F per unit of CPU time no longer improve (docs/theory.md
   * §11.8 has the measurement).
   */
  public static final int DEFAULT_NEURONS = 4;

  /** Largest s: the per-network statistics cost O(s²d⁴). */
  public static final int MAX_NEURONS = 64;

  /**
   * Checks the options.
   *
   * @throws IllegalArgumentException unless 2 ≤ neurons ≤ {@value #MAX_NEURONS}
   */
  public NtkOptions {
    Objects.requireNonNull(rates, "rates");
    if (neurons < 2 || neurons > MAX_NEURONS) {
      throw new IllegalArgumentException("the NTK output neurons per layer must be in 2.." + MAX_NEURONS
          + " (A, B and F need two distinct neurons), got " + neurons);
    }
  }

  /** The NTK sampler of a thread, on the kernels the provider chose. */
  public NtkSampler sampler(NetworkSpec spec) {
    return new NtkSampler(spec, rates, neurons, KernelProvider.getInstance());
  }
}
