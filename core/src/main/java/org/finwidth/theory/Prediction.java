package org.finwidth.theory;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.finwidth.activation.Activation;
import org.finwidth.network.NetworkSpec;

/**
 * The effective-theory prediction for every layer of a {@link NetworkSpec} with one or two inputs:
 * kernel, NLO kernel, four-point vertex, susceptibilities, and exact moments where the oracle
 * applies (docs/theory.md §2–§6). This is what the Monte Carlo is compared with, layer by layer.
 *
 * <p><b>Recursions</b> (docs/theory.md §5, leading order in 1/n; all averages at K = K^(ℓ), with
 * r_ℓ = n_ℓ/n_{ℓ−1}, sums over ordered input indices, ⟨∂_a∂_b f⟩ = ⟨f (y_a y_b − K^{ab})⟩ and
 * ⟨∂_a∂_b∂_c∂_d f⟩ = ⟨f H_abcd⟩ derivative-free, y = K^{-1}z, docs/theory.md §1.2):
 * <pre>
 *   K^(1) = C_b + C_W·Gram,  V^(1) = 0,  K1^(1) = 0
 *   K^(ℓ+1)_{α1α2} = C_b + C_W ⟨σ_{α1}σ_{α2}⟩                     (§2; PDLT (4.8), (4.37), (4.41))
 *   V^(ℓ+1)_{(α1α2)(α3α4)} = C_W² [⟨σ_{α1}σ_{α2}σ_{α3}σ_{α4}⟩ − ⟨σ_{α1}σ_{α2}⟩⟨σ_{α3}σ_{α4}⟩]
 *       + (C_W²/4) r_ℓ Σ V^(ℓ)_{(ab)(cd)} ⟨∂_a∂_b(σ_{α1}σ_{α2})⟩ ⟨∂_c∂_d(σ_{α3}σ_{α4})⟩   (§5.1)
 *   K1^(ℓ+1)_{α1α2} = r_ℓ C_W [ ½ Σ K1^(ℓ)_{ab} ⟨∂_a∂_b(σ_{α1}σ_{α2})⟩
 *       + ⅛ Σ V^(ℓ)_{(ab)(cd)} ⟨∂_a∂_b∂_c∂_d(σ_{α1}σ_{α2})⟩ ]                          (§5.3)
 * </pre>
 * Single input: V' = C_W²(⟨σ⁴⟩ − ⟨σ²⟩²) + χ_∥² r V and K1' = r[χ_∥ K1 + (C_W/8)⟨(σ²)''''⟩ V].
 * For two inputs the diagonal blocks use the single-input averages and the exact zeros
 * ⟨∂_0∂_1(σ_0²)⟩ = 0; the mixed averages come from one vector-valued two-dimensional quadrature
 * per layer (12 components, {@link Averages}).
 *
 * <p><b>Limits.</b> Two identical inputs are computed as one input and replicated (exactly).
 * Otherwise the two-input vertex and NLO kernel need det K^(ℓ) &gt; 0: the derivative-free
 * fourth-derivative terms carry y⁴ ~ (1 − ρ²)^{-2} with 1 − ρ² = det K/(K_00 K_11), and their
 * relative error grows like 1e-13/(1 − ρ²)² (measured against the ReLU closed forms
 * ⟨σ_0''σ_1''⟩ = 1/(2π√det K) and the symmetry of tanh: 1e-11 at 1 − ρ² = 1e-3, 2e-8 at 1e-4,
 * 2e-6 at 1e-5, 3e-2 at 1e-6). Where 1 − ρ² falls below {@value #MIN_DECORRELATION} at a layer
 * with V ≠ 0 (critical ReLU: beyond depth ≈ 900, where θ_ℓ ≈ 3π/ℓ), or an input has zero variance,
 * the prediction stops there with a {@link Breakdown}. Overflow (e.g. RePU, whose kernel grows like K^{p^ℓ}) and quadrature failure
 * also stop it, naming the layer, instead of producing NaN or Infinity.
 */
