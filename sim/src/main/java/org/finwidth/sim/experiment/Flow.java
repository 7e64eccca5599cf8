package org.finwidth.sim.experiment;

import java.util.Optional;
import org.finwidth.theory.LayerPrediction;
import org.finwidth.theory.Prediction;

/**
 * A theory-only single-input flow, as numbers: K^(ℓ) and V^(ℓ)/K^(ℓ)² of every predicted layer,
 * and why the prediction stopped early if it did.
 *
 * @param activation the activation spec
 * @param cb C_b
 * @param cw C_W
 * @param kernel K^(ℓ) at index ℓ − 1
 * @param vertexOverKernelSquared V^(ℓ)/K^(ℓ)² at index ℓ − 1
 * @param breakdown the prediction's breakdown (layer and reason), if it stopped before the last layer
 * @param setup the network's provenance (theory: no sampler), labelled by {@link Fmt#init}
 */
record Flow(String activation, double cb, double cw, double[] kernel, double[] vertexOverKernelSquared,
    Optional<Prediction.Breakdown> breakdown, Setup setup) {

  /** The flow of a prediction (input 0). */
  static Flow of(Prediction p) {
    int m = p.layers().size();
    double[] k = new double[m];
    double[] v = new double[m];
    for (LayerPrediction lp : p.layers()) {
      k[lp.layer() - 1] = lp.kernel(0, 0);
      v[lp.layer() - 1] = lp.vertexOverKernelSquared(0);
    }
    return new Flow(p.spec().activation().spec(), p.spec().cb(), p.spec().cw(), k, v, p.breakdown(),
        Setup.of(Fmt.init(k[0], p.spec().cb(), p.spec().cw()), p.spec(), ""));
  }

  /** Number of predicted layers. */
  int depth() {
    return kernel.length;
  }

  /** K^(ℓ) (1-based). */
  double kernel(int l) {
    return kernel[l - 1];
  }

  /** The layers 1..depth as doubles (an x axis). */
  double[] layers() {
    double[] x = new double[kernel.length];
    for (int j = 0; j < x.length; j++) {
      x[j] = j + 1;
    }
    return x;
  }

  /** The CSV's init field: K^(1), C_b, C_W. */
  String init() {
    return Fmt.init(kernel[0], cb, cw);
  }
}
