package org.finwidth.vector;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;

import org.finwidth.activation.SpecialFunctions;

import org.finwidth.random.BoxMuller;

/**
 * Distribution checks of a sample that should be standard normal, each an assertion
 * |estimate - truth| &le; K standard errors with K = {@value #K}: a false failure has probability
 * 2 (1 - Phi(5)) = 5.7e-7 per check under the normal approximation (the sample sizes here are
 * 2^22 and more, where the approximation is excellent for these statistics).
 */
final class NormalStatistics {

  /** Number of standard errors allowed. */
  static final double K = 5;
  /** P(Z &gt; 3), Abramowitz and Stegun Table 26.1. */
  static final double UPPER_TAIL_3 = 1.3498980316301e-3;
  /** P(Z &gt; 4), Abramowitz and Stegun Table 26.1. */
  static final double UPPER_TAIL_4 = 3.1671241833120e-5;
  /**
   * Kolmogorov–Smirnov threshold lambda for sqrt(N) D_N: P(sqrt(N) D_N &gt; lambda) &le;
   * 2 exp(-2 lambda^2) (the leading term of Kolmogorov's series, an upper bound for large N)
   * = 1e-6 for lambda = sqrt(ln(2e6) / 2) = 2.691.
   */
  static final double KS_LAMBDA = Math.sqrt(Math.log(2e6) / 2);

  private NormalStatistics() {
  }

  static void assertWithin(String what, double estimate, double truth, double se) {
    assertTrue(Math.abs(estimate - truth) <= K * se,
        () -> String.format("%s = %.6g, expected %.6g within %.1f SE (SE %.3g): off by %.2f SE",
            what, estimate, truth, K, se, (estimate - truth) / se));
  }

  /** Mean, variance, skewness, excess kurtosis, tail fractions, the cap, and the KS distance. */
  static void assertStandardNormal(float[] z) {
    int n = z.length;
    double s1 = 0;
    double s2 = 0;
    double s3 = 0;
    double s4 = 0;
    long above3 = 0;
    long above4 = 0;
    double max = 0;
    for (float f : z) {
      double x = f;
      double x2 = x * x;
      s1 += x;
      s2 += x2;
      s3 += x2 * x;
      s4 += x2 * x2;
      double a = Math.abs(x);
      above3 += a > 3 ? 1 : 0;
      above4 += a > 4 ? 1 : 0;
      max = Math.max(max, a);
    }
    double mean = s1 / n;
    double m2 = s2 / n - mean * mean;
    double m3 = s3 / n - 3 * mean * s2 / n + 2 * mean * mean * mean;
    double m4 = s4 / n - 4 * mean * s3 / n + 6 * mean * mean * s2 / n - 3 * mean * mean * mean * mean;
    // Standard errors for a normal sample: mean 1/sqrt(n), variance sqrt(2/n), skewness
    // sqrt(6/n), excess kurtosis sqrt(24/n) (Kendall and Stuart, Vol. 1, §10.5 and 12.14).
    assertWithin("mean", mean, 0, 1 / Math.sqrt(n));
    assertWithin("variance", m2, 1, Math.sqrt(2.0 / n));
    assertWithin("skewness", m3 / Math.pow(m2, 1.5), 0, Math.sqrt(6.0 / n));
    assertWithin("excess kurtosis", m4 / (m2 * m2) - 3, 0, Math.sqrt(24.0 / n));
    double p3 = 2 * UPPER_TAIL_3;
    double p4 = 2 * UPPER_TAIL_4;
    assertWithin("P(|z| > 3)", (double) above3 / n, p3, Math.sqrt(p3 * (1 - p3) / n));
    assertWithin("P(|z| > 4)", (double) above4 / n, p4, Math.sqrt(p4 * (1 - p4) / n));
    assertTrue(max <= BoxMuller.TAIL_CAP, "|z| above the tail cap: " + max);
    double d = ksDistance(z);
    assertTrue(Math.sqrt(n) * d <= KS_LAMBDA,
        () -> String.format("KS: sqrt(n) D = %.4f > %.4f (D = %.3g, n = %d)", Math.sqrt(n) * d, KS_LAMBDA, d, n));
  }

  /** sup_x |F_n(x) - Phi(x)| of the sample (sorted copy; ties counted as one step). */
  static double ksDistance(float[] z) {
    float[] s = z.clone();
    Arrays.sort(s);
    int n = s.length;
    double d = 0;
    for (int i = 0; i < n; ) {
      int j = i;
      while (j < n && s[j] == s[i]) {
        j++;
      }
      double f = SpecialFunctions.normalCdf(s[i]);
      d = Math.max(d, Math.max(Math.abs(f - (double) i / n), Math.abs((double) j / n - f)));
      i = j;
    }
    return d;
  }

  /** Pearson correlation of two equally long samples. */
  static double correlation(float[] a, float[] b) {
    int n = a.length;
    double ma = 0;
    double mb = 0;
    for (int i = 0; i < n; i++) {
      ma += a[i];
      mb += b[i];
    }
    ma /= n;
    mb /= n;
    double sab = 0;
    double saa = 0;
    double sbb = 0;
    for (int i = 0; i < n; i++) {
      double x = a[i] - ma;
      double y = b[i] - mb;
      sab += x * y;
      saa += x * x;
      sbb += y * y;
    }
    return sab / Math.sqrt(saa * sbb);
  }
}
