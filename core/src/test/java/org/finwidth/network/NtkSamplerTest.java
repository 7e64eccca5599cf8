package org.finwidth.network;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import org.finwidth.activation.Activation;
import org.finwidth.vector.KernelProvider;
import org.junit.jupiter.api.Test;

/**
 * The per-network NTK of {@link NtkSampler} (docs/theory.md §11.7): its preactivations are the
 * weights sampler's bitwise; its NTK agrees with the definition (a finite-difference Jacobian of
 * the same network in double) and with the forward recursion, both written here independently in
 * double; the scalar and Panama kernels agree; nothing is allocated per network.
 */
class NtkSamplerTest {
  private static final KernelProvider[] PROVIDERS = {KernelProvider.scalar(), KernelProvider.getInstance()};

  private static NetworkSpec spec(String act, double cb, double cw, int[] widths, double[][] x) {
    return NetworkSpec.ofInputs(Activation.parse(act), cb, cw, widths, x);
  }

  /** The NTK of every layer of one network, recorded: ntk[l][i][k][a][b]. */
  private static final class NtkRecorder implements NtkSink {
    final double[][][][][] ntk;
    final int d;

    NtkRecorder(NetworkSpec spec) {
      ntk = new double[spec.depth() + 1][][][][];
      d = spec.inputCount();
    }

    @Override
    public void layer(int l, double[] h, int s, float[][] z, int width) {
      ntk[l] = new double[s][s][d][d];
      for (int i = 0; i < s; i++) {
        for (int k = 0; k < s; k++) {
          for (int a = 0; a < d; a++) {
            for (int b = 0; b < d; b++) {
              ntk[l][i][k][a][b] = h[(i * d + a) * (s * d) + k * d + b];
            }
          }
        }
      }
    }
  }

  @Test
  void preactivationsAreTheWeightsSamplers() {
    double[][] x = {{0.3, -1.2, 0.8, 0.1, 2.0}, {1.1, 0.4, -0.6, 0.9, -0.2}};
    for (String act : new String[] {"tanh", "relu"}) {
      NetworkSpec spec = spec(act, 0.2, 1.7, new int[] {7, 33, 16, 40}, x);
      for (KernelProvider k : PROVIDERS) {
        Sampler w = Samplers.create(spec, SamplerKind.WEIGHTS, k);
        NtkSampler n = new NtkSampler(spec, LearningRates.constant(0.7, 1.3, 4), 3, k);
        for (long net = 0; net < 5; net++) {
          Recorder a = new Recorder(spec);
          Recorder b = new Recorder(spec);
          Recorder c = new Recorder(spec);
          assertEquals(0, w.sample(11, net, a));
          assertEquals(0, n.sample(11, net, b, new NtkRecorder(spec)));
          assertEquals(0, n.sample(11, net, c));
          assertTrue(a.sameAs(b), act + " " + k.description() + " network " + net);
          assertTrue(a.sameAs(c), act + " " + k.description() + " network " + net);
        }
      }
    }
  }

  /** The network of an NtkSampler's last sample, in double (weights and biases exactly as floats). */
  private static final class DoubleNet {
    final Activation sigma;
    final int depth;
    final int[] width;
    final double[][][] w; // w[l][i][j]
    final double[][] b;
    final double[][] x;

    DoubleNet(NetworkSpec spec, NtkSampler sampler) {
      sigma = spec.activation();
      depth = spec.depth();
      width = new int[depth + 1];
      for (int l = 0; l <= depth; l++) {
        width[l] = spec.width(l);
      }
      w = new double[depth + 1][][];
      b = new double[depth + 1][];
      for (int l = 1; l <= depth; l++) {
        float[] g = sampler.unitWeights(l);
        double scale = sampler.weightScale(l);
        w[l] = new double[width[l]][width[l - 1]];
        for (int i = 0; i < width[l]; i++) {
          for (int j = 0; j < width[l - 1]; j++) {
            w[l][i][j] = scale * g[i * width[l - 1] + j];
          }
        }
        float[] bl = sampler.biases(l);
        b[l] = new double[width[l]];
        for (int i = 0; i < width[l]; i++) {
          b[l][i] = bl[i];
        }
      }
      float[][] xf = sampler.inputs();
      x = new double[xf.length][];
      for (int a = 0; a < xf.length; a++) {
        x[a] = new double[xf[a].length];
        for (int j = 0; j < xf[a].length; j++) {
          x[a][j] = xf[a][j];
        }
      }
    }

