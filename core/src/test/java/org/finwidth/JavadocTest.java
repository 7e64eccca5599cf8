package org.finwidth;

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
      String where = d.getSource() == null ? "" : src.relativize(Path.of(d.getSource().toUri())) + ":" + d.getLineNumber() + ": ";
      problems.add(where + d.getKind().toString().toLowerCase(Locale.ROOT) + ": " + message.lines().findFirst().orElse(""));
    }
    if (!problems.isEmpty()) {
      fail(problems.size() + " javadoc problem(s) in core:\n" + String.join("\n", problems));
    }
  }
}
