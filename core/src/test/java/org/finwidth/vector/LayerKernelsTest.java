package org.finwidth.vector;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.util.Arrays;
import java.util.SplittableRandom;

import org.finwidth.random.BoxMuller;
import org.finwidth.random.RandomStreams;
import org.finwidth.vector.panama.PanamaLayerKernels;
import org.junit.jupiter.api.Test;

/**
 * The layer kernels: the scalar reference against the definitions of {@link LayerKernels} (exact
 * arithmetic with a stated rounding bound, and the normals of {@link BoxMuller}), and the Panama
 * kernels against the scalar ones bit for bit, over sizes that hit every tail (fan-in around the
 * 16 partials and the 8 lanes, widths that split chunks off a group of 64, d = 1..8; d = 9..16
 * for the Gram, moments and conditional kernels bit for bit).
 */
class LayerKernelsTest {

  private static final LayerKernels SCALAR = ScalarLayerKernels.INSTANCE;
  private static final LayerKernels PANAMA = new PanamaLayerKernels();
  /** Unit roundoff of float and double. */
  private static final double U_FLOAT = 0x1p-24;
  private static final double U_DOUBLE = 0x1p-53;
  private static final float SENTINEL = -12345.5f;

  private static final int[] FAN_INS = {1, 2, 3, 7, 8, 9, 15, 16, 17, 31, 32, 33, 63, 64, 65, 100, 127,
    128, 129, 255, 256, 1000, 1024, 4097};
  private static final int[] WIDTHS = {1, 2, 5, 8, 9, 33};
  private static final int[] DS = {1, 2, 3, 4, 5, 7, 8};

  private static float[][] randomRows(SplittableRandom rnd, int d, int len, int pad) {
    float[][] x = new float[d][len + pad];
    for (float[] row : x) {
      for (int j = 0; j < len; j++) {
        row[j] = (float) (rnd.nextGaussian() * Math.exp(rnd.nextDouble(-2, 2)));
      }
      Arrays.fill(row, len, len + pad, Float.NaN); // must never be read
    }
    return x;
  }

  private static float[][] sentinelRows(int d, int len) {
    float[][] z = new float[d][len + 9];
    for (float[] row : z) {
      Arrays.fill(row, SENTINEL);
    }
    return z;
  }

  private static void assertSameBits(float[][] expected, float[][] actual, String what) {
    for (int a = 0; a < expected.length; a++) {
      for (int i = 0; i < expected[a].length; i++) {
        if (Float.floatToRawIntBits(expected[a][i]) != Float.floatToRawIntBits(actual[a][i])) {
          throw new AssertionError(what + ": row " + a + " differs first at " + i + ": " + expected[a][i]
              + " vs " + actual[a][i]);
        }
      }
    }
  }

  private static float[][] weightsLayer(LayerKernels k, long seed, long net, int layer, float[][] h, int d, int m,
      float ws, float bs, int n) {
    float[][] z = sentinelRows(d, n);
    float[] work = new float[LayerKernels.weightsWorkLength(d, m, n) + 3];
    Arrays.fill(work, Float.NaN); // stale garbage must not matter
    k.weightsLayer(seed, net, layer, h, d, m, ws, bs, z, n, work);
    for (float[] row : z) {
      for (int i = n; i < row.length; i++) {
        assertEquals(SENTINEL, row[i], k.name() + " wrote past n");
      }
    }
    return z;
  }

