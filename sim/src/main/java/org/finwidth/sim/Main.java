package org.finwidth.sim;

import org.finwidth.sim.cli.FinwidthCommand;

/** Entry point of the {@code finwidth} command line; see {@link FinwidthCommand}. */
public final class Main {
  private Main() {}

  public static void main(String[] args) {
    System.exit(FinwidthCommand.run(args));
  }
}
