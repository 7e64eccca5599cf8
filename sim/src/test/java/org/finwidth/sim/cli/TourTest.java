package org.finwidth.sim.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.finwidth.sim.QuickUniversality;
import org.junit.jupiter.api.Test;

/**
 * The outputs README.md's ten-minute tour shows are what the commands print. docs/tour.md holds
 * each tour command ({@code $ ./run.sh ...}, the first line of a fenced block) with its complete
 * stdout; this test runs every such command through the command line's entry point
 * ({@link FinwidthCommand#commandLine()}, in-process), masks what depends on the machine (below),
 * and requires the block to equal the output exactly. README.md's blocks that start with
 * {@code $ ./run.sh} are excerpts: every line of one (but a line {@code ...}) must be a line of
 * that command's output in docs/tour.md, in the same order, and README.md and docs/tour.md must
 * show the same commands. The numbers are a pure function of the inputs and the seed, whatever the
 * thread count, kernels and vector width (docs/design.md invariant 1), so the comparison is exact.
 *
 * <p>Masked, in both files shown as {@code …}: wall-clock times ({@code 18.3 s}), rates
 * ({@code 5.46e4 networks/s}), the thread count (the default is the number of processors) and the
 * directory above {@code results/} in a report's path. The main job ({@code ./run.sh} without
 * arguments) is {@code experiment universality --quick} (seed 1) after one line; its output is taken
 * from the run {@link QuickUniversality} shares with the experiment's own test.
 *
 * <p>Regenerating docs/tour.md after a change of output: {@code tools/tour.sh} (this test with
 * {@code -Dfinwidth.tour.write=true}, which rewrites the blocks of docs/tour.md from the actual
 * output and then checks README.md's excerpts against them).
 */
class TourTest {
  private static final String PROMPT = "$ ";
  private static final String MAIN_JOB = "./run.sh";
  private static final String ELISION = "...";

  private static final Pattern SECONDS = Pattern.compile("\\b\\d+(?:\\.\\d+)? s\\b");
  private static final Pattern RATE = Pattern.compile("[0-9][0-9.e+]* networks/s\\b");
  private static final Pattern THREADS = Pattern.compile("\\b\\d+ (threads?)\\b");
  private static final Pattern REPORT = Pattern.compile("report: \\S*?/?(results/\\S+/report\\.html)");

  /** Replaces what depends on the machine by {@code …} (the class comment lists it). */
  static String mask(String out) {
    String s = out.replace("\r\n", "\n");
    s = SECONDS.matcher(s).replaceAll("… s");
    s = RATE.matcher(s).replaceAll("… networks/s");
    s = THREADS.matcher(s).replaceAll("… $1");
    s = REPORT.matcher(s).replaceAll("report: …/$1");
    return s.strip();
  }

  @Test
  void maskHidesTimingsThreadsAndPathsOnly() {
    assertEquals("1000 networks (0 diverged), seed 1, sampler conditional, … threads, … s (… networks/s)",
        mask("1000 networks (0 diverged), seed 1, sampler conditional, 2 threads, 18.3 s (5.46e4 networks/s)"));
    assertEquals("done in … s (… thread, seed 1); report: …/results/universality/report.html",
        mask("done in 35.7 s (1 thread, seed 1); report: /home/u/x/results/universality/report.html"));
    String numbers = "ratio4          1.72299 ± 0.0029         1.625           33.5 1.72266          0.1  ok";
    assertEquals(numbers, mask(numbers));
  }

  /** A command of docs/tour.md or README.md and the lines shown under it. */
  private record Shown(String command, List<String> lines, int start, int end) {}

  /** Every fenced block of {@code text} whose first line starts with the prompt, by command. */
  private static Map<String, Shown> tourBlocks(String text, String file) {
    Map<String, Shown> blocks = new LinkedHashMap<>();
    int at = 0;
    while (true) {
      int open = text.indexOf("```", at);
      if (open < 0) {
        return blocks;
      }
      int start = text.indexOf('\n', open) + 1;
      int close = text.indexOf("\n```", start);
      assertTrue(start > 0 && close >= start, file + ": an unclosed code block at character " + open);
      List<String> lines = text.substring(start, close).lines().toList();
      if (!lines.isEmpty() && lines.get(0).startsWith(PROMPT + MAIN_JOB)) {
        String command = lines.get(0).substring(PROMPT.length()).strip();
        assertFalse(blocks.containsKey(command), file + " shows '" + command + "' twice");
        int bodyStart = text.indexOf('\n', start) + 1;
        blocks.put(command, new Shown(command, lines.subList(1, lines.size()), bodyStart, close + 1));
      }
      at = close + 4;
    }
  }

