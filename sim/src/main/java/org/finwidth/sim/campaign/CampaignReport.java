package org.finwidth.sim.campaign;

import java.awt.Color;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import org.finwidth.ensemble.EnsembleResult;
import org.finwidth.sim.cli.TidyCsv;
import org.finwidth.sim.experiment.Fmt;
import org.finwidth.sim.experiment.Plots;
import org.finwidth.sim.experiment.Report;
import org.finwidth.stats.TailCheck;
import org.knowm.xchart.XYChart;

/**
 * The content of a campaign's report.html: for each group of runs that differ only in width and
 * depth (same activation, initialisation, inputs and sampler), the normalised four-point vertex
 * V/(nK²) against ℓ/n, measured (points with ± 1 SE bars, one colour per width, one marker per
 * depth) against the leading-order theory (solid, per width) and the exact value (dashed, where
 * known); the runs whose measurements lie furthest from their prediction (largest |z|); the runs
 * whose tail diagnostics flag unreliable standard errors; and a table of every run.
 */
public final class CampaignReport {
  /** At most this many figures (the rest of the data is in the CSV). */
  static final int MAX_FIGURES = 40;
  /** Rows of the worst-|z| table. */
  static final int WORST = 15;

  private CampaignReport() {}

  /**
   * A run as collected.
   *
   * @param run the planned run
   * @param result its result, or null if it is not finished
   * @param version the finwidth version of its result file
   * @param rows its tidy rows (empty if not finished)
   * @param seconds compute time (wall, all attempts or shards), NaN if unknown
   * @param host the machine(s), or "" if unknown
   */
  public record Entry(CampaignRun run, EnsembleResult result, String version, List<TidyCsv.Row> rows, double seconds,
      String host) {}

  /** The report of a campaign. */
  public static Report build(Plan plan, List<Entry> entries) {
    Report report = new Report();
    long done = entries.stream().filter(e -> e.result() != null).count();
    report.paragraph(String.format(Locale.ROOT, "Campaign %s%s: %d runs, %d collected, base seed %d. Each run is one"
        + " ensemble of M random networks (its seed derived from the base seed and the run's key); campaign.csv holds"
        + " every measured number, one row per run, layer, quantity and component, beside the leading-order theory"
        + " and the exact value where it is known.", plan.name(),
        plan.description().isEmpty() ? "" : " (" + plan.description() + ")", entries.size(), done, plan.seed()));
    if (done < entries.size()) {
      List<String> missing = new ArrayList<>();
      for (Entry e : entries) {
        if (e.result() == null) {
          missing.add(e.run().key());
        }
      }
      report.paragraph("Not finished, so not in this report: " + String.join(", ", missing)
          + " (campaign status shows how far each got).");
    }
    figures(report, entries);
    worstZ(report, entries);
    tails(report, entries);
    runsTable(report, entries);
    return report;
  }

  // ---- figures --------------------------------------------------------------------------------

  private static void figures(Report report, List<Entry> entries) {
    Map<String, List<Entry>> groups = new LinkedHashMap<>();
    int withoutRatio = 0;
    for (Entry e : entries) {
      if (e.result() != null && e.rows().stream().noneMatch(r -> r.quantity().equals("ratio4"))) {
        withoutRatio++; // the metric statistics only (many inputs): nothing to draw here
      } else if (e.result() != null) {
        CampaignRun r = e.run();
        String g = String.format(Locale.ROOT, "%s, %sC_b = %s, C_W = %s, inputs %s (d = %d), %s sampler",
            r.activation(), r.init().equals("critical") ? "critical " : "", Fmt.num(r.cb()), Fmt.num(r.cw()),
            r.gramId(), r.inputCount(), r.sampler());
        groups.computeIfAbsent(g, k -> new ArrayList<>()).add(e);
      }
    }
    report.heading("The four-point vertex against depth-to-width ratio");
    report.paragraph("One figure per activation, initialisation, inputs and sampler. Points: the measured"
        + " E[z⁴]/(3E[z²]²) − 1 of input 0 (± 1 standard error), one colour per width n and one marker per depth L;"
        + " solid lines: the leading-order theory V/(nK²); dashed: the exact finite-width value where it is known."
        + " At leading order the points of different widths fall on one curve in ℓ/n at criticality; the next order"
        + " is of relative size ℓ/n, so agreement is expected at small ℓ/n and systematic departures at large ℓ/n.");
    if (withoutRatio > 0) {
      report.paragraph(withoutRatio + " run" + (withoutRatio == 1 ? " has" : "s have") + " only the metric's statistics"
          + " (Gmetric, Vmetric: more inputs than the distinct-neuron statistics cover by default), so no kurtosis"
          + " ratio to draw; their numbers are in campaign.csv.");
    }
    int k = 0;
    for (Map.Entry<String, List<Entry>> g : groups.entrySet()) {
      if (k == MAX_FIGURES) {
        report.paragraph("… and " + (groups.size() - MAX_FIGURES) + " more groups: their numbers are in campaign.csv.");
        break;
      }
      k++;
      figure(report, "vertex-" + k, g.getKey(), g.getValue());
    }
  }

