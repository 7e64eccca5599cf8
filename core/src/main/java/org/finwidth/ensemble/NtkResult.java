package org.finwidth.ensemble;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.util.Arrays;
import java.util.Objects;
import org.finwidth.network.LearningRates;
import org.finwidth.network.NetworkSpec;
import org.finwidth.stats.NtkEstimates;
import org.finwidth.stats.NtkLayout;
import org.finwidth.stats.NtkSums;

/**
 * The NTK section of an {@link EnsembleResult} (docs/theory.md §11.8): the options, the fixed
 * references the NTK statistics are shifted by, and their exact sums over the blocks the result
 * holds. Immutable; merges exactly.
 *
 * <p>State ({@link #writeTo}), inside the result's state: L × f64 λ_b, L × f64 λ_W, i32 s,
 * L × P f64 NTK reference h, L × P f64 preactivation reference c, then the {@link NtkSums} state.
 */
public final class NtkResult {
  private final NtkOptions options;
  private final double[][] hReference;
  private final double[][] cReference;
  private final NtkSums sums;

  NtkResult(NtkOptions options, double[][] hReference, double[][] cReference, NtkSums sums) {
    this.options = Objects.requireNonNull(options, "options");
    this.hReference = hReference;
    this.cReference = cReference;
    this.sums = sums;
  }

  /**
   * No networks yet.
   *
   * @throws IllegalArgumentException if the references do not have L rows of P finite entries or
   *     the options do not fit the network
   */
  static NtkResult empty(NetworkSpec spec, NtkOptions options, double[][] hReference, double[][] cReference) {
    NtkLayout layout = NtkLayout.forInputs(spec.inputCount());
    int depth = spec.depth();
    if (options.rates().depth() != depth) {
      throw new IllegalArgumentException("the learning rates are given for " + options.rates().depth()
          + " layers, the network has " + depth);
    }
    check("NTK", hReference, depth, layout.pairIndex().pairs());
    check("preactivation", cReference, depth, layout.pairIndex().pairs());
    return new NtkResult(options, copy(hReference), copy(cReference), new NtkSums(layout, depth));
  }

  private static void check(String what, double[][] ref, int depth, int p) {
    if (ref == null || ref.length != depth) {
      throw new IllegalArgumentException("the " + what + " reference needs one row per layer (" + depth + ")");
    }
    for (int l = 0; l < depth; l++) {
      if (ref[l] == null || ref[l].length != p) {
        throw new IllegalArgumentException("the " + what + " reference of layer " + (l + 1) + " needs " + p + " entries");
      }
      for (double x : ref[l]) {
        if (!Double.isFinite(x)) {
          throw new IllegalArgumentException("the " + what + " reference of layer " + (l + 1) + " is not finite: " + x);
        }
      }
    }
  }

  private static double[][] copy(double[][] m) {
    double[][] c = new double[m.length][];
    for (int i = 0; i < m.length; i++) {
      c[i] = m[i].clone();
    }
    return c;
  }

  /** The same options and references with other sums. */
  NtkResult withSums(NtkSums other) {
    return new NtkResult(options, hReference, cReference, other);
  }

  /**
   * Checks that {@code other} belongs to the same ensemble.
   *
   * @throws IllegalArgumentException naming the first difference
   */
  void checkSame(NtkResult other) {
    if (!options.equals(other.options)) {
      throw new IllegalArgumentException("results with different NTK options: " + describe() + " vs " + other.describe());
    }
    if (!Arrays.deepEquals(hReference, other.hReference) || !Arrays.deepEquals(cReference, other.cReference)) {
      throw new IllegalArgumentException("results with different NTK references: " + Arrays.deepToString(hReference)
          + " vs " + Arrays.deepToString(other.hReference));
    }
  }

  private String describe() {
    return options.rates() + ", " + options.neurons() + " neurons per layer";
  }

  /** The options (rates and neurons per layer). */
  public NtkOptions options() {
    return options;
  }

  /** The NTK reference h^(ℓ)_p (a copy). */
  public double[] hReference(int layer) {
    return hReference[layer - 1].clone();
  }

  /** The preactivation reference c^(ℓ)_p of the NTK statistics (a copy). */
  public double[] cReference(int layer) {
    return cReference[layer - 1].clone();
  }

  /** The exact sums (read-only use). */
  public NtkSums sums() {
    return sums;
  }

  /** Estimates of layer ℓ of a network. */
  public NtkEstimates estimates(NetworkSpec spec, int layer) {
    return NtkEstimates.compute(sums, layer, hReference[layer - 1], spec.width(layer - 1), spec.width(layer),
        options.neurons());
  }

  /** Writes the state (see the class comment). */
  void writeTo(DataOutput out) throws IOException {
    for (double x : options.rates().biasRates()) {
      out.writeDouble(x);
    }
    for (double x : options.rates().weightRates()) {
      out.writeDouble(x);
    }
    out.writeInt(options.neurons());
    for (double[][] ref : new double[][][] {hReference, cReference}) {
      for (double[] row : ref) {
        for (double x : row) {
          out.writeDouble(x);
        }
      }
    }
    sums.writeTo(out);
  }

  /** Reads a state written by {@link #writeTo} for this network. */
  static NtkResult readFrom(DataInput in, NetworkSpec spec) throws IOException {
    int depth = spec.depth();
    double[] lb = new double[depth];
    double[] lw = new double[depth];
    for (int l = 0; l < depth; l++) {
      lb[l] = in.readDouble();
    }
    for (int l = 0; l < depth; l++) {
      lw[l] = in.readDouble();
    }
    int s = in.readInt();
    NtkResult empty;
    try {
      NtkLayout layout = NtkLayout.forInputs(spec.inputCount());
      int p = layout.pairIndex().pairs();
      double[][] h = new double[depth][p];
      double[][] c = new double[depth][p];
      for (double[][] ref : new double[][][] {h, c}) {
        for (double[] row : ref) {
          for (int i = 0; i < p; i++) {
            row[i] = in.readDouble();
          }
        }
      }
      empty = empty(spec, new NtkOptions(LearningRates.of(lb, lw), s), h, c);
    } catch (IllegalArgumentException e) {
      throw new IOException("inconsistent NTK state: " + e.getMessage(), e);
    }
    NtkSums sums = NtkSums.readFrom(in, NtkLayout.forInputs(spec.inputCount()), depth);
    return empty.withSums(sums);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof NtkResult r && options.equals(r.options) && Arrays.deepEquals(hReference, r.hReference)
        && Arrays.deepEquals(cReference, r.cReference) && sums.equals(r.sums);
  }

  @Override
  public int hashCode() {
    return Objects.hash(options, sums);
  }
}
