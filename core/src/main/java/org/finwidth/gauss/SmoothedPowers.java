package org.finwidth.gauss;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.List;
import org.finwidth.activation.Activation;

/**
 * A piecewise Chebyshev interpolant of the Gaussian smoothings S_p(m) = E[σ(m + s g)^p], g ~ N(0, 1),
 * for a few powers p, and of A_p(m) = E[|σ(m + s g)|^p] (slots q + i for power i, the magnitudes
 * that scale the tolerance of the outer integral), on an interval of m: the innermost dimension of {@link GaussianProducts},
 * integrated once per conditional standard deviation s instead of once per outer node.
 *
 * <p>S_p is analytic for s &gt; 0 (a convolution with a Gaussian), with features of width
 * max(s, feature width of σ) at 0 and width s at σ's kinks; panels start at those points and are
 * bisected until the last three of the {@value #NODES} Chebyshev coefficients of every power sum to at
 * most a quarter of its absolute tolerance. Node values come from {@link GaussianExpectation}
 * (relative accuracy 1e-13 of E[|σ|^p]), which floors the attainable tolerance. Not thread-safe.
 */
final class SmoothedPowers {
  /** Chebyshev points (first kind) per panel. */
  static final int NODES = 16;
  /** Smallest panel width, relative to s, before the build gives up. */
  private static final double MIN_PANEL = 1e-7;
  /** At most this many panels. */
  private static final int MAX_PANELS = 20_000;

  private static final double[] X = new double[NODES];
  private static final double[][] COS = new double[NODES][NODES];

  static {
    for (int k = 0; k < NODES; k++) {
      X[k] = Math.cos(Math.PI * (k + 0.5) / NODES);
      for (int j = 0; j < NODES; j++) {
        COS[j][k] = Math.cos(Math.PI * j * (k + 0.5) / NODES);
      }
    }
  }

  private final int[] powers;
  /** Sorted panel bounds: panel i is [edges[i], edges[i+1]]. */
  private final double[] edges;
  /** coefficients[i][q * NODES + j]: panel i, power slot q, coefficient j. */
  private final double[][] coefficients;
  private final double lo;
  private final double hi;
  private final long evaluations;

