package org.finwidth.network;

/**
 * Per-network values of a few statistics (one column each, one row per network) and the plain
 * estimators the sampler tests need: means with standard errors from the sample variance over
 * independent networks, and the delta-method ratio E[Q]/(3 E[A]^2). A deliberately simple
 * stand-in for the statistics engineer's accumulators (two passes over stored values).
 */
final class Columns {

  private final double[][] v;
  private int rows;

  Columns(int columns, int capacity) {
    v = new double[columns][capacity];
  }

  /** Stores value x of column c for the current network (call {@link #next()} after each network). */
  void set(int c, double x) {
    v[c][rows] = x;
  }

  void next() {
    rows++;
  }

  int count() {
    return rows;
  }

  double mean(int c) {
    double s = 0;
    for (int k = 0; k < rows; k++) {
      s += v[c][k];
    }
    return s / rows;
  }

  double cov(int c, int e) {
    double mc = mean(c);
    double me = mean(e);
    double s = 0;
    for (int k = 0; k < rows; k++) {
      s += (v[c][k] - mc) * (v[e][k] - me);
    }
    return s / (rows - 1);
  }

  /** Standard error of {@link #mean}: sd / sqrt(N) (networks are independent). */
  double se(int c) {
    return Math.sqrt(cov(c, c) / rows);
  }

  /** mean(q) / (3 mean(a)^2). */
  double ratio4(int q, int a) {
    double ma = mean(a);
    return mean(q) / (3 * ma * ma);
  }

  /**
   * Delta-method standard error of {@link #ratio4}: with R = Q/(3A^2),
   * Var R ≈ R^2 [Var Q/Q^2 + 4 Var A/A^2 − 4 Cov(Q,A)/(Q A)] / N.
   */
  double ratio4Se(int q, int a) {
    double mq = mean(q);
    double ma = mean(a);
    double r = mq / (3 * ma * ma);
    double rel = cov(q, q) / (mq * mq) + 4 * cov(a, a) / (ma * ma) - 4 * cov(q, a) / (mq * ma);
    return Math.abs(r) * Math.sqrt(Math.max(rel, 0) / rows);
  }
}
