package org.finwidth.theory;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.finwidth.activation.Activation;
import org.finwidth.gauss.GaussianExpectation;
import org.finwidth.network.LearningRates;
import org.finwidth.network.NetworkSpec;

/**
 * The neural tangent kernel of a random MLP at finite width, layer by layer, at leading order in
 * 1/n (docs/theory.md §11): the mean H and its 1/n correction H1, the NTK–preactivation
 * correlations D, F and the NTK fluctuations A, B ({@link NtkLayer} defines them), for one input or
 * two, any widths, and per-layer learning rates λ_b^(ℓ), λ_W^(ℓ).
 *
 * <p><b>Recursions</b> (docs/theory.md §11.2–§11.4; step ℓ → ℓ+1 with λ_b, λ_W of layer ℓ+1, all
 * averages at K = K^(ℓ) ({@link NtkBrackets}), r = n_ℓ/n_{ℓ−1}, repeated indices c, e, f, g summed
 * over the inputs, K, K1, V of the preactivation theory ({@link Prediction}):
 * <pre>
 *   H^(1)_ab = λ_b + λ_W (1/n_0) x_a·x_b,   H1^(1) = D^(1) = F^(1) = A^(1) = B^(1) = 0
 *   H'_12 = λ_b + λ_W⟨σ1σ2⟩ + C_W⟨σ'1σ'2⟩ H_12
 *   P_{(12),(ce)} = λ_W⟨∂_c∂_e(σ1σ2)⟩ + C_W H_12 ⟨∂_c∂_e(σ'1σ'2)⟩
 *   D'_1234 = C_W λ_W[⟨σ1σ2σ3σ4⟩ − ⟨σ1σ2⟩⟨σ3σ4⟩] + C_W² H_12[⟨σ'1σ'2σ3σ4⟩ − ⟨σ'1σ'2⟩⟨σ3σ4⟩]
 *           + r[(C_W/4) V_{(ce)(fg)} P_{(12),(ce)} ⟨∂_f∂_g(σ3σ4)⟩ + (C_W²/2)⟨σ'1σ'2⟩ D_{12ce}⟨∂_c∂_e(σ3σ4)⟩]
 *   F'_1324 = C_W² H_12 ⟨σ'1σ3σ'2σ4⟩ + r C_W² F_{1c2e} ⟨∂_c(σ'1σ3)⟩⟨∂_e(σ'2σ4)⟩
 *   A'_1234 = λ_W²[⟨σ1σ2σ3σ4⟩ − ⟨σ1σ2⟩⟨σ3σ4⟩]
 *           + λ_W C_W{H_34[⟨σ1σ2σ'3σ'4⟩ − ⟨σ1σ2⟩⟨σ'3σ'4⟩] + H_12[⟨σ'1σ'2σ3σ4⟩ − ⟨σ'1σ'2⟩⟨σ3σ4⟩]}
 *           + C_W² H_12 H_34[⟨σ'1σ'2σ'3σ'4⟩ − ⟨σ'1σ'2⟩⟨σ'3σ'4⟩]
 *           + r{¼ V_{(ce)(fg)} P_{(12),(ce)} P_{(34),(fg)} + (C_W/2)[⟨σ'3σ'4⟩ D_{34ce} P_{(12),(ce)}
 *               + ⟨σ'1σ'2⟩ D_{12ce} P_{(34),(ce)}] + C_W² ⟨σ'1σ'2⟩⟨σ'3σ'4⟩ A_1234}
 *   B'_1324 = C_W² H_12 H_34 ⟨σ'1σ'2σ'3σ'4⟩ + r C_W² ⟨σ'1σ'3⟩⟨σ'2σ'4⟩ B_1324
 *   H1'_12 = r{λ_W[½ K1_ce⟨∂_c∂_e(σ1σ2)⟩ + ⅛ V_{(ce)(fg)}⟨∂_c∂_e∂_f∂_g(σ1σ2)⟩]
 *           + C_W H_12[½ K1_ce⟨∂_c∂_e(σ'1σ'2)⟩ + ⅛ V_{(ce)(fg)}⟨∂_c∂_e∂_f∂_g(σ'1σ'2)⟩]
 *           + C_W⟨σ'1σ'2⟩ H1_12 + (C_W/2)[D_{12ce} + F_{1c2e} + F_{1e2c}]⟨∂_c∂_e(σ'1σ'2)⟩}
 * </pre>
 * (1..4 stand for a1..a4; σ' appears explicitly and its derivatives are taken derivative-free, so
 * the recursions hold for ReLU.) Layer 2 is exact at any width (docs/theory.md §11.1): its D, F, A, B
 * are the source terms alone and H1^(2) = 0.
 *
 * <p><b>Limits.</b> As {@link Prediction}: two identical inputs are computed as one and replicated;
 * otherwise the derivative brackets need det K^(ℓ) &gt; 0, and the prediction stops where the
 * preactivation prediction stops (or where an average overflows or the quadrature fails) with a
 * {@link Prediction.Breakdown} naming the layer.
 */