    /** z[l][i] for one input. */
    double[][] forward(double[] input) {
      double[][] z = new double[depth + 1][];
      double[] prev = input;
      for (int l = 1; l <= depth; l++) {
        z[l] = new double[width[l]];
        for (int i = 0; i < width[l]; i++) {
          double t = b[l][i];
          for (int j = 0; j < width[l - 1]; j++) {
            t += w[l][i][j] * prev[j];
          }
          z[l][i] = t;
        }
        prev = new double[width[l]];
        for (int i = 0; i < width[l]; i++) {
          prev[i] = sigma.value(z[l][i]);
        }
      }
      return z;
    }

    /** The NTK by its definition: central finite differences over every parameter. */
    double[][][][][] finiteDifference(LearningRates rates, double step) {
      int d = x.length;
      double[][][][][] ntk = new double[depth + 1][][][][];
      for (int l = 1; l <= depth; l++) {
        ntk[l] = new double[width[l]][width[l]][d][d];
      }
      for (int lp = 1; lp <= depth; lp++) {
        for (int i = 0; i < width[lp]; i++) {
          for (int j = -1; j < width[lp - 1]; j++) { // j = -1: the bias
            double rate = j < 0 ? rates.bias(lp) : rates.weight(lp) / width[lp - 1];
            double[][][] grad = new double[d][][]; // grad[a][l][neuron]
            for (int a = 0; a < d; a++) {
              double saved = j < 0 ? b[lp][i] : w[lp][i][j];
              set(lp, i, j, saved + step);
              double[][] plus = forward(x[a]);
              set(lp, i, j, saved - step);
              double[][] minus = forward(x[a]);
              set(lp, i, j, saved);
              grad[a] = new double[depth + 1][];
              for (int l = 1; l <= depth; l++) {
                grad[a][l] = new double[width[l]];
                for (int q = 0; q < width[l]; q++) {
                  grad[a][l][q] = (plus[l][q] - minus[l][q]) / (2 * step);
                }
              }
            }
            for (int l = lp; l <= depth; l++) {
              for (int p = 0; p < width[l]; p++) {
                for (int q = 0; q < width[l]; q++) {
                  for (int a = 0; a < d; a++) {
                    for (int bb = 0; bb < d; bb++) {
                      ntk[l][p][q][a][bb] += rate * grad[a][l][p] * grad[bb][l][q];
                    }
                  }
                }
              }
            }
          }
        }
      }
      return ntk;
    }

    private void set(int l, int i, int j, double v) {
      if (j < 0) {
        b[l][i] = v;
      } else {
        w[l][i][j] = v;
      }
    }

