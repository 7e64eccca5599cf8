package org.finwidth.network;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import java.util.Arrays;
import java.util.SplittableRandom;

import org.finwidth.activation.Activation;
import org.finwidth.random.BoxMuller;
import org.finwidth.vector.KernelProvider;
import org.finwidth.vector.LayerKernels;
import org.finwidth.vector.PairIndex;
import org.junit.jupiter.api.Test;

/**
 * Properties of both samplers that hold exactly for every network: the conditional covariance of
 * each layer is the reported metric, layer 1 is N(0, K^(1)), singular metrics work, results are
 * reproducible and independent of the kernel implementation, divergence is reported at the first
 * bad layer, nothing is allocated per network.
 *
 * <p>Statistical assertions use fixed seeds and |estimate − truth| ≤ K·SE with K = 5.3
 * (two-sided normal tail 1.2e-7 per assertion; this class makes about 330, so a correct sampler
 * fails one with probability below 4e-5 for a random seed).
 */
class SamplerPropertiesTest {

  /** Standard errors allowed (see the class comment). */
  private static final double K = 5.3;

  private static double[][] randomGram(int d, SplittableRandom rnd) {
    // x_a = common + own parts: correlated inputs with a well-conditioned Gram matrix.
    int n0 = d + 3;
    double[][] x = new double[d][n0];
    for (int a = 0; a < d; a++) {
      for (int j = 0; j < n0; j++) {
        x[a][j] = rnd.nextGaussian() + (j == 0 ? 1.5 : 0);
      }
    }
    double[][] g = new double[d][d];
    for (int a = 0; a < d; a++) {
      for (int b = 0; b < d; b++) {
        double s = 0;
        for (int j = 0; j < n0; j++) {
          s += x[a][j] * x[b][j];
        }
        g[a][b] = s / n0;
      }
    }
    return g;
  }

  /**
   * Runs M networks and checks E[((1/n)Σ_i z_ia z_ib − Ĝ_ab)/sqrt(Ĝ_aa Ĝ_bb)] = 0 for every layer
   * and pair: given the previous layer, z_i is N(0, Ĝ) (docs/theory.md §1.4) in both samplers; dividing by
   * a function of Ĝ keeps the conditional mean zero. Where Ĝ_aa = 0 the row must be exactly 0.
   */
  private static void checkConditionalCovariance(NetworkSpec spec, SamplerKind kind, int networks, long seed) {
    int d = spec.inputCount();
    int depth = spec.depth();
    int pairs = PairIndex.pairCount(d);
    Columns c = new Columns(depth * pairs, networks);
    Sampler s = Samplers.create(spec, kind);
    LayerSink sink = (l, z, n, g) -> {
      int u = 0;
      for (int a = 0; a < d; a++) {
        for (int b = a; b < d; b++, u++) {
          double gab = g[a * d + b];
          double scale = Math.sqrt(g[a * d + a] * g[b * d + b]);
          double zz = 0;
          for (int i = 0; i < n; i++) {
            zz += (double) z[a][i] * z[b][i];
          }
          if (g[a * d + a] == 0) {
            assertEquals(0.0, zz, "Ĝ_aa = 0 but z_a is not 0 (layer " + l + ")");
          }
          c.set((l - 1) * pairs + u, scale == 0 ? 0 : (zz / n - gab) / scale);
        }
      }
    };
    for (int k = 0; k < networks; k++) {
      assertEquals(0, s.sample(seed, k, sink));
      c.next();
    }
    for (int col = 0; col < depth * pairs; col++) {
      double m = c.mean(col);
      double se = c.se(col);
      assertTrue(Math.abs(m) <= K * se, kind + " " + spec + ": layer " + (col / pairs + 1) + " pair " + col % pairs
          + ": mean " + m + " +- " + se);
    }
  }

