package org.finwidth.sim.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code --activation class:NAME} with a class compiled here into a directory that is not on the
 * test class path, so that only {@code --classpath} or, in a child JVM, the environment variable
 * {@code FINWIDTH_CP} can make it visible.
 */
class UserActivationCommandTest {
  @TempDir static Path dir;
  static Path classes;

  /** Softsign z/(1+|z|) as a user writes it (kink of σ'' at 0), and a class that is no activation. */
  @BeforeAll
  static void compile() throws Exception {
    Path src = dir.resolve("src/demo");
    Files.createDirectories(src);
    Files.writeString(src.resolve("Softsign.java"), """
        package demo;
        public class Softsign implements org.finwidth.activation.CustomActivation {
          public double value(double z) { return z / (1 + Math.abs(z)); }
          public double d1(double z) { double d = 1 + Math.abs(z); return 1 / (d * d); }
          public double d2(double z) { double d = 1 + Math.abs(z); return -2 * Math.signum(z) / (d * d * d); }
          public double[] kinks() { return new double[] {0}; }
        }
        """);
    Files.writeString(src.resolve("Plain.java"), "package demo;\npublic class Plain {}\n");
    classes = dir.resolve("classes");
    Files.createDirectories(classes);
    JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
    int rc = javac.run(null, null, null, "-d", classes.toString(), "-cp",
        System.getProperty("java.class.path"), src.resolve("Softsign.java").toString(),
        src.resolve("Plain.java").toString());
    assertEquals(0, rc, "javac");
  }

  @Test
  void criticalityOfAUserClassOnTheClassPath() throws Exception {
    CliRun r = CliRun.of("criticality", "-a", "class:demo.Softsign", "--classpath",
        classes.toString(), "--json");
    assertEquals(0, r.code(), r.err());
    JsonNode n = new ObjectMapper().readTree(r.out());
    assertEquals("class:demo.Softsign", n.get("activation").asText());
    assertTrue(List.of("k-star-zero", "half-stable", "none", "scale-invariant")
        .contains(n.get("class").asText()), n.toString());
    assertTrue(n.get("reason").asText().length() > 20, "a computed reason");
  }

  @Test
  void theClassIsInvisibleWithoutTheClassPath() {
    // the message below is the one for an unset FINWIDTH_CP; a shell that sets it tests otherwise
    assumeTrue(System.getenv(UserClassPath.ENV) == null, "FINWIDTH_CP is set in this environment");
    CliRun r = CliRun.of("criticality", "-a", "class:demo.Softsign");
    assertEquals(2, r.code());
    assertEquals("finwidth: activation class 'demo.Softsign' not found on the class path (neither"
        + " --classpath nor FINWIDTH_CP is set; give the directory or jar that holds it)",
        r.err().strip());
    assertEquals("", r.out());
  }

  @Test
  void aClassThatIsNoActivationIsRefused() {
    CliRun r = CliRun.of("activations", "-a", "class:demo.Plain", "--classpath",
        classes + File.pathSeparator + classes);
    assertEquals(2, r.code());
    assertEquals("finwidth: activation class 'demo.Plain' does not implement"
        + " org.finwidth.activation.CustomActivation", r.err().strip());
  }

  @Test
  void simulateRunsAUserClass() {
    CliRun r = CliRun.of("simulate", "-a", "class:demo.Softsign", "--classpath", classes.toString(),
        "--cb", "0", "--cw", "1", "-L", "2", "-n", "8", "--gram", "1", "-M", "256", "-s", "3",
        "--threads", "1", "--no-progress");
    assertEquals(0, r.code(), r.err());
    assertTrue(r.out().contains("class:demo.Softsign"), r.out());
  }

  /** A child JVM (the environment cannot be set in-process) with {@code FINWIDTH_CP} only. */
  private static CliRun child(String finwidthCp, String... args) throws Exception {
    List<String> cmd = new ArrayList<>(List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "--add-modules", "jdk.incubator.vector", "-cp", System.getProperty("java.class.path"),
        org.finwidth.sim.Main.class.getName()));
    cmd.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(cmd).directory(dir.toFile());
    pb.environment().put(UserClassPath.ENV, finwidthCp);
    Path out = dir.resolve("child.out");
    Path err = dir.resolve("child.err");
    Process p = pb.redirectOutput(out.toFile()).redirectError(err.toFile()).start();
    if (!p.waitFor(2, TimeUnit.MINUTES)) {
      p.destroyForcibly();
      throw new AssertionError("the child JVM did not finish in 2 minutes");
    }
    // the JVM's own notice of the incubator module is not finwidth's output
    String stderr = Files.readString(err).lines()
        .filter(l -> !l.startsWith("WARNING: Using incubator modules"))
        .collect(Collectors.joining("\n"));
    return new CliRun(p.exitValue(), Files.readString(out), stderr);
  }

  @Test
  void finwidthCpAloneMakesTheClassVisible() throws Exception {
    // relative to the working directory (the temp dir), as documented
    CliRun r = child("classes", "criticality", "-a", "class:demo.Softsign", "--json");
    assertEquals(0, r.code(), r.err());
    JsonNode n = new ObjectMapper().readTree(r.out());
    assertEquals("class:demo.Softsign", n.get("activation").asText());
    CliRun viaFlag = CliRun.of("criticality", "-a", "class:demo.Softsign", "--classpath",
        classes.toString(), "--json");
    assertEquals(0, viaFlag.code(), viaFlag.err());
    assertEquals(new ObjectMapper().readTree(viaFlag.out()), n, "same result as with --classpath");
  }

  @Test
  void aMissingFinwidthCpEntryIsRefusedInOneLine() throws Exception {
    CliRun r = child("nowhere", "criticality", "-a", "class:demo.Softsign");
    assertEquals(2, r.code());
    assertEquals("finwidth: FINWIDTH_CP: no such file or directory: nowhere", r.err().strip());
    assertEquals("", r.out());
  }
}
