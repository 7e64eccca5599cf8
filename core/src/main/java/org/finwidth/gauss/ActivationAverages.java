package org.finwidth.gauss;

import org.finwidth.activation.Activation;

/**
 * The Gaussian averages of an activation that the kernel, susceptibility, vertex and NLO
 * recursions use (docs/theory.md §2, §3.1, §5), computed in one vector quadrature pass on the
 * activation's kinks.
 */
public final class ActivationAverages {
  private ActivationAverages() {}

  /** Number of components of {@link Single}. */
  private static final int SINGLE_COMPONENTS = 7;

  /**
   * Single-input averages at variance K (all at unit C_W).
   *
   * @param variance K
   * @param sigma2 ⟨σ²⟩_K
   * @param sigma4 ⟨σ⁴⟩_K
   * @param sigmaPrime2 ⟨σ'²⟩_K = χ_⊥/C_W
   * @param sigma2He2 ⟨σ²(z² − K)⟩_K = 2K² χ_∥/C_W (derivative-free, valid across kinks)
   * @param sigma2He4 ⟨σ²(z⁴ − 6Kz² + 3K²)⟩_K = K⁴⟨(σ²)''''⟩ (the K1 source, docs/theory.md §5.3)
   * @param sigmaSigma2 ⟨σσ''⟩_K (= (χ_∥ − χ_⊥)/C_W for smooth σ; d2 taken pointwise, so a
   *     kink contributes σ(kink)·jump, which vanishes for every catalogue activation)
   * @param sigmaPrime2He2 ⟨σ'²(z² − K)⟩_K = 2K² dχ_⊥/dK / C_W
   */
  public record Single(double variance, double sigma2, double sigma4, double sigmaPrime2,
      double sigma2He2, double sigma2He4, double sigmaSigma2, double sigmaPrime2He2) {
    /** χ_∥/C_W = ⟨σ²(z² − K)⟩/(2K²) (docs/theory.md §3.1); K must be &gt; 0. */
    public double chiParallel() {
      return sigma2He2 / (2 * variance * variance);
    }

    /** χ_⊥/C_W = ⟨σ'²⟩. */
    public double chiPerp() {
      return sigmaPrime2;
    }
  }

  /**
   * The width in z of σ's sharpest feature at 0, for {@link GaussianExpectation#expectWithScale}:
   * {@link Activation#featureScale()} (T for the gated family, 1/a for erf(a z), 1 otherwise;
   * kinks are exact breakpoints anyway).
   */
  public static double featureScale(Activation sigma) {
    return sigma.featureScale();
  }

  /** {@link #single(GaussianExpectation, Activation, double)} with a fresh default instance. */
  public static Single single(Activation sigma, double variance) {
    return single(new GaussianExpectation(), sigma, variance);
  }

  /**
   * Single-input averages of σ at variance K &gt; 0, one quadrature pass.
   *
   * @throws IllegalArgumentException if K is not finite and &gt; 0
   * @throws IllegalStateException if the quadrature does not converge
   */
  public static Single single(GaussianExpectation g, Activation sigma, double variance) {
    if (!(variance > 0) || variance == Double.POSITIVE_INFINITY) {
      throw new IllegalArgumentException("K must be finite and > 0, got " + variance);
    }
    double k = variance;
    Quadrature e = g.expectWithScale((z, out) -> {
      double s = sigma.value(z);
      double d = sigma.d1(z);
      double s2 = s * s;
      double d2 = d * d;
      double z2 = z * z;
      double he2 = z2 - k;
      out[0] = s2;
      out[1] = s2 * s2;
      out[2] = d2;
      out[3] = s2 * he2;
      out[4] = s2 * (z2 * (z2 - 6 * k) + 3 * k * k);
      out[5] = s == 0 ? 0 : s * sigma.d2(z);
      out[6] = d2 * he2;
    }, SINGLE_COMPONENTS, k, featureScale(sigma), sigma.kinks());
    double[] v = e.values();
    return new Single(k, v[0], v[1], v[2], v[3], v[4], v[5], v[6]);
  }

  /**
   * ⟨σ(z1)σ(z2)⟩_K over the covariance [[K11, K12], [K12, K22]] (docs/theory.md §2).
   *
   * @throws IllegalArgumentException if the covariance is not finite or not positive semidefinite
   * @throws IllegalStateException if the quadrature does not converge
   */
  public static double pair(GaussianExpectation g, Activation sigma, double k11, double k12,
      double k22) {
    double[] kinks = sigma.kinks();
    // The inner integral runs over z2 at fixed z1: cache σ(z1) across those calls.
    double[] cache = {Double.NaN, 0};
    return g.expectWithScale((z1, z2, out) -> {
      if (Double.compare(z1, cache[0]) != 0) {
        cache[0] = z1;
        cache[1] = sigma.value(z1);
      }
      out[0] = cache[1] * sigma.value(z2);
    }, 1, k11, k12, k22, featureScale(sigma), kinks, kinks).value(0);
  }
}