  /**
   * Scalar: within (⌈m/16⌉ + 6) u (ws Σ|g x| + |b|) of the exact b + ws Σ g x of the stream's
   * normals (16 fma chains of ⌈m/16⌉ terms, 4 halvings, the final fma; u = 2^-24). Panama: the
   * same bits.
   */
  @Test
  void weightsLayerIsTheDefinitionAndPanamaHasTheSameBits() {
    SplittableRandom rnd = new SplittableRandom(11);
    int cases = 0;
    for (int m : FAN_INS) {
      for (int n : WIDTHS) {
        int d = DS[cases++ % DS.length];
        long seed = rnd.nextLong();
        long net = rnd.nextLong();
        int layer = 1 + rnd.nextInt(100);
        float ws = (float) Math.sqrt(2.0 / m);
        float bs = cases % 3 == 0 ? 0f : 0.3f;
        float[][] h = randomRows(rnd, d, m, 5);
        float[][] zs = weightsLayer(SCALAR, seed, net, layer, h, d, m, ws, bs, n);
        float[][] zp = weightsLayer(PANAMA, seed, net, layer, h, d, m, ws, bs, n);
        assertSameBits(zs, zp, "m " + m + " n " + n + " d " + d);
        float[] g = new float[n * m];
        ScalarNormalKernels.INSTANCE.fill(seed, net, layer, RandomStreams.WEIGHTS, 0, g, 0, n * m);
        for (int i = 0; i < n; i++) {
          float b = bs == 0 ? 0f : BoxMuller.normal(seed, net, layer, RandomStreams.BIASES, i, bs);
          for (int a = 0; a < d; a++) {
            double exact = 0;
            double abs = 0;
            for (int j = 0; j < m; j++) {
              double t = (double) g[i * m + j] * h[a][j]; // exact
              exact += t;
              abs += Math.abs(t);
            }
            double bound = ((m + 15) / 16 + 6) * U_FLOAT * (ws * abs + Math.abs(b)) * (1 + 1e-6);
            double want = b + (double) ws * exact;
            assertTrue(Math.abs(zs[a][i] - want) <= bound, "m " + m + " n " + n + " a " + a + " i " + i + ": "
                + zs[a][i] + " vs " + want + " bound " + bound);
          }
        }
      }
    }
  }

  /** Many rows: block boundaries fall inside rows, whose start is carried over to the next block. */
  @Test
  void rowsStraddlingBlocksChangeNothing() {
    SplittableRandom rnd = new SplittableRandom(12);
    for (int m : new int[] {3, 37, 100, 1025, 4095, 5000}) {
      int n = 2 * LayerKernels.weightsBlock(m) / m + 7;
      float[][] h = randomRows(rnd, 2, m, 0);
      float[][] zs = weightsLayer(SCALAR, 5, 6, 7, h, 2, m, 1f, 1f, n);
      float[][] zp = weightsLayer(PANAMA, 5, 6, 7, h, 2, m, 1f, 1f, n);
      assertSameBits(zs, zp, "m " + m);
      // Row i alone (a layer of width 1 whose stream starts at row i is not available, so compare
      // with the dot of the stream's normals i*m .. i*m+m computed by the reference dot).
      float[] g = new float[m];
      float[] s = new float[LayerKernels.FLOAT_PARTIALS];
      for (int i : new int[] {0, n / 2, n - 1}) {
        ScalarNormalKernels.INSTANCE.fill(5, 6, 7, RandomStreams.WEIGHTS, (long) i * m, g, 0, m);
        float b = BoxMuller.normal(5, 6, 7, RandomStreams.BIASES, i);
        assertEquals(Math.fma(1f, ScalarLayerKernels.dot(g, 0, h[1], m, s, 0), b), zs[1][i], "m " + m + " row " + i);
      }
    }
  }

  @Test
  void marginalConsistency() {
    // The first input's preactivations do not depend on which other inputs ride along.
    SplittableRandom rnd = new SplittableRandom(13);
    float[][] h = randomRows(rnd, 8, 77, 0);
    for (LayerKernels k : new LayerKernels[] {SCALAR, PANAMA}) {
      float[][] z8 = weightsLayer(k, 1, 2, 3, h, 8, 77, 0.5f, 0.25f, 19);
      for (int d = 1; d < 8; d++) {
        float[][] zd = weightsLayer(k, 1, 2, 3, h, d, 77, 0.5f, 0.25f, 19);
        for (int a = 0; a < d; a++) {
          assertEquals(Arrays.toString(z8[a]), Arrays.toString(zd[a]), k.name() + " d " + d + " a " + a);
        }
      }
    }
  }