    /** The forward recursion Ĥ' = [λ_b + λ_W σ_a·σ_b/n] 1 + W diag(σ'_a) Ĥ_ab diag(σ'_b) Wᵀ. */
    double[][][][][] forwardRecursion(LearningRates rates) {
      int d = x.length;
      double[][][] z = new double[d][][];
      for (int a = 0; a < d; a++) {
        z[a] = forward(x[a]);
      }
      double[][][][][] ntk = new double[depth + 1][][][][];
      ntk[1] = new double[width[1]][width[1]][d][d];
      for (int a = 0; a < d; a++) {
        for (int bb = 0; bb < d; bb++) {
          double dot = 0;
          for (int j = 0; j < width[0]; j++) {
            dot += x[a][j] * x[bb][j];
          }
          for (int i = 0; i < width[1]; i++) {
            ntk[1][i][i][a][bb] = rates.bias(1) + rates.weight(1) * dot / width[0];
          }
        }
      }
      for (int l = 1; l < depth; l++) {
        int n = width[l];
        int n2 = width[l + 1];
        ntk[l + 1] = new double[n2][n2][d][d];
        for (int a = 0; a < d; a++) {
          for (int bb = 0; bb < d; bb++) {
            double dot = 0;
            for (int j = 0; j < n; j++) {
              dot += sigma.value(z[a][l][j]) * sigma.value(z[bb][l][j]);
            }
            double diag = rates.bias(l + 1) + rates.weight(l + 1) * dot / n;
            for (int p = 0; p < n2; p++) {
              for (int q = 0; q < n2; q++) {
                double t = p == q ? diag : 0;
                for (int j1 = 0; j1 < n; j1++) {
                  for (int j2 = 0; j2 < n; j2++) {
                    t += w[l + 1][p][j1] * w[l + 1][q][j2] * sigma.d1(z[a][l][j1]) * sigma.d1(z[bb][l][j2])
                        * ntk[l][j1][j2][a][bb];
                  }
                }
                ntk[l + 1][p][q][a][bb] = t;
              }
            }
          }
        }
      }
      return ntk;
    }
  }

  /**
   * The engine's NTK against the definition: a small network with unequal widths, C_b ≠ 0,
   * λ_b ≠ λ_W, two inputs, all neurons of every layer (s ≥ n_ℓ), for a smooth and a kinked
   * activation. The double forward recursion agrees with the finite differences to 1e-6 relative
   * to the largest entry (central differences: O(h²) = 1e-10 for step 1e-5 in smooth networks,
   * rounding 1e-16/h; ReLU is piecewise linear and a kink within 1e-5 of a preactivation has
   * probability ~1e-5 per neuron). The engine computes in float (σ' and the Jacobian rows;
   * float activation kernels are accurate to 1e-6 relative): 1e-4 relative to the largest entry.
   */
  @Test
  void agreesWithFiniteDifferencesAndTheForwardRecursion() {
    double[][] x = {{0.3, -1.2, 0.8}, {1.1, 0.4, -0.6}};
    LearningRates rates = LearningRates.of(new double[] {0.7, 0.4, 1.1, 0.9}, new double[] {1.3, 2.0, 0.6, 1.5});
    for (String act : new String[] {"tanh", "relu", "swish"}) {
      NetworkSpec spec = spec(act, 0.3, 1.7, new int[] {3, 5, 4, 6}, x);
      for (KernelProvider k : PROVIDERS) {
        NtkSampler sampler = new NtkSampler(spec, rates, 8, k);
        for (long net = 0; net < 3; net++) {
          NtkRecorder rec = new NtkRecorder(spec);
          assertEquals(0, sampler.sample(5, net, (l, z, n, m) -> { }, rec));
          DoubleNet dn = new DoubleNet(spec, sampler);
          double[][][][][] fd = dn.finiteDifference(rates, 1e-5);
          double[][][][][] fwd = dn.forwardRecursion(rates);
          for (int l = 1; l <= spec.depth(); l++) {
            double scale = maxAbs(fwd[l]);
            String at = act + " " + k.description() + " network " + net + " layer " + l;
            assertClose(fwd[l], fd[l], 1e-6 * scale, at + ": forward recursion vs finite differences");
            assertClose(fwd[l], rec.ntk[l], 1e-4 * scale, at + ": engine vs forward recursion");
          }
        }
      }
    }
  }

