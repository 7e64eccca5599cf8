package org.finwidth.bench.suite;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * Command line of the suites, called by bench/bench.sh:
 * <pre>
 *   run quick|peers OUT.json LOG    runs a suite, prints its table, writes OUT.json (atomically)
 *   table RUN.json                  prints the table of a written run
 *   compare BASELINE.json LATEST.json [THRESHOLD]   the guard: exit 1 on a regression
 *   confirm BASELINE.json LATEST.json [THRESHOLD]   the same, but the quick-suite results that
 *                                   regressed are measured once more first (the better of the two
 *                                   counts; LATEST.json is updated): a regression must show twice
 *   guard DIR LATEST.json [THRESHOLD]   confirm against DIR's baseline of LATEST's machine class
 *                                   ({@link MachineClass}); exit 4 if DIR has none
 *   record DIR RUN.json             copies RUN.json to DIR's baseline of its machine class
 * </pre>
 * Exit codes: 0 fine, 1 a regression or a failed run, 2 bad usage, 3 inconclusive (regressions
 * on a busy machine: {@link Guard#busy}), 4 no baseline for this machine class.
 */
public final class BenchSuite {

  /** The quick suite's iterations: 2 × 1 s warm-up, 3 × 1 s measurement. */
  static final SuiteRunner.Settings QUICK = new SuiteRunner.Settings(2, 3);

  private BenchSuite() {}

  public static void main(String[] args) {
    try {
      System.exit(run(args));
    } catch (IllegalArgumentException e) {
      System.err.println("bench: " + e.getMessage());
      System.exit(2);
    } catch (IllegalStateException | IOException e) {
      System.err.println("bench: " + e.getMessage());
      if (System.getenv("FINWIDTH_DEBUG") != null) {
        e.printStackTrace();
      }
      System.exit(1);
    }
  }

  static int run(String[] args) throws IOException {
    String cmd = args.length > 0 ? args[0] : "";
    switch (cmd) {
      case "run" -> {
        need(args, 4, "run quick|peers OUT.json LOG");
        List<SuiteItem> items = switch (args[1]) {
          case "quick" -> Suites.quick();
          case "peers" -> Suites.peers();
          default -> throw new IllegalArgumentException("unknown suite " + args[1] + " (quick, peers)");
        };
        // peers: 10 warm-up seconds, so that C2 finishes the samplers even on a loaded machine
        SuiteRunner.Settings settings = args[1].equals("quick") ? QUICK : new SuiteRunner.Settings(10, 5);
        SuiteRun result = new SuiteRunner(settings, Path.of(args[3]), System.err).run(args[1], items);
        result.write(Path.of(args[2]));
        System.out.println();
        ResultTable.print(result, System.out);
        System.out.println("\nwritten: " + args[2]);
        return 0;
      }
      case "table" -> {
        need(args, 2, "table RUN.json");
        ResultTable.print(SuiteRun.read(Path.of(args[1])), System.out);
        return 0;
      }
      case "guard" -> {
        need(args, 3, "guard DIR LATEST.json [THRESHOLD]");
        Path dir = Path.of(args[1]);
        SuiteRun latest = SuiteRun.read(Path.of(args[2]));
        MachineClass mc = MachineClass.of(latest.machine());
        Path baseline = mc.baseline(dir);
        if (!java.nio.file.Files.isRegularFile(baseline)) {
          List<String> have = MachineClass.baselines(dir);
          System.out.printf("NO BASELINE for this machine class, %s (%s, %s float lanes): %s does not exist;"
              + " the baselines there are for %s. Scores of other classes are not comparable. Record one on a quiet"
              + " machine of this class: ./run.sh bench --baseline%n", mc.name(), latest.machine().get("cpu"),
              latest.machine().get("floatLanes"), baseline, have.isEmpty() ? "no class" : String.join(", ", have));
          return 4;
        }
        System.out.printf("machine class %s: baseline %s%n", mc.name(), baseline);
        return compare(true, baseline, Path.of(args[2]), args.length > 3 ? parse(args[3]) : Guard.DEFAULT_THRESHOLD);
      }
      case "record" -> {
        need(args, 3, "record DIR RUN.json");
        SuiteRun run = SuiteRun.read(Path.of(args[2]));
        if (!run.suite().equals("quick")) {
          throw new IllegalArgumentException(args[2] + " is a " + run.suite() + " run; a baseline is a quick run");
        }
        Path baseline = MachineClass.of(run.machine()).baseline(Path.of(args[1]));
        boolean existed = java.nio.file.Files.exists(baseline);
        run.write(baseline);
        System.out.printf("%s %s (machine class %s; load before the run %s): commit it with the change it measures%n",
            existed ? "replaced" : "written", baseline, MachineClass.of(run.machine()).name(),
            java.util.Arrays.toString(run.loadBefore()));
        return 0;
      }
      case "compare", "confirm" -> {
        need(args, 3, cmd + " BASELINE.json LATEST.json [THRESHOLD]");
        return compare(cmd.equals("confirm"), Path.of(args[1]), Path.of(args[2]),
            args.length > 3 ? parse(args[3]) : Guard.DEFAULT_THRESHOLD);
      }
      default -> throw new IllegalArgumentException("usage: run quick|peers OUT.json LOG | table RUN.json"
          + " | compare|confirm BASELINE.json LATEST.json [THRESHOLD] | guard DIR LATEST.json [THRESHOLD]"
          + " | record DIR RUN.json");
    }
  }

  /** The guard of {@code latest} against {@code baselineFile}; {@code confirm}: remeasure regressions once. */
  private static int compare(boolean confirm, Path baselineFile, Path latestFile, double threshold) throws IOException {
    SuiteRun base = SuiteRun.read(baselineFile);
    SuiteRun latest = SuiteRun.read(latestFile);
    MachineClass baseClass = MachineClass.of(base.machine());
    MachineClass latestClass = MachineClass.of(latest.machine());
    if (!baseClass.equals(latestClass)) {
      System.out.printf("NO BASELINE for this machine class: %s was measured on %s, %s on %s; scores of different"
          + " machine classes are not comparable%n", baselineFile, baseClass.name(), latestFile, latestClass.name());
      return 4;
    }
    System.out.printf("baseline: %s (load %s); latest: %s (load %s)%n%n", base.date(),
        java.util.Arrays.toString(base.loadBefore()), latest.date(), java.util.Arrays.toString(latest.loadBefore()));
    List<Guard.Verdict> verdicts = Guard.compare(base, latest, threshold);
    List<SuiteItem> again = Guard.regressed(verdicts, Suites.quick());
    if (confirm && !again.isEmpty()) {
      System.out.println("first comparison:");
      Guard.print(verdicts, threshold, System.out);
      System.out.printf("%nmeasuring the %d regressed result(s) again (a regression must show twice) ...%n%n",
          again.size());
      Path log = Path.of(latestFile + ".confirm.log");
      latest = new SuiteRunner(QUICK, log, System.err).remeasure(latest, again);
      latest.write(latestFile);
      verdicts = Guard.compare(base, latest, threshold);
    }
    boolean failed = Guard.print(verdicts, threshold, System.out);
    String busy = Guard.busy(latest);
    if (failed && busy != null) {
      System.out.println("INCONCLUSIVE: " + busy + " during the latest run; other jobs, not the code, can"
          + " explain these drops. Rerun when `uptime` shows a load below the processors.");
      return 3;
    }
    if (busy != null) {
      System.out.println("note: " + busy + " (no regression even so)");
    }
    return failed ? 1 : 0;
  }

  private static void need(String[] args, int n, String usage) {
    if (args.length < n) {
      throw new IllegalArgumentException("usage: " + usage);
    }
  }

  private static double parse(String s) {
    try {
      return Double.parseDouble(s);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("threshold is not a number: " + s);
    }
  }
}
