package org.finwidth.theory;

import java.util.Arrays;
import java.util.TreeSet;
import org.finwidth.activation.Activation;
import org.finwidth.activation.SpecialFunctions;

/**
 * A quadrature rule for the law of one term X = σ(√k·ε)², ε ~ N(0, 1), of the stochastic metric
 * (docs/theory.md §1.4, §6.5): nodes X_i with weights, plus the exact mass of the pieces of the
 * ε-line where σ vanishes identically (ReLU's negative half: the atom at X = 0).
 *
 * <p>The ε-range [−{@value #EPS_MAX}, {@value #EPS_MAX}] (outside it the Gaussian mass is below
 * 1e-32) is cut at ε = 0 and at every kink z_c/√k of σ; on each piece [a, b] the substitution
 * ε = a + (b − a)·s(t), s the logistic function, with the trapezoid rule in t of step
 * {@value #STEP}, clusters nodes geometrically at both ends. At ε = 0 (σ(0) = 0 for most
 * activations) the variable log X behaves like 2 log|ε|, which is linear in t there, so the rule
 * stays spectrally accurate for every function of log X that is smooth on the scale of one, and it
 * resolves σ's features on the scale 1/√k at any k. The ends are cut where the neglected mass is
 * below 1e-17. Package-private.
 */
final class SummandQuadrature {
  /** Half-width of the ε-range. */
  static final double EPS_MAX = 12;
  /** Trapezoid step in the logistic variable t. */
  static final double STEP = 0.0625;
  /** t-range at an end that is a breakpoint inside the range (neglected mass ~ e^-T·(b−a)). */
  private static final double T_INNER = 41;
  /** t-range at an end at ±EPS_MAX (the Gaussian weight is ~1e-32 there). */
  private static final double T_OUTER = 6;

  /** Node values X_i = σ(√k ε_i)² (finite, ≥ 0). */
  final double[] x;
  /** Node weights (Gaussian mass). */
  final double[] weight;
  /** Mass of the pieces where σ ≡ 0 (X = 0 exactly). */
  final double atom;
  /** E[X] and Var(X) from the rule (atom included). */
  final double mean;
  final double variance;
  /** E[X²]. */
  final double second;

  private SummandQuadrature(double[] x, double[] weight, double atom) {
    this.x = x;
    this.weight = weight;
    this.atom = atom;
    double m = 0;
    double mass = atom;
    for (int i = 0; i < x.length; i++) {
      m += weight[i] * x[i];
      mass += weight[i];
    }
    m /= mass;
    double v = atom * m * m;
    double s2 = 0;
    for (int i = 0; i < x.length; i++) {
      double d = x[i] - m;
      v += weight[i] * d * d;
      s2 += weight[i] * x[i] * x[i];
    }
    this.mean = m;
    this.variance = v / mass;
    this.second = s2 / mass;
  }

