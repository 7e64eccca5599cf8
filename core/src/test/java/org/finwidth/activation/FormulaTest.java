package org.finwidth.activation;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.function.DoubleUnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

/** The formula language: grammar, errors, derivatives, kinks, Taylor data, homogeneity. */
class FormulaTest {

  private static Formula f(String spec) {
    return assertInstanceOf(Formula.class, Activation.parse(spec));
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
    "-z^2          | 1.5   | -2.25",      // ^ binds tighter than unary minus
    "z^2^3         | 1.1   | 2.1435888100000016", // right-associative: z^(2^3) = 1.1^8
    "2^-z          | 2     | 0.25",       // a unary minus in the exponent
    "-2^2          | 0     | -4",
    "(-2)^2        | 0     | 4",
    "z-1-1         | 5     | 3",          // left-associative
    "z/2/2         | 8     | 2",
    "2*z+3*z^2     | 2     | 16",
    "+z*-z         | 3     | -9",
    ".5e1*z        | 2     | 10",
    "1e-3*z        | 1000  | 1",
    "pi*z          | 1     | 3.141592653589793",
    "where(z<=1,z,2*z) | 1 | 1",
    "where(z<1,z,2*z)  | 1 | 2",
    "where(z >= -1, 1, 0) | -1 | 1",
    "where(z > -1, 1, 0)  | -1 | 0",
    "max(z,0)+min(z,0)    | -3 | -3",
    "step(z)              | 0  | 0",
    "relu(z-1)            | 3  | 2",
  })
  void grammarAndSemantics(String formula, double z, double expected) {
    assertEquals(expected, f("expr:" + formula).value(z), 1e-15 * Math.abs(expected), formula);
  }

  @Test
  void parametersAreSubstitutedAndKeptInOrder() {
    Formula a = f("expr:a*z+b*tanh(z);a=0.1;b=1");
    assertEquals(Map.of("a", 0.1, "b", 1.0), a.parameters());
    assertEquals(List.of("a", "b"), List.copyOf(a.parameters().keySet()));
    assertEquals(0.1 * 0.7 + Math.tanh(0.7), a.value(0.7), 1e-16);
    Formula t = f("expr:z/(1+exp(-z/T));T=0.5");
    assertEquals(new Swish(0.5).value(1.3), t.value(1.3), 1e-16);
    assertEquals(-2.0, f("expr:c*z; c = -2").value(1), 0.0);
  }

  @Test
  void specRoundTripAndEquality() {
    Formula a = f("  EXPR:z*tanh(softplus(z)) ");
    assertEquals("expr:z*tanh(softplus(z))", a.spec());
    assertEquals("expr", a.name());
    assertEquals(a, Activation.parse(a.spec()));
    assertEquals(a.hashCode(), Activation.parse(a.spec()).hashCode());
    assertNotEquals(a, f("expr:z*tanh(softplus( z))"), "different text, different spec");
  }

  /** Bad formulas: exactly this one line (columns from 1 after "expr:"). */
  static Stream<Arguments> badFormulas() {
    return Stream.of(
        Arguments.of("expr:z*tnah(z)", "expr: unknown function 'tnah' at column 3"),
        Arguments.of("expr:", "expr: empty formula (expected e.g. expr:z*tanh(z))"),
        Arguments.of("expr:z+", "expr: unexpected end of formula (expected a number, z, a parameter or a function) at column 3"),
        Arguments.of("expr:(z+1", "expr: missing ')' for the '(' at column 1, got end of formula at column 5"),
        Arguments.of("expr:z+1)", "expr: unmatched ')' at column 4"),
        Arguments.of("expr:z*T", "expr: unknown name 'T' (the variable is z; parameters are defined after ';', e.g. ;T=1) at column 3"),
        Arguments.of("expr:max(z)", "expr: function 'max' takes 2 arguments, got 1 at column 1"),
        Arguments.of("expr:tanh(z,1)", "expr: function 'tanh' takes 1 argument, got 2 at column 1"),
        Arguments.of("expr:z>0", "expr: comparison '>' outside where(condition, a, b) at column 2"),
        Arguments.of("expr:where(z,1,0)", "expr: where's first argument must be a comparison (<, <=, >, >=), got ',' at column 8"),
        Arguments.of("expr:where(z>0,1)", "expr: expected ',' and a third argument: where(condition, a, b), got ')' at column 12"),
        Arguments.of("expr:2z", "expr: unexpected 'z' (expected an operator or the end) at column 2"),
        Arguments.of("expr:z#2", "expr: unexpected character '#' at column 2"),
        Arguments.of("expr:1e+*z", "expr: malformed number '1e+' at column 1"),
        Arguments.of("expr:z*a;a=1;a=2", "expr: parameter 'a' given twice at column 9"),
        Arguments.of("expr:z;b=1", "expr: parameter 'b' is not used in the formula at column 3"),
        Arguments.of("expr:z*a;a=", "expr: parameter 'a' needs a number, got end of formula at column 7"),
        Arguments.of("expr:z*a;a=1e999", "expr: parameter 'a' must be a finite number, got 1e999 at column 7"),
        Arguments.of("expr:z;", "expr: expected a parameter name after ';', got end of formula at column 3"),
        Arguments.of("expr:z*exp", "expr: function 'exp' needs its argument in parentheses: exp(...) at column 3"),
        Arguments.of("expr:Tanh(z)", "expr: unknown function 'Tanh' (names are case-sensitive: tanh) at column 1"),
        Arguments.of("expr:z(2)", "expr: 'z' is not a function (implicit multiplication is not supported: write z*(...)) at column 1"),
        Arguments.of("expr:z*pi;pi=3", "expr: 'pi' cannot be a parameter name (reserved) at column 6"),
        Arguments.of("expr:;a=1", "expr: empty formula before ';' at column 1"),
        // surrounding whitespace of the spec is dropped, so the end is at column 5
        Arguments.of("expr:z  *  ", "expr: unexpected end of formula (expected a number, z, a parameter or a function) at column 5"),
        Arguments.of("expr: z*tnah(z)", "expr: unknown function 'tnah' at column 4"));
  }

  @ParameterizedTest
  @MethodSource("badFormulas")
  void badFormulasAreOneLineWithTheirColumn(String spec, String message) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Activation.parse(spec));
    assertEquals(message, e.getMessage());
  }

  /** The 30 formulas whose derivatives are checked against finite differences. */
  static List<String> formulas() {
    return List.of("z*tanh(log(1+exp(z)))", "z/(1+exp(-z/T));T=0.5", "a*z+b*tanh(z);a=0.1;b=1",
        "tanh(z)", "sin(z)+0.1*z", "erf(z/sqrt(2))", "erfc(-z)", "z*sigmoid(1.702*z)",
        "softplus(z)-log(2)", "log1p(z^2)", "expm1(z/3)", "sqrt(1+z^2)-1", "atan(z)", "sinh(z/4)",
        "cosh(z/4)-1", "z^3/(1+z^2)", "z*exp(-z^2/2)", "exp(-z)*z^2", "2^z-1", "(1+z^2)^-0.5*z",
        "0.5*z*erfc(-z/sqrt(2))", "where(z>0,z,exp(z)-1)", "max(z,0)+0.01*min(z,0)",
        "abs(z)*0.5+0.5*z", "relu(z)^2.5", "z*step(z)", "min(max(z,-1),1)",
        "z*min(max(z+3,0),6)/6", "z/(1+abs(z))", "z*atan(z)", "cos(z)-1",
        "(z+2)^(z/5+1)");
  }

  /**
   * Points away from the far tails, where formulas as written cancel (log(cosh(z)) at z = 12
   * loses 9 digits in σ''), which would test the formula's rounding, not the differentiation.
   */
  private static final double[] POINTS = {-7.5, -4.2, -2.6, -2, -1.1, -0.45, -0.03, 0, 0.02, 0.3,
      0.9, 1.7, 2.6, 4.2, 7.5};

  /** Richardson-extrapolated central difference, as in {@code ActivationTest}. */
  private static double fd(DoubleUnaryOperator g, double z, double h) {
    return ActivationTest.derivative(g, z, h);
  }

  /**
   * 1e-8 relative to |derivative| + |local scale of g|/max(1, |z|), plus 1e-100 for vanishing
   * values. With h = 1e-4·min(1, distance to a kink) the Richardson truncation error is (h/s)⁴
   * for the local length scale s of g (s ≥ min(0.1, distance) at these points: at most 1e-12) and
   * the rounding error about κε|g|/h for a cancellation factor κ of g's own evaluation (κ ≤ 60 for
   * these formulas at |z| ≤ 7.5, e.g. z² in the jets of sqrt(1 + z²)): at most 7e-11·|g|, so 1e-8
   * leaves a margin of 100 while a wrong derivative (O(1) relative) fails.
   */
  private static boolean close(double exact, double fd, double scale, double z) {
    return Math.abs(exact - fd) <= 1e-8 * (Math.abs(exact) + scale / Math.max(1, Math.abs(z))) + 1e-100;
  }

  /** max |g| over z and z ± min(0.01, half the distance to a kink): g's scale near z. */
  private static double scale(DoubleUnaryOperator g, double z, double dist) {
    double d = Math.min(0.01, dist / 2);
    return Math.max(Math.abs(g.applyAsDouble(z)),
        Math.max(Math.abs(g.applyAsDouble(z - d)), Math.abs(g.applyAsDouble(z + d))));
  }

  @ParameterizedTest
  @MethodSource("formulas")
  void derivativesMatchFiniteDifferences(String formula) {
    Formula a = f("expr:" + formula);
    List<Double> zs = new ArrayList<>();
    for (double z : POINTS) {
      zs.add(z);
    }
    for (double k : a.kinks()) {
      for (double d : new double[] {-0.1, -0.01, 0.01, 0.1}) {
        zs.add(k + d);
      }
    }
    int checked = 0;
    for (double z : zs) {
      double dist = 1;
      for (double k : a.kinks()) {
        dist = Math.min(dist, Math.abs(z - k));
      }
      if (dist < 1e-9 || Double.isNaN(a.value(z))) {
        continue; // at a kink; or outside the domain ((z+2)^... for z < -2)
      }
      double h = 1e-4 * dist;
      DoubleUnaryOperator[] g = {a::value, a::d1, a::d2};
      double[] exact = {a.d1(z), a.d2(z), a.d3(z)};
      for (int k = 0; k < 3; k++) {
        double num = fd(g[k], z, h);
        assertTrue(close(exact[k], num, scale(g[k], z, dist), z), formula + ": d" + (k + 1) + "(" + z
            + ") = " + exact[k] + ", finite difference " + num);
      }
      checked++;
    }
    assertTrue(checked >= 10, formula + ": only " + checked + " points checked");
  }

  @Test
  void catalogueFormsAgreeWithTheCatalogue() {
    // Same function, independent code (jets vs hand-derived derivatives): 1e-14 relative plus
    // 1e-300, except erf-based GELU (Φ via erf vs erfc-based normalCdf: 1e-13 for z < -5).
    Object[][] pairs = {
      {"expr:tanh(z)", new Tanh(), 1e-14}, {"expr:sin(z)", new Sin(), 1e-14},
      {"expr:erf(2*z)", new Erf(2), 1e-14}, {"expr:z/(1+exp(-z))", new Swish(1), 1e-14},
      {"expr:z/(1+exp(-z/T));T=0.25", new Swish(0.25), 1e-14},
      {"expr:1/(1+exp(-z))", new Sigmoid(), 1e-14}, {"expr:log(1+exp(z))", new Softplus(), 1e-14},
      {"expr:max(z,0)", new Relu(), 1e-14}, {"expr:where(z>0,z,0.1*z)", new Leaky(0.1), 1e-14},
      {"expr:z^3", new Monomial(3), 1e-14}, {"expr:relu(z)^2.5", new Repu(2.5), 1e-14},
    };
    for (Object[] p : pairs) {
      Formula f = f((String) p[0]);
      Activation c = (Activation) p[1];
      double tol = (double) p[2];
      for (double z : new double[] {-30, -7, -1.3, -0.2, 0, 0.4, 1, 3.5, 9, 40}) {
        assertEquals(c.value(z), f.value(z), tol * Math.abs(c.value(z)) + 1e-300, p[0] + " value at " + z);
        assertEquals(c.d1(z), f.d1(z), tol * Math.abs(c.d1(z)) + 1e-300, p[0] + " d1 at " + z);
        assertEquals(c.d2(z), f.d2(z), tol * Math.abs(c.d2(z)) + 1e-300, p[0] + " d2 at " + z);
      }
      assertArrayEquals(c.kinks(), f.kinks(), 0.0, p[0] + " kinks");
      double[] tc = c.derivativesAtZero();
      double[] tf = f.derivativesAtZero();
      for (int k = 0; k < 4; k++) {
        if (Double.isNaN(tc[k])) {
          assertTrue(Double.isNaN(tf[k]), p[0] + " sigma_" + k + " undefined");
        } else {
          assertEquals(tc[k], tf[k], 1e-15 * Math.abs(tc[k]), p[0] + " sigma_" + k);
        }
      }
      assertEquals(c.homogeneity(), f.homogeneity(), p[0] + " homogeneity");
    }
  }

  @Test
  void stabilisingRewritesKeepTheTails() {
    // log(1+exp(z)) would overflow at z = 1000 and z/(1+exp(-z)) would give ∞/∞ in its
    // derivative at z = −1000; the rewrites (softplus, z·sigmoid(z)) keep both finite.
    Formula mish = f("expr:z*tanh(log(1+exp(z)))");
    assertEquals(1000.0, mish.value(1000), 0.0);
    assertEquals(1.0, mish.d1(1000), 0.0);
    Formula swish = f("expr:z/(1+exp(-z))");
    assertEquals(0.0, swish.d1(-1000), 1e-300);
    assertEquals(0.0, swish.d2(-1000), 1e-300);
    assertEquals(Math.expm1(1e-10), f("expr:exp(z)-1").value(1e-10), 0.0, "expm1, not cancellation");
    assertEquals(Math.log1p(1e-12), f("expr:log(1+z)").value(1e-12), 0.0, "log1p");
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
    "max(z,0)             | 0",
    "where(z>1,z,1)       | 1",
    "abs(z-0.3)           | 0.3",
    "relu(z^2-4)          | -2 2",
    "min(z,1)+max(z,-1)   | -1 1",
    "sqrt(relu(z))        | 0",
    "step(z+2.5)*z        | -2.5",
    "relu(z)^1.5          | 0",
    "where(c>0,z,2*z)+0*c*z;c=1 | ",
    "tanh(z)              | ",
  })
  void kinksAreTheZerosOfTheTieFunctions(String formula, String expected) {
    double[] want = expected == null || expected.isBlank() ? new double[0]
        : java.util.Arrays.stream(expected.trim().split(" ")).mapToDouble(Double::parseDouble).toArray();
    assertArrayEquals(want, f("expr:" + formula).kinks(), 0.0, formula);
  }

  @Test
  void aKinkAtAnIrrationalPointIsBisectedToAdjacentDoubles() {
    double[] k = f("expr:where(exp(z)>2,z,0)").kinks();
    assertEquals(1, k.length);
    assertEquals(Math.log(2), k[0], Math.ulp(Math.log(2)), "ln 2 to one ulp");
  }

  @Test
  void taylorDataAreOneSidedAtAKinkAtZero() {
    // ELU: σ' is continuous at 0 (1 from both sides), σ'' is not (1 left, 0 right).
    double[] elu = f("expr:where(z>0,z,exp(z)-1)").derivativesAtZero();
    assertEquals(0.0, elu[0]);
    assertEquals(1.0, elu[1]);
    assertTrue(Double.isNaN(elu[2]) && Double.isNaN(elu[3]));
    // softsign z/(1+|z|): σ'(0) = 1, σ'' jumps from 2 to −2.
    double[] softsign = f("expr:z/(1+abs(z))").derivativesAtZero();
    assertEquals(1.0, softsign[1]);
    assertTrue(Double.isNaN(softsign[2]));
    // one-sided jets themselves
    double[] left = f("expr:z/(1+abs(z))").compiled().jet(0);
    double[] right = f("expr:z/(1+abs(z))").compiled().rightJet(0);
    assertEquals(2.0, left[2], 0.0);
    assertEquals(-2.0, right[2], 0.0);
    // Mish (smooth): σ = {0, 3/5, 16/25, −12/125} by hand (CustomActivationTest)
    double[] mish = f("expr:z*tanh(softplus(z))").derivativesAtZero();
    assertArrayEquals(new double[] {0, 0.6, 0.64, -0.096}, mish, 1e-16);
  }

  @Test
  void derivativesAtAKinkAreLeftHandLimits() {
    Formula relu = f("expr:max(0,z)"); // the argument order must not matter
    assertEquals(0.0, relu.d1(0), 0.0);
    Formula leaky = f("expr:where(z>=0,z,0.2*z)");
    assertEquals(0.2, leaky.d1(0), 0.0);
    Formula abs = f("expr:abs(z)");
    assertEquals(-1.0, abs.d1(0), 0.0);
    Formula hard = f("expr:min(max(z,-1),1)");
    assertEquals(1.0, hard.d1(1), 0.0);
    assertEquals(0.0, hard.d1(-1), 0.0);
  }

  @Test
  void homogeneityIsDetected() {
    assertEquals(OptionalDouble.of(1), f("expr:max(z,0)").homogeneity());
    assertEquals(OptionalDouble.of(1), f("expr:2*max(z,0)-0.5*min(z,0)").homogeneity());
    assertEquals(OptionalDouble.of(2), f("expr:relu(z)^2").homogeneity());
    assertEquals(OptionalDouble.of(3), f("expr:z^3").homogeneity());
    assertEquals(OptionalDouble.of(1.5), f("expr:z*sqrt(abs(z))").homogeneity());
    assertEquals(OptionalDouble.empty(), f("expr:tanh(z)").homogeneity());
    assertEquals(OptionalDouble.empty(), f("expr:max(z,0)+1e-9*z^2").homogeneity());
    assertEquals(OptionalDouble.empty(), f("expr:max(z,0)+1").homogeneity());
  }

  @Test
  void featureScaleFollowsTheSharpestTransition() {
    assertEquals(1.0, f("expr:tanh(z)").featureScale(), 0.0);
    assertEquals(1.0, f("expr:max(z,0)").featureScale(), 0.0);
    // z·sigmoid(z/T): σ' spans about 1.2, σ''(0) = 1/(2T): the scale is about 2.4T.
    double s = f("expr:z*sigmoid(z/T);T=0.01").featureScale();
    assertTrue(s > 0.015 && s < 0.03, "feature scale " + s);
  }
}
