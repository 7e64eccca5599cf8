package org.finwidth.ensemble;

/**
 * A progress report of a run.
 *
 * @param networksDone networks sampled so far, including those of a resumed partial result
 * @param networksTotal networks the run will have sampled when it finishes
 * @param diverged networks that diverged so far (also counted in {@code networksDone})
 * @param elapsedSeconds wall time of this run so far
 * @param networksPerSecond rate of this run (networks sampled by it / elapsed), 0 at the start
 * @param etaSeconds estimated seconds left at this rate (NaN while unknown)
 * @param finished whether this is the final report of the run (finished or cancelled)
 */
public record Progress(long networksDone, long networksTotal, long diverged, double elapsedSeconds,
    double networksPerSecond, double etaSeconds, boolean finished) {

  /** Fraction done in [0, 1]. */
  public double fraction() {
    return networksTotal == 0 ? 1 : Math.min(1, (double) networksDone / networksTotal);
  }
}
