package org.finwidth.bench.suite;

/**
 * The limits measured in one run, per core.
 *
 * @param floatLanes float lanes of the preferred vector species (8 with AVX2)
 * @param fmaGflops peak float GFLOP/s (vector FMAs on every pipe)
 * @param streamGBs memory read bandwidth in GB/s
 */
public record MachineLimits(int floatLanes, double fmaGflops, double streamGBs) {

  /** The value of a limit in its unit ({@link Limit#unit()}). */
  public double value(Limit limit) {
    return switch (limit) {
      case FMA -> fmaGflops;
      case LANES -> fmaGflops / 2;
      case STREAM -> streamGBs;
    };
  }
}
