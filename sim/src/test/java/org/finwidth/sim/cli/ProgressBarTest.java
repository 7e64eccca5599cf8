package org.finwidth.sim.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.finwidth.ensemble.Progress;
import org.junit.jupiter.api.Test;

/** The progress bar's lines: fraction, counts, rate, ETA; silent for short runs; one newline at the end. */
class ProgressBarTest {
  @Test
  void plainLine() {
    Progress p = new Progress(5_000_000, 10_000_000, 3, 4, 1.25e6, 4, false);
    assertEquals("\r[############............]  50.0%  5.00e6/1.00e7 networks  1.25e6/s  ETA 0:00:04  diverged 3  ",
        ProgressBar.line(p));
  }

  @Test
  void labelledLineFitsAnEightyColumnTerminal() {
    String label = "swish n=32 (10/12) ";
    Progress p = new Progress(15_000, 30_000, 0, 1.2, 12_500, 1.2, false);
    String line = ProgressBar.labelledLine(label, p);
    assertEquals("\rswish n=32 (10/12) [######......]  50.0% 1.50e4/3.00e4 1.25e4/s ETA 0:00:01  ", line);
    assertTrue(line.length() - 1 <= 80, line.length() + " columns");
    Progress done = new Progress(30_000, 30_000, 2, 2.4, 12_500, 0, true);
    assertTrue(ProgressBar.labelledLine(label, done).contains("100.0% 3.00e4/3.00e4 1.25e4/s done in 0:00:02 diverged 2"));
  }

  @Test
  void shortRunsShowNothingAndLongOnesEndWithANewline() {
    StringWriter sw = new StringWriter();
    ProgressBar bar = new ProgressBar(new PrintWriter(sw), "step");
    bar.onProgress(new Progress(10, 100, 0, 0.5, 20, 4.5, false));
    bar.onProgress(new Progress(100, 100, 0, 0.9, 111, 0, true));
    assertEquals("", sw.toString(), "under a second: silent");
    ProgressBar slow = new ProgressBar(new PrintWriter(sw), "step");
    slow.onProgress(new Progress(10, 100, 0, 1.5, 7, 13, false));
    slow.onProgress(new Progress(100, 100, 0, 3, 33, 0, true));
    String out = sw.toString();
    assertTrue(out.startsWith("\rstep [#") && out.contains("ETA 0:00:13") && out.endsWith("done in 0:00:03  \n"), out);
  }
}
