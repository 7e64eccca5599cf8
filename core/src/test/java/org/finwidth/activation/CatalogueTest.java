package org.finwidth.activation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The catalogue listing and the spec parser: canonical forms, round trips, every rejection. */
class CatalogueTest {
  private static final String KNOWN = "linear, relu, leaky, tanh, sin, erf, sigmoid, softplus, swish,"
      + " gelu, gelu-tanh, gudermanlu, algebraiclu, gumbellu, monomial, repu, mrepu, elu, selu, mish,"
      + " celu, softsign, hardtanh, hardswish";

  @Test
  void catalogueListsTheTwentyFourActivations() {
    assertEquals(List.of(KNOWN.split(", ")), Catalogue.names());
    for (Catalogue.Entry e : Catalogue.entries()) {
      Activation a = e.withDefaults();
      assertEquals(e.name(), a.name());
      assertEquals(e.name(), a.spec(), "defaults are omitted from the canonical spec");
      assertFalse(e.formula().isBlank());
      assertFalse(e.description().isBlank());
      for (Catalogue.Parameter p : e.parameters()) {
        assertFalse(p.domain().isBlank());
      }
    }
    assertEquals(List.of("c", "q"),
        Catalogue.entry("MRePU").parameters().stream().map(Catalogue.Parameter::name).toList());
  }

  @ParameterizedTest
  @CsvSource(delimiter = ';', value = {
    "relu; relu",
    "ReLU; relu",
    "  gelu  ; gelu",
    "leaky:a=0.1; leaky:a=0.1",
    "leaky:a=0.01; leaky",
    "leaky:a=1e-3; leaky:a=0.001",
    "leaky:a=0; leaky:a=0",
    "SWISH:t=0.50; swish:T=0.5",
    "swish:T=1.0; swish",
    "gelu : T = 2 ; gelu:T=2",
    "repu:p=2; repu",
    "repu:p=2.5; repu:p=2.5",
    "monomial:p=3; monomial:p=3",
    "monomial:p=3.0; monomial:p=3",
    "mrepu:c=1,q=2; mrepu",
    "mrepu:q=3,c=2; mrepu:c=2,q=3",
    "mrepu:Q=1.5; mrepu:q=1.5",
    "erf:a=+.5; erf:a=0.5",
    "gumbellu:T=1e-12; gumbellu:T=1.0E-12",
    "gelu-tanh:T=12345678; gelu-tanh:T=12345678",
  })
  void specsParseToTheirCanonicalForm(String spec, String canonical) {
    Activation a = Activation.parse(spec);
    assertEquals(canonical, a.spec());
    assertEquals(a, Activation.parse(a.spec()));
  }

  @Test
  void randomParametersRoundTripExactly() {
    SplittableRandom rng = new SplittableRandom(42L); // fixed seed: any double must round-trip
    for (int i = 0; i < 500; i++) {
      double t = Math.exp(20 * rng.nextDouble() - 10);
      double p = 1 + 10 * rng.nextDouble();
      double a = rng.nextDouble();
      for (Activation act : List.of(new Swish(t), new Gelu(t), new GumbelLU(t), new Erf(t),
          new Repu(p), new Leaky(a), new Mrepu(t, p), new Monomial(1 + rng.nextInt(50)))) {
        assertEquals(act, Activation.parse(act.spec()), act.spec());
      }
    }
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
    "foo| unknown activation 'foo'; known activations: " + KNOWN,
    "'   '| empty activation spec; known activations: " + KNOWN,
    "swish:T=| swish: parameter T has no value (expected e.g. T=1)",
    "swish:T| swish: malformed parameter 'T' (expected name=value, e.g. swish:T=1)",
    "swish:=1| swish: malformed parameter '=1' (expected name=value, e.g. swish:T=1)",
    "swish:T=1,| swish: malformed parameter '' (expected name=value, e.g. swish:T=1)",
    "mrepu:c| mrepu: malformed parameter 'c' (expected name=value, e.g. mrepu:c=1,q=2)",
    "swish:| swish: empty parameter list after ':' (expected e.g. swish:T=1)",
    "swish:a=1| swish: unknown parameter 'a'; allowed: T",
    "mrepu:p=1| mrepu: unknown parameter 'p'; allowed: c, q",
    "relu:a=1| relu: takes no parameters, got 'a=1'",
    "swish:T=1,T=2| swish: parameter T given twice",
    "swish:T=NaN| swish: parameter T must be a finite number, got NaN",
    "swish:T=-Infinity| swish: parameter T must be a finite number, got -Infinity",
    "swish:T=inf| swish: parameter T must be a finite number, got inf",
    "swish:T=1e999| swish: parameter T must be a finite number, got 1e999",
    "swish:T=abc| swish: parameter T must be a number, got 'abc'",
    "swish:T=1d| swish: parameter T must be a number, got '1d'",
    "swish:T=0x1p3| swish: parameter T must be a number, got '0x1p3'",
    "swish:T=0| swish: parameter T must be > 0, got 0",
    "swish:T=-1| swish: parameter T must be > 0, got -1",
    "gelu:T=-0.5| gelu: parameter T must be > 0, got -0.5",
    "repu:p=0.5| repu: parameter p must be >= 1, got 0.5",
    "monomial:p=2.5| monomial: parameter p must be an integer >= 1, got 2.5",
    "monomial:p=0| monomial: parameter p must be an integer >= 1, got 0",
    "monomial:p=1e10| monomial: parameter p must be an integer >= 1, got 10000000000",
    "leaky:a=1| leaky: parameter a must be in [0, 1), got 1",
    "leaky:a=-0.1| leaky: parameter a must be in [0, 1), got -0.1",
    "erf:a=0| erf: parameter a must be > 0, got 0",
    "mrepu:c=0| mrepu: parameter c must be > 0, got 0",
    "mrepu:q=0.9| mrepu: parameter q must be >= 1, got 0.9",
  })
  void badSpecsAreRejectedWithOneLineNamingParameterAndValue(String spec, String message) {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> Activation.parse(spec));
    assertEquals(message, e.getMessage());
    assertFalse(e.getMessage().contains("\n"));
  }

  @Test
  void nullSpecAndDirectConstructionAreChecked() {
    assertTrue(assertThrows(IllegalArgumentException.class, () -> Activation.parse(null))
        .getMessage().startsWith("empty activation spec"));
    assertEquals("swish: parameter T must be a finite number, got NaN",
        assertThrows(IllegalArgumentException.class, () -> new Swish(Double.NaN)).getMessage());
    assertEquals("repu: parameter p must be >= 1, got 0.99",
        assertThrows(IllegalArgumentException.class, () -> new Repu(0.99)).getMessage());
    assertEquals("monomial: parameter p must be an integer >= 1, got 0",
        assertThrows(IllegalArgumentException.class, () -> new Monomial(0)).getMessage());
    assertEquals(new Leaky(0.0), new Leaky(-0.0), "-0.0 is normalised so that specs round-trip");
  }
}
