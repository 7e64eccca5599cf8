package org.finwidth.theory;

/**
 * The universality classes of activations at criticality (docs/theory.md §4; PDLT §5.2–5.3).
 */
public enum UniversalityClass {
  /** σ positively homogeneous of degree 1 (linear, relu, leaky): a line of fixed points at C_b = 0, C_W = 1/A₂. */
  SCALE_INVARIANT("scale-invariant"),
  /** σ_0 = 0, σ_1 ≠ 0, a_1 &lt; 0 (tanh, sin, erf): the attractive critical point K* = 0 at C_b = 0, C_W = 1/σ_1². */
  K_STAR_ZERO("k-star-zero"),
  /** ⟨σσ''⟩_K has a root K* &gt; 0 with C_b ≥ 0 and f''(K*) ≠ 0 (SWISH, GELU, ...): approached from one side. */
  HALF_STABLE("half-stable"),
  /** No critical initialisation (sigmoid, softplus, monomials, RePU, MRePU, ...). */
  NONE("none");

  private final String label;

  UniversalityClass(String label) {
    this.label = label;
  }

  /** The label used in output: "scale-invariant", "k-star-zero", "half-stable", "none". */
  public String label() {
    return label;
  }

  @Override
  public String toString() {
    return label;
  }
}
