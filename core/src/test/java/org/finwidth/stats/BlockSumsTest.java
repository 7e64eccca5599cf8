package org.finwidth.stats;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Arrays;
import org.finwidth.activation.Activation;
import org.finwidth.network.LayerSink;
import org.finwidth.network.NetworkSpec;
import org.finwidth.network.Sampler;
import org.finwidth.network.SamplerKind;
import org.finwidth.network.Samplers;
import org.finwidth.stats.ObservableLayout.Sum;
import org.finwidth.vector.KernelProvider;
import org.finwidth.vector.PairIndex;
import org.junit.jupiter.api.Test;

/**
 * The sums of {@link BlockSums} (its one-input path written out without loops included) and the
 * neuron averages and distinct-neuron corrections of {@link ObservableSink} (its one-input path
 * included; the averages taken from the second moments) against a literal
 * evaluation of the layout's definitions from the sink's per-network statistics and the scalar
 * Gram kernel. Every comparison is bitwise: the same roundings in the same order are required
 * (the block sums are part of the result files, which must not depend on the code path). For
 * d ≥ 2 the products over pairs of pairs are applied {@link BlockSums#BATCH} networks at a time:
 * 43 networks (not a multiple of the batch) and a read of the sums after network 21 (in the
 * middle of a batch) check that reading applies the pending networks, and 3 and 8 inputs run the
 * batch's longer rows.
 */
class BlockSumsTest {

  @Test
  void oneInputAndTwoInputsMatchTheDefinitions() {
    for (int d = 1; d <= 2; d++) {
      for (boolean neurons : new boolean[] {false, true}) {
        check(d, neurons, "tanh");
      }
    }
    // one ReLU input: the conditional sampler hands the sink the sums of its one-pass layer
    check(1, true, "relu");
  }

  @Test
  void manyInputsMatchTheDefinitions() {
    check(3, true, "tanh");
    check(8, false, "tanh");
  }

  private static void check(int d, boolean neurons, String activation) {
    int n = 24; // not a multiple of 16: the kernels' tails are exercised
    int depth = 3;
    double[][] gram = new double[d][d];
    for (int a = 0; a < d; a++) {
      for (int b = 0; b < d; b++) {
        gram[a][b] = a == b ? 0.8 + 0.1 * a : 0.4 / (1 + Math.abs(a - b));
      }
    }
    NetworkSpec spec = NetworkSpec.ofGram(Activation.parse(activation), 0.1, 1.5, 8, NetworkSpec.equalWidths(depth, n), gram);
    ObservableLayout layout = ObservableLayout.of(d, neurons);
    int pairs = layout.pairs();
    double[][] reference = new double[depth][pairs];
    for (double[] row : reference) {
      Arrays.fill(row, 0.3);
    }
    ObservableSink sink = new ObservableSink(spec, reference, layout);
    BlockSums block = new BlockSums(layout, depth);
    double[][] sums = new double[depth][layout.sumCount()];
    double[][] max = new double[depth][layout.maxCount()];
    Sampler sampler = Samplers.create(spec, SamplerKind.CONDITIONAL);
    PairIndex index = layout.index();
    double[] expectedGram = new double[d * d];
    double[] s2 = new double[pairs];
    double[] s4 = new double[PairIndex.quadCount(d)];
    double[] work = new double[org.finwidth.vector.LayerKernels.momentsWorkLength(d)];
    int networks = 43;
    for (long k = 0; k < networks; k++) {
      sink.reset();
      float[][][] z = new float[depth + 1][][];
      // The sampler's calls go to the sink as they come (with one input, mostly with the sums of
      // the sampler's pass over z), and z is recorded for the definitions below.
      assertEquals(0, sampler.sample(7, k, new LayerSink() {
        @Override
        public void layer(int l, float[][] zl, int width, double[] metric) {
          sink.layer(l, zl, width, metric);
          record(l, zl, width);
        }

        @Override
        public void layer(int l, float[][] zl, int width, double[] metric, double[] moments) {
          sink.layer(l, zl, width, metric, moments);
          record(l, zl, width);
        }

        private void record(int l, float[][] zl, int width) {
          z[l] = new float[d][];
          for (int a = 0; a < d; a++) {
            z[l][a] = Arrays.copyOf(zl[a], width);
          }
        }
      }));
      block.add(sink);
      for (int l = 1; l <= depth; l++) {
        if (neurons) { // u_p = (Gram sum of z)/n - c_p, the Gram sum by the scalar kernel
          KernelProvider.scalar().layerKernels().gram(z[l], d, n, expectedGram);
          for (int p = 0; p < pairs; p++) {
            double u = expectedGram[index.first(p) * d + index.second(p)] / n - reference[l - 1][p];
            assertEquals(Double.doubleToRawLongBits(u), Double.doubleToRawLongBits(sink.u(l)[p]),
                "d = " + d + ", layer " + l + ", pair " + p + ": u");
          }
          // e_r = (A_p A_q − Q_r/n)/(n − 1) − c_{D,r}, A and Q from the scalar moment kernel
          KernelProvider.scalar().layerKernels().moments(z[l], d, n, s2, s4, work);
          for (int r = 0; r < layout.pairPairs(); r++) {
            double ap = s2[index.pairPairFirst(r)] / n;
            double aq = s2[index.pairPairSecond(r)] / n;
            double e = (ap * aq - s4[index.quadOf(r)] / n) / (n - 1) - sink.referenceD(l, r);
            assertEquals(Double.doubleToRawLongBits(e), Double.doubleToRawLongBits(sink.e(l)[r]),
                "d = " + d + ", layer " + l + ", pair of pairs " + r + ": e");
          }
        }
        accumulate(layout, sink, l, sums[l - 1], max[l - 1]);
      }
      if (k == 21) {
        compare(d, neurons, depth, block, sums, max);
      }
    }
    compare(d, neurons, depth, block, sums, max);
    assertEquals(networks, block.count());
  }

