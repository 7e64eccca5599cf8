package org.finwidth.sim.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The launcher and the outputs under real processes: {@code run.sh} runs the JVM in the caller's
 * directory and is replaced by it (a TERM to the launcher or to its whole process group reaches
 * the JVM, whose exit code and last stderr line come through; a SIGKILL leaves no shell message),
 * two runs never write one output (the second refuses up front, naming the first), a read-only
 * file system is refused before any work, and the repository, the current directory and a user's
 * directory are refused as experiment outputs and left as they were. The launcher runs from the
 * test classes ({@code FINWIDTH_CLASSPATH}), so nothing is built.
 */
class NothingLostTest {
  /** A run that lasts far longer than any test waits (tanh, about 10^5 networks per second). */
  private static final List<String> LONG_RUN = List.of("simulate", "-a", "tanh", "--cb", "0", "--cw", "1", "-L", "3",
      "-n", "64", "--gram", "1", "-M", "100000000", "-s", "1", "--threads", "1", "--no-progress");
  private static final String DIR_REFUSAL = "; finwidth writes results only into a directory of their own (new, or"
      + " written by finwidth), e.g. results/NAME";

  @TempDir Path tmp;

  private static Path repository() {
    return Path.of(System.getProperty("user.dir")).toAbsolutePath().getParent();
  }

  private static Path launcher() {
    Path sh = repository().resolve("run.sh");
    assumeTrue(Files.isExecutable(sh), "run.sh next to the sim module");
    return sh;
  }

  /**
   * {@code run.sh ARGS} in {@code cwd}, in a session of its own (its pid is its process group),
   * with stderr on a pipe ({@link #lines} reads it to its end: the end comes when the JVM and the
   * launcher's stderr filter have both closed it).
   */
  private static Process launch(Path cwd, List<String> args) throws IOException {
    return launch(cwd, args, null);
  }

  /** {@link #launch(Path, List)} with FINWIDTH_JVM_OPTS (null: unset). */
  private static Process launch(Path cwd, List<String> args, String jvmOpts) throws IOException {
    List<String> cmd = new ArrayList<>(List.of("setsid", launcher().toString()));
    cmd.addAll(args);
    ProcessBuilder pb = new ProcessBuilder(cmd).directory(cwd.toFile()).redirectOutput(ProcessBuilder.Redirect.DISCARD);
    pb.environment().put("FINWIDTH_CLASSPATH", System.getProperty("java.class.path"));
    if (jvmOpts == null) {
      pb.environment().remove("FINWIDTH_JVM_OPTS");
    } else {
      pb.environment().put("FINWIDTH_JVM_OPTS", jvmOpts);
    }
    return pb.start();
  }

  private static int finish(Process p) throws InterruptedException {
    if (!p.waitFor(2, TimeUnit.MINUTES)) {
      p.destroyForcibly();
      throw new AssertionError("a child did not finish in 2 minutes");
    }
    return p.exitValue();
  }