  private static void figure(Report report, String name, String title, List<Entry> runs) {
    TreeSet<Integer> widths = new TreeSet<>();
    TreeSet<Integer> depths = new TreeSet<>();
    for (Entry e : runs) {
      widths.add(e.run().width());
      depths.add(e.run().depth());
    }
    List<Integer> w = new ArrayList<>(widths);
    List<Integer> d = new ArrayList<>(depths);
    // per width: the deepest run's theory and exact values (the layers of a shallower run are a prefix)
    Map<Integer, Entry> deepest = new TreeMap<>();
    for (Entry e : runs) {
      deepest.merge(e.run().width(), e, (a, b) -> b.run().depth() > a.run().depth() ? b : a);
    }
    int legend = runs.size() + 2 * widths.size();
    XYChart chart = Plots.chart(title, "depth-to-width ratio ℓ/n",
        "V/(nK²) (measured: E[z⁴]/(3E[z²]²) − 1)", legend);
    for (Map.Entry<Integer, Entry> de : deepest.entrySet()) {
      Color color = Plots.color(w.indexOf(de.getKey()));
      Series s = series(de.getValue());
      Plots.line(chart, "theory n=" + de.getKey(), s.x, s.theory, color);
      if (hasFinite(s.exact)) {
        Plots.dashed(chart, "exact n=" + de.getKey(), s.x, s.exact, color);
      }
    }
    List<Entry> sorted = new ArrayList<>(runs);
    sorted.sort(Comparator.comparingInt((Entry e) -> e.run().width()).thenComparingInt(e -> e.run().depth())
        .thenComparingLong(e -> e.run().networks()));
    for (Entry e : sorted) {
      Series s = series(e);
      Plots.points(chart, String.format(Locale.ROOT, "n=%d L=%d M=%s", e.run().width(), e.run().depth(),
          compact(e.run().networks())), s.x, s.y, s.se, Plots.color(w.indexOf(e.run().width())),
          Plots.marker(d.indexOf(e.run().depth())));
    }
    report.figure(name, chart, title + ": V/(nK²) against ℓ/n for widths " + join(w) + " and depths " + join(d)
        + " (" + runs.size() + " run" + (runs.size() == 1 ? "" : "s") + ").");
  }

  private record Series(double[] x, double[] y, double[] se, double[] theory, double[] exact) {}

  /** V/(nK²) per layer of a run: ratio4 − 1 of input 0 measured, and 1 + V/(nK²) − 1 predicted. */
  private static Series series(Entry e) {
    int depth = e.run().depth();
    double[] x = new double[depth];
    double[] y = new double[depth];
    double[] se = new double[depth];
    double[] th = new double[depth];
    double[] ex = new double[depth];
    java.util.Arrays.fill(y, Double.NaN);
    java.util.Arrays.fill(th, Double.NaN);
    java.util.Arrays.fill(ex, Double.NaN);
    for (int l = 1; l <= depth; l++) {
      x[l - 1] = (double) l / e.run().width();
    }
    for (TidyCsv.Row r : e.rows()) {
      if (r.quantity().equals("ratio4") && r.component().equals("0")) {
        int j = r.layer() - 1;
        y[j] = r.value() - 1;
        se[j] = r.se();
        th[j] = r.theory().isPresent() ? r.theory().getAsDouble() - 1 : Double.NaN;
        ex[j] = r.exact().isPresent() ? r.exact().getAsDouble() - 1 : Double.NaN;
      }
    }
    return new Series(x, y, se, th, ex);
  }

  // ---- tables ---------------------------------------------------------------------------------

  private static void worstZ(Report report, List<Entry> entries) {
    List<TidyCsv.Row> worst = new ArrayList<>();
    List<Entry> owner = new ArrayList<>();
    long beyond3 = 0;
    long withZ = 0;
    for (Entry e : entries) {
      TidyCsv.Row w = null;
      for (TidyCsv.Row r : e.rows()) {
        double z = r.z();
        if (Double.isFinite(z)) {
          withZ++;
          if (Math.abs(z) > 3) {
            beyond3++;
          }
          if (w == null || Math.abs(z) > Math.abs(w.z())) {
            w = r;
          }
        }
      }
      if (w != null) {
        worst.add(w);
        owner.add(e);
      }
    }
    report.heading("Runs furthest from their prediction");
    report.paragraph(String.format(Locale.ROOT, "z = (measured − prediction)/SE, against the exact value where it is"
        + " known, else the leading-order theory. %d of %d measured numbers with a prediction lie beyond 3 SE."
        + " Beyond 3 SE is a real difference (or an unreliable SE, next section): at large ℓ/n usually the next order"
        + " in ℓ/n that the leading-order theory leaves out. The layers of a run share its networks, so their z are"
        + " correlated.", beyond3, withZ));
    List<Integer> order = new ArrayList<>();
    for (int i = 0; i < worst.size(); i++) {
      order.add(i);
    }
    order.sort(Comparator.comparingDouble((Integer i) -> -Math.abs(worst.get(i).z())).thenComparing(i ->
        owner.get(i).run().key()));
    List<List<String>> rows = new ArrayList<>();
    for (int i : order.subList(0, Math.min(WORST, order.size()))) {
      TidyCsv.Row r = worst.get(i);
      CampaignRun run = owner.get(i).run();
      rows.add(List.of(run.key(), Integer.toString(run.width()), Integer.toString(run.depth()),
          r.quantity() + " " + r.component(), Integer.toString(r.layer()), Fmt.pm(r.value(), r.se()),
          Fmt.num(r.reference()), r.exact().isPresent() ? "exact" : "theory", String.format(Locale.ROOT, "%.1f", r.z())));
    }
    report.table("Each run's largest |z| (the " + rows.size() + " largest)", List.of("run", "n", "L", "quantity",
        "layer", "measured", "prediction", "of", "z"), rows);
  }

