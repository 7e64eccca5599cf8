package org.finwidth.stats;

import org.finwidth.network.LayerSink;
import org.finwidth.network.NetworkSpec;

/**
 * Turns the layers of one sampled network into its statistic vectors {@code x^(ℓ)} (the layout of
 * {@link ObservableLayout}): neuron averages {@code A}, {@code Q} in double, the distinct-neuron
 * correction {@code D}, and the shifted, multiplied components. One per thread; reused for every
 * network ({@link #reset()} before each). Allocates nothing per network.
 *
 * <p>The reference {@code c^(ℓ)} is fixed for a whole ensemble (it is part of the result): every
 * network's statistics are deviations from it, so that block sums are sums of small numbers and the
 * covariances computed from them at the end do not cancel catastrophically (DESIGN.md invariant 2).
 */
public final class ObservableSink implements LayerSink {
  private final ObservableLayout layout;
  private final int depth;
  private final int d;
  private final int[] widths; // n_0..n_L
  private final double[][] reference; // [l-1][p]
  private final double[][] referenceD; // [l-1][r]
  private final double[][] values; // [l-1][component]
  private final double[] pairSums;
  private final double[] quadSums;
  private final double[] pairProducts;
  /** Pair products of a chunk of neurons, [p][i] (d ≥ 2). */
  private final double[][] products;
  /** Neurons per chunk of {@link #manyInputSums}: the chunk's products stay in the L1/L2 cache. */
  private static final int CHUNK = 256;
  private int layersSeen;

  /**
   * @param spec the network
   * @param reference {@code reference[ℓ−1][p]}: the fixed reference {@code c_p} of layer ℓ for
   *     every input pair p (layout order), finite
   * @throws IllegalArgumentException if the reference has the wrong shape or is not finite
   */
  public ObservableSink(NetworkSpec spec, double[][] reference) {
    this.d = spec.inputCount();
    this.layout = ObservableLayout.forInputs(d);
    this.depth = spec.depth();
    this.widths = new int[depth + 1];
    for (int l = 0; l <= depth; l++) {
      widths[l] = spec.width(l);
    }
    checkReference(reference, depth, layout.pairs());
    this.reference = new double[depth][];
    this.referenceD = new double[depth][layout.pairPairs()];
    for (int l = 0; l < depth; l++) {
      this.reference[l] = reference[l].clone();
      int n = widths[l + 1];
      for (int r = 0; r < layout.pairPairs(); r++) {
        referenceD[l][r] = layout.gaussianD(this.reference[l], r, n);
      }
    }
    this.values = new double[depth][layout.dimension()];
    this.pairSums = new double[layout.pairs()];
    this.quadSums = new double[layout.pairPairs()];
    this.pairProducts = new double[layout.pairs()];
    this.products = new double[d == 1 ? 0 : layout.pairs()][CHUNK];
  }

  /** Checks a reference array: {@code depth} rows of {@code pairs} finite numbers. */
  static void checkReference(double[][] reference, int depth, int pairs) {
    if (reference == null || reference.length != depth) {
      throw new IllegalArgumentException("the reference needs one row per layer: expected " + depth + ", got "
          + (reference == null ? "null" : reference.length));
    }
    for (int l = 0; l < depth; l++) {
      if (reference[l] == null || reference[l].length != pairs) {
        throw new IllegalArgumentException("the reference of layer " + (l + 1) + " needs " + pairs + " entries");
      }
      for (double c : reference[l]) {
        if (!Double.isFinite(c)) {
          throw new IllegalArgumentException("the reference of layer " + (l + 1) + " is not finite: " + c);
        }
      }
    }
  }

  /** The reference {@code c_{D,r}} of layer ℓ (see {@link ObservableLayout}). */
  public double referenceD(int layer, int r) {
    return referenceD[layer - 1][r];
  }

  /** Forgets the previous network. */
  public void reset() {
    layersSeen = 0;
  }

  /** Number of layers received since {@link #reset()}. */
  public int layersSeen() {
    return layersSeen;
  }

  /** The statistic vector of layer ℓ of the current network (live array: do not modify). */
  public double[] values(int layer) {
    return values[layer - 1];
  }

