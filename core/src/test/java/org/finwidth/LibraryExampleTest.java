package org.finwidth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.finwidth.network.NetworkSpec;
import org.finwidth.vector.KernelProvider;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The library examples of README.md ("Use as a Java library") cannot rot: README.md shows the files
 * examples/library/Example.java and OwnActivation.java as they are, and the file, run as a user runs it (the JDK's source
 * launcher in a child JVM, with only core's classes on the class path), prints exactly the output
 * README.md shows beside it. The numbers are a pure function of the seed, whatever the thread count
 * and the kernels (docs/design.md invariant 1), so the comparison is exact; the child uses the
 * kernels of this test run (Panama in one execution of the suite, scalar in the other).
 */
class LibraryExampleTest {

  private static Path root() {
    Path p = Path.of("").toAbsolutePath();
    while (p != null && !(Files.isRegularFile(p.resolve("mvnw")) && Files.isDirectory(p.resolve("core")))) {
      p = p.getParent();
    }
    assertTrue(p != null, "the repository root above " + Path.of("").toAbsolutePath());
    return p;
  }

  /** The fenced code block that follows {@code mark} in {@code text}, without its fences. */
  static String block(String text, String mark) {
    int at = text.indexOf(mark);
    assertTrue(at >= 0, "README.md has no " + mark);
    int open = text.indexOf("```", at);
    int start = text.indexOf('\n', open) + 1;
    int close = text.indexOf("\n```", start);
    assertTrue(open >= 0 && close > start, "README.md: no code block after " + mark);
    return text.substring(start, close);
  }

  @ParameterizedTest
  @ValueSource(strings = {"Example", "OwnActivation"})
  void readmeShowsTheExampleAndWhatItPrints(String name) throws IOException, InterruptedException, java.net.URISyntaxException {
    String file = "examples/library/" + name + ".java";
    String codeMark = "<!-- " + file + " -->";
    String outputMark = "<!-- the output of " + file + " -->";
    Path root = root();
    String readme = Files.readString(root.resolve("README.md"), StandardCharsets.UTF_8);
    Path example = root.resolve(file);
    assertEquals(Files.readString(example, StandardCharsets.UTF_8).strip(), block(readme, codeMark).strip(),
        "README.md shows " + file + " as it is");
    String classes = Path.of(NetworkSpec.class.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
    List<String> cmd = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "--add-modules", "jdk.incubator.vector",
        "-Dfinwidth.kernels=" + KernelProvider.getInstance().implementation().name().toLowerCase(java.util.Locale.ROOT),
        "-cp", classes, example.toString());
    Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.DISCARD).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(5, TimeUnit.MINUTES), "the example did not finish");
    assertEquals(0, p.exitValue(), "the example failed; it printed:\n" + out);
    assertEquals(block(readme, outputMark).strip(), out.strip(), "README.md shows what the example prints");
  }
}
