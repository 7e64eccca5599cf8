package org.finwidth.sim.cli;

import java.util.Map;
import java.util.OptionalDouble;
import org.finwidth.network.NetworkSpec;
import org.finwidth.theory.ExactMoments;
import org.finwidth.theory.LayerPrediction;
import org.finwidth.theory.Prediction;

/**
 * The {@link TheoryView} of {@code simulate}, backed by {@link Prediction}: K + K1/n, V and
 * 1 + V/(nK²) from the effective theory, and the exact values for one input: the 80-digit oracle's
 * where it applies, else the exact law's (docs/theory.md §6.5). Layers
 * past a {@link Prediction.Breakdown} have no theory; the note says why.
 */
final class PredictionView implements TheoryView {
  private final Prediction prediction;
  private final String note;

  private PredictionView(Prediction prediction, String note) {
    this.prediction = prediction;
    this.note = note;
  }

  /** The view of a network; {@link TheoryView#none} with the reason if the theory refuses it. */
  static TheoryView of(NetworkSpec spec) {
    Prediction p;
    try {
      p = Prediction.of(spec, true);
    } catch (IllegalArgumentException | IllegalStateException e) {
      return TheoryView.none("no theory: " + e.getMessage());
    }
    String note = p.breakdown().map(b -> "theory stops at " + b.reason())
        .orElse(p.exactLawNote().orElse(null));
    return new PredictionView(p, note);
  }

  private LayerPrediction layer(int l) {
    return l >= 1 && l <= prediction.layers().size() ? prediction.layer(l) : null;
  }

  private ExactMoments.LayerMoments exact(int l) {
    LayerPrediction lp = layer(l);
    return lp == null ? null : lp.exact().orElse(null);
  }

  private static OptionalDouble finite(double x) {
    return Double.isFinite(x) ? OptionalDouble.of(x) : OptionalDouble.empty();
  }

  @Override
  public OptionalDouble kernel(int l, int a, int b) {
    LayerPrediction lp = layer(l);
    return lp == null ? OptionalDouble.empty() : finite(lp.kernel(a, b));
  }

  @Override
  public double exactRelativeAccuracy(int l) {
    // the oracle computes the exact moments to 34 significant digits: 0 at double precision
    return exact(l) == null ? Double.NaN : 0;
  }

  @Override
  public OptionalDouble twoPoint(int l, int a, int b) {
    LayerPrediction lp = layer(l);
    return lp == null ? OptionalDouble.empty() : finite(lp.twoPoint(a, b));
  }

  @Override
  public OptionalDouble vertex(int l, int a, int b, int c, int d) {
    LayerPrediction lp = layer(l);
    return lp == null ? OptionalDouble.empty() : finite(lp.vertex(a, b, c, d));
  }

  @Override
  public OptionalDouble ratio(int l, int a) {
    LayerPrediction lp = layer(l);
    return lp == null ? OptionalDouble.empty() : finite(1 + lp.vertexOverWidthKernelSquared(a));
  }

  @Override
  public OptionalDouble exactTwoPoint(int l) {
    LayerPrediction lp = layer(l);
    return lp == null ? OptionalDouble.empty() : finite(lp.exactTwoPoint());
  }

  @Override
  public OptionalDouble exactVertex(int l) {
    LayerPrediction lp = layer(l);
    return lp == null ? OptionalDouble.empty() : finite(lp.exactVertex());
  }

  @Override
  public OptionalDouble exactRatio4(int l) {
    ExactMoments.LayerMoments e = exact(l);
    if (e != null) {
      return finite(e.kurtosisRatio());
    }
    LayerPrediction lp = layer(l);
    if (lp == null) {
      return OptionalDouble.empty();
    }
    double g = lp.exactTwoPoint();
    return finite(lp.exactSecond() / (g * g));
  }

  @Override
  public OptionalDouble exactPairRatio(int l) {
    // E[z_i²z_j²]/E[z²]² = E[Ĝ²]/E[Ĝ]² = E[z⁴]/(3E[z²]²) exactly (docs/theory.md §1.4).
    return exactRatio4(l);
  }

  @Override
  public Map<String, Object> layerJson(int l) {
    LayerPrediction lp = layer(l);
    return lp == null ? Map.of() : TheoryCommand.layerJson(lp);
  }

  @Override
  public String note() {
    return note;
  }
}