  /**
   * The backward layer-sum form and the forward recursion in double agree to rounding (1e-12 of the
   * largest entry): an independent implementation of the engine's formula, on a deeper network.
   */
  @Test
  void backwardFormEqualsForwardForm() {
    double[][] x = {{0.3, -1.2, 0.8, 0.5}};
    LearningRates rates = LearningRates.constant(0.6, 1.4, 5);
    NetworkSpec spec = spec("gelu", 0.1, 1.9, new int[] {6, 3, 7, 5, 4}, x);
    NtkSampler sampler = new NtkSampler(spec, rates, 2, KernelProvider.scalar());
    sampler.sample(3, 0, (l, z, n, m) -> { }, (l, h, s, z, n) -> { });
    DoubleNet dn = new DoubleNet(spec, sampler);
    double[][][][][] fwd = dn.forwardRecursion(rates);
    double[][][] z = {dn.forward(dn.x[0])};
    for (int top = 1; top <= spec.depth(); top++) {
      int n = spec.width(top);
      double[][] ntk = new double[n][n];
      double[][] j = new double[n][n]; // J^(top,top) = identity
      for (int i = 0; i < n; i++) {
        j[i][i] = 1;
      }
      for (int l = top; l >= 1; l--) {
        double dot = 0;
        if (l == 1) {
          for (double v : dn.x[0]) {
            dot += v * v;
          }
        } else {
          for (double v : z[0][l - 1]) {
            dot += dn.sigma.value(v) * dn.sigma.value(v);
          }
        }
        double cl = rates.bias(l) + rates.weight(l) * dot / spec.width(l - 1);
        for (int p = 0; p < n; p++) {
          for (int q = 0; q < n; q++) {
            double t = 0;
            for (int m = 0; m < j[p].length; m++) {
              t += j[p][m] * j[q][m];
            }
            ntk[p][q] += cl * t;
          }
        }
        if (l > 1) {
          double[][] next = new double[n][spec.width(l - 1)];
          for (int p = 0; p < n; p++) {
            for (int m = 0; m < spec.width(l - 1); m++) {
              double t = 0;
              for (int i = 0; i < spec.width(l); i++) {
                t += j[p][i] * dn.w[l][i][m];
              }
              next[p][m] = t * dn.sigma.d1(z[0][l - 1][m]);
            }
          }
          j = next;
        }
      }
      double scale = 0;
      for (int p = 0; p < n; p++) {
        scale = Math.max(scale, Math.abs(fwd[top][p][p][0][0]));
      }
      for (int p = 0; p < n; p++) {
        for (int q = 0; q < n; q++) {
          assertEquals(fwd[top][p][q][0][0], ntk[p][q], 1e-12 * scale, "layer " + top + " (" + p + "," + q + ")");
        }
      }
    }
  }

  /**
   * Scalar and Panama kernels: the same bits for ReLU (σ and σ' are exact in both, and the NTK
   * kernels are bitwise equal by construction); for tanh the activation kernels differ in the last
   * float bits (docs: ActivationKernels), so 1e-5 relative.
   */
  @Test
  void scalarAndPanamaAgree() {
    double[][] x = {{0.3, -1.2, 0.8, 0.1, 2.0, 0.4, -0.3}, {1.1, 0.4, -0.6, 0.9, -0.2, 0.0, 0.7}};
    // widths not multiples of any vector length, and one of 67 (tiles and tails of the backward kernel)
    NetworkSpec relu = spec("relu", 0.1, 2, new int[] {37, 67, 19, 45, 53}, x);
    NetworkSpec tanh = spec("tanh", 0.1, 1.2, new int[] {37, 67, 19, 45, 53}, x);
    for (NetworkSpec sp : new NetworkSpec[] {relu, tanh}) {
      LearningRates rates = LearningRates.constant(0.5, 1.5, sp.depth());
      NtkSampler a = new NtkSampler(sp, rates, 5, KernelProvider.scalar());
      NtkSampler b = new NtkSampler(sp, rates, 5, KernelProvider.getInstance());
      for (long net = 0; net < 3; net++) {
        NtkRecorder ra = new NtkRecorder(sp);
        NtkRecorder rb = new NtkRecorder(sp);
        a.sample(9, net, (l, z, n, m) -> { }, ra);
        b.sample(9, net, (l, z, n, m) -> { }, rb);
        for (int l = 1; l <= sp.depth(); l++) {
          if (sp == relu) {
            assertTrue(java.util.Arrays.deepEquals(ra.ntk[l], rb.ntk[l]), "relu layer " + l);
          } else {
            assertClose(ra.ntk[l], rb.ntk[l], 1e-5 * maxAbs(ra.ntk[l]), "tanh layer " + l);
          }
        }
      }
    }
  }

