package org.finwidth.network;

import java.util.Arrays;
import java.util.Objects;

/**
 * The learning-rate factors that define the neural tangent kernel of a network (docs/theory.md
 * §11.1): every bias of layer ℓ gets the rate λ_b^(ℓ), every weight of layer ℓ the rate
 * λ_W^(ℓ)/n_{ℓ−1} (n_{ℓ−1} the fan-in of that weight's layer, n_0 for layer 1), so that
 * <pre>
 *   Ĥ^(ℓ)_{i1 i2; a b} = Σ_{ℓ' ≤ ℓ} [ λ_b^(ℓ') Σ_i ∂z_{i1;a}/∂b^(ℓ')_i ∂z_{i2;b}/∂b^(ℓ')_i
 *                          + (λ_W^(ℓ')/n_{ℓ'−1}) Σ_{ij} ∂z_{i1;a}/∂W^(ℓ')_{ij} ∂z_{i2;b}/∂W^(ℓ')_{ij} ]
 * </pre>
 * (PDLT's diagonal learning-rate tensor). Without the 1/n_{ℓ−1} the weight part would be n times
 * larger and none of the statistics of docs/theory.md §11 would apply. Immutable.
 */
public final class LearningRates {
  private final double[] biasRates;
  private final double[] weightRates;

  private LearningRates(double[] biasRates, double[] weightRates) {
    this.biasRates = biasRates;
    this.weightRates = weightRates;
  }

  /**
   * The same λ_b, λ_W at every layer of a network of the given depth.
   *
   * @throws IllegalArgumentException if a rate is negative or not finite, or depth &lt; 1
   */
  public static LearningRates constant(double lambdaB, double lambdaW, int depth) {
    if (depth < 1) {
      throw new IllegalArgumentException("the depth L must be >= 1, got depth=" + depth);
    }
    double[] b = new double[depth];
    double[] w = new double[depth];
    Arrays.fill(b, lambdaB);
    Arrays.fill(w, lambdaW);
    return of(b, w);
  }

  /**
   * Per-layer rates: {@code lambdaB[ℓ−1]} = λ_b^(ℓ), {@code lambdaW[ℓ−1]} = λ_W^(ℓ), ℓ = 1..L.
   *
   * @throws IllegalArgumentException if the lists differ in length, are empty, or hold a negative
   *     or non-finite rate (named with its layer)
   */
  public static LearningRates of(double[] lambdaB, double[] lambdaW) {
    Objects.requireNonNull(lambdaB, "lambdaB");
    Objects.requireNonNull(lambdaW, "lambdaW");
    if (lambdaB.length != lambdaW.length || lambdaB.length == 0) {
      throw new IllegalArgumentException("lambda_b and lambda_W need one entry per layer, got "
          + lambdaB.length + " and " + lambdaW.length);
    }
    for (int l = 0; l < lambdaB.length; l++) {
      check("lambda_b", l + 1, lambdaB[l]);
      check("lambda_W", l + 1, lambdaW[l]);
    }
    return new LearningRates(lambdaB.clone(), lambdaW.clone());
  }

  private static void check(String name, int layer, double x) {
    if (!(x >= 0) || Double.isInfinite(x)) {
      throw new IllegalArgumentException(name + " of layer " + layer + " must be a finite number >= 0, got " + x);
    }
  }

  /** The number of layers L the rates are given for. */
  public int depth() {
    return biasRates.length;
  }

  /**
   * λ_b^(ℓ).
   *
   * @throws IndexOutOfBoundsException unless 1 ≤ ℓ ≤ L
   */
  public double bias(int layer) {
    return biasRates[index(layer)];
  }

  /**
   * λ_W^(ℓ) (each weight of layer ℓ has the rate λ_W^(ℓ)/n_{ℓ−1}).
   *
   * @throws IndexOutOfBoundsException unless 1 ≤ ℓ ≤ L
   */
  public double weight(int layer) {
    return weightRates[index(layer)];
  }

  /** Whether every layer has the same λ_b and the same λ_W. */
  public boolean isConstant() {
    for (int l = 1; l < biasRates.length; l++) {
      if (biasRates[l] != biasRates[0] || weightRates[l] != weightRates[0]) {
        return false;
      }
    }
    return true;
  }

  /** λ_b^(1..L) (a copy). */
  public double[] biasRates() {
    return biasRates.clone();
  }

  /** λ_W^(1..L) (a copy). */
  public double[] weightRates() {
    return weightRates.clone();
  }

  private int index(int layer) {
    if (layer < 1 || layer > biasRates.length) {
      throw new IndexOutOfBoundsException("layer " + layer + " not in 1.." + biasRates.length);
    }
    return layer - 1;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof LearningRates r && Arrays.equals(r.biasRates, biasRates)
        && Arrays.equals(r.weightRates, weightRates);
  }

  @Override
  public int hashCode() {
    return 31 * Arrays.hashCode(biasRates) + Arrays.hashCode(weightRates);
  }

  @Override
  public String toString() {
    return isConstant() ? "LearningRates[lambda_b=" + biasRates[0] + ", lambda_W=" + weightRates[0] + "]"
        : "LearningRates[lambda_b=" + Arrays.toString(biasRates) + ", lambda_W=" + Arrays.toString(weightRates) + "]";
  }
}
