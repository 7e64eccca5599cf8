package org.finwidth.sim.cli;

import java.util.Map;
import java.util.OptionalDouble;

/**
 * What {@code simulate} prints beside each measured number: the effective-theory prediction of
 * the same network and, where it exists, the exact finite-width oracle. Empty values mean "no
 * prediction for this quantity" and are printed as such, never replaced by a number.
 */
interface TheoryView {
  /** The infinite-width kernel K_ab (the 1/n term of {@link #twoPoint} is the difference). */
  OptionalDouble kernel(int layer, int a, int b);

  /** E[z_a z_b] to NLO: K + K1/n_{ℓ−1}. */
  OptionalDouble twoPoint(int layer, int a, int b);

  /** The vertex V_(ab)(cd) at leading order. */
  OptionalDouble vertex(int layer, int a, int b, int c, int d);

  /** 1 + V_(aa)(aa)/(n_{ℓ−1} K_aa²), the leading order of ratio4 and pairRatio. */
  OptionalDouble ratio(int layer, int a);

  /** Exact E[z²] (single input). */
  OptionalDouble exactTwoPoint(int layer);

  /** Exact n_{ℓ−1}(E[z_i²z_j²] − E[z²]²) = n_{ℓ−1} Cov(Ĝ, Ĝ) (single input). */
  OptionalDouble exactVertex(int layer);

  /** Exact E[z⁴]/(3E[z²]²) (single input). */
  OptionalDouble exactRatio4(int layer);

  /** Exact E[z_i²z_j²]/E[z²]² (single input). */
  OptionalDouble exactPairRatio(int layer);

  /**
   * The relative numerical accuracy of the exact values of a layer (0 for an exact oracle; NaN
   * without exact values): the verdict's tolerance is this times the exact value.
   */
  double exactRelativeAccuracy(int layer);

  /** The theory fields of a layer's JSON object (as {@code theory --json} writes them), possibly empty. */
  Map<String, Object> layerJson(int layer);

  /** A one-line note on what is missing and why, or null. */
  String note();

  /** No theory at all (with the reason in the note). */
  static TheoryView none(String reason) {
    return new TheoryView() {
      @Override
      public OptionalDouble kernel(int layer, int a, int b) {
        return OptionalDouble.empty();
      }

      @Override
      public double exactRelativeAccuracy(int layer) {
        return Double.NaN;
      }

      @Override
      public OptionalDouble twoPoint(int layer, int a, int b) {
        return OptionalDouble.empty();
      }

      @Override
      public OptionalDouble vertex(int layer, int a, int b, int c, int d) {
        return OptionalDouble.empty();
      }

      @Override
      public OptionalDouble ratio(int layer, int a) {
        return OptionalDouble.empty();
      }

      @Override
      public OptionalDouble exactTwoPoint(int layer) {
        return OptionalDouble.empty();
      }

      @Override
      public OptionalDouble exactVertex(int layer) {
        return OptionalDouble.empty();
      }

      @Override
      public OptionalDouble exactRatio4(int layer) {
        return OptionalDouble.empty();
      }

      @Override
      public OptionalDouble exactPairRatio(int layer) {
        return OptionalDouble.empty();
      }

      @Override
      public Map<String, Object> layerJson(int layer) {
        return Map.of();
      }

      @Override
      public String note() {
        return reason;
      }
    };
  }
}
