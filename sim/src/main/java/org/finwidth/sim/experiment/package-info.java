/**
 * Named experiments ({@code finwidth experiment NAME}): each computes theory and Monte Carlo side
 * by side ({@link org.finwidth.sim.experiment.Experiment}), and the framework writes its tidy CSV,
 * manifest, plots (PNG + SVG) and a self-contained HTML report into one directory, atomically.
 */
package org.finwidth.sim.experiment;
