package org.finwidth.sim.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.finwidth.activation.Catalogue;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** {@code finwidth activations} and the main job, run in-process with captured output. */
class ActivationsCommandTest {
  private static CliRun run(String... args) {
    return CliRun.of(args);
  }

  @Test
  void listsEveryActivationWithParametersAndFormula() {
    CliRun r = run("activations");
    assertEquals(0, r.code(), r.err());
    assertEquals("", r.err());
    for (Catalogue.Entry e : Catalogue.entries()) {
      assertTrue(r.out().contains(e.name()), e.name());
      assertTrue(r.out().contains(e.formula()), e.formula());
    }
    assertTrue(r.out().contains("T=1 (> 0)"));
    assertTrue(r.out().contains("c=1 (> 0), q=2 (>= 1)"));
  }

  @Test
  void listsTheCatalogueAsJson() throws Exception {
    CliRun r = run("activations", "--json");
    assertEquals(0, r.code(), r.err());
    JsonNode list = new ObjectMapper().readTree(r.out());
    assertEquals(Catalogue.entries().size(), list.size());
    JsonNode mrepu = list.get(16);
    assertEquals("mrepu", mrepu.get("name").asText());
    assertEquals("q", mrepu.get("parameters").get(1).get("name").asText());
    assertEquals(2.0, mrepu.get("parameters").get(1).get("default").asDouble());
  }

  @Test
  void showsOneActivation() throws Exception {
    CliRun r = run("activations", "--activation", "TANH");
    assertEquals(0, r.code(), r.err());
    assertTrue(r.out().contains("sigma_0..3     0  1  0  -2"), r.out());
    assertTrue(r.out().contains("a_1            -2"), r.out());
    assertTrue(r.out().contains("0.394294490397841"), r.out()); // docs/theory.md §8.1, <tanh^2> at K = 1
    CliRun j = run("activations", "-a", "gelu", "-K", "2", "--json");
    assertEquals(0, j.code(), j.err());
    JsonNode node = new ObjectMapper().readTree(j.out());
    assertEquals("gelu", node.get("spec").asText());
    assertEquals(6 / Math.PI, node.get("a1").asDouble(), 1e-15);
    assertEquals(2.0, node.get("gaussian").get("K").asDouble());
    // GELU closed form (docs/theory.md §2.1) at K = 2.
    double k = 2;
    double expected = k / 4 + k / (2 * Math.PI) * Math.asin(k / (1 + k))
        + k * k / (Math.PI * (1 + k) * Math.sqrt(1 + 2 * k));
    assertEquals(expected, node.get("gaussian").get("sigma2").asDouble(), 1e-12 * expected);
    CliRun relu = run("activations", "-a", "relu", "--json");
    JsonNode rn = new ObjectMapper().readTree(relu.out());
    assertTrue(rn.get("sigma0to3").get(1).isNull(), "NaN is written as null");
    assertEquals(1.0, rn.get("homogeneity").asDouble());
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
    "activations --activation foo| finwidth: unknown activation 'foo'; known activations:",
    "activations --activation swish:T=| finwidth: swish: parameter T has no value",
    "activations --activation swish:T| finwidth: swish: malformed parameter 'T'",
    "activations --activation swish:a=1| finwidth: swish: unknown parameter 'a'; allowed: T",
    "activations --activation swish:T=NaN| finwidth: swish: parameter T must be a finite number, got NaN",
    "activations --activation swish:T=-1| finwidth: swish: parameter T must be > 0, got -1",
    "activations --activation repu:p=0.5| finwidth: repu: parameter p must be >= 1, got 0.5",
    "activations -a relu -K -1| finwidth: --variance must be a finite number > 0, got -1",
    "activations -a relu -K NaN| finwidth: --variance must be a finite number > 0, got NaN",
    "activations -a relu -K abc| finwidth: Invalid value for option '--variance'",
    "activations --bogus| finwidth: Unknown option: '--bogus'",
    "activations --activation| finwidth: Missing required parameter for option '--activation'",
    "nonsense| finwidth: Unmatched argument at index 0: 'nonsense'",
  })
  void badInputGivesOneLineOnStderrAndExitCode2(String args, String messageStart) {
    CliRun r = run(args.split(" "));
    assertEquals(2, r.code(), r.err());
    assertEquals("", r.out());
    String[] lines = r.err().split("\\R");
    assertEquals(1, lines.length, r.err());
    assertTrue(lines[0].startsWith(messageStart), lines[0]);
  }

}
