package org.finwidth.sim.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code --activation class:NAME} with a class compiled here into a directory that is not on the
 * test class path, so that only {@code --classpath} can make it visible.
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
}