  @Test
  void conditionalTransformIsTheDefinitionAndPanamaHasTheSameBits() {
    SplittableRandom rnd = new SplittableRandom(14);
    for (int d : DS) {
      for (int n : new int[] {1, 7, 8, 9, 63, 64, 65, 100, 257}) {
        float[] chol = new float[d * d];
        for (int a = 0; a < d; a++) {
          for (int b = 0; b <= a; b++) {
            chol[a * d + b] = (float) rnd.nextGaussian();
          }
          for (int b = a + 1; b < d; b++) {
            chol[a * d + b] = Float.NaN; // above the diagonal: ignored
          }
        }
        int offset = rnd.nextInt(5);
        int stride = n + rnd.nextInt(3);
        float[] g = new float[offset + d * stride + 2];
        for (int k = 0; k < g.length; k++) {
          g[k] = (float) rnd.nextGaussian();
        }
        float[][] zs = sentinelRows(d, n);
        float[][] zp = sentinelRows(d, n);
        SCALAR.conditionalTransform(chol, d, g, offset, stride, zs, n);
        PANAMA.conditionalTransform(chol, d, g, offset, stride, zp, n);
        assertSameBits(zs, zp, "d " + d + " n " + n);
        for (int a = 0; a < d; a++) {
          for (int i = 0; i < n; i++) {
            float t = chol[a * d] * g[offset + i];
            for (int b = 1; b <= a; b++) {
              t = Math.fma(chol[a * d + b], g[offset + b * stride + i], t);
            }
            assertEquals(t, zs[a][i], "d " + d + " n " + n + " a " + a + " i " + i);
          }
          assertEquals(SENTINEL, zs[a][n]);
        }
      }
    }
  }

  /** Σ x y exactly, as a BigDecimal (products of floats are exact in double). */
  private static BigDecimal exactPairSum(float[] x, float[] y, int n) {
    BigDecimal s = BigDecimal.ZERO;
    for (int i = 0; i < n; i++) {
      s = s.add(new BigDecimal((double) x[i] * y[i]));
    }
    return s;
  }

  /**
   * The Gram kernel with a work array (rows converted once, two pairs per pass, 8-lane doubles on
   * 512-bit machines) gives the bits of the scalar reference for any d and every tail of n, also
   * with a dirty work array; so do the moments and the conditional transform for d = 9..16.
   */
  @Test
  void gramWithWorkHasTheReferenceBits() {
    SplittableRandom rnd = new SplittableRandom(17);
    for (int d : new int[] {1, 2, 3, 4, 5, 8, 9, 13, 16}) {
      for (int n : new int[] {0, 1, 3, 7, 8, 15, 16, 17, 31, 33, 100, 256, 257}) {
        float[][] z = randomRows(rnd, d, n, 5);
        double[] gs = new double[d * d];
        SCALAR.gram(z, d, n, gs);
        for (LayerKernels k : new LayerKernels[] {SCALAR, PANAMA}) {
          double[] gw = new double[d * d];
          double[] work = new double[LayerKernels.gramWorkLength(d, n) + 7];
          Arrays.fill(work, Double.NaN);
          k.gram(z, d, n, gw, work);
          assertEquals(Arrays.toString(gs), Arrays.toString(gw), k.name() + " gram with work, d " + d + " n " + n);
        }
        if (d > 8 && (n == 17 || n == 100)) { // the moments and the transform beyond DS, bit for bit
          double[] s2s = new double[PairIndex.pairCount(d)];
          double[] s4s = new double[PairIndex.quadCount(d)];
          double[] s2p = s2s.clone();
          double[] s4p = s4s.clone();
          SCALAR.moments(z, d, n, s2s, s4s, new double[LayerKernels.momentsWorkLength(d)]);
          PANAMA.moments(z, d, n, s2p, s4p, new double[LayerKernels.momentsWorkLength(d)]);
          assertEquals(Arrays.toString(s2s), Arrays.toString(s2p), "s2 d " + d + " n " + n);
          assertEquals(Arrays.toString(s4s), Arrays.toString(s4p), "s4 d " + d + " n " + n);
          float[] chol = new float[d * d];
          for (int i = 0; i < chol.length; i++) {
            chol[i] = (float) rnd.nextGaussian();
          }
          float[] g = randomRows(rnd, 1, d * n + 3, 0)[0];
          float[][] zs = new float[d][n];
          float[][] zp = new float[d][n];
          SCALAR.conditionalTransform(chol, d, g, 3, n, zs, n);
          PANAMA.conditionalTransform(chol, d, g, 3, n, zp, n);
          assertTrue(Arrays.deepEquals(zs, zp), "transform d " + d + " n " + n);
        }
      }
    }
    assertThrows(IndexOutOfBoundsException.class, () -> PANAMA.gram(new float[][] {new float[40], new float[40]}, 2, 40,
        new double[4], new double[LayerKernels.gramWorkLength(2, 40) - 1]));
  }