public final class NtkPrediction {
  private final Prediction prediction;
  private final LearningRates rates;
  private final List<NtkLayer> layers;
  private final Prediction.Breakdown breakdown;

  private NtkPrediction(Prediction prediction, LearningRates rates, List<NtkLayer> layers,
      Prediction.Breakdown breakdown) {
    this.prediction = prediction;
    this.rates = rates;
    this.layers = List.copyOf(layers);
    this.breakdown = breakdown;
  }

  /**
   * The NTK prediction of a network (computes its preactivation {@link Prediction} too).
   *
   * @throws IllegalArgumentException if the network has more than two inputs or the rates are
   *     for another depth
   */
  public static NtkPrediction of(NetworkSpec spec, LearningRates rates) {
    return of(Prediction.of(spec), rates);
  }

  /**
   * The NTK prediction on top of a preactivation prediction (its K, K1, V per layer).
   *
   * @throws IllegalArgumentException if the rates are for another depth or there are more than
   *     two inputs
   */
  public static NtkPrediction of(Prediction prediction, LearningRates rates) {
    Objects.requireNonNull(prediction, "prediction");
    Objects.requireNonNull(rates, "rates");
    NetworkSpec spec = prediction.spec();
    if (rates.depth() != spec.depth()) {
      throw new IllegalArgumentException("the learning rates are given for " + rates.depth()
          + " layers, the network has " + spec.depth());
    }
    int d = spec.inputCount();
    if (d > 2) {
      throw new IllegalArgumentException("the NTK theory supports 1 or 2 inputs, got d=" + d);
    }
    double[][] gram = spec.gram();
    boolean twin = d == 2 && gram[0][0] == gram[1][1] && gram[0][0] == gram[0][1];
    Recursion r = new Recursion(prediction, rates, twin ? 1 : d);
    r.run();
    List<NtkLayer> layers = r.layers;
    if (twin) {
      List<NtkLayer> replicated = new ArrayList<>();
      for (NtkLayer l : layers) {
        replicated.add(replicate(l, 2));
      }
      layers = replicated;
    }
    Prediction.Breakdown b = r.breakdown;
    if (b == null && prediction.breakdown().isPresent()) {
      b = prediction.breakdown().get();
    }
    return new NtkPrediction(prediction, rates, layers, b);
  }

  /**
   * The mean NTK H^(1..L) of one input alone (docs/theory.md §11.2): H^(1) = λ_b + λ_W (K^(1) −
   * C_b)/C_W and H' = λ_b + λ_W⟨σ²⟩_K + χ_⊥(K) H along the kernel recursion, with constant rates;
   * cheap enough for thousands of layers (no fluctuations).
   *
   * @param k1 K^(1) ≥ C_b
   * @return H^(ℓ) at index ℓ − 1
   * @throws IllegalArgumentException for a bad parameter
   * @throws IllegalStateException naming the layer where an average fails or overflows
   */
  public static double[] meanSingle(Activation sigma, double cb, double cw, double k1, double lambdaB,
      double lambdaW, int depth) {
    KernelRecursion.check(sigma, cb, cw, depth);
    if (!(k1 >= cb) || Double.isInfinite(k1)) {
      throw new IllegalArgumentException("K^(1) must be a finite number >= C_b, got " + k1);
    }
    LearningRates.constant(lambdaB, lambdaW, 1); // checks the rates
    Averages averages = new Averages(sigma);
    double[] h = new double[depth];
    double k = k1;
    h[0] = lambdaB + lambdaW * (k1 - cb) / cw;
    for (int l = 1; l < depth; l++) {
      Averages.Single a;
      try {
        a = averages.single(k);
      } catch (IllegalStateException e) {
        throw new IllegalStateException("NTK mean recursion fails at layer " + (l + 1) + ": " + e.getMessage(), e);
      }
      h[l] = lambdaB + lambdaW * a.sigma2() + cw * a.chiPerp() * h[l - 1];
      k = cb + cw * a.sigma2();
      if (!Double.isFinite(h[l]) || !Double.isFinite(k)) {
        throw new IllegalStateException("NTK mean recursion overflows at layer " + (l + 1));
      }
    }
    return h;
  }