  /**
   * The rule for σ at variance k ≥ 0.
   *
   * @throws IllegalStateException if σ(√k ε)² overflows or is NaN inside the range
   */
  static SummandQuadrature of(Activation sigma, double[] zBreaks, boolean[] zeroPieces, double k) {
    if (k == 0) {
      double s0 = sigma.value(0);
      double x0 = s0 * s0;
      if (!Double.isFinite(x0)) {
        throw new IllegalStateException("sigma(0)^2 is not finite for " + sigma.spec());
      }
      return x0 == 0 ? new SummandQuadrature(new double[0], new double[0], 1)
          : new SummandQuadrature(new double[] {x0}, new double[] {1}, 0);
    }
    double sk = Math.sqrt(k);
    // Breakpoints in ε inside (−EPS_MAX, EPS_MAX); piece p of zBreaks lies between zBreaks[p−1] and zBreaks[p].
    int pieces = zBreaks.length + 1;
    double[] xs = new double[4096];
    double[] ws = new double[4096];
    int count = 0;
    double atom = 0;
    for (int p = 0; p < pieces; p++) {
      double a = p == 0 ? -EPS_MAX : Math.max(-EPS_MAX, zBreaks[p - 1] / sk);
      double b = p == pieces - 1 ? EPS_MAX : Math.min(EPS_MAX, zBreaks[p] / sk);
      if (!(b > a)) {
        continue;
      }
      if (zeroPieces[p]) {
        atom += SpecialFunctions.normalCdf(b) - SpecialFunctions.normalCdf(a);
        continue;
      }
      boolean innerA = a > -EPS_MAX;
      boolean innerB = b < EPS_MAX;
      double tLo = -(innerA ? T_INNER : T_OUTER);
      double tHi = innerB ? T_INNER : T_OUTER;
      int n0 = (int) Math.ceil(-tLo / STEP);
      int n1 = (int) Math.ceil(tHi / STEP);
      double len = b - a;
      for (int i = -n0; i <= n1; i++) {
        double t = i * STEP;
        // s = 1/(1+e^-t), 1 - s = 1/(1+e^t), computed without cancellation.
        double s;
        double c;
        if (t >= 0) {
          double e = Math.exp(-t);
          s = 1 / (1 + e);
          c = e / (1 + e);
        } else {
          double e = Math.exp(t);
          s = e / (1 + e);
          c = 1 / (1 + e);
        }
        double eps = s <= 0.5 ? a + len * s : b - len * c;
        double wgt = SpecialFunctions.normalPdf(eps) * len * s * c * STEP;
        if (wgt == 0) {
          continue;
        }
        double z = sigma.value(sk * eps);
        double xv = z * z;
        if (!(xv < Double.POSITIVE_INFINITY)) {
          throw new IllegalStateException("sigma(z)^2 overflows at z = " + sk * eps + " for "
              + sigma.spec() + " at variance " + k);
        }
        if (count == xs.length) {
          xs = Arrays.copyOf(xs, 2 * count);
          ws = Arrays.copyOf(ws, 2 * count);
        }
        xs[count] = xv;
        ws[count] = wgt;
        count++;
      }
    }
    return new SummandQuadrature(Arrays.copyOf(xs, count), Arrays.copyOf(ws, count), atom);
  }

  /** The breakpoints of σ in z: 0 and the kinks, sorted, distinct. */
  static double[] breaks(Activation sigma) {
    TreeSet<Double> set = new TreeSet<>();
    set.add(0.0);
    for (double c : sigma.kinks()) {
      if (Double.isFinite(c)) {
        set.add(c == 0 ? 0.0 : c);
      }
    }
    double[] out = new double[set.size()];
    int i = 0;
    for (double c : set) {
      out[i++] = c;
    }
    return out;
  }

  /**
   * For each piece between breakpoints, whether σ vanishes identically there (σ = 0 at every one of
   * a set of probe points spread over the piece on all scales; exact for the catalogue's
   * rectifiers, whose σ is analytic on each piece).
   */
  static boolean[] zeroPieces(Activation sigma, double[] zBreaks) {
    int pieces = zBreaks.length + 1;
    boolean[] zero = new boolean[pieces];
    double[] scales = {1e-9, 1e-6, 1e-3, 0.1, 0.5, 1, 3, 10, 100, 1e4};
    double[] fractions = {1e-9, 1e-6, 1e-3, 0.1, 0.3, 0.5, 0.7, 0.9, 0.999, 1 - 1e-6};
    for (int p = 0; p < pieces; p++) {
      boolean allZero = true;
      for (int i = 0; i < scales.length && allZero; i++) {
        double z;
        if (p == 0) {
          z = zBreaks[0] - scales[i];
        } else if (p == pieces - 1) {
          z = zBreaks[pieces - 2] + scales[i];
        } else {
          z = zBreaks[p - 1] + fractions[i] * (zBreaks[p] - zBreaks[p - 1]);
        }
        allZero = sigma.value(z) == 0;
      }
      zero[p] = allZero;
    }
    return zero;
  }
}