  @Test
  void conditionalCovarianceIsTheMetricGenericAndSingular() {
    SplittableRandom rnd = new SplittableRandom(20261128);
    NetworkSpec tanh8 = NetworkSpec.ofGram(Activation.parse("tanh"), 0.1, 1.7, 11, new int[] {9, 7, 10},
        randomGram(8, rnd));
    // n = 2 < d = 4 and C_b = 0: Ĝ has rank <= 2 from layer 2 on; ReLU switches whole rows off.
    NetworkSpec reluLowRank = NetworkSpec.ofGram(Activation.parse("relu"), 0, 2, 7, new int[] {2, 2, 3},
        randomGram(4, rnd));
    // Identical inputs: Ĝ = c 11^T exactly (weights) or to rounding (conditional).
    NetworkSpec identical = NetworkSpec.ofGram(Activation.parse("swish"), 0.05, 1.2, 5, new int[] {6, 6},
        new double[][] {{0.8, 0.8}, {0.8, 0.8}});
    for (SamplerKind kind : SamplerKind.values()) {
      checkConditionalCovariance(tanh8, kind, 4000, 101);
      checkConditionalCovariance(reluLowRank, kind, 8000, 102);
      checkConditionalCovariance(identical, kind, 8000, 103);
    }
  }

  /** Layer 1 is N(0, K^(1)) in both samplers: E[(1/n) Σ_i z_ia z_ib] = K^(1)_ab. */
  @Test
  void layerOneIsTheInputKernel() {
    SplittableRandom rnd = new SplittableRandom(7);
    for (int d : new int[] {2, 8}) {
      NetworkSpec spec = NetworkSpec.ofGram(Activation.parse("gelu"), 0.3, 1.5, d + 2, new int[] {16},
          randomGram(d, rnd));
      double[][] k1 = spec.kernel1();
      for (SamplerKind kind : SamplerKind.values()) {
        int networks = 6000;
        Columns c = new Columns(d * d, networks);
        Sampler s = Samplers.create(spec, kind);
        for (int k = 0; k < networks; k++) {
          s.sample(55, k, (l, z, n, g) -> {
            assertArrayEquals(Arrays.stream(k1).flatMapToDouble(Arrays::stream).toArray(), g);
            for (int a = 0; a < d; a++) {
              for (int b = 0; b < d; b++) {
                double zz = 0;
                for (int i = 0; i < n; i++) {
                  zz += (double) z[a][i] * z[b][i];
                }
                c.set(a * d + b, zz / n);
              }
            }
          });
          c.next();
        }
        for (int a = 0; a < d; a++) {
          for (int b = a; b < d; b++) {
            double m = c.mean(a * d + b);
            double se = c.se(a * d + b);
            assertTrue(Math.abs(m - k1[a][b]) <= K * se, kind + " d " + d + " (" + a + "," + b + "): " + m
                + " +- " + se + " vs " + k1[a][b]);
          }
        }
      }
    }
  }

  private static Recorder record(Sampler s, NetworkSpec spec, long seed, long network) {
    Recorder r = new Recorder(spec);
    assertEquals(0, s.sample(seed, network, r));
    assertEquals(spec.depth(), r.layers);
    return r;
  }

  @Test
  void reproducibleForSeedAndNetworkOnly() {
    NetworkSpec spec = NetworkSpec.ofGram(Activation.parse("tanh"), 0.1, 1.9, 40, new int[] {70, 33, 65},
        new double[][] {{1, 0.3}, {0.3, 0.7}});
    for (SamplerKind kind : SamplerKind.values()) {
      Sampler s = Samplers.create(spec, kind);
      Sampler t = Samplers.create(spec, kind);
      Recorder first = record(s, spec, 99, 5);
      record(s, spec, 99, 6);
      assertTrue(first.sameAs(record(s, spec, 99, 5)), kind + ": network 5 again, after network 6");
      assertTrue(first.sameAs(record(t, spec, 99, 5)), kind + ": another instance");
      assertFalse(first.sameAs(record(s, spec, 98, 5)), kind + ": another seed");
      assertFalse(first.sameAs(record(s, spec, 99, 4)), kind + ": another network");
      assertFalse(first.sameAs(record(s, spec, 99, 5 + (1L << 32))), kind + ": network index differs in the high word");
      assertFalse(first.sameAs(record(s, spec, 99 + (1L << 32), 5)), kind + ": seed differs in the high word");
    }
    // The two samplers draw different random numbers, of course.
    assertFalse(record(Samplers.create(spec, SamplerKind.WEIGHTS), spec, 99, 5)
        .sameAs(record(Samplers.create(spec, SamplerKind.CONDITIONAL), spec, 99, 5)));
  }

