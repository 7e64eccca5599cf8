package org.finwidth.sim.experiment;

/**
 * A named experiment: computes theory and Monte Carlo for one question and puts rows, tables,
 * figures and text into a {@link Report}; the framework ({@link ExperimentRunner}) writes the
 * files. Implementations are stateless; register them in {@link Experiments#ALL}.
 */
public interface Experiment {
  /** The name on the command line and of the results directory, e.g. {@code universality}. */
  String name();

  /** A one-line title for the report and {@code experiment --list}. */
  String title();

  /**
   * Runs the experiment: sizes from {@link ExperimentContext#quick()}, ensembles through
   * {@link ExperimentContext#ensemble}, results into {@code report}.
   */
  void run(ExperimentContext ctx, Report report) throws Exception;
}
