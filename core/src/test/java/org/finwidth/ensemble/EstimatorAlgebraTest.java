package org.finwidth.ensemble;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import org.finwidth.activation.Activation;
import org.finwidth.network.NetworkSpec;
import org.finwidth.network.ReferenceConditionalSampler;
import org.finwidth.network.Sampler;
import org.finwidth.stats.LayerEstimates;
import org.finwidth.stats.ObservableLayout;
import org.junit.jupiter.api.Test;

/**
 * The estimators against brute force on the same networks: every per-network quantity recomputed
 * from the raw preactivations with the textbook formulas (explicit sums over the n(n−1) ordered
 * distinct neuron pairs, U-statistics written out), and the delta-method standard errors against
 * the delete-one jackknife. Not statistical: the same data on both sides.
 */
class EstimatorAlgebraTest {
  /** Same data, different but well-conditioned floating-point paths: agreement to ~1e-13. */
  private static final double ALGEBRA_REL_TOL = 1e-10;
  /** Delta method vs jackknife: equal to O(1/N) relative (N = 3000 here), so a few per cent at most. */
  private static final double SE_REL_TOL = 0.05;

  /** Per network and layer: A_p, P_r (distinct-pair average), Q_r, Ĝ_p. */
  private record Net(double[][] a, double[][] pairs, double[][] quad, double[][] metric) {
  }

  private static List<Net> record(NetworkSpec spec, long seed, long networks) {
    ObservableLayout lay = ObservableLayout.forInputs(spec.inputCount());
    int depth = spec.depth();
    int d = spec.inputCount();
    List<Net> out = new ArrayList<>();
    Sampler s = new ReferenceConditionalSampler(spec);
    for (long k = 0; k < networks; k++) {
      Net net = new Net(new double[depth][lay.pairs()], new double[depth][lay.pairPairs()],
          new double[depth][lay.pairPairs()], new double[depth][lay.pairs()]);
      int status = s.sample(seed, k, (l, z, n, metric) -> {
        for (int p = 0; p < lay.pairs(); p++) {
          int a = lay.index().first(p);
          int b = lay.index().second(p);
          double sum = 0;
          for (int i = 0; i < n; i++) {
            sum += (double) z[a][i] * z[b][i];
          }
          net.a()[l - 1][p] = sum / n;
          net.metric()[l - 1][p] = metric[a * d + b];
        }
        for (int r = 0; r < lay.pairPairs(); r++) {
          int p = lay.index().pairPairFirst(r);
          int q = lay.index().pairPairSecond(r);
          int a = lay.index().first(p);
          int b = lay.index().second(p);
          int c = lay.index().first(q);
          int e = lay.index().second(q);
          double distinct = 0;
          double same = 0;
          for (int i = 0; i < n; i++) {
            same += (double) z[a][i] * z[b][i] * z[c][i] * z[e][i];
            for (int j = 0; j < n; j++) {
              if (i != j) {
                distinct += (double) z[a][i] * z[b][i] * z[c][j] * z[e][j];
              }
            }
          }
          net.pairs()[l - 1][r] = distinct / ((double) n * (n - 1));
          net.quad()[l - 1][r] = same / n;
        }
      });
      if (status == 0) {
        out.add(net);
      }
    }
    return out;
  }

  private static double mean(double[] x) {
    double s = 0;
    for (double v : x) {
      s += v;
    }
    return s / x.length;
  }

  /** U-statistic for E[x]E[y]: Σ_{k≠m} x_k y_m / (N(N−1)). */
  private static double productOfMeans(double[] x, double[] y) {
    double sx = 0;
    double sy = 0;
    double sxy = 0;
    for (int k = 0; k < x.length; k++) {
      sx += x[k];
      sy += y[k];
      sxy += x[k] * y[k];
    }
    int n = x.length;
    return (sx * sy - sxy) / ((double) n * (n - 1));
  }

  private static double[] column(List<Net> nets, int skip, java.util.function.ToDoubleFunction<Net> f) {
    double[] x = new double[skip < 0 ? nets.size() : nets.size() - 1];
    int i = 0;
    for (int k = 0; k < nets.size(); k++) {
      if (k != skip) {
        x[i++] = f.applyAsDouble(nets.get(k));
      }
    }
    return x;
  }

  private static void assertRel(double want, double got, double tol, String what) {
    assertEquals(want, got, tol * Math.abs(want), what);
  }

