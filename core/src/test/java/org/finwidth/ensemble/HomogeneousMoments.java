package org.finwidth.ensemble;

import org.finwidth.activation.Activation;
import org.finwidth.activation.Leaky;
import org.finwidth.activation.Linear;
import org.finwidth.activation.Relu;
import org.finwidth.network.NetworkSpec;

/**
 * Exact finite-width moments for test oracles (docs/theory.md §6.1, p = 1, single input, any C_b, any
 * widths): with X = σ(g)², g ~ N(0,1), μ_r = E[X^r] (ReLU (2r−1)!!/2, leaky (1+a^{2r})(2r−1)!!/2,
 * linear (2r−1)!!) and S = Σ_{j ≤ n_ℓ} X_j independent of Ĝ^(ℓ):
 * <pre>
 *   Ĝ^(ℓ+1) = C_b + (C_W/n_ℓ) Ĝ^(ℓ) S,  E[S] = n μ_1,  E[S²] = n μ_2 + n(n−1) μ_1²
 *   E[Ĝ'] = C_b + C_W μ_1 E[Ĝ],  E[Ĝ'²] = C_b² + 2 C_b C_W μ_1 E[Ĝ] + (C_W/n)² E[S²] E[Ĝ²]
 * </pre>
 * and, exactly (docs/theory.md §1.4): E[z²] = E[Ĝ], E[z⁴] = 3E[Ĝ²], E[z_i²z_j²] = E[Ĝ²], so
 * ratio4 = pairRatio = E[Ĝ²]/E[Ĝ]² and V^(ℓ) = n_{ℓ−1} (E[Ĝ²] − E[Ĝ]²).
 * Computed in double (a handful of additions of positive terms: relative error ~1e-15).
 */
final class HomogeneousMoments {
  final double[] mean; // E[Ĝ^(ℓ)], index ℓ-1
  final double[] second; // E[(Ĝ^(ℓ))²]
  private final NetworkSpec spec;

  HomogeneousMoments(NetworkSpec spec) {
    if (spec.inputCount() != 1) {
      throw new IllegalArgumentException("single input only");
    }
    this.spec = spec;
    double mu1;
    double mu2;
    Activation act = spec.activation();
    if (act instanceof Relu) {
      mu1 = 0.5;
      mu2 = 1.5;
    } else if (act instanceof Linear) {
      mu1 = 1;
      mu2 = 3;
    } else if (act instanceof Leaky leaky) {
      double a = leaky.a();
      mu1 = (1 + a * a) / 2;
      mu2 = 3 * (1 + a * a * a * a) / 2;
    } else {
      throw new IllegalArgumentException("no exact oracle for " + act.spec());
    }
    int depth = spec.depth();
    mean = new double[depth];
    second = new double[depth];
    double g1 = spec.kernel1()[0][0];
    mean[0] = g1;
    second[0] = g1 * g1;
    double cb = spec.cb();
    double cw = spec.cw();
    for (int l = 1; l < depth; l++) {
      double n = spec.width(l);
      double es2 = n * mu2 + n * (n - 1) * mu1 * mu1;
      mean[l] = cb + cw * mu1 * mean[l - 1];
      second[l] = cb * cb + 2 * cb * cw * mu1 * mean[l - 1] + (cw / n) * (cw / n) * es2 * second[l - 1];
    }
  }

  /** E[z²] = G at layer ℓ. */
  double g(int layer) {
    return mean[layer - 1];
  }

  /** E[z⁴]/(3E[z²]²) = E[z_i²z_j²]/E[z²]² at layer ℓ. */
  double ratio(int layer) {
    return second[layer - 1] / (mean[layer - 1] * mean[layer - 1]);
  }

  /** V^(ℓ) = n_{ℓ−1} Var(Ĝ^(ℓ)) (exact at finite width). */
  double v(int layer) {
    return spec.width(layer - 1) * (second[layer - 1] - mean[layer - 1] * mean[layer - 1]);
  }
}
