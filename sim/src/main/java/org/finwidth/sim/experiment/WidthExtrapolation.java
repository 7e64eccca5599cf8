package org.finwidth.sim.experiment;

import java.util.ArrayList;
import java.util.List;
import org.finwidth.ensemble.EnsembleResult;
import org.finwidth.stats.Estimate;
import org.finwidth.stats.LayerEstimates;
import org.finwidth.stats.PolynomialFit;
import org.finwidth.theory.LayerPrediction;
import org.finwidth.theory.Prediction;

/**
 * The four-point vertex V and the NLO kernel K1 read off Monte Carlo ensembles of one network at
 * several equal widths n, by a weighted fit in 1/n (docs/theory.md §5.4 and §9.4), against the
 * leading-order recursions (§5), single input.
 *
 * <p>At width n, layer ℓ (fan-in n):
 * <pre>
 *   V̂(n)  = n Cov(Ĝ, Ĝ)       (Vmetric)        = V + b_V/n + c_V/n² + …
 *   K̂1(n) = n (E[Ĝ] − K)     (Gmetric − K)      = K1 + b_K/n + c_K/n² + …
 * </pre>
 * with K, V, K1 the infinite-width recursions; each is fitted by y∞ + b/n + c/n² (a straight line
 * when fewer than four widths are given), whose intercept y∞ is the measured V or K1. The
 * residuals of the raw moments against the leading 1/n theory,
 * <pre>
 *   Var(Ĝ) − V/n = (V̂(n) − V)/n       and       E[Ĝ] − K − K1/n = (K̂1(n) − K1)/n,
 * </pre>
 * shrink like 1/n² when the theory is right (and like 1/n if V or K1 were wrong).
 */
final class WidthExtrapolation {
  private WidthExtrapolation() {}

  /**
   * One layer at one width.
   *
   * @param width n
   * @param vertex V̂(n) = n Cov(Ĝ, Ĝ) with its SE
   * @param nlo K̂1(n) = n (E[Ĝ] − K) with its SE
   * @param vertexResidual Var(Ĝ) − V/n with its SE
   * @param kernelResidual E[Ĝ] − K − K1/n with its SE
   */
  record Point(int width, Estimate vertex, Estimate nlo, Estimate vertexResidual, Estimate kernelResidual) {}

  /**
   * One layer over all widths.
   *
   * @param layer ℓ
   * @param kernel K^(ℓ) (infinite width)
   * @param vertexTheory V^(ℓ), the leading-order recursion
   * @param nloTheory K1^(ℓ)
   * @param points the measurements, by increasing width
   * @param vertexFit the fit of V̂(n) in 1/n (intercept: the measured V)
   * @param nloFit the fit of K̂1(n) in 1/n (intercept: the measured K1)
   */
  record LayerFit(int layer, double kernel, double vertexTheory, double nloTheory, List<Point> points,
      PolynomialFit vertexFit, PolynomialFit nloFit) {
    LayerFit {
      points = List.copyOf(points);
    }

    /** The fit's Var(Ĝ) − V/n at width n: (fit(1/n) − V)/n. */
    double fittedVertexResidual(double n) {
      return (vertexFit.valueAt(1 / n) - vertexTheory) / n;
    }

    /** The fit's E[Ĝ] − K − K1/n at width n: (fit(1/n) − K1)/n. */
    double fittedKernelResidual(double n) {
      return (nloFit.valueAt(1 / n) - nloTheory) / n;
    }
  }

  /**
   * Fits every layer from 2 to L (layer 1 is deterministic: Ĝ^(1) = K^(1)).
   *
   * @param theory the infinite-width prediction (any width: K, V and K1 do not depend on it for
   *     equal widths)
   * @param runs one ensemble per width, all of the same single-input network at equal widths
   * @throws IllegalArgumentException for fewer than three widths, two inputs, unequal widths, or
   *     runs of different depths
   */
  static List<LayerFit> fit(Prediction theory, List<EnsembleResult> runs) {
    if (runs.size() < 3) {
      throw new IllegalArgumentException("the fit in 1/n needs at least 3 widths, got " + runs.size());
    }
    int depth = theory.spec().depth();
    int degree = runs.size() >= 4 ? 2 : 1;
    for (EnsembleResult r : runs) {
      if (r.spec().inputCount() != 1 || r.spec().depth() != depth) {
        throw new IllegalArgumentException("every run must have one input and depth " + depth + ": "
            + r.spec());
      }
      int n = r.spec().width(1);
      for (int l = 1; l < depth; l++) {
        if (r.spec().width(l) != n) {
          throw new IllegalArgumentException("the fit needs equal widths, got " + r.spec());
        }
      }
    }
    List<LayerFit> out = new ArrayList<>();
    for (int l = 2; l <= depth; l++) {
      LayerPrediction lp = theory.layer(l);
      double k = lp.kernel(0, 0);
      double v = lp.vertex(0, 0, 0, 0);
      double k1 = lp.nloKernel(0, 0);
      int m = runs.size();
      double[] x = new double[m];
      double[] vy = new double[m];
      double[] vs = new double[m];
      double[] ky = new double[m];
      double[] ks = new double[m];
      List<Point> points = new ArrayList<>();
      for (int i = 0; i < m; i++) {
        EnsembleResult r = runs.get(i);
        int n = r.spec().width(l - 1);
        LayerEstimates e = r.estimates(l);
        Estimate vm = e.vMetric(0);
        Estimate gm = e.gMetric(0, 0);
        Estimate nlo = new Estimate(n * (gm.mean() - k), n * gm.standardError());
        x[i] = 1.0 / n;
        vy[i] = vm.mean();
        vs[i] = vm.standardError();
        ky[i] = nlo.mean();
        ks[i] = nlo.standardError();
        points.add(new Point(n, vm, nlo,
            new Estimate((vm.mean() - v) / n, vm.standardError() / n),
            new Estimate(gm.mean() - k - k1 / n, gm.standardError())));
      }
      out.add(new LayerFit(l, k, v, k1, points, PolynomialFit.fit(degree, x, vy, vs),
          PolynomialFit.fit(degree, x, ky, ks)));
    }
    return out;
  }
}
