package org.finwidth.activation.user;

import org.finwidth.activation.CustomActivation;

/**
 * Mish σ(z) = z·tanh(softplus(z)) written as a user would: value, σ', σ'' by hand, nothing else
 * (the engine derives σ''', the Taylor data, homogeneity and the kernels).
 */
public final class UserMish implements CustomActivation {
  /** softplus(z) without overflow. */
  private static double softplus(double z) {
    return Math.max(z, 0) + Math.log1p(Math.exp(-Math.abs(z)));
  }

  private static double sigmoid(double z) {
    return z >= 0 ? 1 / (1 + Math.exp(-z)) : Math.exp(z) / (1 + Math.exp(z));
  }

  /** sech²(x) for x ≥ 0 as 4e/(1+e)², e = exp(−2x). */
  private static double sech2(double x) {
    double e = Math.exp(-2 * x);
    return 4 * e / ((1 + e) * (1 + e));
  }

  @Override
  public double value(double z) {
    return z * Math.tanh(softplus(z));
  }

  /** g + z g', g = tanh(sp), g' = sech²(sp)·s. */
  @Override
  public double d1(double z) {
    double sp = softplus(z);
    double s = sigmoid(z);
    double gp = sech2(sp) * s;
    return Math.tanh(sp) + (gp == 0 ? 0 : z * gp);
  }

  /** 2g' + z g'', g'' = sech²(sp)·s·(1 − s − 2 tanh(sp)·s). */
  @Override
  public double d2(double z) {
    double sp = softplus(z);
    double s = sigmoid(z);
    double sech2 = sech2(sp);
    double gp = sech2 * s;
    double gpp = sech2 * s * (1 - s - 2 * Math.tanh(sp) * s);
    return 2 * gp + (gpp == 0 ? 0 : z * gpp);
  }
}
