package org.finwidth.sim.cli;

import java.io.PrintWriter;
import java.util.Locale;
import org.finwidth.ensemble.ProgressListener;

/**
 * The progress of {@code campaign run} on stderr. On a terminal, two lines redrawn in place: the
 * campaign (runs done, networks done, rate, ETA) above the current run's bar:
 * <pre>
 *   campaign quick: 3/8 runs  1.23e4/3.28e4 networks  1.10e4/s  ETA 0:00:02
 *   tanh-L6-n16-3f2a9c01b7de [######......]  50.0% 2048/4096 1.1e4/s ETA 0:00:00
 * </pre>
 * Otherwise (a log file) one line per finished run. The ETA weighs each network by its work
 * (the operations of {@link RunEstimate}), since the runs of a campaign differ in depth and width.
 */
final class CampaignProgress {
  private final PrintWriter err;
  private final String name;
  private final int runs;
  private final long totalNetworks;
  private final double totalWork;
  private final boolean terminal;
  private final long start = System.nanoTime();
  private int runsDone;
  private long networksDone;
  private double workDone;
  private long networksComputed;
  private double workComputed;
  private boolean drawn;

  CampaignProgress(PrintWriter err, String name, int runs, long totalNetworks, double totalWork, boolean terminal) {
    this.err = err;
    this.name = name;
    this.runs = runs;
    this.totalNetworks = totalNetworks;
    this.totalWork = totalWork;
    this.terminal = terminal;
  }

  /** A run found finished earlier. */
  void skipped(long networks, double workPerNetwork) {
    runsDone++;
    networksDone += networks;
    workDone += networks * workPerNetwork;
  }

  /** The listener of the run {@code label}, started with {@code resumed} networks from its checkpoint. */
  ProgressListener run(String label, long resumed, double workPerNetwork) {
    long doneBefore = networksDone;
    double workBefore = workDone;
    long computedBefore = networksComputed;
    double workComputedBefore = workComputed;
    return p -> {
      long now = p.networksDone();
      long fresh = Math.max(0, now - resumed);
      long networks = doneBefore + now;
      double work = workBefore + now * workPerNetwork;
      long computed = computedBefore + fresh;
      double wc = workComputedBefore + fresh * workPerNetwork;
      if (p.finished()) {
        networksDone = networks;
        workDone = work;
        networksComputed = computed;
        workComputed = wc;
      }
      if (terminal) {
        draw(line(networks, work, computed, wc, p.finished() ? 1 : 0), ProgressBar.labelledLine(label + " ", p).substring(1));
      }
    };
  }

  /** A run finished (also after its last progress report): counts it, and logs it when not on a terminal. */
  void finished(String label, long networks, double seconds) {
    runsDone++;
    if (!terminal) {
      err.println(line(networksDone, workDone, networksComputed, workComputed, 0) + "  (" + label + ": "
          + networks + " networks in " + String.format(Locale.ROOT, "%.1f", seconds) + " s)");
      err.flush();
    }
  }

  /** Ends the display (a newline after the two lines). */
  void end() {
    if (terminal && drawn) {
      err.println();
      err.flush();
    }
  }

  private String line(long networks, double work, long computed, double wc, int extraRunDone) {
    double elapsed = (System.nanoTime() - start) * 1e-9;
    double rate = elapsed > 0 ? computed / elapsed : 0;
    double workRate = elapsed > 0 ? wc / elapsed : 0;
    double eta = workRate > 0 ? (totalWork - work) / workRate : Double.NaN;
    return String.format(Locale.ROOT, "campaign %s: %d/%d runs  %s/%s networks  %s/s  ETA %s", name,
        runsDone + extraRunDone, runs, ProgressBar.compact(networks), ProgressBar.compact(totalNetworks),
        ProgressBar.compact(rate), ProgressBar.clock(Math.max(0, eta)));
  }

  private void draw(String campaign, String run) {
    if (drawn) {
      err.print("\r\033[1A");
    }
    err.print(campaign + "\033[K\n" + run + "\033[K");
    err.flush();
    drawn = true;
  }
}
