package org.finwidth.sim.experiment;

/**
 * A named experiment, in two steps kept apart: {@link #compute} runs the theory and the Monte Carlo
 * and returns a result made of numbers (records of numbers, {@link Series}, {@link Flow}, fits);
 * {@link #render} turns that result into the tidy CSV rows, figures, tables and text of a
 * {@link Report}, without computing theory or running ensembles. Every data-dependent statement in
 * the text (a direction, a count, "approached from below") is derived from the result in
 * {@code render}, never written into a template. The framework ({@link ExperimentRunner}) calls
 * both and writes the files. Implementations are stateless; register them in {@link Experiments#ALL}.
 *
 * @param <R> the result: immutable numbers
 */
public interface Experiment<R> {
  /** The name on the command line and of the results directory, e.g. {@code universality}. */
  String name();

  /** A one-line title for the report and {@code experiment --list}. */
  String title();

  /**
   * Computes the result: sizes from {@link ExperimentContext#quick()}, ensembles through
   * {@link ExperimentContext#ensemble}, seeds from {@link ExperimentContext#seed(int)}.
   */
  R compute(ExperimentContext ctx) throws Exception;

  /** Renders a result into {@code report}: CSV rows, headings, paragraphs, tables, figures, summary. */
  void render(R result, Report report);
}