public final class Prediction {
  /**
   * Largest {@link ExactMoments#cost} at which exact moments are attached automatically (about
   * 0.5 s; {@link ExactMoments#compute} itself accepts up to {@link ExactMoments#MAX_COST}).
   */
  public static final long EXACT_COST_LIMIT = 1_000_000;

  /** Smallest 1 − ρ² of a two-input kernel at which V and K1 are propagated. */
  public static final double MIN_DECORRELATION = 1e-4;

  /**
   * Why the prediction stops before the last layer.
   *
   * @param layer the first layer that could not be predicted
   * @param reason one line
   */
  public record Breakdown(int layer, String reason) {}

  private final NetworkSpec spec;
  private final List<LayerPrediction> layers;
  private final Breakdown breakdown;

  private Prediction(NetworkSpec spec, List<LayerPrediction> layers, Breakdown breakdown) {
    this.spec = spec;
    this.layers = List.copyOf(layers);
    this.breakdown = breakdown;
  }

  /**
   * Computes the prediction for every layer of the network (or up to a {@link Breakdown}).
   * Exact moments are attached for one input and a positively homogeneous σ of integer degree
   * when {@link ExactMoments#cost} is within {@link #EXACT_COST_LIMIT}.
   *
   * @throws IllegalArgumentException if the network has more than two inputs
   */
  public static Prediction of(NetworkSpec spec) {
    Objects.requireNonNull(spec, "spec");
    int d = spec.inputCount();
    if (d > 2) {
      throw new IllegalArgumentException("the theory supports 1 or 2 inputs, got d=" + d);
    }
    Builder b = new Builder(spec);
    double[][] gram = spec.gram();
    if (d == 1) {
      b.single(false);
    } else if (gram[0][0] == gram[1][1] && gram[0][0] == gram[0][1]) {
      b.single(true);
    } else {
      b.pair();
    }
    List<LayerPrediction> layers = b.layers;
    if (d == 1 && ExactMoments.supports(spec.activation())
        && ExactMoments.cost(spec.activation(), spec.widths()) <= EXACT_COST_LIMIT) {
      List<ExactMoments.LayerMoments> exact = ExactMoments.compute(spec);
      List<LayerPrediction> with = new ArrayList<>(layers.size());
      for (LayerPrediction lp : layers) {
        with.add(lp.withExact(exact.get(lp.layer() - 1)));
      }
      layers = with;
    }
    return new Prediction(spec, layers, b.breakdown);
  }

  /** The network. */
  public NetworkSpec spec() {
    return spec;
  }

  /** The predicted layers 1..m in order (m = depth unless there is a {@link #breakdown()}). */
  public List<LayerPrediction> layers() {
    return layers;
  }

  /**
   * Layer ℓ.
   *
   * @throws IndexOutOfBoundsException if ℓ is not a predicted layer
   */
  public LayerPrediction layer(int l) {
    if (l < 1 || l > layers.size()) {
      throw new IndexOutOfBoundsException("layer " + l + " not in 1.." + layers.size()
          + (breakdown == null ? "" : " (" + breakdown.reason() + ")"));
    }
    return layers.get(l - 1);
  }

  /** Where and why the prediction stopped early; empty if every layer was predicted. */
  public Optional<Breakdown> breakdown() {
    return Optional.ofNullable(breakdown);
  }

  /** True if every layer was predicted. */
  public boolean isComplete() {
    return breakdown == null;
  }

  /** The recursion state machine. */
  private static final class Builder {
    final NetworkSpec spec;
    final Activation sigma;
    final double cb;
    final double cw;
    final Averages averages;
    final List<LayerPrediction> layers = new ArrayList<>();
    Breakdown breakdown;

    Builder(NetworkSpec spec) {
      this.spec = spec;
      this.sigma = spec.activation();
      this.cb = spec.cb();
      this.cw = spec.cw();
      this.averages = new Averages(sigma);
    }