  /**
   * Input 0 follows the same trajectory whatever other inputs ride along: in the weights sampler
   * at every layer (fixed summation orders, stream layout), in the conditional sampler at layer 1
   * (later layers' normals sit after d·(n_1 + … + n_{l−1}) of them).
   */
  @Test
  void marginalConsistencyAcrossInputCounts() {
    SplittableRandom rnd = new SplittableRandom(3);
    double[][] x = new double[3][24];
    for (double[] row : x) {
      for (int j = 0; j < row.length; j++) {
        row[j] = rnd.nextGaussian();
      }
    }
    int[] widths = {50, 17, 64};
    NetworkSpec one = NetworkSpec.ofInputs(Activation.parse("tanh"), 0.2, 1.4, widths, new double[][] {x[0]});
    NetworkSpec three = NetworkSpec.ofInputs(Activation.parse("tanh"), 0.2, 1.4, widths, x);
    for (SamplerKind kind : SamplerKind.values()) {
      Recorder r1 = record(Samplers.create(one, kind), one, 8, 13);
      Recorder r3 = record(Samplers.create(three, kind), three, 8, 13);
      for (int l = 1; l <= (kind == SamplerKind.WEIGHTS ? widths.length : 1); l++) {
        assertArrayEquals(r1.z[l][0], r3.z[l][0], kind + " layer " + l);
        assertEquals(r1.metric[l][0], r3.metric[l][0], kind + " layer " + l);
      }
    }
  }

  /**
   * The conditional sampler's stream layout (ConditionalSampler Javadoc): z^(l) = L g with L the
   * float factor of the reported metric and g^(l)_{b,i} = normal(seed, k, 0, CONDITIONAL,
   * d (n_1 + … + n_{l−1}) + b n_l + i), bit for bit.
   */
  @Test
  void conditionalStreamLayout() {
    SplittableRandom rnd = new SplittableRandom(9);
    int[] widths = {300, 7, 2100, 64};
    NetworkSpec spec = NetworkSpec.ofGram(Activation.parse("gelu"), 0.1, 1.3, 5, widths, randomGram(3, rnd));
    int d = 3;
    for (long k : new long[] {0, 77, -5}) {
      Recorder r = record(Samplers.create(spec, SamplerKind.CONDITIONAL), spec, 4, k);
      long first = 0;
      for (int l = 1; l <= widths.length; l++) {
        double[] lc = new double[d * d];
        PsdCholesky.factor(r.metric[l], d, lc);
        for (int a = 0; a < d; a++) {
          for (int i = 0; i < widths[l - 1]; i += 7) {
            float t = (float) lc[a * d] * BoxMuller.normal(4, k, 0, org.finwidth.random.RandomStreams.CONDITIONAL, first + i);
            for (int b = 1; b <= a; b++) {
              t = Math.fma((float) lc[a * d + b], BoxMuller.normal(4, k, 0, org.finwidth.random.RandomStreams.CONDITIONAL,
                  first + (long) b * widths[l - 1] + i), t);
            }
            assertEquals(t, r.z[l][a][i], "network " + k + " layer " + l + " input " + a + " neuron " + i);
          }
        }
        first += (long) d * widths[l - 1];
      }
    }
  }

