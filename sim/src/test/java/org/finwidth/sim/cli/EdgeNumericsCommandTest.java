package org.finwidth.sim.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Scales and parameters at the edges of the float and double ranges, through the command line:
 * what used to print a wrong measurement or count every network as diverged is now measured
 * within its standard error of the theory, or reported as out of range, never measured wrong.
 * Each measured G must lie within 4.5 SE of the theory's K + K1/n (two-sided normal tail 6.8e-6
 * per assertion, 3000 networks each; about 12 assertions).
 */
class EdgeNumericsCommandTest {
  private static final double Z = 4.5;

  private static JsonNode json(String... args) throws Exception {
    CliRun r = CliRun.of(CliRun.with(args, "--json", "--no-progress", "--threads", "2"));
    assertEquals(0, r.code(), r.err());
    return new ObjectMapper().readTree(r.out());
  }

  /** G of every layer within Z standard errors of K + K1/n_{l-1}; returns the JSON. */
  private static JsonNode assertMeasuredLikeTheory(String... args) throws Exception {
    JsonNode j = json(args);
    assertEquals(0, j.get("diverged").asLong(), "no network leaves the range");
    int n0 = j.get("spec").get("inputDim").asInt();
    for (JsonNode layer : j.get("layers")) {
      int l = layer.get("layer").asInt();
      double fanIn = l == 1 ? n0 : j.get("spec").get("widths").get(l - 2).asDouble();
      double theory = layer.get("K").get(0).get(0).asDouble() + layer.get("K1").get(0).get(0).asDouble() / fanIn;
      double g = layer.get("measured").get("G").get("mean").get(0).get(0).asDouble();
      double se = layer.get("measured").get("G").get("se").get(0).get(0).asDouble();
      assertTrue(se > 0 && Math.abs(g - theory) <= Z * se, "layer " + l + ": G = " + g + " ± " + se + ", theory " + theory);
    }
    return j;
  }

  @ParameterizedTest
  @ValueSource(strings = {"conditional", "weights"})
  void reluAtGram1eMinus160IsMeasuredWithinItsErrorAndVOutsideDoubleIsUndefined(String sampler) throws Exception {
    JsonNode j = assertMeasuredLikeTheory("simulate", "-a", "relu", "--cb", "0", "--cw", "2", "-L", "2", "-n", "4",
        "--gram", "1e-160", "-M", "3000", "-s", "1", "--sampler", sampler);
    // V ≈ 20 K² = 8e-319 is below double's normal range: undefined (null), not a rounded number
    assertTrue(j.get("layers").get(1).get("measured").get("V").get("00|00").get("mean").isNull());
  }

  @Test
  void reluAtGram1eMinus100AndCw1eMinus100IsMeasured() throws Exception {
    assertMeasuredLikeTheory("simulate", "-a", "relu", "--cb", "0", "--cw", "2", "-L", "2", "-n", "4",
        "--gram", "1e-100", "-M", "3000", "-s", "1");
    assertMeasuredLikeTheory("simulate", "-a", "leaky:a=0.3", "--cb", "0", "--cw", "1e-100", "-L", "3", "-n", "8",
        "--gram", "1", "-M", "3000", "-s", "2");
  }

  @Test
  void swishAtATemperatureFloatCannotHoldIsMeasured() throws Exception {
    assertMeasuredLikeTheory("simulate", "-a", "swish:T=1e-40", "--cb", "0", "--cw", "2", "-L", "2", "-n", "4",
        "--gram", "1", "-M", "3000", "-s", "1");
  }

  @Test
  void tanhBelowTheFloatRangeIsCountedNotMeasuredAndTheTheorySaysWhy() {
    CliRun r = CliRun.of("simulate", "-a", "tanh", "--cb", "0", "--cw", "1e-100", "-L", "2", "-n", "4", "--gram", "1",
        "-M", "3000", "-s", "1", "--no-progress");
    assertEquals(0, r.code(), r.err());
    assertTrue(r.out().contains("\ndiverged (not finite, or out of the float range) by first such layer: 1:3000 (network 0"
        + " is the first); they are not in the statistics\n"), r.out());
    assertTrue(r.out().contains("\ntheory: theory stops at layer 1: Gaussian averages of tanh at K = 1.0E-100 cannot be"
        + " computed in double precision: K is too small (K1 source not finite; the K1 source divides by K^4, which"
        + " underflows)\n"),
        r.out());
    assertTrue(r.out().lines().anyMatch(l -> l.matches("G 00 +n/a .*")), r.out());
  }
}
