package org.finwidth.theory;

import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalDouble;
import org.finwidth.activation.Activation;

/**
 * What {@link CriticalitySolver} found for an activation: its universality class, every
 * critical initialisation (C_b ≥ 0, C_W &gt; 0, K*) with χ_∥ = χ_⊥ = 1 at a fixed point
 * (docs/theory.md §3.2), a_1, the evidence, and a one-paragraph reason computed from the data.
 *
 * @param activation the activation
 * @param universalityClass the class (docs/theory.md §4)
 * @param critical the critical initialisations (empty for {@link UniversalityClass#NONE})
 * @param a1 a_1 = σ_3/σ_1 + (3/4)(σ_2/σ_1)² (docs/theory.md §4.2), NaN where σ_1 is 0 or undefined
 * @param reason why, in words and numbers
 * @param evidence the data behind the classification
 */
public record Criticality(Activation activation, UniversalityClass universalityClass,
    List<CriticalPoint> critical, double a1, String reason, Evidence evidence) {
  /** A result; the list of critical points is copied. */
  public Criticality {
    Objects.requireNonNull(activation, "activation");
    Objects.requireNonNull(universalityClass, "universalityClass");
    critical = List.copyOf(critical);
    Objects.requireNonNull(reason, "reason");
    Objects.requireNonNull(evidence, "evidence");
  }

  /**
   * One critical initialisation.
   *
   * @param cb C_b ≥ 0
   * @param cw C_W &gt; 0
   * @param kstar the critical fixed point K*, empty for a line of fixed points (every K)
   * @param approach the side from which the flow approaches K*, empty for a line (marginal at
   *     every K) or when f''(K*) vanishes to the accuracy of the computation
   * @param curvature f''(K*) = dχ_∥/dK = (C_W/4)⟨σ²(z⁴ − 6Kz² + 3K²)⟩/K⁴ at K* (docs/theory.md
   *     §4.3); 2a_1 for K* = 0; NaN for K* = 0 when σ is not twice differentiable there (or
   *     a_1 = 0, docs/theory.md §7.5); 0 for a line
   * @param otherFixedPoints the other fixed points of the critical map K ↦ C_b + C_W⟨σ²⟩_K in
   *     [0.4K*, 2K*] (not critical: χ_∥ ≠ 1 there), e.g. SWISH's 14.593
   */
  public record CriticalPoint(double cb, double cw, OptionalDouble kstar,
      Optional<Approach> approach, double curvature, List<FixedPoint> otherFixedPoints) {
    /** A critical point; the list of other fixed points is copied. */
    public CriticalPoint {
      otherFixedPoints = List.copyOf(otherFixedPoints);
    }

    /** True for a line of fixed points (scale-invariant class). */
    public boolean isLine() {
      return kstar.isEmpty();
    }
  }

  /**
   * A fixed point of the critical map that is not critical.
   *
   * @param k the fixed point K
   * @param chiParallel χ_∥ there (&lt; 1: attractive, &gt; 1: repulsive)
   */
  public record FixedPoint(double k, double chiParallel) {}

  /**
   * The data behind the classification.
   *
   * @param derivativesAtZero {σ_0, σ_1, σ_2, σ_3} (PDLT convention; NaN where undefined)
   * @param homogeneity the degree p of positive homogeneity, if any
   * @param scanQuantity what was scanned: {@code "<sigma sigma''>"} for smooth σ, "chi_par - chi_perp"
   *     (per unit C_W, derivative-free) for σ with kinks — the sign of χ_∥ − χ_⊥ either way
   * @param scanK the log-spaced grid of K scanned (up to where the quadrature succeeded)
   * @param scanValues the scanned quantity at each K
   * @param scanScale |χ_∥| + |χ_⊥| per unit C_W at each K (values below 1e-10 of it count as 0)
   * @param chiRatioK the variances at which χ_⊥/χ_∥ was evaluated by adaptive quadrature
   * @param chiRatio χ_⊥/χ_∥ at those K (K-independent for homogeneous σ: p/(2p−1))
   * @param rejectedRoots roots K of the scanned quantity whose C_b came out negative
   */
  public record Evidence(double[] derivativesAtZero, OptionalDouble homogeneity,
      String scanQuantity, double[] scanK, double[] scanValues, double[] scanScale,
      double[] chiRatioK, double[] chiRatio, double[] rejectedRoots) {
    /** The evidence; the arrays are copied. */
    public Evidence {
      derivativesAtZero = derivativesAtZero.clone();
      scanK = scanK.clone();
      scanValues = scanValues.clone();
      scanScale = scanScale.clone();
      chiRatioK = chiRatioK.clone();
      chiRatio = chiRatio.clone();
      rejectedRoots = rejectedRoots.clone();
    }

    /** Values whose magnitude is below this fraction of {@code scanScale} count as zero. */
    public static final double ZERO = 1e-10;

    /** Sign of scan point i: −1, 0 or +1. */
    public int sign(int i) {
      double v = scanValues[i];
      return Math.abs(v) <= ZERO * scanScale[i] ? 0 : (v > 0 ? 1 : -1);
    }

    /** The signs of the scan as a string of '+', '-' and '0'. */
    public String signPattern() {
      StringBuilder sb = new StringBuilder(scanK.length);
      for (int i = 0; i < scanK.length; i++) {
        int s = sign(i);
        sb.append(s > 0 ? '+' : (s < 0 ? '-' : '0'));
      }
      return sb.toString();
    }
  }
}