  @Test
  void gramAndMomentsAreTheDefinitionAndPanamaHasTheSameBits() {
    SplittableRandom rnd = new SplittableRandom(15);
    for (int d : DS) {
      // (n a multiple of 16: 0, 16, 64, 256 take the 8-lane paths of a 512-bit machine at d = 1)
      for (int n : new int[] {0, 1, 3, 7, 8, 9, 16, 63, 64, 65, 130, 256, 1000}) {
        float[][] z = randomRows(rnd, d, n, 3);
        double[] gs = new double[d * d];
        double[] gp = new double[d * d];
        SCALAR.gram(z, d, n, gs);
        PANAMA.gram(z, d, n, gp);
        assertEquals(Arrays.toString(gs), Arrays.toString(gp), "gram d " + d + " n " + n);
        int pairs = PairIndex.pairCount(d);
        int quads = PairIndex.quadCount(d);
        double[] s2s = new double[pairs];
        double[] s4s = new double[quads];
        double[] s2p = new double[pairs];
        double[] s4p = new double[quads];
        double[] work = new double[LayerKernels.momentsWorkLength(d)];
        Arrays.fill(work, Double.NaN);
        SCALAR.moments(z, d, n, s2s, s4s, work);
        Arrays.fill(work, Double.NaN);
        PANAMA.moments(z, d, n, s2p, s4p, work);
        assertEquals(Arrays.toString(s2s), Arrays.toString(s2p), "s2 d " + d + " n " + n);
        assertEquals(Arrays.toString(s4s), Arrays.toString(s4p), "s4 d " + d + " n " + n);
        // Against exact sums: 16 chains of ceil(n/16) additions and 4 halvings, u = 2^-53.
        double rel = ((n + 15) / 16 + 4) * U_DOUBLE;
        for (int a = 0; a < d; a++) {
          for (int b = a; b < d; b++) {
            double abs = 0;
            for (int i = 0; i < n; i++) {
              abs += Math.abs((double) z[a][i] * z[b][i]);
            }
            double exact = exactPairSum(z[a], z[b], n).doubleValue();
            double s = s2s[PairIndex.of(d).pair(a, b)];
            assertTrue(Math.abs(s - exact) <= rel * abs, "s2 " + a + b + ": " + s + " vs " + exact);
            assertEquals(s, gs[a * d + b]);
            assertEquals(s, gs[b * d + a]);
            for (int c = b; c < d; c++) {
              for (int e = c; e < d; e++) {
                BigDecimal ex = BigDecimal.ZERO;
                double abs4 = 0;
                for (int i = 0; i < n; i++) {
                  ex = ex.add(new BigDecimal((double) z[a][i] * z[b][i]).multiply(new BigDecimal((double) z[c][i] * z[e][i])));
                  abs4 += Math.abs((double) z[a][i] * z[b][i] * z[c][i] * z[e][i]);
                }
                double s4 = s4s[PairIndex.of(d).quad(a, b, c, e)];
                assertTrue(Math.abs(s4 - ex.doubleValue()) <= (rel + U_DOUBLE) * abs4,
                    "s4 " + a + b + c + e + ": " + s4 + " vs " + ex.doubleValue());
              }
            }
          }
        }
      }
    }
  }