  private static void compare(int d, boolean neurons, int depth, BlockSums block, double[][] sums, double[][] max) {
    for (int l = 1; l <= depth; l++) {
      for (int i = 0; i < sums[l - 1].length; i++) {
        assertEquals(Double.doubleToRawLongBits(sums[l - 1][i]), Double.doubleToRawLongBits(block.sums(l)[i]),
            "d = " + d + ", neurons " + neurons + ", layer " + l + ", sum " + i);
      }
      for (int i = 0; i < max[l - 1].length; i++) {
        assertEquals(max[l - 1][i], block.maxAbs(l)[i], 0.0, "max " + i);
      }
    }
  }

  /** The definitions of {@link Sum} for one network and layer, one fma or add per term. */
  private static void accumulate(ObservableLayout layout, ObservableSink sink, int l, double[] s, double[] m) {
    int pairs = layout.pairs();
    PairIndex index = layout.index();
    double[] g = sink.g(l);
    for (int p = 0; p < pairs; p++) {
      s[layout.offset(Sum.G1) + p] += g[p];
      m[p] = Math.max(m[p], Math.abs(g[p]));
      for (int q = p; q < pairs; q++) {
        int r = index.pairPair(p, q);
        s[layout.offset(Sum.V1) + r] = Math.fma(g[p], g[q], s[layout.offset(Sum.V1) + r]);
        s[layout.offset(Sum.V2) + r] = Math.fma(g[p] * g[p], g[q] * g[q], s[layout.offset(Sum.V2) + r]);
        s[layout.offset(Sum.V3A) + r] = Math.fma(g[p] * g[p], g[q], s[layout.offset(Sum.V3A) + r]);
        s[layout.offset(Sum.V3B) + r] = Math.fma(g[p], g[q] * g[q], s[layout.offset(Sum.V3B) + r]);
      }
    }
    if (!layout.distinctNeurons()) {
      return;
    }
    double[] u = sink.u(l);
    double[] e = sink.e(l);
    for (int p = 0; p < pairs; p++) {
      s[layout.offset(Sum.U1) + p] += u[p];
      s[layout.offset(Sum.U2) + p] += u[p] * u[p];
      s[layout.offset(Sum.U4) + p] = Math.fma(u[p] * u[p], u[p] * u[p], s[layout.offset(Sum.U4) + p]);
      m[pairs + p] = Math.max(m[pairs + p], Math.abs(u[p]));
      for (int q = p; q < pairs; q++) {
        int r = index.pairPair(p, q);
        double t = Math.fma(u[p], u[q], e[r]);
        s[layout.offset(Sum.W1) + r] = Math.fma(u[p], u[q], s[layout.offset(Sum.W1) + r]);
        s[layout.offset(Sum.E1) + r] += e[r];
        s[layout.offset(Sum.T2) + r] = Math.fma(t, t, s[layout.offset(Sum.T2) + r]);
        s[layout.offset(Sum.TA) + r] = Math.fma(t, u[p], s[layout.offset(Sum.TA) + r]);
        s[layout.offset(Sum.TB) + r] = Math.fma(t, u[q], s[layout.offset(Sum.TB) + r]);
      }
    }
    for (int a = 0; a < layout.inputs(); a++) {
      double ua = u[layout.diagonalPair(a)];
      double ea = e[layout.diagonalPairPair(a)];
      s[layout.offset(Sum.U3) + a] = Math.fma(ua * ua, ua, s[layout.offset(Sum.U3) + a]);
      s[layout.offset(Sum.WE) + a] = Math.fma(ua * ua, ea, s[layout.offset(Sum.WE) + a]);
      s[layout.offset(Sum.UE) + a] = Math.fma(ua, ea, s[layout.offset(Sum.UE) + a]);
      s[layout.offset(Sum.EE) + a] = Math.fma(ea, ea, s[layout.offset(Sum.EE) + a]);
    }
  }
}
