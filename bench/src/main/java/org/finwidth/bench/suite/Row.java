package org.finwidth.bench.suite;

import java.util.Map;

/**
 * One result of a suite run as written to the results JSON.
 *
 * @param key {@link SuiteItem#key()}
 * @param benchmark {@code Class.method}
 * @param params the pinned parameters
 * @param threads JMH threads (the score is their sum)
 * @param score the JMH score (mean over the measurement iterations)
 * @param error JMH's 99.9% half-width of the score (NaN with fewer than two iterations)
 * @param best the best measurement iteration (wall clock): on a shared machine the least disturbed one
 * @param cpuScore the mean score per second of the benchmark JVM's CPU time ({@link CpuTimeProfiler}):
 *     what the benchmark does with the CPU it gets, NaN if not measured
 * @param unit the score's unit
 * @param limit {@link Limit#key()} of the limit it is stated against
 * @param value the rate the fraction is computed from ({@link #rate()}) in the limit's unit (× work)
 * @param valueUnit the limit's unit
 * @param fraction value / (limit × threads): the number the guard compares
 * @param allocBytesPerOp {@code gc.alloc.rate.norm} (bytes per JMH operation), NaN if not profiled
 */
public record Row(String key, String benchmark, Map<String, String> params, int threads, double score, double error,
    double best, double cpuScore, String unit, String limit, double value, String valueUnit, double fraction, double allocBytesPerOp) {

  /** The row of a measured item, stated against the run's limits. */
  static Row of(SuiteItem item, int threads, double score, double error, double best, double cpuScore,
      double alloc, MachineLimits limits) {
    double value = rate(best, cpuScore) * item.work();
    double fraction = value / (limits.value(item.limit()) * threads);
    return new Row(item.key(), item.benchmark(), item.params(), threads, score, error, best, cpuScore, item.unit(), item.limit().key(),
        value, item.limit().unit(), fraction, alloc);
  }

  /** The score the suites compare: the CPU-time score where measured, else the best iteration. */
  static double rate(double best, double cpuScore) {
    return Double.isFinite(cpuScore) && cpuScore > 0 ? cpuScore : best;
  }
}