    /** One input (replicated to two identical inputs when {@code twin}). */
    void single(boolean twin) {
      int depth = spec.depth();
      double k = spec.kernel1()[0][0];
      double v = 0;
      double k1 = 0;
      for (int l = 1; l <= depth; l++) {
        Averages.Single a;
        try {
          a = averages.single(k);
        } catch (IllegalStateException e) {
          breakdown = new Breakdown(l, "layer " + l + ": " + e.getMessage());
          return;
        }
        double chiPar = cw * a.chiParallel();
        double chiPerp = cw * a.chiPerp();
        int d = twin ? 2 : 1;
        double[][] kk = new double[d][d];
        double[][] kk1 = new double[d][d];
        for (double[] row : kk) {
          java.util.Arrays.fill(row, k);
        }
        for (double[] row : kk1) {
          java.util.Arrays.fill(row, k1);
        }
        int pairs = org.finwidth.vector.PairIndex.pairCount(d);
        double[][] vv = new double[pairs][pairs];
        for (double[] row : vv) {
          java.util.Arrays.fill(row, v);
        }
        double[] chiParArray = new double[d];
        double[] chiPerpArray = new double[d];
        java.util.Arrays.fill(chiParArray, chiPar);
        java.util.Arrays.fill(chiPerpArray, chiPerp);
        layers.add(new LayerPrediction(l, spec.width(l - 1), kk, kk1, new FourPointVertex(d, vv),
            chiParArray, chiPerpArray, null));
        if (l == depth) {
          return;
        }
        double ratio = (double) spec.width(l) / spec.width(l - 1);
        double kNext = cb + cw * a.sigma2();
        double vNext = cw * cw * (a.sigma4() - a.sigma2() * a.sigma2()) + chiPar * chiPar * ratio * v;
        double k1Next = v == 0 ? ratio * chiPar * k1
            : ratio * (chiPar * k1 + cw / 8 * a.k1Source() * v);
        if (!(Double.isFinite(kNext) && Double.isFinite(vNext) && Double.isFinite(k1Next))) {
          String which = (Double.isFinite(kNext) ? "" : "K ") + (Double.isFinite(vNext) ? "" : "V ")
              + (Double.isFinite(k1Next) ? "" : "K1 ");
          breakdown = new Breakdown(l + 1, "layer " + (l + 1) + ": the recursion overflows the"
              + " double range (" + which.strip().replace(" ", ", ") + " beyond " + Double.MAX_VALUE
              + ", from K^(" + l + ") = " + k + ")");
          return;
        }
        k = kNext;
        v = vNext;
        k1 = k1Next;
      }
    }

    /** Multiplicity of the unordered pair u (00, 01, 11) in a sum over ordered index pairs. */
    private static final int[] MULT = {1, 2, 1};
    /** Number of indices equal to 1 in the unordered pair u. */
    private static final int[] ONES = {0, 1, 2};