  private static NtkLayer replicate(NtkLayer l, int d) {
    double[][] h = new double[d][d];
    double[][] h1 = new double[d][d];
    double[][][][] dd = new double[d][d][d][d];
    double[][][][] f = new double[d][d][d][d];
    double[][][][] a = new double[d][d][d][d];
    double[][][][] b = new double[d][d][d][d];
    for (int i = 0; i < d; i++) {
      for (int j = 0; j < d; j++) {
        h[i][j] = l.h(0, 0);
        h1[i][j] = l.h1(0, 0);
        for (int k = 0; k < d; k++) {
          for (int m = 0; m < d; m++) {
            dd[i][j][k][m] = l.d(0, 0, 0, 0);
            f[i][j][k][m] = l.f(0, 0, 0, 0);
            a[i][j][k][m] = l.a(0, 0, 0, 0);
            b[i][j][k][m] = l.b(0, 0, 0, 0);
          }
        }
      }
    }
    return new NtkLayer(l.layer(), l.fanIn(), h, h1, dd, f, a, b);
  }

  /** The preactivation prediction underneath (K, K1, V, χ). */
  public Prediction prediction() {
    return prediction;
  }

  /** The network. */
  public NetworkSpec spec() {
    return prediction.spec();
  }

  /** The learning rates. */
  public LearningRates rates() {
    return rates;
  }

  /** The predicted layers 1..m in order (m = depth unless there is a {@link #breakdown()}). */
  public List<NtkLayer> layers() {
    return layers;
  }

  /**
   * Layer ℓ.
   *
   * @throws IndexOutOfBoundsException if ℓ is not a predicted layer
   */
  public NtkLayer layer(int l) {
    if (l < 1 || l > layers.size()) {
      throw new IndexOutOfBoundsException("layer " + l + " not in 1.." + layers.size()
          + (breakdown == null ? "" : " (" + breakdown.reason() + ")"));
    }
    return layers.get(l - 1);
  }

  /** Where and why the prediction stopped early; empty if every layer was predicted. */
  public Optional<Prediction.Breakdown> breakdown() {
    return Optional.ofNullable(breakdown);
  }

  /** True if every layer was predicted. */
  public boolean isComplete() {
    return breakdown == null;
  }

  /** The recursion over the layers the preactivation prediction covers. */
  private static final class Recursion {
    final Prediction prediction;
    final NetworkSpec spec;
    final LearningRates rates;
    final Activation sigma;
    final double cw;
    final int d;
    final GaussianExpectation g = new GaussianExpectation();
    final List<NtkLayer> layers = new ArrayList<>();
    Prediction.Breakdown breakdown;

    Recursion(Prediction prediction, LearningRates rates, int d) {
      this.prediction = prediction;
      this.spec = prediction.spec();
      this.rates = rates;
      this.sigma = spec.activation();
      this.cw = spec.cw();
      this.d = d;
    }

