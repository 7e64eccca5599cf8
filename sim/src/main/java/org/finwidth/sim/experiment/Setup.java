package org.finwidth.sim.experiment;

import java.util.Objects;
import org.finwidth.network.NetworkSpec;
import org.finwidth.sim.cli.TidyCsv;

/**
 * Where an experiment row's numbers come from, as the tidy CSV's provenance columns hold it
 * ({@link TidyCsv}): C_b, C_W, the depth, the Gram matrix's id and the sampler, taken from the
 * network the numbers were computed for, never parsed back from text; and the label the
 * experiment's tables show ({@code K1=…,cb=…,cw=…}, {@link Fmt#init}).
 *
 * @param label the label of the tables (not a CSV column)
 * @param cb C_b, NaN for none
 * @param cw C_W, NaN for none
 * @param depth L, 0 for none
 * @param inputDim n_0, 0 for none
 * @param gramId {@link TidyCsv#gramId} of the inputs, "" for none
 * @param sampler the Monte Carlo sampler, "" for theory
 */
public record Setup(String label, double cb, double cw, int depth, int inputDim, String gramId, String sampler) {
  public Setup {
    Objects.requireNonNull(label, "label");
    Objects.requireNonNull(gramId, "gramId");
    Objects.requireNonNull(sampler, "sampler");
  }

  /** The setup of a network's numbers (theory when {@code sampler} is ""). */
  static Setup of(String label, NetworkSpec spec, String sampler) {
    return new Setup(label, spec.cb(), spec.cw(), spec.depth(), spec.width(0), TidyCsv.gramId(spec.gram()), sampler);
  }

  /** Numbers of an initialisation without a network (depth, inputs and sampler empty). */
  static Setup of(String label, double cb, double cw) {
    return new Setup(label, cb, cw, 0, 0, "", "");
  }

  /** Numbers of no initialisation at all (a table of an activation at given K). */
  static Setup none(String label) {
    return of(label, Double.NaN, Double.NaN);
  }
}
