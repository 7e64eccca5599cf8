package org.finwidth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import javax.tools.DiagnosticCollector;
import javax.tools.DocumentationTool;
import javax.tools.JavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;
import org.finwidth.vector.KernelProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The API documentation of core builds with doclint on and says something about everything public:
 * the javadoc tool runs over every package of core except {@code vector.panama} (an implementation
 * package, loaded reflectively; documenting it needs the incubator module, whose use javadoc always
 * warns about) with {@code -Xdoclint:all}, and every diagnostic fails the test except a missing
 * {@code @param} or {@code @return} tag: every public or protected type, constructor, method and
 * field has a comment with a main description, every declared checked exception an
 * {@code @throws}, and the HTML, references and syntax are clean. {@code ./run.sh docs} builds the
 * same pages into core/target/apidocs.
 */
class JavadocTest {
  @Test
  void coreJavadocHasNoWarnings(@TempDir Path out) throws IOException {
    // The documentation does not depend on the kernels: the scalar execution of the suite would repeat it.
    assumeTrue(KernelProvider.getInstance().implementation() == KernelProvider.Implementation.PANAMA,
        "run in the suite's Panama execution");
    Path src = Path.of("src/main/java").toAbsolutePath();
    assertTrue(Files.isDirectory(src.resolve("org/finwidth")), "run from core/: " + src);
    List<Path> files;
    try (Stream<Path> s = Files.walk(src)) {
      files = s.filter(p -> p.toString().endsWith(".java"))
          .filter(p -> !src.relativize(p).startsWith(Path.of("org/finwidth/vector/panama")))
          .sorted().toList();
    }
    assertTrue(files.size() > 50, "found only " + files.size() + " sources");
    DocumentationTool tool = ToolProvider.getSystemDocumentationTool();
    DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
    try (StandardJavaFileManager fm = tool.getStandardFileManager(diagnostics, Locale.ROOT, null)) {
      List<String> options = List.of("-Xdoclint:all", "-quiet", "-d", out.toString(), "-sourcepath", src.toString(),
          "-Xmaxwarns", "10000", "-Xmaxerrs", "10000");
      tool.getTask(null, fm, diagnostics, null, options, fm.getJavaFileObjectsFromPaths(files)).call();
    }
    List<String> problems = new ArrayList<>();
    for (var d : diagnostics.getDiagnostics()) {
      if (d.getKind() == javax.tools.Diagnostic.Kind.NOTE) {
        continue; // "N warnings": the count of what is filtered below
      }
      String message = d.getMessage(Locale.ROOT);
      if (message.startsWith("no @param for") || message.startsWith("no @return")) {
        continue; // tags for self-explanatory parameters and results are not required
      }
      String where = "";
      String member = "";
      if (d.getSource() != null) {
        Path file = Path.of(d.getSource().toUri());
        where = src.relativize(file) + ":" + d.getLineNumber() + ": ";
        member = "  [" + declaration(file, d.getLineNumber()) + "]";
      }
      problems.add(where + d.getKind().toString().toLowerCase(Locale.ROOT) + ": "
          + message.lines().findFirst().orElse("") + member);
    }
    if (!problems.isEmpty()) {
      fail(problems.size() + " javadoc problem(s) in core (each with the member it is about; a public type, constructor,"
          + " method or field needs a comment saying what, in which units, what it throws):\n" + String.join("\n", problems));
    }
  }

  /** A failure names the member: the declaration itself, or the one after the comment a diagnostic points into. */
  @Test
  void declarationNamesTheMember(@TempDir Path dir) throws IOException {
    Path f = dir.resolve("A.java");
    Files.writeString(f, String.join("\n", "public class A {", "  public int undocumented;", "",
        "  /** @throws IllegalArgumentException always */", "  @Deprecated", "  public A(int x) {", "  }", "}"));
    assertEquals("public int undocumented;", declaration(f, 2));
    assertEquals("public A(int x) {", declaration(f, 4));
    assertEquals("line 99", declaration(f, 99));
  }

  /**
   * The declaration a diagnostic is about, trimmed: the line it points at, or, when that line is in
   * a doc comment (a comment without a main description, bad HTML), the first line after the comment
   * that is not an annotation.
   */
  static String declaration(Path file, long line) {
    List<String> lines;
    try {
      lines = Files.readAllLines(file);
    } catch (IOException e) {
      return "unreadable: " + e.getMessage();
    }
    int i = (int) line - 1;
    if (i < 0 || i >= lines.size()) {
      return "line " + line;
    }
    String first = lines.get(i).strip();
    if (first.startsWith("/**") || first.startsWith("*")) {
      while (i < lines.size() && !lines.get(i).contains("*/")) {
        i++;
      }
      i++;
      while (i < lines.size() && (lines.get(i).isBlank() || lines.get(i).strip().startsWith("@"))) {
        i++;
      }
    }
    return i < lines.size() ? lines.get(i).strip() : first;
  }
}