  /**
   * Scalar and Panama kernels: identical bits for activations that both compute exactly (ReLU,
   * linear); for tanh, layer 1 identical and layer 2 within a rigorous bound of the activation's
   * difference (ActivationKernels: |Δσ| ≤ max(1e-6|σ|, 1e-7)).
   */
  @Test
  void scalarAndPanamaKernelsAgree() {
    KernelProvider panama = new org.finwidth.vector.panama.PanamaKernelProvider(); // always Panama, whatever the run forces
    KernelProvider scalar = KernelProvider.scalar();
    SplittableRandom rnd = new SplittableRandom(4);
    for (String act : new String[] {"relu", "linear"}) {
      NetworkSpec spec = NetworkSpec.ofGram(Activation.parse(act), 0.3, 1.8, 30, new int[] {45, 64, 17, 33},
          randomGram(3, rnd));
      for (SamplerKind kind : SamplerKind.values()) {
        Sampler p = Samplers.create(spec, kind, panama);
        Sampler s = Samplers.create(spec, kind, scalar);
        for (long k = 0; k < 20; k++) {
          assertTrue(record(p, spec, 17, k).sameAs(record(s, spec, 17, k)), act + " " + kind + " network " + k);
        }
      }
    }
    // tanh, weights sampler: |Δz_i^(2)| <= ws·cap·Σ_j|Δh_j| + r_P + r_S with |g| <= cap = 6.6604
    // (BoxMuller.TAIL_CAP) and the rounding bound of LayerKernels (ceil(m/16)+6) u (ws cap Σ|h| + |b|).
    int m = 40;
    NetworkSpec tanh = NetworkSpec.ofGram(Activation.parse("tanh"), 0.3, 1.8, 12, new int[] {m, 25}, new double[][] {{1.3}});
    double cap = BoxMuller.TAIL_CAP;
    float ws = (float) Math.sqrt(1.8 / m);
    double bMax = Math.sqrt(0.3) * cap;
    for (long k = 0; k < 20; k++) {
      Recorder rp = record(Samplers.create(tanh, SamplerKind.WEIGHTS, panama), tanh, 5, k);
      Recorder rs = record(Samplers.create(tanh, SamplerKind.WEIGHTS, scalar), tanh, 5, k);
      assertArrayEquals(rp.z[1][0], rs.z[1][0], "layer 1");
      float[] hp = new float[m];
      float[] hs = new float[m];
      panama.activationKernels().value(tanh.activation(), rp.z[1][0], hp);
      scalar.activationKernels().value(tanh.activation(), rs.z[1][0], hs);
      double dh = 0;
      double sumH = 0;
      for (int j = 0; j < m; j++) {
        dh += Math.abs(hp[j] - hs[j]);
        sumH += Math.abs(hp[j]) + Math.abs(hs[j]);
      }
      double bound = ws * cap * dh + ((m + 15) / 16 + 6) * 0x1p-24 * (ws * cap * sumH + 2 * bMax);
      for (int i = 0; i < 25; i++) {
        assertTrue(Math.abs(rp.z[2][0][i] - rs.z[2][0][i]) <= bound, "network " + k + " neuron " + i);
      }
    }
    // tanh, conditional, d = 1: z = fl(fl(sqrt(Ĝ)) g), so |Δz| <= (|ΔĜ|/(2Ĝ) + 4u) |z| to first
    // order (one rounding of the factor and one of the product, in each implementation).
    for (long k = 0; k < 20; k++) {
      Recorder rp = record(Samplers.create(tanh, SamplerKind.CONDITIONAL, panama), tanh, 5, k);
      Recorder rs = record(Samplers.create(tanh, SamplerKind.CONDITIONAL, scalar), tanh, 5, k);
      assertArrayEquals(rp.z[1][0], rs.z[1][0], "layer 1");
      double g = rs.metric[2][0];
      double rel = Math.abs(rp.metric[2][0] - g) / (2 * g) + 4 * 0x1p-24;
      assertTrue(Math.abs(rp.metric[2][0] - g) <= 1.8 * (1e-6 * 2 + 1e-7 * 2 + 1e-15) * g + 1.8 * 4e-7, "metric " + k);
      for (int i = 0; i < 25; i++) {
        assertTrue(Math.abs(rp.z[2][0][i] - rs.z[2][0][i]) <= rel * Math.abs(rs.z[2][0][i]) * 1.000001, "network " + k + " neuron " + i);
      }
    }
  }

