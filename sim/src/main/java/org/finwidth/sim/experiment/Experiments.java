package org.finwidth.sim.experiment;

import java.util.List;

/** The registry of named experiments, in the order {@code experiment --list} shows them. */
public final class Experiments {
  private Experiments() {}

  /** Every experiment. Add new ones here. */
  public static final List<Experiment<?>> ALL = List.of(new UniversalityExperiment(), new ReluExperiment(),
      new ControlledSwishExperiment(), new RepuExperiment(), new FiniteWidthExperiment(), new NtkExperiment(),
      new BatchExperiment());

  /** The experiment called {@code name} (case-insensitive). */
  public static Experiment<?> byName(String name) {
    for (Experiment<?> e : ALL) {
      if (e.name().equalsIgnoreCase(name.strip())) {
        return e;
      }
    }
    StringBuilder names = new StringBuilder();
    for (Experiment<?> e : ALL) {
      names.append(names.isEmpty() ? "" : ", ").append(e.name());
    }
    throw new IllegalArgumentException("unknown experiment '" + name + "'; known: " + names);
  }
}
