package org.finwidth.theory;

import org.finwidth.activation.Activation;

/**
 * The universality class of an activation with its evidence (docs/theory.md §4): scale-invariant,
 * K* = 0, half-stable or none. The class is decided by the same computation as the critical
 * points ({@link CriticalitySolver}): homogeneity of degree 1; σ_0 = 0, σ_1 ≠ 0, a_1 &lt; 0; a
 * root of ⟨σσ''⟩ (or χ_∥ − χ_⊥) with C_b ≥ 0; otherwise none.
 */
public final class UniversalityClassifier {
  private UniversalityClassifier() {}

  /**
   * A class with its evidence.
   *
   * @param universalityClass the class
   * @param a1 a_1 (NaN where undefined)
   * @param evidence Taylor data, homogeneity, the sign scan and χ_⊥/χ_∥
   * @param reason the computed explanation
   */
  public record Classification(UniversalityClass universalityClass, double a1,
      Criticality.Evidence evidence, String reason) {}

  /**
   * Classifies σ.
   *
   * @throws IllegalStateException if the quadrature or the root finder fails
   */
  public static Classification classify(Activation sigma) {
    Criticality c = CriticalitySolver.solve(sigma);
    return new Classification(c.universalityClass(), c.a1(), c.evidence(), c.reason());
  }
}
