package org.finwidth.bench.suite;

/**
 * The machine limits a result is stated against, each measured by {@code MachineBaselineBenchmark}
 * in the same run (per core; an n-thread result is compared with n times the limit).
 */
public enum Limit {
  /** Peak float FLOP/s: vector FMAs on every pipe, in GFLOP/s (fma score × 2 × lanes). */
  FMA("GFLOP/s"),
  /**
   * Half the FMA peak: float lane-FMAs per ns. An element kernel at fraction f spends 1/f FMA
   * slots (of one lane) per element: 1 would be one vector FMA's share per element.
   */
  LANES("lane-FMA/ns"),
  /** Read bandwidth from memory (an array 8 times the L3), in GB/s. */
  STREAM("GB/s");

  private final String unit;

  Limit(String unit) {
    this.unit = unit;
  }

  /** The unit of the limit (and of a result converted to it). */
  public String unit() {
    return unit;
  }

  /** The name used in the results JSON. */
  public String key() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }
}