  @Test
  void twoInputEstimatorsMatchBruteForce() {
    matchBruteForce(NetworkSpec.ofGram(Activation.parse("tanh"), 0.2, 1.5, 3, new int[] {6, 5, 7},
        new double[][] {{1.0, 0.6}, {0.6, 1.5}}));
  }

  @Test
  void singleInputEstimatorsMatchBruteForce() {
    // the sink's single-input code path (no index tables), odd and even widths
    matchBruteForce(NetworkSpec.ofGram(Activation.parse("relu"), 0.1, 2, 2, new int[] {5, 8, 3},
        new double[][] {{0.7}}));
  }

  @Test
  void threeInputEstimatorsMatchBruteForce() {
    matchBruteForce(NetworkSpec.ofInputs(Activation.parse("gelu"), 0.05, 1.7, new int[] {4, 6},
        new double[][] {{1.0, 0.0, 0.5}, {0.2, 1.0, -0.3}, {-0.7, 0.4, 0.9}}));
  }

  private static void matchBruteForce(NetworkSpec spec) {
    long networks = 400;
    int d = spec.inputCount();
    EnsembleResult result = new EnsembleRunner(spec, TestSamplers.REFERENCE_CONDITIONAL, 99, networks).run();
    List<Net> nets = record(spec, 99, networks);
    ObservableLayout lay = ObservableLayout.forInputs(d);
    for (int l = 1; l <= spec.depth(); l++) {
      final int li = l - 1;
      LayerEstimates e = result.estimates(l);
      int fanIn = spec.width(l - 1);
      for (int p = 0; p < lay.pairs(); p++) {
        final int pi = p;
        double[] a = column(nets, -1, n -> n.a()[li][pi]);
        double[] g = column(nets, -1, n -> n.metric()[li][pi]);
        assertRel(mean(a), e.g(lay.index().first(p), lay.index().second(p)).mean(), ALGEBRA_REL_TOL, "G layer " + l);
        assertRel(mean(g), e.gMetric(lay.index().first(p), lay.index().second(p)).mean(), ALGEBRA_REL_TOL, "Gmetric layer " + l);
      }
      for (int r = 0; r < lay.pairPairs(); r++) {
        final int ri = r;
        final int p = lay.index().pairPairFirst(r);
        final int q = lay.index().pairPairSecond(r);
        double[] pr = column(nets, -1, n -> n.pairs()[li][ri]);
        double[] ap = column(nets, -1, n -> n.a()[li][p]);
        double[] aq = column(nets, -1, n -> n.a()[li][q]);
        double v = fanIn * (mean(pr) - productOfMeans(ap, aq));
        assertRel(v, e.v(r).mean(), ALGEBRA_REL_TOL, "V " + lay.index().key(r) + " layer " + l);
        double[] gp = column(nets, -1, n -> n.metric()[li][p]);
        double[] gq = column(nets, -1, n -> n.metric()[li][q]);
        double[] gpq = new double[gp.length];
        for (int k = 0; k < gp.length; k++) {
          gpq[k] = gp[k] * gq[k];
        }
        if (l > 1) { // layer 1: Ĝ is deterministic and Vmetric is 0 up to rounding
          double vm = fanIn * (mean(gpq) - productOfMeans(gp, gq));
          assertRel(vm, e.vMetric(r).mean(), ALGEBRA_REL_TOL, "Vmetric " + lay.index().key(r) + " layer " + l);
        } else {
          assertEquals(0, e.vMetric(r).mean(), 1e-12);
        }
      }
      for (int a = 0; a < d; a++) {
        final int p = lay.index().pair(a, a);
        final int r = lay.index().pairPair(p, p);
        double[] aa = column(nets, -1, n -> n.a()[li][p]);
        double[] qq = column(nets, -1, n -> n.quad()[li][r]);
        double[] pp = column(nets, -1, n -> n.pairs()[li][r]);
        double u = productOfMeans(aa, aa);
        assertRel(mean(qq) / (3 * u), e.ratio4(a).mean(), ALGEBRA_REL_TOL, "ratio4 layer " + l);
        assertRel(mean(pp) / u, e.pairRatio(a).mean(), ALGEBRA_REL_TOL, "pairRatio layer " + l);
      }
    }
  }

  /** A statistic as a function of column sums over N networks. */
  private interface SumsFunction {
    double of(double[] sums, double n);
  }

