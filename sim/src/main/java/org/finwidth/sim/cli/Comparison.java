package org.finwidth.sim.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.OptionalDouble;
import org.finwidth.ensemble.EnsembleResult;
import org.finwidth.network.NetworkSpec;
import org.finwidth.stats.Estimate;
import org.finwidth.stats.LayerEstimates;
import org.finwidth.stats.TailCheck;
import org.finwidth.stats.Verdict;
import org.finwidth.vector.PairIndex;

/**
 * One measured number of a result beside its predictions and the {@link Verdict} on it: what a
 * row of {@code simulate}'s table and of its CSV ({@link TidyCsv}) shows. {@link #of} lists them
 * in the one order every output uses: per layer, per pair G then Gmetric, per pair of pairs V then
 * Vmetric, per input ratio4 then pairRatio (G, V and the ratios only with the distinct-neuron
 * statistics).
 *
 * <p>The next order that {@code beyond-LO} allows ({@link Verdict#nextOrder}) is estimated from
 * the prediction's own 1/n term: K1/n = (K + K1/n) − K for G and Gmetric, V for V and Vmetric,
 * V/(nK²) = (1 + V/(nK²)) − 1 for the ratios; the depth-to-width ratio is
 * {@link Verdict#depthToWidth} of the network's widths.
 *
 * @param layer ℓ
 * @param quantity G, Gmetric, V, Vmetric, ratio4 or pairRatio
 * @param component the pair key ("00"), the V key ("00|00") or the input ("0")
 * @param diagonal whether the component is diagonal: G_aa, V_(aa)(aa), or a ratio
 * @param measured the estimate
 * @param theory the leading-order prediction, if any
 * @param exact the exact finite-width value, if any (one input)
 * @param verdict the verdict on the estimate
 */
record Comparison(int layer, String quantity, String component, boolean diagonal, Estimate measured, OptionalDouble theory,
    OptionalDouble exact, Verdict verdict) {

  /** The label of the table: "G 00", "V 00|00", "ratio4" (one input) or "ratio4 1". */
  String label(int inputs) {
    boolean ratio = quantity.equals("ratio4") || quantity.equals("pairRatio");
    return ratio && inputs == 1 ? quantity : quantity + " " + component;
  }

  /** Every comparison of a result, layer by layer. */
  static List<Comparison> of(EnsembleResult r, TheoryView th) {
    List<Comparison> all = new ArrayList<>();
    for (int l = 1; l <= r.spec().depth(); l++) {
      all.addAll(layer(r, th, l));
    }
    return all;
  }

  /** The comparisons of layer ℓ. */
  static List<Comparison> layer(EnsembleResult r, TheoryView th, int l) {
    NetworkSpec net = r.spec();
    int d = net.inputCount();
    LayerEstimates e = r.estimates(l);
    PairIndex ix = e.layout().index();
    boolean neurons = e.hasDistinctNeurons();
    TailCheck tails = TailCheck.of(e);
    double ratio = Verdict.depthToWidth(l, net::width);
    double accuracy = th.exactRelativeAccuracy(l);
    List<Comparison> out = new ArrayList<>();
    Maker mk = (quantity, component, diagonal, est, theory, firstOrder, exact) -> {
      double t = theory.isPresent() ? theory.getAsDouble() : Double.NaN;
      double x = exact.isPresent() ? exact.getAsDouble() : Double.NaN;
      double tol = Double.isFinite(accuracy) && Double.isFinite(x) ? accuracy * Math.abs(x) : 0;
      Verdict v = Verdict.judge(est, t, Verdict.nextOrder(firstOrder, ratio), x, tol, tails);
      out.add(new Comparison(l, quantity, component, diagonal, est, theory, exact, v));
    };
    for (int p = 0; p < ix.pairs(); p++) {
      int a = ix.first(p);
      int b = ix.second(p);
      OptionalDouble theory = th.twoPoint(l, a, b);
      OptionalDouble k = th.kernel(l, a, b);
      double first = theory.isPresent() && k.isPresent() ? theory.getAsDouble() - k.getAsDouble() : Double.NaN;
      OptionalDouble exact = d == 1 ? th.exactTwoPoint(l) : OptionalDouble.empty();
      if (neurons) {
        mk.add("G", ix.pairKey(p), a == b, e.g(a, b), theory, first, exact);
      }
      mk.add("Gmetric", ix.pairKey(p), a == b, e.gMetric(a, b), theory, first, exact);
    }
    for (int q = 0; q < ix.pairPairs(); q++) {
      int p1 = ix.pairPairFirst(q);
      int p2 = ix.pairPairSecond(q);
      OptionalDouble theory = th.vertex(l, ix.first(p1), ix.second(p1), ix.first(p2), ix.second(p2));
      double first = theory.isPresent() ? theory.getAsDouble() : Double.NaN;
      OptionalDouble exact = d == 1 ? th.exactVertex(l) : OptionalDouble.empty();
      boolean diagonal = p1 == p2 && ix.first(p1) == ix.second(p1);
      if (neurons) {
        mk.add("V", ix.key(q), diagonal, e.v(q), theory, first, exact);
      }
      mk.add("Vmetric", ix.key(q), diagonal, e.vMetric(q), theory, first, exact);
    }
    if (neurons) {
      for (int a = 0; a < d; a++) {
        OptionalDouble theory = th.ratio(l, a);
        double first = theory.isPresent() ? theory.getAsDouble() - 1 : Double.NaN;
        mk.add("ratio4", "" + a, true, e.ratio4(a), theory, first, d == 1 ? th.exactRatio4(l) : OptionalDouble.empty());
        mk.add("pairRatio", "" + a, true, e.pairRatio(a), theory, first,
            d == 1 ? th.exactPairRatio(l) : OptionalDouble.empty());
      }
    }
    return out;
  }

  @FunctionalInterface
  private interface Maker {
    void add(String quantity, String component, boolean diagonal, Estimate e, OptionalDouble theory, double firstOrder,
        OptionalDouble exact);
  }
}
