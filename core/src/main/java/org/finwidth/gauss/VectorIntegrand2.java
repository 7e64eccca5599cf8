package org.finwidth.gauss;

/** A vector of functions of two variables, f_j(z1, z2) for j = 0..m-1, evaluated together. */
@FunctionalInterface
public interface VectorIntegrand2 {
  /**
   * Writes f_0(z1, z2), ..., f_{m-1}(z1, z2) into {@code out[0..m-1]}.
   *
   * @param z1 the first coordinate
   * @param z2 the second coordinate
   * @param out an array of length at least m, reused between calls
   */
  void evaluate(double z1, double z2, double[] out);
}
