package org.finwidth.sim.experiment;

import org.finwidth.activation.Activation;
import org.finwidth.network.NetworkSpec;
import org.finwidth.theory.Criticality;
import org.finwidth.theory.CriticalitySolver;

/**
 * An initialisation (C_b, C_W) of an activation and the first-layer kernel K^(1) of a single input,
 * as the experiments use it: specs of equal-width networks with that K^(1), and the {@code init}
 * text of the CSV ({@code K1=…,cb=…,cw=…}, K1 meaning K^(1) there, as in the other experiments).
 *
 * @param activation σ
 * @param cb C_b ≥ 0
 * @param cw C_W &gt; 0
 * @param kernel1 K^(1) = C_b + C_W·(1/n_0)|x|² (&gt; C_b)
 */
record Initialisation(Activation activation, double cb, double cw, double kernel1) {
  Initialisation {
    if (!(kernel1 > cb)) {
      throw new IllegalArgumentException("K^(1) must exceed C_b = " + cb + ", got " + kernel1);
    }
  }

  /**
   * The critical initialisation with a finite K* that {@link CriticalitySolver} finds for σ
   * (the first one if there are several), started at K^(1) = K*.
   *
   * @throws IllegalArgumentException if σ has no critical point with K* &gt; 0
   */
  static Initialisation criticalAtFixedPoint(Activation sigma) {
    Criticality.CriticalPoint p = criticalPoint(sigma);
    return new Initialisation(sigma, p.cb(), p.cw(), p.kstar().getAsDouble());
  }

  /** The first critical point of σ with K* &gt; 0 ({@link CriticalitySolver}). */
  static Criticality.CriticalPoint criticalPoint(Activation sigma) {
    for (Criticality.CriticalPoint p : CriticalitySolver.solve(sigma).critical()) {
      if (p.kstar().isPresent() && p.kstar().getAsDouble() > 0) {
        return p;
      }
    }
    throw new IllegalArgumentException(sigma.spec() + " has no critical point with K* > 0");
  }

  /** The same (C_b, C_W) started at another K^(1). */
  Initialisation startingAt(double k1) {
    return new Initialisation(activation, cb, cw, k1);
  }

  /** A network of {@code depth} layers of width {@code width} whose single input gives this K^(1). */
  NetworkSpec spec(int depth, int width) {
    return NetworkSpec.ofGram(activation, cb, cw, 1, NetworkSpec.equalWidths(depth, width),
        new double[][] {{(kernel1 - cb) / cw}});
  }

  /** The CSV's init field, e.g. {@code K1=14.3202,cb=0.555143,cw=1.988} ({@link Fmt#init}). */
  String text() {
    return Fmt.init(kernel1, cb, cw);
  }
}
