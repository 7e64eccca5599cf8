package org.finwidth.sim.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * {@code simulate} with a formula for a catalogue activation gives the catalogue's results. Where
 * the compiled formula runs the catalogue kernel's instructions (tanh; max(z,0) is relu's max),
 * the output is the same bit for bit. Otherwise (swish written as z/(1+exp(-z)), rewritten to
 * z·sigmoid(z): another instruction sequence) every number agrees to 2e-5 relative: each float
 * kernel is within 1e-6 of the double activation, so the two differ by at most 2e-6 per element;
 * through L = 3 layers with χ ≤ 1.5 a network's Gram entries then differ by at most
 * L·1.5^L·2e-6 ≈ 2e-5 relative, and so do averages of them (the theory columns agree to 1e-12).
 */
class SimulateFormulaTest {
  private static JsonNode run(String activation) throws Exception {
    CliRun r = CliRun.of("simulate", "-a", activation, "--cb", "0", "--cw", "1.5", "-L", "3", "-n",
        "16", "--gram", "1", "-M", "3000", "-s", "5", "--threads", "2", "--no-progress", "--json");
    assertEquals(0, r.code(), r.err());
    ObjectNode n = (ObjectNode) new ObjectMapper().readTree(r.out());
    ((ObjectNode) n.get("spec")).remove("activation");
    return n;
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
    "tanh    | expr:tanh(z)        | 0",
    "relu    | expr:max(z,0)       | 0",
    "swish   | expr:z/(1+exp(-z))  | 2e-5",
  })
  void formulaSimulatesLikeTheCatalogue(String catalogue, String formula, double tolerance)
      throws Exception {
    JsonNode a = run(catalogue);
    JsonNode b = run(formula);
    if (tolerance == 0) {
      assertEquals(a, b, "bit for bit");
      return;
    }
    int[] compared = {0};
    compare("", a, b, tolerance, compared);
    assertTrue(compared[0] > 50, "numbers compared: " + compared[0]);
  }

  private static void compare(String path, JsonNode a, JsonNode b, double tol, int[] count) {
    if (a.isNumber()) {
      assertTrue(b.isNumber(), path);
      double x = a.asDouble();
      double y = b.asDouble();
      if (!(Math.abs(x - y) <= tol * Math.max(Math.abs(x), Math.abs(y)) + 1e-300)) {
        fail(path + ": " + x + " vs " + y);
      }
      count[0]++;
      return;
    }
    if (a.isObject()) {
      for (Map.Entry<String, JsonNode> e : a.properties()) {
        compare(path + "." + e.getKey(), e.getValue(), b.get(e.getKey()), tol, count);
      }
      return;
    }
    if (a.isArray()) {
      assertEquals(a.size(), b.size(), path);
      for (int i = 0; i < a.size(); i++) {
        compare(path + "[" + i + "]", a.get(i), b.get(i), tol, count);
      }
      return;
    }
    assertEquals(a, b, path);
  }
}