  /** Delete-one jackknife standard error of a function of column sums (leave-one-out sums in O(1)). */
  private static double jackknife(double[][] columns, SumsFunction f) {
    int m = columns.length;
    int n = columns[0].length;
    double[] total = new double[m];
    for (int j = 0; j < m; j++) {
      for (double v : columns[j]) {
        total[j] += v;
      }
    }
    double[] t = new double[n];
    double[] loo = new double[m];
    for (int k = 0; k < n; k++) {
      for (int j = 0; j < m; j++) {
        loo[j] = total[j] - columns[j][k];
      }
      t[k] = f.of(loo, n - 1);
    }
    double mt = mean(t);
    double ss = 0;
    for (double v : t) {
      ss += (v - mt) * (v - mt);
    }
    return Math.sqrt((n - 1.0) / n * ss);
  }

  private static double[] times(double[] x, double[] y) {
    double[] z = new double[x.length];
    for (int k = 0; k < x.length; k++) {
      z[k] = x[k] * y[k];
    }
    return z;
  }

  /** U-statistic of E[x]E[y] from the sums of x, y and xy. */
  private static double productOfMeans(double sx, double sy, double sxy, double n) {
    return (sx * sy - sxy) / (n * (n - 1));
  }

  @Test
  void deltaMethodStandardErrorsMatchTheJackknife() {
    NetworkSpec spec = NetworkSpec.ofGram(Activation.parse("relu"), 0.1, 2.0, 2, new int[] {5, 4, 6},
        new double[][] {{1.0, 0.3}, {0.3, 0.8}});
    long networks = 3000;
    EnsembleResult result = new EnsembleRunner(spec, TestSamplers.REFERENCE_CONDITIONAL, 5, networks).run();
    List<Net> nets = record(spec, 5, networks);
    ObservableLayout lay = ObservableLayout.forInputs(2);
    int l = 3;
    int li = l - 1;
    LayerEstimates e = result.estimates(l);
    int fanIn = spec.width(l - 1);
    for (int r = 0; r < lay.pairPairs(); r++) {
      final int ri = r;
      final int p = lay.index().pairPairFirst(r);
      final int q = lay.index().pairPairSecond(r);
      double[] pr = column(nets, -1, n -> n.pairs()[li][ri]);
      double[] ap = column(nets, -1, n -> n.a()[li][p]);
      double[] aq = column(nets, -1, n -> n.a()[li][q]);
      double seV = jackknife(new double[][] {pr, ap, aq, times(ap, aq)},
          (s, n) -> fanIn * (s[0] / n - productOfMeans(s[1], s[2], s[3], n)));
      assertRel(seV, e.v(r).standardError(), SE_REL_TOL, "SE of V " + lay.index().key(r));
      double[] gp = column(nets, -1, n -> n.metric()[li][p]);
      double[] gq = column(nets, -1, n -> n.metric()[li][q]);
      double seVm = jackknife(new double[][] {gp, gq, times(gp, gq)},
          (s, n) -> fanIn * (s[2] / n - productOfMeans(s[0], s[1], s[2], n)));
      assertRel(seVm, e.vMetric(r).standardError(), SE_REL_TOL, "SE of Vmetric " + lay.index().key(r));
    }
    for (int a = 0; a < 2; a++) {
      final int p = lay.index().pair(a, a);
      final int r = lay.index().pairPair(p, p);
      double[] aa = column(nets, -1, n -> n.a()[li][p]);
      double[] qq = column(nets, -1, n -> n.quad()[li][r]);
      double[] pp = column(nets, -1, n -> n.pairs()[li][r]);
      double[] a2 = times(aa, aa);
      double se4 = jackknife(new double[][] {qq, aa, a2},
          (s, n) -> s[0] / n / (3 * productOfMeans(s[1], s[1], s[2], n)));
      assertRel(se4, e.ratio4(a).standardError(), SE_REL_TOL, "SE of ratio4");
      double sePair = jackknife(new double[][] {pp, aa, a2},
          (s, n) -> s[0] / n / productOfMeans(s[1], s[1], s[2], n));
      assertRel(sePair, e.pairRatio(a).standardError(), SE_REL_TOL, "SE of pairRatio");
      double seG = jackknife(new double[][] {aa}, (s, n) -> s[0] / n);
      assertRel(seG, e.g(a, a).standardError(), 1e-9, "SE of G (exactly the jackknife for a mean)");
    }
  }
}
