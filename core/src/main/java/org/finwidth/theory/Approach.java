package org.finwidth.theory;

/**
 * From which side the critical kernel flow K^(ℓ) → K* approaches a critical fixed point
 * (docs/theory.md §4.3): with f(K) = C_b + C_W⟨σ²⟩_K − K and f(K*) = f'(K*) = 0, f''(K*) &gt; 0 means
 * K grows on both sides, so the flow reaches K* from below and leaves it above.
 */
public enum Approach {
  /** Approached from K &lt; K* (f''(K*) &gt; 0; SWISH). */
  BELOW("below"),
  /** Approached from K &gt; K* (f''(K*) &lt; 0; GELU; and K* = 0 in the K* = 0 class). */
  ABOVE("above"),
  /** Attractive from both sides. */
  BOTH("both");

  private final String label;

  Approach(String label) {
    this.label = label;
  }

  /** "below", "above" or "both". */
  public String label() {
    return label;
  }

  @Override
  public String toString() {
    return label;
  }
}
