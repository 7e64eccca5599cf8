package org.finwidth.sim.experiment;

import java.util.ArrayList;
import java.util.List;
import org.finwidth.ensemble.EnsembleResult;
import org.finwidth.stats.Estimate;
import org.finwidth.stats.LayerEstimates;
import org.finwidth.theory.ExactLaw;
import org.finwidth.theory.ExactMoments;
import org.finwidth.theory.LayerPrediction;
import org.finwidth.theory.Prediction;

/**
 * One Monte Carlo ensemble beside the theory of its network, layer by layer, as numbers: what an
 * experiment's result keeps of a run, so that its figures and text are rendered without the
 * ensemble or the prediction at hand. Input 0 (and the pair (0, 1) for two inputs).
 *
 * @param activation the activation spec
 * @param setup the network's provenance; its label the tables' init ({@link Initialisation#text()} or similar)
 * @param width n_1 (the networks have equal widths)
 * @param networks networks accumulated (diverged ones excluded)
 * @param seed the ensemble's seed
 * @param layers layers 1..m with a prediction (m = the depth unless the theory broke down)
 */
record Series(String activation, Setup setup, int width, long networks, long seed, List<Layer> layers) {
  Series {
    layers = List.copyOf(layers);
  }

  /**
   * One layer.
   *
   * @param layer ℓ
   * @param fanIn n_{ℓ−1}
   * @param kernel K^(ℓ)_00
   * @param nloKernel K1^(ℓ)_00
   * @param vertex V^(ℓ)_(00)(00), leading order
   * @param twoPoint K + K1/n_{ℓ−1} of input 0
   * @param exactRelativeVariance exact Var(Ĝ)/E[Ĝ]² (= E[z⁴]/(3E[z²]²) − 1): the oracle's, else the exact
   *     law's (docs/theory.md §6.5) when the prediction carries it; NaN without either
   * @param exactKurtosisRatio exact E[z⁴]/(3E[z²]²), NaN without either
   * @param exactEz2 exact E[z²], NaN without either
   * @param g E[z_0²] from the neurons
   * @param gMetric E[Ĝ_00]
   * @param vMetric n_{ℓ−1} Var(Ĝ_00)
   * @param ratio4 E[z⁴]/(3E[z²]²) of input 0
   * @param tailShare the heavy-tail diagnostic of the layer
   * @param kernel01 K^(ℓ)_01 (NaN for one input)
   * @param twoPoint01 K_01 + K1_01/n_{ℓ−1} (NaN for one input)
   * @param g01 E[z_0 z_1] from the neurons ({@link Estimate#UNDEFINED} for one input)
   */
  record Layer(int layer, int fanIn, double kernel, double nloKernel, double vertex, double twoPoint,
      double exactRelativeVariance, double exactKurtosisRatio, double exactEz2, Estimate g, Estimate gMetric,
      Estimate vMetric, Estimate ratio4, double tailShare, double kernel01, double twoPoint01, Estimate g01) {

    /** V/K² of input 0 (leading order). */
    double vertexOverKernelSquared() {
      return vertex / (kernel * kernel);
    }

    /** V/(n_{ℓ−1} K²): the leading order of E[z⁴]/(3E[z²]²) − 1. */
    double vertexOverWidthKernelSquared() {
      return vertexOverKernelSquared() / fanIn;
    }
  }

  /** The numbers of an ensemble beside its prediction, every predicted layer. */
  static Series of(String activation, String init, Prediction theory, EnsembleResult run) {
    List<Layer> layers = new ArrayList<>();
    boolean two = theory.spec().inputCount() >= 2;
    for (LayerPrediction lp : theory.layers()) {
      LayerEstimates e = run.estimates(lp.layer());
      ExactMoments.LayerMoments x = lp.exact().orElse(null);
      // The exact values: the oracle's where it applies, else the exact law's if it was computed.
      double relVar = Double.NaN;
      double kurt = Double.NaN;
      double ez2 = Double.NaN;
      if (x != null) {
        relVar = x.relativeVariance();
        kurt = x.kurtosisRatio();
        ez2 = x.ez2Double();
      } else if (lp.exactLaw().isPresent()) {
        ExactLaw.Layer w = lp.exactLaw().get();
        ez2 = w.mean();
        relVar = w.variance() / (ez2 * ez2);
        kurt = w.second() / (ez2 * ez2);
      }
      layers.add(new Layer(lp.layer(), lp.fanIn(), lp.kernel(0, 0), lp.nloKernel(0, 0), lp.vertex(0, 0, 0, 0),
          lp.twoPoint(0, 0), relVar, kurt, ez2, e.g(0, 0),
          e.gMetric(0, 0), e.vMetric(0), e.ratio4(0), e.tailShare(), two ? lp.kernel(0, 1) : Double.NaN,
          two ? lp.twoPoint(0, 1) : Double.NaN, two ? e.g(0, 1) : Estimate.UNDEFINED));
    }
    return new Series(activation, Setup.of(init, run.spec(), run.sampler()), run.spec().width(1), run.networksAccumulated(), run.seed(), layers);
  }

  /** The tables' label of the initialisation. */
  String init() {
    return setup.label();
  }

  /** Layer ℓ (1-based). */
  Layer layer(int l) {
    return layers.get(l - 1);
  }

  /** The number of predicted layers. */
  int depth() {
    return layers.size();
  }

  /** {@code G} of every layer: E[Ĝ] from the metric, theory K + K1/n. */
  List<Row> kernelRows() {
    List<Row> rows = new ArrayList<>();
    for (Layer l : layers) {
      rows.add(new Row(activation, setup, width, l.layer(), "G", l.gMetric().mean(), l.gMetric().standardError(),
          l.twoPoint(), networks, seed));
    }
    return rows;
  }

  /** {@code V} of every layer from 2 on (V^(1) = 0 exactly): n·Var(Ĝ), theory the leading-order V. */
  List<Row> vertexRows() {
    List<Row> rows = new ArrayList<>();
    for (Layer l : layers) {
      if (l.layer() >= 2) {
        rows.add(new Row(activation, setup, width, l.layer(), "V", l.vMetric().mean(), l.vMetric().standardError(),
            l.vertex(), networks, seed));
      }
    }
    return rows;
  }
}