  private static void tails(Report report, List<Entry> entries) {
    List<List<String>> rows = new ArrayList<>();
    for (Entry e : entries) {
      if (e.result() == null) {
        continue;
      }
      List<Integer> flagged = new ArrayList<>();
      double max = 0;
      for (int l = 1; l <= e.run().depth(); l++) {
        TailCheck tail = TailCheck.of(e.result().estimates(l));
        if (tail.heavy()) {
          flagged.add(l);
          max = Math.max(max, tail.share());
        }
      }
      if (!flagged.isEmpty()) {
        rows.add(List.of(e.run().key(), Integer.toString(e.run().width()), Integer.toString(e.run().depth()),
            ranges(flagged), String.format(Locale.ROOT, "%.0f%%", 100 * max)));
      }
    }
    report.heading("Runs whose standard errors are unreliable");
    report.paragraph(String.format(Locale.ROOT, "A layer is flagged when one network holds more of a sum of"
        + " squares behind its standard errors (the tail share, docs/theory.md §6.2) than M networks of a"
        + " light-tailed statistic would, at a false-alarm rate of %s per layer (docs/theory.md §9.7; the bound is"
        + " %.3f at M = 10^5): its SEs then rest on few effective networks and are likely too small, and its"
        + " z-scores overstate agreement or disagreement. %s", TailCheck.FALSE_ALARM, TailCheck.bound(100_000),
        rows.isEmpty() ? "No layer of any run is flagged." : rows.size() + " run" + (rows.size() == 1 ? " has" : "s have")
            + " flagged layers:"));
    if (!rows.isEmpty()) {
      report.table("Heavy tails", List.of("run", "n", "L", "flagged layers", "largest tail share"), rows);
    }
  }

  private static void runsTable(Report report, List<Entry> entries) {
    List<List<String>> rows = new ArrayList<>();
    for (Entry e : entries) {
      CampaignRun r = e.run();
      rows.add(List.of(r.key(), r.activation(), r.init(), Fmt.num(r.cb()), Fmt.num(r.cw()),
          Integer.toString(r.width()), Integer.toString(r.depth()), r.gramId() + " (d=" + r.inputCount() + ")",
          r.sampler(), Long.toString(r.networks()), Long.toString(r.seed()),
          e.result() == null ? "–" : Long.toString(e.result().diverged()),
          e.result() == null ? "not finished" : Double.isFinite(e.seconds())
              ? String.format(Locale.ROOT, "%.1f", e.seconds()) : "?", e.host()));
    }
    report.heading("Runs");
    report.table("Every run of the plan", List.of("run", "activation", "init", "C_b", "C_W", "n", "L", "inputs",
        "sampler", "M", "seed", "diverged", "seconds", "machine"), rows);
  }

  private static boolean hasFinite(double[] a) {
    for (double v : a) {
      if (Double.isFinite(v)) {
        return true;
      }
    }
    return false;
  }

  private static String join(List<Integer> xs) {
    StringBuilder sb = new StringBuilder();
    for (int x : xs) {
      sb.append(sb.isEmpty() ? "" : ", ").append(x);
    }
    return sb.toString();
  }

  /** "2-4, 6" for layers 2, 3, 4, 6. */
  public static String ranges(List<Integer> xs) {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < xs.size(); ) {
      int j = i;
      while (j + 1 < xs.size() && xs.get(j + 1) == xs.get(j) + 1) {
        j++;
      }
      sb.append(sb.isEmpty() ? "" : ", ").append(xs.get(i));
      if (j > i) {
        sb.append('-').append(xs.get(j));
      }
      i = j + 1;
    }
    return sb.toString();
  }

  private static String compact(long m) {
    return m % 1000 == 0 && m >= 10_000 ? (m / 1000) + "k" : Long.toString(m);
  }
}
