package org.finwidth.sim.cli;

import java.io.PrintWriter;
import java.util.Locale;
import org.finwidth.ensemble.Progress;
import org.finwidth.ensemble.ProgressListener;

/**
 * A one-line progress bar on a terminal (stderr): redrawn in place with a carriage return,
 * shown only once a run has lasted {@link #DELAY_SECONDS} (short runs print nothing), and ended
 * with a newline by the final report.
 *
 * <pre>
 *   [##########..........]  50.1%  5.01e6/1.00e7 networks  1.23e6/s  ETA 0:00:04  diverged 0
 * </pre>
 */
final class ProgressBar implements ProgressListener {
  /** Runs shorter than this show no bar. */
  static final double DELAY_SECONDS = 1.0;
  private static final int WIDTH = 24;
  private static final int LABELLED_WIDTH = 12;
  private final PrintWriter err;
  private final String label;
  private boolean shown;

  ProgressBar(PrintWriter err) {
    this(err, "");
  }

  /** A bar whose line starts with {@code label} (the step it measures). */
  ProgressBar(PrintWriter err, String label) {
    this.err = err;
    this.label = label.isEmpty() ? "" : label + " ";
  }

  /**
   * Whether stderr is a terminal: {@code run.sh} exports {@code FINWIDTH_STDERR_TTY=1} when its
   * stderr is one (the JVM's own stderr is a pipe there); a direct {@code java} start asks the
   * console.
   */
  static boolean stderrIsTerminal() {
    String env = System.getenv("FINWIDTH_STDERR_TTY");
    if (env != null) {
      return env.equals("1");
    }
    java.io.Console c = System.console();
    return c != null && c.isTerminal();
  }

  @Override
  public void onProgress(Progress p) {
    if (!shown && (p.finished() || p.elapsedSeconds() < DELAY_SECONDS)) {
      return;
    }
    shown = true;
    err.print(label.isEmpty() ? line(p) : labelledLine(label, p));
    if (p.finished()) {
      err.println();
    }
    err.flush();
  }

  /** {@code \r[####....]  50.1%  5.01e6/1.00e7 networks  1.23e6/s  ETA 0:00:04  diverged 0  }. */
  static String line(Progress p) {
    return "\r" + bar(p, WIDTH) + String.format(Locale.ROOT, " %5.1f%%  %s/%s networks  %s/s  %s  diverged %d  ",
        100 * p.fraction(), compact(p.networksDone()), compact(p.networksTotal()), compact(p.networksPerSecond()),
        eta(p), p.diverged());
  }

  /**
   * One step of a longer job, short enough with its label for an 80-column terminal:
   * {@code \rLABEL [######......]  50.1% 1.50e4/3.00e4 1.23e4/s ETA 0:00:01  } (diverged only if any).
   */
  static String labelledLine(String label, Progress p) {
    return "\r" + label + bar(p, LABELLED_WIDTH) + String.format(Locale.ROOT, " %5.1f%% %s/%s %s/s %s%s  ",
        100 * p.fraction(), compact(p.networksDone()), compact(p.networksTotal()), compact(p.networksPerSecond()),
        eta(p), p.diverged() > 0 ? " diverged " + p.diverged() : "");
  }

  private static String bar(Progress p, int width) {
    int filled = (int) Math.round(p.fraction() * width);
    StringBuilder bar = new StringBuilder("[");
    for (int i = 0; i < width; i++) {
      bar.append(i < filled ? '#' : '.');
    }
    return bar.append(']').toString();
  }

  private static String eta(Progress p) {
    return p.finished() ? "done in " + clock(p.elapsedSeconds()) : "ETA " + clock(p.etaSeconds());
  }

  static String compact(double x) {
    if (x < 1e4) {
      return String.format(Locale.ROOT, "%.0f", x);
    }
    return String.format(Locale.ROOT, "%.2e", x).replace("e+0", "e").replace("e+", "e");
  }

  static String clock(double seconds) {
    if (!Double.isFinite(seconds)) {
      return "?:??:??";
    }
    long s = Math.round(seconds);
    return String.format(Locale.ROOT, "%d:%02d:%02d", s / 3600, s / 60 % 60, s % 60);
  }
}
