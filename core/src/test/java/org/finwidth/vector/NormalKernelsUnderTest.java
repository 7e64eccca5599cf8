package org.finwidth.vector;

import org.finwidth.vector.panama.PanamaNormalKernels;

/**
 * The {@link NormalKernels} implementation a test run is about: the one forced by
 * {@code -Dfinwidth.kernels=panama|scalar} (the two surefire executions of core), Panama when
 * the property is absent.
 */
final class NormalKernelsUnderTest {

  private NormalKernelsUnderTest() {
  }

  static NormalKernels current() {
    String forced = System.getProperty("finwidth.kernels", "panama");
    return switch (forced) {
      case "scalar" -> new ScalarNormalKernels();
      case "panama" -> new PanamaNormalKernels();
      default -> throw new IllegalStateException("unknown finwidth.kernels=" + forced);
    };
  }

  /**
   * The standard normal distribution function Phi(x) = erfc(-x / sqrt 2) / 2, with erfc from
   * Abramowitz and Stegun 7.1.26 (absolute error of erf below 1.5e-7, so of Phi below 7.5e-8:
   * far below the Kolmogorov–Smirnov thresholds used here, about 1e-3).
   */
  static double phi(double x) {
    double z = Math.abs(x) / Math.sqrt(2);
    double t = 1 / (1 + 0.3275911 * z);
    double poly = t * (0.254829592 + t * (-0.284496736 + t * (1.421413741 + t * (-1.453152027 + t * 1.061405429))));
    double erfcAbs = poly * Math.exp(-z * z);
    return x >= 0 ? 1 - erfcAbs / 2 : erfcAbs / 2;
  }
}
