package org.finwidth.codegen;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The checked-in flat kernels are exactly what {@link KernelFlattener} makes of the template: the
 * test regenerates them into {@code core/target/generated-check/} and compares byte for byte.
 * With {@code -Dfinwidth.regenerate=true} it writes the checked-in file instead (see the
 * generated file's header for the command).
 */
class GeneratedKernelsTest {

  private static Path repositoryRoot() {
    Path p = Path.of("").toAbsolutePath();
    while (p != null && !Files.isRegularFile(p.resolve(KernelFlattener.TEMPLATE))) {
      p = p.getParent();
    }
    if (p == null) {
      fail("cannot find " + KernelFlattener.TEMPLATE + " above " + Path.of("").toAbsolutePath());
    }
    return p;
  }

  @Test
  void checkedInKernelsAreTheRegeneratedOnes() throws IOException {
    Path root = repositoryRoot();
    String template = Files.readString(root.resolve(KernelFlattener.TEMPLATE), StandardCharsets.UTF_8);
    String regenerated = KernelFlattener.flatten(template);
    Path target = root.resolve("core/target/generated-check/FloatActivationKernels.java");
    Files.createDirectories(target.getParent());
    Files.writeString(target, regenerated, StandardCharsets.UTF_8);
    Path checkedIn = root.resolve(KernelFlattener.OUTPUT);
    if (Boolean.getBoolean("finwidth.regenerate")) {
      Files.writeString(checkedIn, regenerated, StandardCharsets.UTF_8);
    }
    String current = Files.readString(checkedIn, StandardCharsets.UTF_8);
    if (!current.equals(regenerated)) {
      String[] a = current.split("\n", -1);
      String[] b = regenerated.split("\n", -1);
      int line = 0;
      while (line < Math.min(a.length, b.length) && a[line].equals(b[line])) {
        line++;
      }
      fail(KernelFlattener.OUTPUT + " differs from the regenerated " + root.relativize(target)
          + " first at line " + (line + 1) + "; edit the template, not the generated file, and"
          + " regenerate: " + KernelFlattener.COMMAND);
    }
    assertTrue(current.startsWith("// GENERATED FILE, do not edit"), "header");
    assertTrue(current.contains(KernelFlattener.TEMPLATE), "the header names the template");
  }

  private static final String MINI = """
      package org.finwidth.vector.panama;

      final class Mini {
        private static FloatVector bc(float v) {
          return FloatVector.broadcast(F, v);
        }

        /** twice x. */
        private static FloatVector twice(FloatVector x) {
          FloatVector t = x.add(x);
          return t;
        }

        private static FloatVector pick(FloatVector x, boolean square) {
          if (square) {
            return x.mul(x);
          }
          FloatVector t = twice(x);
          return t.add(bc(1f));
        }

        static void k(float[] z, int zo, float[] out, int oo, int n) {
          FloatVector x = FloatVector.fromArray(F, z, zo);
          pick(x.neg(), false).intoArray(out, oo);
          pick(x, true).intoArray(out, oo);
        }
      }
      """;

  @Test
  void helpersAreExpandedInPlaceWithLiteralFlagsResolved() {
    String out = KernelFlattener.flatten(MINI);
    assertFalse(out.contains("private static FloatVector twice"), "expanded helpers are removed");
    assertFalse(out.contains("private static FloatVector pick"), "expanded helpers are removed");
    assertTrue(out.contains("private static FloatVector bc"), "bc stays (kept helpers use it)");
    String kernel = out.substring(out.indexOf("static void k("));
    List<String> body = kernel.lines().map(String::strip).toList();
    // pick(x.neg(), false) is expansion 0: its argument becomes the local x_0, the false branch
    // goes, its local t becomes t_0; twice (expansion 1) renames its own t to t_1; bc (2) gets
    // its non-identifier argument as a local v_2 and no comment line. pick(x, true) keeps only
    // the true branch and substitutes the identifier x directly.
    List<String> expected = List.of(
        "static void k(float[] z, int zo, float[] out, int oo, int n) {",
        "FloatVector x = FloatVector.fromArray(F, z, zo);",
        "// pick",
        "FloatVector x_0 = x.neg();",
        "// twice",
        "FloatVector t_1 = x_0.add(x_0);",
        "FloatVector t_0 = (t_1);",
        "float v_2 = 1f;",
        "(t_0.add((FloatVector.broadcast(F, v_2)))).intoArray(out, oo);",
        "// pick",
        "(x.mul(x)).intoArray(out, oo);",
        "}");
    assertEquals(expected, body.subList(0, expected.size()));
  }

  @Test
  void aNonLiteralFlagIsRefused() {
    String bad = MINI.replace("pick(x, true)", "pick(x, n > 0)");
    IllegalStateException e = assertThrows(IllegalStateException.class,
        () -> KernelFlattener.flatten(bad));
    assertTrue(e.getMessage().contains("only literals"), e.getMessage());
  }
}
