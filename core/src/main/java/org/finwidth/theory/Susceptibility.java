package org.finwidth.theory;

import org.finwidth.activation.Activation;

/**
 * The parallel and perpendicular susceptibilities (docs/theory.md §3.1; PDLT ch. 5):
 * <pre>
 *   χ_∥(K) = C_W ⟨σ²(z² − K)⟩_K / (2K²)   (= C_W⟨σ'² + σσ''⟩_K = dK'/dK for smooth σ)
 *   χ_⊥(K) = C_W ⟨σ'²⟩_K
 * </pre>
 * The χ_∥ form is derivative-free (Gaussian integration by parts, docs/theory.md §1.2), so it holds
 * across kinks (relu: χ_∥ = χ_⊥ = C_W/2 at every K). At K = 0 the limits K → 0+ are returned.
 */
public final class Susceptibility {
  private Susceptibility() {}

  /**
   * χ_∥(K) and χ_⊥(K).
   *
   * @param chiParallel χ_∥ = dK^(ℓ+1)/dK^(ℓ)
   * @param chiPerp χ_⊥
   */
  public record Pair(double chiParallel, double chiPerp) {}

  /**
   * Both susceptibilities at K, from one quadrature pass.
   *
   * @throws IllegalArgumentException if C_W ≤ 0 or K &lt; 0 (or either is not finite)
   * @throws IllegalStateException if the quadrature fails or overflows
   */
  public static Pair at(Activation sigma, double cw, double k) {
    if (!(cw > 0) || Double.isInfinite(cw)) {
      throw new IllegalArgumentException("C_W must be a finite number > 0, got cw=" + cw);
    }
    Averages.Single a = new Averages(sigma).single(k);
    return new Pair(cw * a.chiParallel(), cw * a.chiPerp());
  }

  /** χ_∥(K); see {@link #at}. */
  public static double chiParallel(Activation sigma, double cw, double k) {
    return at(sigma, cw, k).chiParallel();
  }

  /** χ_⊥(K); see {@link #at}. */
  public static double chiPerp(Activation sigma, double cw, double k) {
    return at(sigma, cw, k).chiPerp();
  }
}