  @Override
  public void layer(int l, float[][] z, int width, double[] metric) {
    assert l == layersSeen + 1 : "layers out of order: got " + l + " after " + layersSeen;
    assert width == widths[l] : "layer " + l + " width " + width + " != " + widths[l];
    int n = width;
    int pairs = layout.pairs();
    int pairPairs = layout.pairPairs();
    if (d == 1) {
      oneInputSums(z[0], n);
    } else {
      manyInputSums(z, n);
    }
    double[] x = values[l - 1];
    double[] c = reference[l - 1];
    double[] cD = referenceD[l - 1];
    for (int p = 0; p < pairs; p++) {
      double a = pairSums[p] / n;
      pairProducts[p] = a; // reused: A_p
      x[layout.u(p)] = a - c[p];
      x[layout.g(p)] = metric[layout.pairFirst(p) * d + layout.pairSecond(p)] - c[p];
    }
    for (int r = 0; r < pairPairs; r++) {
      int p = layout.pairPairFirst(r);
      int q = layout.pairPairSecond(r);
      double dr = n > 1 ? (pairProducts[p] * pairProducts[q] - quadSums[r] / n) / (n - 1) : 0;
      x[layout.e(r)] = dr - cD[r];
      x[layout.w(r)] = x[layout.u(p)] * x[layout.u(q)];
      x[layout.v(r)] = x[layout.g(p)] * x[layout.g(q)];
    }
    layersSeen = l;
  }

  /**
   * Σ z² and Σ z⁴ of one input in double, in a fixed order: four interleaved partial sums each
   * (neuron i goes to partial i mod 4; independent chains keep the adders busy), added pairwise.
   */
  private void oneInputSums(float[] z, int n) {
    double a0 = 0;
    double a1 = 0;
    double a2 = 0;
    double a3 = 0;
    double q0 = 0;
    double q1 = 0;
    double q2 = 0;
    double q3 = 0;
    int i = 0;
    for (; i + 3 < n; i += 4) {
      double t0 = (double) z[i] * z[i]; // a product of two floats is exact in double
      double t1 = (double) z[i + 1] * z[i + 1];
      double t2 = (double) z[i + 2] * z[i + 2];
      double t3 = (double) z[i + 3] * z[i + 3];
      a0 += t0;
      a1 += t1;
      a2 += t2;
      a3 += t3;
      q0 = Math.fma(t0, t0, q0);
      q1 = Math.fma(t1, t1, q1);
      q2 = Math.fma(t2, t2, q2);
      q3 = Math.fma(t3, t3, q3);
    }
    for (; i < n; i++) {
      double t = (double) z[i] * z[i];
      a0 += t;
      q0 = Math.fma(t, t, q0);
    }
    pairSums[0] = (a0 + a1) + (a2 + a3);
    quadSums[0] = (q0 + q1) + (q2 + q3);
  }

  /**
   * Pair sums Σ z_a z_b and quadruple sums Σ (z_a z_b)(z_c z_d) for d ≥ 2, a chunk of neurons at
   * a time: the chunk's pair products (exact in double) are stored once, then every pair and pair
   * of pairs is one pass of four-way partial sums over them (fixed order).
   */
  private void manyInputSums(float[][] z, int n) {
    int pairs = layout.pairs();
    int pairPairs = layout.pairPairs();
    java.util.Arrays.fill(pairSums, 0);
    java.util.Arrays.fill(quadSums, 0);
    for (int c0 = 0; c0 < n; c0 += CHUNK) {
      int len = Math.min(CHUNK, n - c0);
      for (int p = 0; p < pairs; p++) {
        float[] za = z[layout.pairFirst(p)];
        float[] zb = z[layout.pairSecond(p)];
        double[] w = products[p];
        for (int i = 0; i < len; i++) {
          w[i] = (double) za[c0 + i] * zb[c0 + i];
        }
        pairSums[p] += sum(w, len);
      }
      for (int r = 0; r < pairPairs; r++) {
        quadSums[r] += dot(products[layout.pairPairFirst(r)], products[layout.pairPairSecond(r)], len);
      }
    }
  }

  private static double sum(double[] x, int n) {
    double s0 = 0;
    double s1 = 0;
    double s2 = 0;
    double s3 = 0;
    int i = 0;
    for (; i + 3 < n; i += 4) {
      s0 += x[i];
      s1 += x[i + 1];
      s2 += x[i + 2];
      s3 += x[i + 3];
    }
    for (; i < n; i++) {
      s0 += x[i];
    }
    return (s0 + s1) + (s2 + s3);
  }

  private static double dot(double[] x, double[] y, int n) {
    double s0 = 0;
    double s1 = 0;
    double s2 = 0;
    double s3 = 0;
    int i = 0;
    for (; i + 3 < n; i += 4) {
      s0 = Math.fma(x[i], y[i], s0);
      s1 = Math.fma(x[i + 1], y[i + 1], s1);
      s2 = Math.fma(x[i + 2], y[i + 2], s2);
      s3 = Math.fma(x[i + 3], y[i + 3], s3);
    }
    for (; i < n; i++) {
      s0 = Math.fma(x[i], y[i], s0);
    }
    return (s0 + s1) + (s2 + s3);
  }

  /** The layout of the statistic vectors. */
  public ObservableLayout layout() {
    return layout;
  }

  /** Depth L of the network. */
  public int depth() {
    return depth;
  }
}
