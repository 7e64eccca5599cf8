package org.finwidth.ensemble;

import org.finwidth.network.ReferenceConditionalSampler;
import org.finwidth.network.SamplerKind;
import org.finwidth.network.Samplers;
import org.finwidth.network.ReferenceWeightsSampler;

/** Sampler factories for the tests. */
final class TestSamplers {
  /** The explicit-weights reference sampler (test code, double precision). */
  static final SamplerFactory REFERENCE_WEIGHTS = SamplerFactory.of("reference-weights", ReferenceWeightsSampler::new);
  /** The conditional reference sampler (test code, double precision). */
  static final SamplerFactory REFERENCE_CONDITIONAL = SamplerFactory.of("reference-conditional", ReferenceConditionalSampler::new);

  /** The production weights sampler ({@link Samplers#create}). */
  static final SamplerFactory WEIGHTS = SamplerFactory.of("weights", s -> Samplers.create(s, SamplerKind.WEIGHTS));
  /** The production conditional sampler ({@link Samplers#create}). */
  static final SamplerFactory CONDITIONAL =
      SamplerFactory.of("conditional", s -> Samplers.create(s, SamplerKind.CONDITIONAL));

  private TestSamplers() {
  }
}
