package org.finwidth.sim.experiment;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/**
 * Compares measured rows with their theory: the z-score (value − theory)/se of every row that has
 * both, how many lie beyond a threshold, and the worst ones, in words for the report. With
 * independent Gaussian errors about 0.27% of the points lie beyond 3 SE by chance.
 */
public final class Agreement {
  private Agreement() {}

  /** The z-score of a row, NaN when it has no SE or no theory. */
  public static double z(Row r) {
    return Double.isFinite(r.se()) && r.se() > 0 && Double.isFinite(r.theory()) && Double.isFinite(r.value())
        ? (r.value() - r.theory()) / r.se() : Double.NaN;
  }

  /** The rows of {@code quantity} with a finite z-score beyond {@code k}, worst first. */
  public static List<Row> beyond(List<Row> rows, String quantity, double k) {
    List<Row> out = new ArrayList<>();
    for (Row r : rows) {
      if (r.quantity().equals(quantity) && Math.abs(z(r)) > k) {
        out.add(r);
      }
    }
    out.sort(Comparator.comparingDouble((Row r) -> -Math.abs(z(r))));
    return out;
  }

  /** Rows of {@code quantity} that have a z-score. */
  public static long compared(List<Row> rows, String quantity) {
    return rows.stream().filter(r -> r.quantity().equals(quantity) && Double.isFinite(z(r))).count();
  }

  /**
   * One sentence: "Of N measured points of Q, M lie beyond 3 SE of the theory: worst ..." (at most
   * {@code show} listed with activation, width, layer, value ± se, theory, z).
   */
  public static String describe(List<Row> rows, String quantity, String theoryName, int show) {
    long n = compared(rows, quantity);
    List<Row> bad = beyond(rows, quantity, 3);
    StringBuilder sb = new StringBuilder(String.format(Locale.ROOT,
        "Of %d measured points of %s, %d lie more than 3 standard errors from %s", n, quantity, bad.size(), theoryName));
    if (bad.isEmpty()) {
      return sb.append(" (about %.1f expected by chance).".formatted(0.0027 * n)).toString();
    }
    sb.append(String.format(Locale.ROOT, " (about %.1f expected by chance); the largest: ", 0.0027 * n));
    for (int i = 0; i < Math.min(show, bad.size()); i++) {
      Row r = bad.get(i);
      if (i > 0) {
        sb.append("; ");
      }
      sb.append(String.format(Locale.ROOT, "%s n=%d ℓ=%d: %s vs %s (z = %.1f)", r.activation(), r.width(), r.layer(),
          Fmt.pm(r.value(), r.se()), Fmt.num(r.theory(), 4), z(r)));
    }
    return sb.append('.').toString();
  }
}