  /**
   * The one-input kernels are the separate kernels in one pass: sums1 gives moments and gram bit
   * for bit, reluLayer1 gives conditionalTransform and then sums1 of the float ReLU (from the
   * activation kernels), on both implementations, at every n around the 16 partials and the
   * 8-lane and 16-lane steps, with zeros, -0 and values of every magnitude in z.
   */
  @Test
  void oneInputKernelsAreTheSeparateKernelsInOnePass() {
    SplittableRandom rnd = new SplittableRandom(17);
    org.finwidth.activation.Activation relu = org.finwidth.activation.Activation.parse("relu");
    ActivationKernels act = ScalarActivationKernels.INSTANCE;
    double[] work = new double[LayerKernels.momentsWorkLength(1)];
    for (int n : new int[] {1, 2, 7, 8, 9, 15, 16, 17, 31, 32, 33, 48, 63, 64, 65, 130, 255, 256, 257, 1000, 1024}) {
      for (int offset : new int[] {0, 5}) {
        float[] g = randomRows(rnd, 1, offset + n, 3)[0];
        g[offset + rnd.nextInt(n)] = 0f;
        g[offset + rnd.nextInt(n)] = -0f;
        float c = (float) Math.exp(rnd.nextDouble(-3, 3));
        // the separate kernels (scalar reference)
        float[][] z = sentinelRows(1, n);
        SCALAR.conditionalTransform(new float[] {c}, 1, g, offset, n, z, n);
        float[][] h = new float[1][n];
        act.value(relu, z[0], 0, h[0], 0, n);
        double[] s2 = new double[1];
        double[] s4 = new double[1];
        double[] gram = new double[1];
        SCALAR.moments(z, 1, n, s2, s4, work);
        SCALAR.gram(h, 1, n, gram);
        String expected = Arrays.toString(new double[] {s2[0], s4[0], gram[0]});
        for (LayerKernels k : new LayerKernels[] {SCALAR, PANAMA}) {
          float[][] zk = sentinelRows(1, n);
          double[] out = {Double.NaN, Double.NaN, Double.NaN, 7.5};
          Arrays.fill(work, Double.NaN);
          k.reluLayer1(c, g, offset, zk[0], n, out, work);
          assertSameBits(z, zk, k.name() + " reluLayer1 z, n " + n);
          assertEquals(expected, Arrays.toString(Arrays.copyOf(out, 3)), k.name() + " reluLayer1 sums, n " + n);
          assertEquals(7.5, out[3], k.name() + " wrote past out[2]");
          double[] sums = new double[3];
          Arrays.fill(work, Double.NaN);
          k.sums1(z[0], h[0], n, sums, work);
          assertEquals(expected, Arrays.toString(sums), k.name() + " sums1, n " + n);
          // sums1 of unrelated z and h: the moments of one and the squares of the other
          float[][] y = randomRows(rnd, 1, n, 2);
          double[] gy = new double[1];
          SCALAR.gram(y, 1, n, gy);
          k.sums1(z[0], y[0], n, sums, work);
          assertEquals(Arrays.toString(new double[] {s2[0], s4[0], gy[0]}), Arrays.toString(sums),
              k.name() + " sums1 of unrelated rows, n " + n);
        }
      }
    }
    // A NaN preactivation propagates into the squares of the ReLU, as max(NaN, 0) does
    for (LayerKernels k : new LayerKernels[] {SCALAR, PANAMA}) {
      for (int n : new int[] {16, 20, 256}) {
        float[] g = randomRows(rnd, 1, n, 0)[0];
        g[3] = Float.NaN;
        double[] out = new double[3];
        k.reluLayer1(1f, g, 0, new float[n], n, out, work);
        assertTrue(Double.isNaN(out[0]) && Double.isNaN(out[1]) && Double.isNaN(out[2]), k.name() + " NaN, n " + n);
      }
      assertThrows(IllegalArgumentException.class, () -> k.reluLayer1(1f, new float[4], 0, new float[4], 0, new double[3], work));
      assertThrows(IndexOutOfBoundsException.class, () -> k.reluLayer1(1f, new float[4], 1, new float[4], 4, new double[3], work));
      assertThrows(IndexOutOfBoundsException.class, () -> k.reluLayer1(1f, new float[4], 0, new float[3], 4, new double[3], work));
      assertThrows(IndexOutOfBoundsException.class, () -> k.reluLayer1(1f, new float[4], 0, new float[4], 4, new double[2], work));
      assertThrows(IndexOutOfBoundsException.class, () -> k.sums1(new float[4], new float[3], 4, new double[3], work));
      assertThrows(IndexOutOfBoundsException.class, () -> k.sums1(new float[4], new float[4], 4, new double[3], new double[8]));
      assertThrows(IllegalArgumentException.class, () -> k.sums1(new float[4], new float[4], -1, new double[3], work));
    }
  }

