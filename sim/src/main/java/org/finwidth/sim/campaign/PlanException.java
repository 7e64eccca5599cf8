package org.finwidth.sim.campaign;

/**
 * A plan that cannot be used, with one line naming the file, the line, the key and the value
 * ({@code FILE:LINE: KEY = VALUE: problem}); bad input, exit code 2.
 */
public final class PlanException extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;

  /** A plan error with its one-line message. */
  public PlanException(String message) {
    super(message);
  }
}