    /** Two distinct inputs. */
    void pair() {
      int depth = spec.depth();
      double[][] k = spec.kernel1();
      double[][] v = new double[3][3];
      double[] k1 = new double[3]; // over unordered pairs 00, 01, 11
      boolean vertexZero = true;
      for (int l = 1; l <= depth; l++) {
        Averages.Single a0;
        Averages.Single a1;
        double[] m;
        try {
          a0 = averages.single(k[0][0]);
          a1 = averages.single(k[1][1]);
          layers.add(new LayerPrediction(l, spec.width(l - 1), k,
              new double[][] {{k1[0], k1[1]}, {k1[1], k1[2]}}, new FourPointVertex(2, v),
              new double[] {cw * a0.chiParallel(), cw * a1.chiParallel()},
              new double[] {cw * a0.chiPerp(), cw * a1.chiPerp()}, null));
          if (l == depth) {
            return;
          }
          int mode = Averages.SOURCES;
          if (!vertexZero) {
            if (!(k[0][0] > 0 && k[1][1] > 0)) {
              breakdown = new Breakdown(l + 1, "layer " + (l + 1) + ": input " + (k[0][0] > 0 ? 2 : 1)
                  + " has zero variance at layer " + l + " (a constant preactivation): the"
                  + " two-input V and K1 recursion needs K^-1 (docs/theory.md §1.2); use one input");
              return;
            }
            double det = Averages.determinant(k[0][0], k[0][1], k[1][1]);
            double decorrelation = det / (k[0][0] * k[1][1]);
            if (!(decorrelation >= MIN_DECORRELATION)) {
              breakdown = new Breakdown(l + 1, "layer " + (l + 1) + ": the two inputs are (nearly)"
                  + " collinear at layer " + l + " (1 - rho^2 = " + decorrelation + " < "
                  + MIN_DECORRELATION + "): the two-input V and K1 recursion needs K^-1"
                  + " (docs/theory.md §1.2); use one input or less correlated inputs");
              return;
            }
            mode = Averages.FULL;
          }
          m = averages.pair(k[0][0], k[0][1], k[1][1], mode);
        } catch (IllegalStateException e) {
          int at = layers.size() == l ? l + 1 : l;
          breakdown = new Breakdown(at, "layer " + at + ": " + e.getMessage());
          return;
        }
        double ratio = (double) spec.width(l) / spec.width(l - 1);
        // ⟨σ_P⟩ and ⟨σ_P σ_Q⟩ over unordered pairs P, Q ∈ {00, 01, 11}.
        double[] e1 = {a0.sigma2(), m[Averages.SS], a1.sigma2()};
        double[][] e2 = {
          {a0.sigma4(), m[Averages.S3S1], m[Averages.S2S2]},
          {m[Averages.S3S1], m[Averages.S2S2], m[Averages.S1S3]},
          {m[Averages.S2S2], m[Averages.S1S3], a1.sigma4()},
        };
        double[][] vNext = new double[3][3];
        double[] k1Next = new double[3];
        for (int p = 0; p < 3; p++) {
          for (int q = p; q < 3; q++) {
            vNext[p][q] = vNext[q][p] = cw * cw * (e2[p][q] - e1[p] * e1[q]);
          }
        }
        if (!vertexZero) {
          // ⟨∂_a∂_b σ_P⟩ by unordered (ab) and ⟨∂^4 σ_P⟩ by the number of indices equal to 1.
          double[][] d2 = {
            {2 * a0.chiParallel(), 0, 0},
            {m[Averages.D2], m[Averages.D2 + 1], m[Averages.D2 + 2]},
            {0, 0, 2 * a1.chiParallel()},
          };
          double[][] d4 = {
            {a0.k1Source(), 0, 0, 0, 0},
            {m[Averages.D4], m[Averages.D4 + 1], m[Averages.D4 + 2], m[Averages.D4 + 3], m[Averages.D4 + 4]},
            {0, 0, 0, 0, a1.k1Source()},
          };
          for (int p = 0; p < 3; p++) {
            double quartic = 0;
            double quadratic = 0;
            for (int u = 0; u < 3; u++) {
              quadratic += MULT[u] * k1[u] * d2[p][u];
              for (int w = 0; w < 3; w++) {
                quartic += MULT[u] * MULT[w] * v[u][w] * d4[p][ONES[u] + ONES[w]];
              }
            }
            k1Next[p] = ratio * cw * (0.5 * quadratic + 0.125 * quartic);
            for (int q = p; q < 3; q++) {
              double s = 0;
              for (int u = 0; u < 3; u++) {
                for (int w = 0; w < 3; w++) {
                  s += MULT[u] * MULT[w] * v[u][w] * d2[p][u] * d2[q][w];
                }
              }
              vNext[p][q] += cw * cw / 4 * ratio * s;
              vNext[q][p] = vNext[p][q];
            }
          }
        }
        double[][] kNext = {
          {cb + cw * a0.sigma2(), cb + cw * m[Averages.SS]},
          {cb + cw * m[Averages.SS], cb + cw * a1.sigma2()},
        };
        if (!finite(kNext) || !finite(vNext) || !finite(new double[][] {k1Next})) {
          breakdown = new Breakdown(l + 1, "layer " + (l + 1) + ": the recursion overflows the"
              + " double range (from K^(" + l + ") = " + java.util.Arrays.deepToString(k) + ")");
          return;
        }
        k = kNext;
        v = vNext;
        k1 = k1Next;
        vertexZero = false;
      }
    }

    private static boolean finite(double[][] m) {
      for (double[] row : m) {
        for (double x : row) {
          if (!Double.isFinite(x)) {
            return false;
          }
        }
      }
      return true;
    }
  }
}
