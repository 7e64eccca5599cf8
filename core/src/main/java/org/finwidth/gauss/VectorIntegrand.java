package org.finwidth.gauss;

/**
 * A vector of functions of one variable, f_j(z) for j = 0..m-1, evaluated together so that they
 * share one quadrature node (and typically one evaluation of σ(z), σ'(z), ...).
 */
@FunctionalInterface
public interface VectorIntegrand {
  /**
   * Writes f_0(z), ..., f_{m-1}(z) into {@code out[0..m-1]}.
   *
   * @param z the point
   * @param out an array of length at least m, reused between calls
   */
  void evaluate(double z, double[] out);
}
