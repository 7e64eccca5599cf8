package org.finwidth.theory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.finwidth.activation.Activation;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * A formula (or a user class) for a catalogue activation has the catalogue's class and critical
 * points. They go through different code (jets and the formula's kinks, feature scale and homogeneity vs the
 * records' hand-derived derivatives), so agreement to 1e-10 relative (the solver's own accuracy
 * is 1e-13 for K* and C_W, 1e-12 for C_b; CriticalitySolverTest) checks both.
 */
class FormulaCriticalityTest {
  private static final double REL = 1e-10;

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
    "expr:tanh(z)                 | tanh",
    "expr:z/(1+exp(-z))           | swish",
    "expr:z/(1+exp(-z/T));T=0.5   | swish:T=0.5",
    "expr:max(z,0)                | relu",
    "expr:where(z>0,z,0.3*z)      | leaky:a=0.3",
    "expr:log(1+exp(z))           | softplus",
    "expr:z*tanh(log(1+exp(z)))   | mish",
    "expr:where(z>0,z,exp(z)-1)   | elu",
    "expr:z*min(max(z+3,0),6)/6   | hardswish",
    "class:org.finwidth.activation.user.UserMish | mish",
  })
  void sameClassAndCriticalPointsAsTheCatalogue(String formula, String catalogue) {
    Criticality f = CriticalitySolver.solve(Activation.parse(formula));
    Criticality c = CriticalitySolver.solve(Activation.parse(catalogue));
    assertEquals(c.universalityClass(), f.universalityClass(), formula);
    assertEquals(c.critical().size(), f.critical().size(), formula);
    for (int i = 0; i < c.critical().size(); i++) {
      Criticality.CriticalPoint p = c.critical().get(i);
      Criticality.CriticalPoint q = f.critical().get(i);
      assertEquals(p.cw(), q.cw(), REL * p.cw(), formula + " C_W");
      assertEquals(p.cb(), q.cb(), REL * p.cb(), formula + " C_b (exactly 0 where the catalogue has 0)");
      assertEquals(p.kstar().isPresent(), q.kstar().isPresent(), formula + " K* or a line");
      if (p.kstar().isPresent()) {
        assertEquals(p.kstar().getAsDouble(), q.kstar().getAsDouble(),
            REL * p.kstar().getAsDouble(), formula + " K*");
      }
      assertEquals(p.approach(), q.approach(), formula + " approach");
    }
    if (Double.isNaN(c.a1())) {
      assertTrue(Double.isNaN(f.a1()), formula + " a_1 undefined");
    } else {
      // a user class without d3 gets sigma_3 from a difference quotient of d2 (1e-9, documented)
      double tol = formula.startsWith("class:") ? 1e-9 : 1e-15;
      assertEquals(c.a1(), f.a1(), tol * Math.max(1, Math.abs(c.a1())), formula + " a_1");
    }
  }
}
