package org.finwidth.bench.suite;

import java.io.PrintStream;
import java.util.Locale;

/**
 * Prints a suite run as a table: the wall-clock mean with JMH's error, the best iteration, the
 * score per CPU second, the compared rate in the limit's unit, the fraction of the limit, B/op.
 */
public final class ResultTable {

  private ResultTable() {}

  public static void print(SuiteRun run, PrintStream out) {
    MachineLimits lim = run.limits();
    out.printf(Locale.ROOT, "finwidth %s suite, %s, %s (%s processors, %d float lanes), %s%n", run.suite(), run.date(),
        run.machine().get("cpu"), run.machine().get("processors"), lim.floatLanes(), run.machine().get("java"));
    out.printf(Locale.ROOT, "load average before %s, after %s%n", load(run.loadBefore()), load(run.loadAfter()));
    out.printf(Locale.ROOT, "limits per core: FMA peak %.1f GFLOP/s (%.1f lane-FMA/ns), memory stream %.1f GB/s%n%n",
        lim.fmaGflops(), lim.value(Limit.LANES), lim.streamGBs());
    String fmt = "%-76s %3s %15s %10s %10s %-14s %11s %-12s %9s %8s%n";
    out.printf(Locale.ROOT, fmt, "benchmark", "thr", "mean ± 99.9%", "best", "per CPU-s", "unit", "as limit",
        "limit unit", "of limit", "B/op");
    for (Row r : run.rows()) {
      out.printf(Locale.ROOT, fmt, r.key(), r.threads(), num(r.score()) + pm(r), num(r.best()), num(r.cpuScore()),
          r.unit(), num(r.value()), r.valueUnit(),
          String.format(Locale.ROOT, "%.4f", r.fraction()), Double.isNaN(r.allocBytesPerOp()) ? "-"
              : String.format(Locale.ROOT, "%.1f", r.allocBytesPerOp()));
    }
  }

  private static String pm(Row r) {
    return Double.isFinite(r.error()) && r.score() != 0
        ? String.format(Locale.ROOT, "±%.0f%%", 100 * r.error() / Math.abs(r.score())) : "";
  }

  static String num(double x) {
    return String.format(Locale.ROOT, Math.abs(x) >= 1000 ? "%.0f" : "%.4g", x);
  }

  private static String load(double[] l) {
    return l == null || l.length < 3 ? "?" : String.format(Locale.ROOT, "%.2f %.2f %.2f", l[0], l[1], l[2]);
  }
}