  @Test
  void maxAbsSeesEveryElementAndEveryNaN() {
    SplittableRandom rnd = new SplittableRandom(16);
    for (LayerKernels k : new LayerKernels[] {SCALAR, PANAMA}) {
      for (int n : new int[] {0, 1, 7, 8, 9, 17, 40}) {
        float[][] z = randomRows(rnd, 3, n, 4);
        float max = 0;
        for (float[] row : z) {
          for (int i = 0; i < n; i++) {
            max = Math.max(max, Math.abs(row[i]));
          }
        }
        assertEquals(max, k.maxAbs(z, 3, n), k.name() + " n " + n);
        for (int a = 0; a < 3; a++) {
          for (int i = 0; i < n; i++) {
            float keep = z[a][i];
            z[a][i] = Float.NaN;
            assertTrue(Float.isNaN(k.maxAbs(z, 3, n)), k.name() + " NaN at " + a + "," + i);
            z[a][i] = Float.NEGATIVE_INFINITY;
            assertEquals(Float.POSITIVE_INFINITY, k.maxAbs(z, 3, n));
            z[a][i] = -1e30f;
            assertEquals(1e30f, k.maxAbs(z, 3, n));
            z[a][i] = keep;
          }
        }
      }
    }
  }

  @Test
  void badArgumentsAreRejected() {
    float[][] h = new float[2][10];
    float[][] z = new float[2][10];
    float[] work = new float[LayerKernels.weightsWorkLength(2, 10, 10)];
    for (LayerKernels k : new LayerKernels[] {SCALAR, PANAMA}) {
      assertThrows(IllegalArgumentException.class, () -> k.weightsLayer(1, 1, 1, h, 2, 10, 1f, 1f, new float[][] {z[0], z[0]}, 10, work));
      assertThrows(IllegalArgumentException.class, () -> k.weightsLayer(1, 1, 1, h, 2, 10, 1f, 1f, new float[][] {z[0], h[1]}, 10, work));
      assertThrows(IllegalArgumentException.class, () -> k.weightsLayer(1, 1, 1, h, 2, 10, Float.NaN, 1f, z, 10, work));
      assertThrows(IllegalArgumentException.class, () -> k.weightsLayer(1, 1, 1, h, 2, 10, 1f, -1f, z, 10, work));
      assertThrows(IllegalArgumentException.class, () -> k.weightsLayer(1, 1, -1, h, 2, 10, 1f, 1f, z, 10, work));
      assertThrows(IndexOutOfBoundsException.class, () -> k.weightsLayer(1, 1, 1, h, 2, 11, 1f, 1f, z, 10, work));
      assertThrows(IndexOutOfBoundsException.class, () -> k.weightsLayer(1, 1, 1, h, 2, 10, 1f, 1f, z, 10, new float[5]));
      assertThrows(IndexOutOfBoundsException.class, () -> k.conditionalTransform(new float[3], 2, new float[20], 0, 10, z, 10));
      assertThrows(IndexOutOfBoundsException.class, () -> k.conditionalTransform(new float[4], 2, new float[20], 1, 10, z, 10));
      assertThrows(IllegalArgumentException.class, () -> k.conditionalTransform(new float[4], 2, new float[20], 0, 9, z, 10));
      assertThrows(IllegalArgumentException.class, () -> k.conditionalTransform(new float[4], 2, new float[20], 0, 10, new float[][] {z[1], z[1]}, 10));
      assertThrows(IllegalArgumentException.class, () -> k.gram(h, 0, 10, new double[4]));
      assertThrows(IndexOutOfBoundsException.class, () -> k.moments(h, 2, 10, new double[3], new double[4], new double[1000]));
    }
  }
}