  /**
   * @param sigma the function
   * @param kinks its kinks
   * @param featureScale its feature width in z (see {@link GaussianExpectation#expectWithScale})
   * @param s the smoothing standard deviation, &gt; 0
   * @param powers the powers p ≥ 1 (distinct)
   * @param lo lower end of the m-range
   * @param hi upper end of the m-range, &gt; lo
   * @param absTol absolute tolerance per slot (&gt; 0): the S_p first, then the A_p
   * @param g the one-dimensional quadrature
   * @throws IllegalStateException if the tolerance cannot be met
   */
  SmoothedPowers(Activation sigma, double[] kinks, double featureScale, double s, int[] powers,
      double lo, double hi, double[] absTol, GaussianExpectation g) {
    this.powers = powers.clone();
    this.lo = lo;
    this.hi = hi;
    int half = powers.length;
    int q = 2 * half;
    if (absTol.length != q) {
      throw new IllegalArgumentException("internal: one tolerance per slot");
    }
    double variance = s * s;
    // Initial breakpoints: the ends, 0 and the kinks with geometric points at the feature width.
    List<Double> breaks = new ArrayList<>();
    breaks.add(lo);
    breaks.add(hi);
    addFeature(breaks, 0, Math.max(s, featureScale), lo, hi);
    for (double k : kinks) {
      addFeature(breaks, k, s, lo, hi);
    }
    double[] start = breaks.stream().mapToDouble(Double::doubleValue).sorted().distinct().toArray();
    Deque<double[]> work = new ArrayDeque<>();
    for (int i = start.length - 2; i >= 0; i--) {
      work.push(new double[] {start[i], start[i + 1]});
    }
    List<double[]> done = new ArrayList<>();
    List<double[]> doneCoefficients = new ArrayList<>();
    double[] values = new double[q * NODES];
    double[] shifted = new double[kinks.length];
    // Each node value to a small fraction of the interpolant's absolute tolerance: where S_p(m) is
    // far below it (σ = 0 over most of the smoothing, e.g. ReLU at m ≪ −s), its relative accuracy
    // does not matter.
    double[] nodeTol = new double[q];
    for (int slot = 0; slot < q; slot++) {
      nodeTol[slot] = absTol[slot] / 64;
    }
    long evals = 0;
    while (!work.isEmpty()) {
      double[] panel = work.pop();
      double a = panel[0];
      double b = panel[1];
      double c = 0.5 * (a + b);
      double h = 0.5 * (b - a);
      for (int k = 0; k < NODES; k++) {
        double m = c + h * X[k];
        for (int i = 0; i < kinks.length; i++) {
          shifted[i] = kinks[i] - m;
        }
        Quadrature e = g.expectWithScale((z, out) -> {
          double v = sigma.value(m + z);
          double p = v;
          int power = 1;
          for (int slot = 0; slot < half; slot++) {
            while (power < powers[slot]) {
              p *= v;
              power++;
            }
            out[slot] = p;
            out[half + slot] = Math.abs(p);
          }
        }, q, variance, featureScale, nodeTol, shifted);
        evals += e.evaluations();
        for (int slot = 0; slot < q; slot++) {
          values[slot * NODES + k] = e.value(slot);
        }
      }
      double[] coef = new double[q * NODES];
      boolean ok = true;
      for (int slot = 0; slot < q; slot++) {
        for (int j = 0; j < NODES; j++) {
          double sum = 0;
          for (int k = 0; k < NODES; k++) {
            sum += values[slot * NODES + k] * COS[j][k];
          }
          coef[slot * NODES + j] = (j == 0 ? 1.0 : 2.0) * sum / NODES;
        }
        double tail = Math.abs(coef[slot * NODES + NODES - 1]) + Math.abs(coef[slot * NODES + NODES - 2])
            + Math.abs(coef[slot * NODES + NODES - 3]);
        if (!(tail <= 0.25 * absTol[slot])) {
          ok = false;
        }
      }
      if (ok) {
        done.add(panel);
        doneCoefficients.add(coef);
      } else {
        if (b - a < MIN_PANEL * s || done.size() + work.size() > MAX_PANELS) {
          throw new IllegalStateException("the Gaussian smoothing of " + sigma.spec() + " at s = " + s
              + " cannot be interpolated to the absolute tolerance " + Arrays.toString(absTol)
              + " near m = " + c);
        }
        work.push(new double[] {c, b});
        work.push(new double[] {a, c});
      }
    }
    // The panels were finished left to right (depth-first, left child first).
    int n = done.size();
    edges = new double[n + 1];
    coefficients = new double[n][];
    for (int i = 0; i < n; i++) {
      edges[i] = done.get(i)[0];
      coefficients[i] = doneCoefficients.get(i);
    }
    edges[n] = done.get(n - 1)[1];
    this.evaluations = evals;
  }

  private static void addFeature(List<Double> breaks, double centre, double width, double lo, double hi) {
    if (!(centre > lo && centre < hi)) {
      return;
    }
    breaks.add(centre);
    for (double d = width; d < 2; d *= 4) {
      if (centre - d > lo) {
        breaks.add(centre - d);
      }
      if (centre + d < hi) {
        breaks.add(centre + d);
      }
    }
  }

  /** The range [lo, hi] of m. */
  boolean covers(double m) {
    return m >= lo && m <= hi;
  }

  /** Number of panels. */
  int panels() {
    return coefficients.length;
  }

  /** One-dimensional evaluations spent building the interpolant. */
  long evaluations() {
    return evaluations;
  }

  /**
   * Writes S_p(m) for every power into out[0..q) and A_p(m) into out[q..2q), m within the range.
   */
  void values(double m, double[] out) {
    int i = Arrays.binarySearch(edges, m);
    if (i < 0) {
      i = -i - 2;
    }
    i = Math.max(0, Math.min(i, coefficients.length - 1));
    double a = edges[i];
    double b = edges[i + 1];
    double x = (2 * m - a - b) / (b - a);
    double x2 = 2 * x;
    double[] coef = coefficients[i];
    for (int slot = 0; slot < 2 * powers.length; slot++) {
      int base = slot * NODES;
      double b1 = 0;
      double b2 = 0;
      for (int j = NODES - 1; j >= 1; j--) {
        double t = x2 * b1 - b2 + coef[base + j];
        b2 = b1;
        b1 = t;
      }
      out[slot] = x * b1 - b2 + coef[base];
    }
  }
}