  /** Everything the child wrote on stderr, once every writer closed it. */
  private static List<String> lines(Process p) throws IOException {
    return new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8).lines().toList();
  }

  private static void awaitFile(Path file, Process p) throws InterruptedException {
    for (int i = 0; i < 1200 && !Files.exists(file); i++) {
      assertTrue(p.isAlive(), "the run ended before writing " + file);
      Thread.sleep(50);
    }
    assertTrue(Files.exists(file), file + " was not written within a minute");
  }

  private static List<String> longRun(String... more) {
    List<String> a = new ArrayList<>(LONG_RUN);
    a.addAll(List.of(more));
    return a;
  }

  @Test
  void aTermToTheLauncherReachesTheJvmWhoseLastLineAndExitCodeComeThrough() throws Exception {
    Process p = launch(tmp, longRun("--checkpoint", "ck.fwr", "--checkpoint-every", "0.2"));
    awaitFile(tmp.resolve("ck.fwr"), p);
    new ProcessBuilder("kill", "-TERM", Long.toString(p.pid())).start().waitFor();
    assertEquals(143, finish(p));
    List<String> lines = lines(p);
    assertFalse(lines.isEmpty(), "stderr is empty");
    assertTrue(lines.getLast().matches("finwidth: stopped by a signal after \\d+ of 100000000 networks; ck\\.fwr holds the"
        + " finished blocks: rerun with --resume to continue"), lines.toString());
  }

  @Test
  void aTermToTheWholeProcessGroupKeepsTheLastLine() throws Exception {
    Process p = launch(tmp, longRun("--checkpoint", "ck.fwr", "--checkpoint-every", "0.2"));
    awaitFile(tmp.resolve("ck.fwr"), p);
    new ProcessBuilder("kill", "-TERM", "--", "-" + p.pid()).start().waitFor();
    assertEquals(143, finish(p));
    List<String> lines = lines(p);
    assertFalse(lines.isEmpty(), "stderr is empty");
    assertTrue(lines.getLast().startsWith("finwidth: stopped by a signal after "), lines.toString());
  }

  @Test
  void aKillLeavesNoShellMessageAndTheExitCodeIsTheSignals() throws Exception {
    Process p = launch(tmp, longRun("--checkpoint", "ck.fwr", "--checkpoint-every", "0.2"));
    awaitFile(tmp.resolve("ck.fwr"), p);
    new ProcessBuilder("kill", "-KILL", Long.toString(p.pid())).start().waitFor();
    assertEquals(137, finish(p));
    assertEquals(List.of(), lines(p), "nothing on stderr (no 'Killed' line)");
  }

  /**
   * A JVM whose vectors the kernels cannot use (-XX:MaxVectorSize=8: 64-bit vectors) runs on the
   * scalar kernels and says why in one line (it used to fail every run with a bare
   * InvocationTargetException); forcing the Vector API kernels there fails with the same reason.
   */
  @Test
  void aJvmWithoutUsableVectorsRunsScalarAndSaysWhy() throws Exception {
    List<String> run = List.of("simulate", "-a", "relu", "--cb", "0", "--cw", "2", "-L", "2", "-n", "4", "--gram", "1",
        "-M", "10", "-s", "1", "--no-progress");
    String why = "the Vector API kernels cannot run in this JVM (IllegalStateException: unsupported vector shape";
    Process auto = launch(tmp, run, "-XX:MaxVectorSize=8");
    List<String> autoLines = lines(auto);
    assertEquals(0, finish(auto), autoLines.toString());
    assertEquals(1, autoLines.size(), autoLines.toString());
    assertTrue(autoLines.getFirst().startsWith("finwidth kernels: scalar, because " + why), autoLines.toString());
    Process forced = launch(tmp, run, "-XX:MaxVectorSize=8 -Dfinwidth.kernels=panama");
    List<String> forcedLines = lines(forced);
    assertEquals(1, finish(forced), forcedLines.toString());
    assertEquals(1, forcedLines.size(), forcedLines.toString());
    assertTrue(forcedLines.getFirst().startsWith("finwidth: " + why), forcedLines.toString());
  }

  @Test
  void relativePathsMeanTheCallersDirectoryAndBadInputGivesItsLineAndTwo() throws Exception {
    Process p = launch(tmp, List.of("simulate", "-a", "relu", "--cb", "0", "--cw", "2", "-L", "2", "-n", "4",
        "--gram", "1", "-M", "1000", "-s", "1", "--no-progress", "--out", "rel.fwr", "--csv", "rel.csv"));
    List<String> out = lines(p);
    assertEquals(0, finish(p), out.toString());
    assertTrue(Files.isRegularFile(tmp.resolve("rel.fwr")) && Files.isRegularFile(tmp.resolve("rel.csv")));
    Process bad = launch(tmp, List.of("simulate", "-a", "relu", "--cb", "0", "--cw", "2", "-L", "2", "-n", "4",
        "--gram", "1", "-M", "0", "-s", "1"));
    assertEquals(2, finish(bad));
    assertEquals(List.of("finwidth: --networks must be >= 1, got 0"), lines(bad));
  }

  @Test
  void twoRunsNeverWriteOneOutput() throws Exception {
    Process a = launch(tmp, longRun("--out", "x.fwr", "--checkpoint", "a.ck", "--checkpoint-every", "0.2"));
    try {
      awaitFile(tmp.resolve("a.ck"), a);
      String holder = "\\(pid " + a.pid() + " on \\S+, since \\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ\\)";
      // the second run is this JVM: the lock is the operating system's, between processes
      for (List<String> second : List.of(List.of("--out", tmp.resolve("x.fwr").toString()),
          List.of("--out", tmp.resolve("../" + tmp.getFileName() + "/./x.fwr").toString()),
          List.of("--out", tmp.resolve("a.ck").toString()),
          List.of("--checkpoint", tmp.resolve("a.ck").toString(), "--resume"))) {
        List<String> args = new ArrayList<>(List.of("simulate", "-a", "relu", "--cb", "0", "--cw", "2", "-L", "2", "-n",
            "4", "--gram", "1", "-M", "1000", "-s", "1", "--no-progress"));
        args.addAll(second);
        CliRun b = CliRun.of(args.toArray(String[]::new));
        assertEquals(2, b.code(), second.toString());
        assertTrue(b.err().matches("finwidth: " + second.getFirst() + ": "
            + java.util.regex.Pattern.quote(second.get(1)) + " is being written by another finwidth run " + holder
            + "; wait until it ends, or choose another name\n"), b.err());
      }
      assertTrue(a.isAlive(), "the first run goes on");
    } finally {
      new ProcessBuilder("kill", "-TERM", Long.toString(a.pid())).start().waitFor();
      finish(a);
    }
    // the killed run's lock file holds no lock: the next run takes it over and removes it
    CliRun c = CliRun.of("simulate", "-a", "relu", "--cb", "0", "--cw", "2", "-L", "2", "-n", "4", "--gram", "1",
        "-M", "1000", "-s", "1", "--no-progress", "--out", tmp.resolve("x.fwr").toString());
    assertEquals(0, c.code(), c.err());
    assertTrue(Files.notExists(tmp.resolve(".x.fwr.lock")), "the lock file is removed at the end");
  }

  @Test
  void theRepositoryTheCurrentDirectoryAndAUsersDirectoryAreRefusedAndLeftAsTheyWere() throws Exception {
    Path repo = repository();
    List<String> before = listing(repo);
    Process inRepo = launch(repo, List.of("experiment", "repu", "--quick", "--out", "."));
    assertEquals(List.of("finwidth: --out: . is the current directory" + DIR_REFUSAL), lines(inRepo));
    assertEquals(2, finish(inRepo));
    CliRun empty = CliRun.of("experiment", "repu", "--quick", "--out", "");
    assertEquals("finwidth: --out: '' is the current directory" + DIR_REFUSAL + "\n", empty.err());
    assertEquals(2, empty.code());
    Process fromElsewhere = launch(tmp, List.of("experiment", "repu", "--quick", "--out", repo.toString()));
    assertEquals(List.of("finwidth: --out: " + repo + " is the finwidth repository" + DIR_REFUSAL), lines(fromElsewhere));
    assertEquals(2, finish(fromElsewhere));
    assertEquals(before, listing(repo), "the repository's top level is unchanged");
    Path user = Files.createDirectory(tmp.resolve("mine"));
    Files.writeString(user.resolve("thesis.tex"), "\\documentclass{article}\n");
    CliRun userDir = CliRun.of("experiment", "repu", "--quick", "--out", user.toString());
    assertEquals("finwidth: --out: " + user + " is an existing directory that finwidth did not create (it has no"
        + " .finwidth-experiment); finwidth replaces only its own results directories: give a new directory\n",
        userDir.err());
    assertEquals(2, userDir.code());
    assertEquals(List.of("thesis.tex"), listing(user));
    assertEquals("\\documentclass{article}\n", Files.readString(user.resolve("thesis.tex")));
  }

  @Test
  void aReadOnlyFileSystemIsRefusedBeforeAnyWork() throws Exception {
    Path mount = Files.createDirectory(tmp.resolve("ro"));
    Process m = new ProcessBuilder("mount", "-t", "tmpfs", "-o", "ro,size=1m", "tmpfs", mount.toString())
        .redirectErrorStream(true).start();
    assumeTrue(m.waitFor() == 0, "mounting a read-only tmpfs needs root");
    try {
      CliRun e = CliRun.of("experiment", "repu", "--quick", "--out", mount.resolve("x").toString());
      assertEquals("finwidth: --out: cannot write " + mount.resolve("x") + ": directory " + mount
          + ": Read-only file system\n", e.err());
      assertEquals(2, e.code());
      CliRun s = CliRun.of("simulate", "-a", "relu", "--cb", "0", "--cw", "2", "-L", "2", "-n", "4", "--gram", "1",
          "-M", "1000", "-s", "1", "--no-progress", "--out", mount.resolve("x.fwr").toString());
      assertEquals("finwidth: --out: cannot write " + mount.resolve("x.fwr") + ": directory " + mount
          + ": Read-only file system\n", s.err());
      assertEquals(2, s.code());
    } finally {
      new ProcessBuilder("umount", mount.toString()).start().waitFor();
    }
  }

  private static List<String> listing(Path dir) throws IOException {
    try (Stream<Path> s = Files.list(dir)) {
      return s.map(p -> p.getFileName().toString()).sorted().toList();
    }
  }
}
