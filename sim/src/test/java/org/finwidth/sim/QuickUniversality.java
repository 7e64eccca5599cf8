package org.finwidth.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;
import org.finwidth.sim.cli.ExperimentCommand;
import org.finwidth.sim.cli.FinwidthCommand;
import org.finwidth.sim.experiment.Report;
import picocli.CommandLine;

/**
 * One run of {@code experiment universality --quick} (seed 1, two threads) per test JVM, shared by
 * the tests that need it (the experiment's own checks and the README tour's main job): the run
 * costs tens of seconds of CPU, and its results do not depend on the thread count (docs/design.md
 * invariant 1), so one run serves both. The directory is deleted when the JVM exits.
 */
public final class QuickUniversality {
  /** The results directory, what the command printed on stdout, and its report (the figures). */
  public record Run(Path dir, String out, Report report) {}

  private static Run run;

  private QuickUniversality() {}

  /** The run, made on the first call. */
  public static synchronized Run get() {
    if (run == null) {
      try {
        Path tmp = Files.createTempDirectory("finwidth-universality");
        Runtime.getRuntime().addShutdownHook(new Thread(() -> delete(tmp)));
        Path dir = tmp.resolve("universality");
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cl = FinwidthCommand.commandLine();
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        int code = cl.execute("experiment", "universality", "--quick", "--quiet", "--out", dir.toString(), "--threads", "2");
        assertEquals(0, code, err.toString());
        ExperimentCommand command = cl.getSubcommands().get("experiment").getCommand();
        run = new Run(dir, out.toString(), command.result().report());
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return run;
  }

  private static void delete(Path tmp) {
    try (Stream<Path> s = Files.walk(tmp)) {
      s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      // a temporary directory left behind at exit: nothing to report to
    }
  }
}
