package org.finwidth.sim.experiment;

import java.util.ArrayList;
import java.util.List;
import org.finwidth.ensemble.EnsembleResult;
import org.finwidth.stats.Estimate;
import org.finwidth.theory.LayerPrediction;
import org.finwidth.theory.Prediction;

/**
 * Tidy rows of one single-input ensemble beside its prediction, layer by layer, as the
 * controlled-swish, repu and finite-width experiments write them: {@code G} = E[Ĝ] from the metric
 * (theory K + K1/n) and {@code V} = n·Cov(Ĝ, Ĝ) from the metric (theory: the leading-order V).
 */
final class MeasuredRows {
  private MeasuredRows() {}

  /** {@code G} of every predicted layer. */
  static List<Row> kernel(String activation, String init, Prediction theory, EnsembleResult run) {
    int n = run.spec().width(1);
    List<Row> rows = new ArrayList<>();
    for (LayerPrediction lp : theory.layers()) {
      Estimate g = run.estimates(lp.layer()).gMetric(0, 0);
      rows.add(new Row(activation, init, n, lp.layer(), "G", g.mean(), g.standardError(), lp.twoPoint(0, 0),
          run.networksAccumulated(), run.seed()));
    }
    return rows;
  }

  /** {@code V} of every predicted layer from 2 on (V^(1) = 0 exactly). */
  static List<Row> vertex(String activation, String init, Prediction theory, EnsembleResult run) {
    int n = run.spec().width(1);
    List<Row> rows = new ArrayList<>();
    for (LayerPrediction lp : theory.layers()) {
      if (lp.layer() >= 2) {
        Estimate v = run.estimates(lp.layer()).vMetric(0);
        rows.add(new Row(activation, init, n, lp.layer(), "V", v.mean(), v.standardError(), lp.vertex(0, 0, 0, 0),
            run.networksAccumulated(), run.seed()));
      }
    }
    return rows;
  }
}
