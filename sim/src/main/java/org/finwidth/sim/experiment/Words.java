package org.finwidth.sim.experiment;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Statements about numbers, computed from them: how a kernel flow moves, how fast a vertex grows,
 * where the points that disagree lie. Used by the experiments' {@code render} so that no direction
 * or count in a report is written into a template.
 */
final class Words {
  private Words() {}

  /** Relative change per layer below which a flow counts as settled. */
  static final double SETTLED = 1e-6;
  /** Relative deviation from K^(1) below which a flow counts as constant. */
  static final double CONSTANT = 1e-9;

  /**
   * How the kernel K^(ℓ) moves over the flow's layers, e.g. "stays at 2 at every layer", "falls from
   * 1 to 0.0152 at ℓ = 32, like ℓ^-0.97 at the end", "rises from 0.01 to 3.2 at ℓ = 12", "settles at
   * 1.38 (relative change below 1e-6 per layer from ℓ = 14)".
   */
  static String kernelFlow(double[] k) {
    int m = k.length;
    double worst = 0;
    for (double x : k) {
      worst = Math.max(worst, Math.abs(x / k[0] - 1));
    }
    if (worst < CONSTANT) {
      return "stays at " + Fmt.num(k[0], 4) + " at every layer";
    }
    boolean up = true;
    boolean down = true;
    for (int j = 1; j < m; j++) {
      up &= k[j] >= k[j - 1];
      down &= k[j] <= k[j - 1];
    }
    String verb = k[m - 1] > k[0] ? "rises" : "falls";
    StringBuilder sb = new StringBuilder(String.format(Locale.ROOT, "%s from %s to %s at ℓ = %d%s", verb,
        Fmt.num(k[0], 4), Fmt.num(k[m - 1], 4), m, up || down ? "" : " (not monotonically)"));
    int settled = -1;
    for (int j = 1; j < m; j++) {
      if (Math.abs(k[j] / k[j - 1] - 1) < SETTLED) {
        if (settled < 0) {
          settled = j + 1;
        }
      } else {
        settled = -1;
      }
    }
    if (settled > 0) {
      sb.append(String.format(Locale.ROOT, ", settled from ℓ = %d on (changes below %s per layer)", settled,
          Fmt.num(SETTLED)));
    } else if (m >= 3) {
      double factor = k[m - 1] / k[m - 2];
      double power = Math.log(factor) / Math.log((double) m / (m - 1));
      if (Math.abs(power) <= 5) {
        sb.append(String.format(Locale.ROOT, ", still moving at the end (%s%% per layer, like ℓ^%s)",
            Fmt.num(100 * (factor - 1), 2), Fmt.num(power, 2)));
      } else {
        sb.append(String.format(Locale.ROOT, ", multiplied by %s in the last layer", Fmt.num(factor, 3)));
      }
    }
    return sb.toString();
  }

  /** The growth of V/K² per layer at the end of a flow: (V/K²)(L) − (V/K²)(L−1). */
  static double endSlope(double[] vOverK2) {
    int m = vOverK2.length;
    return m < 2 ? Double.NaN : vOverK2[m - 1] - vOverK2[m - 2];
  }

  /**
   * "grows by 5 per layer" or "saturates near 0.4 (changes by 0.01% per layer at the end)": linear
   * growth when the last step, times the depth, is at least half the value; saturation otherwise.
   */
  static String vertexGrowth(double[] vOverK2) {
    int m = vOverK2.length;
    double slope = endSlope(vOverK2);
    double last = vOverK2[m - 1];
    if (Math.abs(slope) * (m - 1) >= 0.5 * Math.abs(last)) {
      return "grows by " + Fmt.num(slope, 3) + " per layer";
    }
    return String.format(Locale.ROOT, "saturates near %s (changes by %s%% per layer at the end)", Fmt.num(last, 3),
        Fmt.num(100 * slope / last, 2));
  }

  /** The median of the values, NaN for none. */
  static double median(List<Double> values) {
    if (values.isEmpty()) {
      return Double.NaN;
    }
    List<Double> v = new ArrayList<>(values);
    v.sort(null);
    int m = v.size();
    return m % 2 == 1 ? v.get(m / 2) : (v.get(m / 2 - 1) + v.get(m / 2)) / 2;
  }

  /**
   * Where the points of {@code quantity} beyond 3 SE lie in depth-to-width ratio, against all of
   * its compared points: "The N points beyond 3 SE have a median ℓ/n of x (all M points: y)."; empty
   * if none lies beyond.
   */
  static String whereBeyond(List<Row> rows, String quantity) {
    List<Double> all = new ArrayList<>();
    List<Double> bad = new ArrayList<>();
    for (Row r : rows) {
      if (r.quantity().equals(quantity) && Double.isFinite(Agreement.z(r)) && r.width() > 0) {
        double x = (double) r.layer() / r.width();
        all.add(x);
        if (Math.abs(Agreement.z(r)) > 3) {
          bad.add(x);
        }
      }
    }
    if (bad.isEmpty()) {
      return "";
    }
    return String.format(Locale.ROOT, "The %d point(s) beyond 3 SE have a median depth-to-width ratio ℓ/n of %s"
        + " (all %d points: %s).", bad.size(), Fmt.num(median(bad), 3), all.size(), Fmt.num(median(all), 3));
  }
}