  /** s larger than a layer's width covers that layer's every neuron; s = 1 gives one. */
  @Test
  void neuronsPerLayer() {
    NetworkSpec spec = spec("tanh", 0, 1, new int[] {2, 9, 4}, new double[][] {{1, 0.5, -0.3}});
    int[] got = new int[4];
    NtkSampler sampler = new NtkSampler(spec, LearningRates.constant(1, 1, 3), 5, KernelProvider.scalar());
    sampler.sample(1, 0, (l, z, n, m) -> { }, (l, h, s, z, n) -> got[l] = s);
    assertArrayEquals(new int[] {0, 2, 5, 4}, got);
    assertThrows(IllegalArgumentException.class, () -> new NtkSampler(spec, LearningRates.constant(1, 1, 3), 0,
        KernelProvider.scalar()));
    assertThrows(IllegalArgumentException.class, () -> new NtkSampler(spec, LearningRates.constant(1, 1, 2), 2,
        KernelProvider.scalar()));
  }

  /**
   * No allocation per network (scalar kernels: Panama needs C2 first). Any object allocated per
   * network would cost at least 16 bytes each, 16,000 bytes for these 1000 networks; the JIT's own
   * allocations while it still compiles measure 0.5-1.2 KB here: the bound is 8,000 bytes.
   */
  @Test
  void noAllocationPerNetwork() {
    com.sun.management.ThreadMXBean bean = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    NetworkSpec spec = NetworkSpec.ofGram(Activation.parse("tanh"), 0.1, 1.5, 20, new int[] {30, 30, 30},
        new double[][] {{1, 0.5}, {0.5, 1}});
    double[] sum = new double[1];
    LayerSink sink = (l, z, n, g) -> sum[0] += z[0][0] + g[1];
    NtkSink ntk = (l, h, s, z, n) -> sum[0] += h[0];
    NtkSampler s = new NtkSampler(spec, LearningRates.constant(1, 1, 3), 4, KernelProvider.scalar());
    for (int k = 0; k < 1000; k++) {
      s.sample(1, k, sink, ntk);
    }
    long before = bean.getCurrentThreadAllocatedBytes();
    for (int k = 0; k < 1000; k++) {
      s.sample(1, k, sink, ntk);
    }
    long allocated = bean.getCurrentThreadAllocatedBytes() - before;
    assertTrue(allocated < 8000, allocated + " bytes for 1000 networks");
    assertNotEquals(0.0, sum[0]);
  }

  private static double maxAbs(double[][][][] t) {
    double m = 0;
    for (double[][][] p : t) {
      for (double[][] q : p) {
        for (double[] r : q) {
          for (double v : r) {
            m = Math.max(m, Math.abs(v));
          }
        }
      }
    }
    return m;
  }

  private static void assertClose(double[][][][] expected, double[][][][] actual, double tol, String what) {
    assertEquals(expected.length, actual.length, what);
    for (int i = 0; i < expected.length; i++) {
      for (int k = 0; k < expected[i].length; k++) {
        for (int a = 0; a < expected[i][k].length; a++) {
          for (int b = 0; b < expected[i][k][a].length; b++) {
            assertEquals(expected[i][k][a][b], actual[i][k][a][b], tol, what + " [" + i + "][" + k + "][" + a + "][" + b + "]");
          }
        }
      }
    }
  }
}
