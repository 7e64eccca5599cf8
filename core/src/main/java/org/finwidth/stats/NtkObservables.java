package org.finwidth.stats;

import org.finwidth.network.NetworkSpec;
import org.finwidth.network.NtkSink;
import org.finwidth.vector.KernelProvider;
import org.finwidth.vector.LayerKernels;
import org.finwidth.vector.PairIndex;

/**
 * Turns the NTK of one sampled network into its statistic vectors x^(ℓ) in the layout of
 * {@link NtkLayout}. The references h^(ℓ)_p (NTK) and c^(ℓ)_p (preactivations) are fixed for a
 * whole ensemble, so that sums are sums of small deviations (docs/design.md invariant 2). The sums
 * over all n neurons of z_{k;a}z_{k;b} are {@link LayerKernels#gram} (double, fixed order); the
 * rest is a fixed loop order in double. One per thread, reused for every network; allocates
 * nothing per network.
 */
public final class NtkObservables implements NtkSink {
  private final NtkLayout layout;
  private final PairIndex pairs;
  private final int depth;
  private final int d;
  private final double[][] hRef;
  private final double[][] cRef;
  private final double[][] values;
  private final LayerKernels kernels;
  private final double[] gram;
  // per-neuron scratch: ĥ_{i;p}, ζ_{i;q}, z_{i;a}
  private final double[][] hh;
  private final double[][] zeta;
  private final double[][] zi;
  private final double[] sumH;
  private int layersSeen;

  /**
   * A sink for the NTK of networks of {@code spec} whose statistics are shifted by the given
   * references (docs/theory.md §11.8).
   *
   * @param spec the network
   * @param neurons s, the output neurons per layer the sampler covers
   * @param hReference h^(ℓ)_p, one row of P finite numbers per layer (pair order of {@link PairIndex})
   * @param cReference c^(ℓ)_p, likewise
   * @throws IllegalArgumentException for more inputs than {@link NtkLayout#MAX_INPUTS}, s &lt; 1,
   *     or references of the wrong shape or not finite
   */
  public NtkObservables(NetworkSpec spec, int neurons, double[][] hReference, double[][] cReference) {
    this.d = spec.inputCount();
    this.layout = NtkLayout.forInputs(d);
    this.pairs = layout.pairIndex();
    this.depth = spec.depth();
    if (neurons < 1) {
      throw new IllegalArgumentException("the number of NTK output neurons must be >= 1, got " + neurons);
    }
    ObservableSink.checkReference("NTK", hReference, depth, pairs.pairs());
    ObservableSink.checkReference("preactivation", cReference, depth, pairs.pairs());
    this.hRef = deepCopy(hReference);
    this.cRef = deepCopy(cReference);
    this.values = new double[depth][layout.dimension()];
    this.kernels = KernelProvider.getInstance().layerKernels();
    this.gram = new double[d * d];
    int s = 1;
    for (int l = 1; l <= depth; l++) {
      s = Math.max(s, Math.min(neurons, spec.width(l)));
    }
    hh = new double[s][pairs.pairs()];
    zeta = new double[s][pairs.pairs()];
    zi = new double[s][d];
    sumH = new double[pairs.pairs()];
  }

  static double[][] deepCopy(double[][] m) {
    double[][] c = new double[m.length][];
    for (int i = 0; i < m.length; i++) {
      c[i] = m[i].clone();
    }
    return c;
  }

  /** The layout. */
  public NtkLayout layout() {
    return layout;
  }

  /** Depth L. */
  public int depth() {
    return depth;
  }

  /** Forgets the previous network. */
  public void reset() {
    layersSeen = 0;
  }

  /** Layers received since {@link #reset()}. */
  public int layersSeen() {
    return layersSeen;
  }

  /** The statistic vector of layer ℓ of the current network (live array: do not modify). */
  public double[] values(int layer) {
    return values[layer - 1];
  }

  @Override
  public void layer(int l, double[] ntk, int s, float[][] z, int n) {
    assert l == layersSeen + 1 : "layers out of order: " + l + " after " + layersSeen;
    int np = pairs.pairs();
    double[] x = values[l - 1];
    double[] h = hRef[l - 1];
    double[] c = cRef[l - 1];
    int sd = s * d;
    kernels.gram(z, d, n, gram);
    java.util.Arrays.fill(sumH, 0);
    for (int i = 0; i < s; i++) {
      for (int a = 0; a < d; a++) {
        zi[i][a] = z[a][i];
      }
      for (int q = 0; q < np; q++) {
        int a = pairs.first(q);
        int b = pairs.second(q);
        hh[i][q] = ntk[(i * d + a) * sd + i * d + b] - h[q];
        zeta[i][q] = (double) z[a][i] * z[b][i] - c[q];
        sumH[q] += hh[i][q];
      }
    }
    double pairsCount = (double) s * (s - 1);
    for (int q = 0; q < np; q++) {
      x[layout.hd(q)] = sumH[q] / s;
      int a = pairs.first(q);
      int b = pairs.second(q);
      x[layout.u(q)] = (gram[a * d + b] - n * c[q]) / n;
    }
    for (int p = 0; p < np; p++) {
      for (int q = 0; q < np; q++) {
        int a = pairs.first(q);
        int b = pairs.second(q);
        double total = gram[a * d + b] - n * c[q];
        double xd = 0;
        double sdv = 0;
        for (int i = 0; i < s; i++) {
          xd += hh[i][p] * ((total - zeta[i][q]) / (n - 1));
          sdv += hh[i][p] * zeta[i][q];
        }
        x[layout.xd(p, q)] = n > 1 ? xd / s : 0;
        x[layout.sd(p, q)] = sdv / s;
        x[layout.hu(p, q)] = x[layout.hd(p)] * x[layout.u(q)];
      }
    }
    for (int t = 0; t < pairs.pairPairs(); t++) {
      int p = pairs.pairPairFirst(t);
      int q = pairs.pairPairSecond(t);
      double same = 0;
      for (int i = 0; i < s; i++) {
        same += hh[i][p] * hh[i][q];
      }
      x[layout.xa(t)] = s > 1 ? (sumH[p] * sumH[q] - same) / pairsCount : 0;
      x[layout.hh(t)] = x[layout.hd(p)] * x[layout.hd(q)];
      x[layout.sh(t)] = same / s;
    }
    for (int t = 0; t < layout.fClasses(); t++) {
      int[] m = layout.fMember(t);
      double sum = 0;
      for (int i = 0; i < s; i++) {
        for (int k = 0; k < s; k++) {
          if (k != i) {
            sum += ntk[(i * d + m[0]) * sd + k * d + m[2]] * (zi[i][m[1]] * zi[k][m[3]]);
          }
        }
      }
      x[layout.xf(t)] = s > 1 ? sum / pairsCount : 0;
    }
    for (int t = 0; t < layout.bClasses(); t++) {
      int[] m = layout.bMember(t);
      double sum = 0;
      for (int i = 0; i < s; i++) {
        for (int k = 0; k < s; k++) {
          if (k != i) {
            sum += ntk[(i * d + m[0]) * sd + k * d + m[2]] * ntk[(i * d + m[1]) * sd + k * d + m[3]];
          }
        }
      }
      x[layout.xb(t)] = s > 1 ? sum / pairsCount : 0;
    }
    layersSeen = l;
  }
}