  /**
   * One input: the samplers fold a layer's sums into one pass (LayerKernels#reluLayer1 for the
   * conditional sampler under ReLU, LayerKernels#sums1 otherwise). Each metric must still be
   * {@code C_b + (C_W/n)·gram(σ(z))} of the recorded layer, σ by the sampler's activation kernels
   * and the Gram sum by the separate scalar kernel, bit for bit, the sums handed to the sink must be the moments of z, and Panama and scalar kernels must
   * give the same networks (widths off and on multiples of 16, the last layer too).
   */
  @Test
  void oneInputLayersAreTheSeparateKernelsInOnePass() {
    KernelProvider panama = new org.finwidth.vector.panama.PanamaKernelProvider();
    KernelProvider scalar = KernelProvider.scalar();
    LayerKernels ref = scalar.layerKernels();
    // the last case: ReLU, C_b = 0 and layers of one or two neurons, so that every unit is off in
    // some layers and the next metric is exactly 0 (the check of the activations in float reads h)
    record Case(String act, double cb, int[] widths) {}
    int[] wide = {256, 37, 64, 16, 5, 48};
    for (Case cs : new Case[] {new Case("relu", 0.1, wide), new Case("tanh", 0.1, wide), new Case("linear", 0.1, wide),
        new Case("relu", 0, new int[] {1, 2, 1, 1, 2, 1})}) {
      String act = cs.act;
      int[] widths = cs.widths;
      double cb = cs.cb;
      NetworkSpec spec = NetworkSpec.ofGram(Activation.parse(act), cb, 1.9, 7, widths, new double[][] {{1.7}});
      for (SamplerKind kind : SamplerKind.values()) {
        int zeroMetrics = 0;
        for (KernelProvider kp : new KernelProvider[] {panama, scalar}) {
          Sampler smp = Samplers.create(spec, kind, kp);
          for (long k = 0; k < (cb == 0 ? 40 : 6); k++) {
            float[][] zs = new float[widths.length + 1][];
            double[] metrics = new double[widths.length + 1];
            int[] withSums = {0};
            String at = act + " " + kind + " " + kp.description() + " network " + k;
            LayerSink sink = new LayerSink() {
              @Override
              public void layer(int l, float[][] z, int n, double[] metric) {
                zs[l] = Arrays.copyOf(z[0], n);
                metrics[l] = metric[0];
              }

              @Override
              public void layer(int l, float[][] z, int n, double[] metric, double[] sums) {
                layer(l, z, n, metric);
                if (sums != null) {
                  double[] s2 = new double[1];
                  double[] s4 = new double[1];
                  ref.moments(new float[][] {zs[l]}, 1, n, s2, s4, new double[LayerKernels.momentsWorkLength(1)]);
                  assertEquals(s2[0], sums[0], at + " layer " + l + ": sum of z^2");
                  assertEquals(s4[0], sums[1], at + " layer " + l + ": sum of z^4");
                  withSums[0]++;
                }
              }
            };
            assertEquals(0, smp.sample(23, k, sink), at);
            for (int l = 1; l < widths.length; l++) {
              int n = widths[l - 1];
              float[][] h = new float[1][n];
              kp.activationKernels().value(spec.activation(), zs[l], 0, h[0], 0, n); // the sampler's σ
              double[] gram = new double[1];
              ref.gram(h, 1, n, gram);
              assertEquals(cb + 1.9 / n * gram[0], metrics[l + 1], at + " metric of layer " + (l + 1));
              zeroMetrics += metrics[l + 1] == 0 ? 1 : 0;
            }
            // every layer but the last carries the sums (the last one too where the pass made them)
            assertTrue(withSums[0] >= widths.length - 1, at + ": " + withSums[0] + " layers with sums");
            if (kp == panama && !act.equals("tanh")) { // tanh's kernels differ in the last bits (scalarAndPanamaKernelsAgree)
              assertTrue(record(smp, spec, 23, k).sameAs(record(Samplers.create(spec, kind, scalar), spec, 23, k)), at);
            }
          }
        }
        if (cb == 0) { // P(no zero metric in 2 x 40 networks) < 1e-10 (a layer of one neuron is off w.p. 1/2)
          assertTrue(zeroMetrics > 0, act + " " + kind + ": no layer with every unit off");
        }
      }
    }
  }