  /** What {@code command} prints on stdout, masked. */
  private static String output(String command) {
    if (command.equals(MAIN_JOB)) {
      QuickUniversality.Run run = QuickUniversality.get();
      // the main job writes into results/universality of the caller's directory, the shared run into its own
      String out = run.out().replace(run.dir().toAbsolutePath().toString(), "/results/universality");
      return mask(FinwidthCommand.MAIN_JOB_BANNER + "\n" + out);
    }
    assertFalse(command.contains("'") || command.contains("\""), "tour commands are run without quoting: " + command);
    String[] words = command.split(" +");
    assertEquals(MAIN_JOB, words[0], command);
    String[] args = java.util.Arrays.copyOfRange(words, 1, words.length);
    CliRun r = CliRun.of(args);
    assertEquals(0, r.code(), command + " failed: " + r.err());
    return mask(r.out());
  }

  @Test
  void readmeTourShowsWhatEachCommandPrints() throws IOException {
    Path root = root();
    Path tourFile = root.resolve("docs/tour.md");
    String tour = Files.readString(tourFile, StandardCharsets.UTF_8);
    Map<String, Shown> full = tourBlocks(tour, "docs/tour.md");
    assertFalse(full.isEmpty(), "docs/tour.md shows no command");
    boolean write = Boolean.getBoolean("finwidth.tour.write");
    Map<String, List<String>> actual = new LinkedHashMap<>();
    List<String> wrong = new ArrayList<>();
    for (Shown s : full.values()) {
      String out = output(s.command());
      actual.put(s.command(), out.lines().toList());
      if (!String.join("\n", s.lines()).strip().equals(out)) {
        wrong.add(s.command());
      }
    }
    if (write && !wrong.isEmpty()) {
      StringBuilder sb = new StringBuilder();
      int at = 0;
      for (Shown s : full.values()) { // in the order of the file
        sb.append(tour, at, s.start()).append(String.join("\n", actual.get(s.command()))).append('\n');
        at = s.end();
      }
      sb.append(tour.substring(at));
      Path tmp = tourFile.resolveSibling(tourFile.getFileName() + ".tmp");
      Files.writeString(tmp, sb.toString(), StandardCharsets.UTF_8);
      Files.move(tmp, tourFile, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } else if (!wrong.isEmpty()) {
      StringBuilder sb = new StringBuilder("docs/tour.md does not show what these commands print (regenerate: tools/tour.sh):");
      for (String c : wrong) {
        sb.append("\n\n$ ").append(c).append('\n').append(String.join("\n", actual.get(c)));
      }
      fail(sb.toString());
    }

    Map<String, Shown> excerpts = tourBlocks(Files.readString(root.resolve("README.md"), StandardCharsets.UTF_8), "README.md");
    assertEquals(full.keySet(), excerpts.keySet(), "README.md's tour and docs/tour.md show the same commands");
    for (Shown s : excerpts.values()) {
      List<String> out = actual.get(s.command());
      int next = 0;
      int shown = 0;
      for (String line : s.lines()) {
        if (line.strip().equals(ELISION)) {
          continue;
        }
        int found = out.subList(next, out.size()).indexOf(line);
        assertTrue(found >= 0, "README.md shows under '" + s.command() + "' a line that its output does not have"
            + " (after the lines before it):\n" + line + "\nthe output:\n" + String.join("\n", out));
        next += found + 1;
        shown++;
      }
      assertTrue(shown > 0, "README.md shows nothing of the output of " + s.command());
    }
  }

  private static Path root() {
    Path p = Path.of("").toAbsolutePath();
    while (p != null && !(Files.isRegularFile(p.resolve("mvnw")) && Files.isDirectory(p.resolve("core")))) {
      p = p.getParent();
    }
    assertTrue(p != null, "the repository root above " + Path.of("").toAbsolutePath());
    return p;
  }
}