    void run() {
      int available = prediction.layers().size();
      double[][] gram = spec.gram();
      double[][] h = new double[d][d];
      for (int a = 0; a < d; a++) {
        for (int b = 0; b < d; b++) {
          h[a][b] = rates.bias(1) + rates.weight(1) * gram[a][b];
        }
      }
      double[][] h1 = new double[d][d];
      double[][][][] dd = new double[d][d][d][d];
      double[][][][] f = new double[d][d][d][d];
      double[][][][] a4 = new double[d][d][d][d];
      double[][][][] b4 = new double[d][d][d][d];
      for (int l = 1; l <= available; l++) {
        layers.add(new NtkLayer(l, spec.width(l - 1), h, h1, dd, f, a4, b4));
        if (l == spec.depth() || l == available) {
          return;
        }
        LayerPrediction lp = prediction.layer(l);
        double[][] k = sub(lp.kernel());
        NtkBrackets br;
        try {
          br = NtkBrackets.compute(sigma, g, k, l == 1 ? NtkBrackets.Level.SOURCES : NtkBrackets.Level.FULL);
        } catch (IllegalArgumentException | IllegalStateException e) {
          breakdown = new Prediction.Breakdown(l + 1, "layer " + (l + 1) + ": NTK recursion: " + e.getMessage());
          return;
        }
        double lb = rates.bias(l + 1);
        double lw = rates.weight(l + 1);
        double r = (double) spec.width(l) / spec.width(l - 1);
        double[][][][] v = new double[d][d][d][d];
        double[][] k1 = lp.nloKernel();
        for (int c = 0; c < d; c++) {
          for (int e = 0; e < d; e++) {
            for (int x = 0; x < d; x++) {
              for (int y = 0; y < d; y++) {
                v[c][e][x][y] = lp.vertex(c, e, x, y);
              }
            }
          }
        }
        Step s = new Step(d, br, cw, lb, lw, r, h, h1, dd, f, a4, b4, v, k1, l > 1);
        if (!s.finite()) {
          breakdown = new Prediction.Breakdown(l + 1, "layer " + (l + 1) + ": the NTK recursion overflows"
              + " the double range");
          return;
        }
        h = s.h;
        h1 = s.h1;
        dd = s.dd;
        f = s.f;
        a4 = s.a;
        b4 = s.b;
      }
    }

    private double[][] sub(double[][] k) {
      if (k.length == d) {
        return k;
      }
      return new double[][] {{k[0][0]}}; // the twin case: one of the identical inputs
    }
  }

  /** One step ℓ → ℓ+1 of the recursions (the formulas of the class comment, literally). */
  private static final class Step {
    final double[][] h;
    final double[][] h1;
    final double[][][][] dd;
    final double[][][][] f;
    final double[][][][] a;
    final double[][][][] b;