  /**
   * The weights sampler is the explicit network: against the test code's double-precision
   * {@link ReferenceWeightsSampler} (same streams: weights at i·m + j, biases at i), layers 1 and
   * 2 agree within a rigorous bound: the float rounding of the fused layer
   * ((⌈m/16⌉ + 6) u (ws Σ_j|g_ij h_j| + |b_i|), plus 3u for the float inputs, weight and bias
   * scales), the reference's rounding to float (u|z|), and at layer 2 the propagation
   * ws Σ_j |g_ij| Δh_j with Δh_j ≤ |Δz_j| + max(1e-6|σ|, 1e-7) (σ 1-Lipschitz; the float activation's
   * bound, ActivationKernels).
   */
  @Test
  void weightsSamplerIsTheExplicitNetwork() {
    double u = 0x1p-24;
    SplittableRandom rnd = new SplittableRandom(5);
    for (String act : new String[] {"relu", "tanh"}) {
      NetworkSpec spec = NetworkSpec.ofGram(Activation.parse(act), 0.2, 1.7, 37, new int[] {53, 29}, randomGram(2, rnd));
      double[][] x = spec.inputs();
      Sampler mine = Samplers.create(spec, SamplerKind.WEIGHTS);
      Sampler ref = new ReferenceWeightsSampler(spec);
      Activation sigma = spec.activation();
      for (long k = 0; k < 5; k++) {
        Recorder r = record(mine, spec, 77, k);
        Recorder e = record(ref, spec, 77, k);
        for (int l = 1; l <= 2; l++) {
          // metric: float h (within 1e-6 relative + 1e-7 of the double h) against double h.
          assertArrayEquals(e.metric[l], r.metric[l], 1e-5 * Math.abs(e.metric[l][0]), "metric, layer " + l);
          int m = spec.width(l - 1);
          double ws = Math.sqrt(spec.cw() / m);
          float[] g = new float[m];
          for (int i = 0; i < spec.width(l); i++) {
            org.finwidth.vector.ScalarNormalKernels.INSTANCE.fill(77, k, l, org.finwidth.random.RandomStreams.WEIGHTS,
                (long) i * m, g, 0, m);
            double b = Math.sqrt(spec.cb()) * BoxMuller.normal(77, k, l, org.finwidth.random.RandomStreams.BIASES, i);
            for (int a = 0; a < 2; a++) {
              double gh = 0;
              double prop = 0;
              for (int j = 0; j < m; j++) {
                double hj = l == 1 ? x[a][j] : sigma.value(e.z[1][a][j]);
                gh += Math.abs(g[j] * hj);
                if (l == 2) {
                  double dz = Math.abs(r.z[1][a][j] - e.z[1][a][j]) + u * Math.abs(e.z[1][a][j]);
                  prop += Math.abs(g[j]) * (dz + Math.max(1e-6 * Math.abs(hj), 1e-7));
                }
              }
              double bound = ws * prop + (((m + 15) / 16 + 9) * u * (ws * gh + Math.abs(b)) + u * Math.abs(e.z[l][a][i])) * 1.01;
              assertTrue(Math.abs(r.z[l][a][i] - e.z[l][a][i]) <= bound, act + " network " + k + " layer " + l + " input " + a
                  + " neuron " + i + ": " + r.z[l][a][i] + " vs " + e.z[l][a][i] + ", bound " + bound);
            }
          }
        }
      }
    }
  }

