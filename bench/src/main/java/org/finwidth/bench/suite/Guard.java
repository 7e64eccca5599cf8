package org.finwidth.bench.suite;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The regression guard: compares each result of a run, as a fraction of that run's machine limit,
 * with the same result of a baseline run. A result regressed if its fraction fell below
 * {@code (1 − threshold)} times the baseline's; a result of the baseline missing from the run is
 * a failure as well (a renamed or dropped benchmark needs a new baseline). Speed-ups and new
 * results are reported, never a failure. The machine baselines themselves (fraction 1 by
 * definition) are reported as a change of the machine.
 */
public final class Guard {

  /**
   * The default threshold: a fall of more than 25% of the normalised score. A planted 2× slowdown
   * is a 50% fall. On a quiet machine JMH's errors of these benchmarks are a few percent; on this
   * shared 2-vCPU machine under load averages of 18-20 the ratios between two unchanged quick runs
   * ranged from 0.02 (a warm-up that got no CPU) to 1.2 even per CPU second (bench/README.md, "The
   * guard"), which no threshold separates from a 2× regression: such runs are declared
   * inconclusive ({@link #busy}) instead of failed.
   */
  public static final double DEFAULT_THRESHOLD = 0.25;

  /** What happened to one result. */
  public enum Status {
    OK, REGRESSION, FASTER, NEW, MISSING, MACHINE
  }

  /**
   * One result compared.
   *
   * @param ratio latest fraction / baseline fraction (NaN for NEW and MISSING)
   */
  public record Verdict(String key, double baseline, double latest, double ratio, Status status) {
    public boolean failed() {
      return status == Status.REGRESSION || status == Status.MISSING;
    }
  }

  private Guard() {}

  /**
   * Compares normalised results.
   *
   * @param threshold in (0, 1): the largest accepted relative drop
   */
  public static List<Verdict> compare(SuiteRun baseline, SuiteRun latest, double threshold) {
    if (!(threshold > 0 && threshold < 1)) {
      throw new IllegalArgumentException("threshold must be in (0, 1), not " + threshold);
    }
    Map<String, Row> base = baseline.byKey();
    Map<String, Row> now = latest.byKey();
    List<Verdict> out = new ArrayList<>();
    for (Row b : base.values()) {
      Row l = now.get(b.key());
      if (l == null) {
        out.add(new Verdict(b.key(), b.fraction(), Double.NaN, Double.NaN, Status.MISSING));
      } else if (b.benchmark().startsWith("MachineBaselineBenchmark.")) {
        out.add(new Verdict(b.key(), b.value(), l.value(), l.value() / b.value(), Status.MACHINE));
      } else {
        double ratio = l.fraction() / b.fraction();
        Status s = !(ratio >= 1 - threshold) ? Status.REGRESSION : ratio > 1 + threshold ? Status.FASTER : Status.OK;
        out.add(new Verdict(b.key(), b.fraction(), l.fraction(), ratio, s));
      }
    }
    for (Row l : now.values()) {
      if (!base.containsKey(l.key())) {
        out.add(new Verdict(l.key(), Double.NaN, l.fraction(), Double.NaN, Status.NEW));
      }
    }
    return out;
  }

  /**
   * Why a run cannot be judged, or null: the 1-minute load average before or after it exceeded the
   * processors + 1 (the suite's own fork counts 1): other jobs then decide the scores.
   */
  public static String busy(SuiteRun run) {
    double load = Math.max(first(run.loadBefore()), first(run.loadAfter()));
    int processors;
    try {
      processors = Integer.parseInt(run.machine().getOrDefault("processors", "1"));
    } catch (NumberFormatException e) {
      processors = 1;
    }
    return load > processors + 1
        ? String.format(Locale.ROOT, "the machine was busy: load average %.1f on %d processors", load, processors)
        : null;
  }

  private static double first(double[] load) {
    return load == null || load.length == 0 || Double.isNaN(load[0]) ? 0 : load[0];
  }

  /** The items of {@code suite} whose verdict is a regression (those that can be measured again). */
  public static List<SuiteItem> regressed(List<Verdict> verdicts, List<SuiteItem> suite) {
    List<SuiteItem> out = new ArrayList<>();
    for (SuiteItem item : suite) {
      for (Verdict v : verdicts) {
        if (v.status() == Status.REGRESSION && v.key().equals(item.key())) {
          out.add(item);
        }
      }
    }
    return out;
  }

  /** Prints the verdicts; returns true if any failed. */
  public static boolean print(List<Verdict> verdicts, double threshold, PrintStream out) {
    String fmt = "%-72s %12s %12s %8s  %s%n";
    out.printf(Locale.ROOT, fmt, "benchmark (fraction of limit; machine: limit value)", "baseline", "latest", "ratio",
        "verdict");
    boolean failed = false;
    for (Verdict v : verdicts) {
      out.printf(Locale.ROOT, fmt, v.key(), ResultTable.num(v.baseline()), ResultTable.num(v.latest()),
          Double.isNaN(v.ratio()) ? "-" : String.format(Locale.ROOT, "%.3f", v.ratio()), v.status());
      failed |= v.failed();
    }
    long bad = verdicts.stream().filter(Verdict::failed).count();
    out.printf(Locale.ROOT, "%nthreshold: a drop of more than %.0f%% of the normalised score; %s%n", 100 * threshold,
        failed ? bad + " regression(s)" : "no regression");
    return failed;
  }
}