    Step(int d, NtkBrackets br, double cw, double lb, double lw, double r, double[][] hp, double[][] h1p,
        double[][][][] dp, double[][][][] fp, double[][][][] ap, double[][][][] bp, double[][][][] v,
        double[][] k1, boolean derivatives) {
      h = new double[d][d];
      h1 = new double[d][d];
      dd = new double[d][d][d][d];
      f = new double[d][d][d][d];
      a = new double[d][d][d][d];
      b = new double[d][d][d][d];
      double cw2 = cw * cw;
      // The driving vertex P and the contractions with V (zero at the first step).
      double[][][][] p = new double[d][d][d][d];
      double[][][][] vm = new double[d][d][d][d]; // Σ_fg V_(ce)(fg) ⟨∂_f∂_g(σ3σ4)⟩ at [c][e][3][4]
      double[][][][] vp = new double[d][d][d][d]; // Σ_fg V_(ce)(fg) P_(34),(fg)
      if (derivatives) {
        for (int x = 0; x < d; x++) {
          for (int y = 0; y < d; y++) {
            for (int c = 0; c < d; c++) {
              for (int e = 0; e < d; e++) {
                p[x][y][c][e] = lw * br.m2s[x][y][c][e] + cw * hp[x][y] * br.m2p[x][y][c][e];
              }
            }
          }
        }
        for (int c = 0; c < d; c++) {
          for (int e = 0; e < d; e++) {
            for (int x = 0; x < d; x++) {
              for (int y = 0; y < d; y++) {
                double sm = 0;
                double sp = 0;
                for (int ff = 0; ff < d; ff++) {
                  for (int gg = 0; gg < d; gg++) {
                    sm += v[c][e][ff][gg] * br.m2s[x][y][ff][gg];
                    sp += v[c][e][ff][gg] * p[x][y][ff][gg];
                  }
                }
                vm[c][e][x][y] = sm;
                vp[c][e][x][y] = sp;
              }
            }
          }
        }
      }
      for (int a1 = 0; a1 < d; a1++) {
        for (int a2 = 0; a2 < d; a2++) {
          h[a1][a2] = lb + lw * br.s2[a1][a2] + cw * br.p2[a1][a2] * hp[a1][a2];
          double h12 = hp[a1][a2];
          double p12 = br.p2[a1][a2];
          double s12 = br.s2[a1][a2];
          for (int a3 = 0; a3 < d; a3++) {
            for (int a4 = 0; a4 < d; a4++) {
              double h34 = hp[a3][a4];
              double p34 = br.p2[a3][a4];
              double s34 = br.s2[a3][a4];
              double s4c = br.s4[a1][a2][a3][a4] - s12 * s34;
              double ppssC = br.ppss[a1][a2][a3][a4] - p12 * s34; // ⟨σ'1σ'2σ3σ4⟩ − ⟨σ'1σ'2⟩⟨σ3σ4⟩
              double sspp = br.ppss[a3][a4][a1][a2] - s12 * p34; // ⟨σ1σ2σ'3σ'4⟩ − ⟨σ1σ2⟩⟨σ'3σ'4⟩
              double p4c = br.p4[a1][a2][a3][a4] - p12 * p34;
              // D[a1][a2][a3][a4]
              double dv = cw * lw * s4c + cw2 * h12 * ppssC;
              // A[a1][a2][a3][a4]
              double av = lw * lw * s4c + lw * cw * (h34 * sspp + h12 * ppssC) + cw2 * h12 * h34 * p4c;
              if (derivatives) {
                double pv = 0;
                double dm = 0;
                double ppv = 0;
                double dp34 = 0;
                double dp12 = 0;
                for (int c = 0; c < d; c++) {
                  for (int e = 0; e < d; e++) {
                    pv += p[a1][a2][c][e] * vm[c][e][a3][a4];
                    dm += dp[a1][a2][c][e] * br.m2s[a3][a4][c][e];
                    ppv += p[a1][a2][c][e] * vp[c][e][a3][a4];
                    dp34 += dp[a3][a4][c][e] * p[a1][a2][c][e];
                    dp12 += dp[a1][a2][c][e] * p[a3][a4][c][e];
                  }
                }
                dv += r * (cw / 4 * pv + cw2 / 2 * p12 * dm);
                av += r * (0.25 * ppv + cw / 2 * (p34 * dp34 + p12 * dp12) + cw2 * p12 * p34 * ap[a1][a2][a3][a4]);
              }
              dd[a1][a2][a3][a4] = dv;
              a[a1][a2][a3][a4] = av;
              // F[a1][a3][a2][a4] and B[a1][a3][a2][a4] (here a3, a4 are the neurons' second indices)
              double fv = cw2 * h12 * br.ppss[a1][a2][a3][a4];
              double bv = cw2 * h12 * h34 * br.p4[a1][a2][a3][a4];
              if (derivatives) {
                double t = 0;
                for (int c = 0; c < d; c++) {
                  for (int e = 0; e < d; e++) {
                    t += fp[a1][c][a2][e] * br.g1[a1][a3][c] * br.g1[a2][a4][e];
                  }
                }
                fv += r * cw2 * t;
                bv += r * cw2 * br.p2[a1][a3] * br.p2[a2][a4] * bp[a1][a3][a2][a4];
              }
              f[a1][a3][a2][a4] = fv;
              b[a1][a3][a2][a4] = bv;
            }
          }
          if (derivatives) {
            double k1s = 0;
            double k1p = 0;
            double vs = 0;
            double vpp = 0;
            double df = 0;
            for (int c = 0; c < d; c++) {
              for (int e = 0; e < d; e++) {
                k1s += k1[c][e] * br.m2s[a1][a2][c][e];
                k1p += k1[c][e] * br.m2p[a1][a2][c][e];
                df += (dp[a1][a2][c][e] + fp[a1][c][a2][e] + fp[a1][e][a2][c]) * br.m2p[a1][a2][c][e];
                for (int x = 0; x < d; x++) {
                  for (int y = 0; y < d; y++) {
                    vs += v[c][e][x][y] * br.m4s[a1][a2][c][e][x][y];
                    vpp += v[c][e][x][y] * br.m4p[a1][a2][c][e][x][y];
                  }
                }
              }
            }
            h1[a1][a2] = r * (lw * (0.5 * k1s + 0.125 * vs) + cw * h12 * (0.5 * k1p + 0.125 * vpp)
                + cw * p12 * h1p[a1][a2] + cw / 2 * df);
          }
        }
      }
    }

    boolean finite() {
      for (double[][] m : new double[][][] {h, h1}) {
        for (double[] row : m) {
          for (double x : row) {
            if (!Double.isFinite(x)) {
              return false;
            }
          }
        }
      }
      for (double[][][][] t : List.of(dd, f, a, b)) {
        for (double[][][] x : t) {
          for (double[][] y : x) {
            for (double[] z : y) {
              for (double w : z) {
                if (!Double.isFinite(w)) {
                  return false;
                }
              }
            }
          }
        }
      }
      return true;
    }
  }
}