  @Test
  void divergenceIsReportedAtTheFirstBadLayer() {
    // Layer 1 already overflows: |z| ~ sqrt(C_W * 1e70) = 1e35 > 2^100 (tanh: a scale-invariant
    // activation such as relu would be held in units of its kernel, FloatScale, and not diverge).
    NetworkSpec atOne = NetworkSpec.ofGram(Activation.parse("tanh"), 0, 1, 3, new int[] {16, 16}, new double[][] {{1e70}});
    // Layer 2: z1 = 1e11 g, h = relu(z1)^3 = 1e33 relu(g)^3 (finite in float), Ĝ2 = 1e66 S/64 with
    // S = Σ_j relu(g_j)^6 over 64 units; |z2| > 2^100 = 1.27e30 somewhere unless S < 1e-4, i.e.
    // every g_j < 0.215 (0.585^64 = 1e-15), or all 16 |z2_i| are below half their scale (2e-7).
    NetworkSpec atTwo = NetworkSpec.ofGram(Activation.parse("repu:p=3"), 0, 1, 3, new int[] {64, 16, 16},
        new double[][] {{1e22}});
    for (SamplerKind kind : SamplerKind.values()) {
      for (long k = 0; k < 10; k++) {
        Recorder r = new Recorder(atOne);
        assertEquals(1, Samplers.create(atOne, kind).sample(1, k, r), kind + " network " + k);
        assertEquals(0, r.layers, "the bad layer is not delivered");
        r = new Recorder(atTwo);
        assertEquals(2, Samplers.create(atTwo, kind).sample(1, k, r), kind + " network " + k);
        assertEquals(1, r.layers);
      }
    }
    // Deep RePU p = 3 from a moderate start: Ĝ roughly cubes each layer until it overflows, or
    // collapses to 0 when all units switch off. Delivered layers are always within the bound.
    NetworkSpec deep = NetworkSpec.ofGram(Activation.parse("repu:p=3"), 0, 2, 8, new int[] {8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8},
        new double[][] {{4}});
    for (SamplerKind kind : SamplerKind.values()) {
      Sampler s = Samplers.create(deep, kind);
      int diverged = 0;
      for (long k = 0; k < 200; k++) {
        Recorder r = new Recorder(deep);
        int bad = s.sample(2, k, r);
        assertTrue(bad == 0 || bad >= 2, kind + ": " + bad);
        assertEquals(bad == 0 ? deep.depth() : bad - 1, r.layers);
        for (int l = 1; l <= r.layers; l++) {
          for (float zi : r.z[l][0]) {
            assertTrue(Math.abs(zi) <= Sampler.MAX_ABS_PREACTIVATION, kind + " delivered " + zi);
          }
        }
        if (bad > 0) {
          diverged++;
        } else {
          assertEquals(0.0, r.metric[deep.depth()][0], kind + ": a deep RePU that did not diverge has collapsed to 0");
        }
      }
      assertTrue(diverged > 150, kind + ": " + diverged + " of 200 diverged");
    }
  }

  @Test
  void tooLargeNetworksAreRejected() {
    NetworkSpec huge = NetworkSpec.ofGram(Activation.parse("relu"), 0, 2, 1 << 18, new int[] {1 << 17}, new double[][] {{1}});
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Samplers.create(huge, SamplerKind.WEIGHTS));
    assertTrue(e.getMessage().contains("2^34"), e.getMessage());
    assertThrows(NullPointerException.class, () -> Samplers.create(huge, null));
  }

  /** No allocation per network (scalar kernels here: Panama needs C2 first, see the benchmarks' -prof gc). */
  @Test
  void noAllocationPerNetwork() {
    com.sun.management.ThreadMXBean bean = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    NetworkSpec spec = NetworkSpec.ofGram(Activation.parse("tanh"), 0.1, 1.5, 20, new int[] {30, 30, 30},
        new double[][] {{1, 0.5}, {0.5, 1}});
    double[] sum = new double[1];
    LayerSink sink = (l, z, n, g) -> sum[0] += z[0][0] + g[1];
    for (SamplerKind kind : SamplerKind.values()) {
      Sampler s = Samplers.create(spec, kind, KernelProvider.scalar());
      for (int k = 0; k < 200; k++) {
        s.sample(1, k, sink);
      }
      long before = bean.getCurrentThreadAllocatedBytes();
      for (int k = 0; k < 500; k++) {
        s.sample(1, k, sink);
      }
      long allocated = bean.getCurrentThreadAllocatedBytes() - before;
      assertTrue(allocated < 500, kind + ": " + allocated + " bytes for 500 networks");
    }
    assertNotEquals(0.0, sum[0]);
  }
}
