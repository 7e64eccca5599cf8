package org.finwidth.sim;

import org.finwidth.sim.cli.FinwidthCommand;

/** Entry point of the {@code finwidth} command line; see {@link FinwidthCommand}. */
public final class Main {
  private Main() {}

  public static void main(String[] args) {
    // log records (the kernel choice) as one line each, not java.util.logging's two with a date
    if (System.getProperty("java.util.logging.SimpleFormatter.format") == null) {
      System.setProperty("java.util.logging.SimpleFormatter.format", "%5$s%6$s%n");
    }
    System.exit(FinwidthCommand.run(args));
  }
}
