package org.finwidth.network;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.finwidth.activation.Activation;
import org.junit.jupiter.api.Test;

class NetworkSpecTest {
  private static final Activation RELU = Activation.parse("relu");
  /** Rounding of a Cholesky factor and a dot product of length n0: a few ulps. */
  private static final double GRAM_REL_TOL = 1e-14;

  @Test
  void synthesisedInputsReproduceTheGramMatrix() {
    double[][] gram = {{1.0, 0.6, -0.2}, {0.6, 1.5, 0.1}, {-0.2, 0.1, 0.7}};
    NetworkSpec s = NetworkSpec.ofGram(RELU, 0.1, 2.0, 5, NetworkSpec.equalWidths(3, 16), gram);
    double[][] x = s.inputs();
    assertEquals(3, x.length);
    for (int a = 0; a < 3; a++) {
      assertEquals(5, x[a].length);
      for (int b = 0; b < 3; b++) {
        double g = 0;
        for (int j = 0; j < 5; j++) {
          g += x[a][j] * x[b][j];
        }
        g /= 5;
        assertEquals(gram[a][b], g, GRAM_REL_TOL * Math.abs(gram[a][b]) + 1e-16, "entry " + a + "," + b);
      }
    }
  }

  @Test
  void singularGramIsAcceptedAndRealised() {
    double[][] gram = {{2.0, 2.0}, {2.0, 2.0}}; // two identical inputs
    NetworkSpec s = NetworkSpec.ofGram(RELU, 0, 2, 2, new int[] {4}, gram);
    double[][] x = s.inputs();
    assertArrayEquals(x[0], x[1], 1e-15);
  }

  @Test
  void explicitInputsGiveGramAndKernel1() {
    double[][] in = {{1, 2, 3}, {0, -1, 1}};
    NetworkSpec s = NetworkSpec.ofInputs(RELU, 0.5, 2, new int[] {8, 8}, in);
    assertEquals(3, s.inputDim());
    assertEquals(14.0 / 3, s.gram()[0][0], 1e-15);
    assertEquals(1.0 / 3, s.gram()[0][1], 1e-15);
    assertEquals(0.5 + 2 * 14.0 / 3, s.kernel1()[0][0], 1e-14);
    assertTrue(s.hasExplicitInputs());
    assertArrayEquals(in[1], s.inputs()[1]);
    assertEquals(3, s.width(0));
    assertEquals(8, s.width(2));
    assertEquals(2, s.depth());
  }

  @Test
  void equalityFollowsTheCanonicalForm() {
    NetworkSpec a = NetworkSpec.ofGram(RELU, 0, 2, 1, new int[] {4, 4}, new double[][] {{1}});
    NetworkSpec b = NetworkSpec.ofGram(Activation.parse("RELU"), 0, 2, 1, new int[] {4, 4}, new double[][] {{1}});
    assertEquals(a, b);
    assertEquals(a.hashCode(), b.hashCode());
    assertNotEquals(a, a.withEqualWidths(2, 8));
    assertEquals("activation=relu;cb=0.0;cw=2.0;n0=1;widths=4,4;gram=1.0", a.canonical());
  }

  @Test
  void badInputIsRejectedWithTheFieldAndValue() {
    double[][] g1 = {{1}};
    assertMessage("C_b must be a finite number >= 0, got cb=NaN",
        () -> NetworkSpec.ofGram(RELU, Double.NaN, 2, 1, new int[] {4}, g1));
    assertMessage("C_b must be a finite number >= 0, got cb=-0.1",
        () -> NetworkSpec.ofGram(RELU, -0.1, 2, 1, new int[] {4}, g1));
    assertMessage("C_W must be a finite number > 0, got cw=0.0",
        () -> NetworkSpec.ofGram(RELU, 0, 0, 1, new int[] {4}, g1));
    assertMessage("C_W must be a finite number > 0, got cw=Infinity",
        () -> NetworkSpec.ofGram(RELU, 0, Double.POSITIVE_INFINITY, 1, new int[] {4}, g1));
    assertMessage("the depth L must be >= 1, got depth=0",
        () -> NetworkSpec.ofGram(RELU, 0, 2, 1, new int[] {}, g1));
    assertMessage("every width must be >= 1, got n_2=0",
        () -> NetworkSpec.ofGram(RELU, 0, 2, 1, new int[] {4, 0}, g1));
    assertMessage("the input dimension n_0 must be >= 1, got input-dim=0",
        () -> NetworkSpec.ofGram(RELU, 0, 2, 0, new int[] {4}, g1));
    assertMessage("the Gram matrix is not positive semi-definite (smallest eigenvalue -1.0): [[1.0, 2.0], [2.0, 1.0]]",
        () -> NetworkSpec.ofGram(RELU, 0, 2, 2, new int[] {4}, new double[][] {{1, 2}, {2, 1}}));
    assertMessage("the Gram matrix is not symmetric: entry (2,1)=0.5 but (1,2)=0.4",
        () -> NetworkSpec.ofGram(RELU, 0, 2, 2, new int[] {4}, new double[][] {{1, 0.4}, {0.5, 1}}));
    assertMessage("Gram matrix diagonal entry (1,1) must be >= 0, got -1.0",
        () -> NetworkSpec.ofGram(RELU, 0, 2, 1, new int[] {4}, new double[][] {{-1}}));
    assertMessage("Gram matrix entry (1,1) is not finite: NaN",
        () -> NetworkSpec.ofGram(RELU, 0, 2, 1, new int[] {4}, new double[][] {{Double.NaN}}));
    assertMessage("d = 2 inputs need input-dim >= d to be realised as vectors, got input-dim=1",
        () -> NetworkSpec.ofGram(RELU, 0, 2, 1, new int[] {4}, new double[][] {{1, 0}, {0, 1}}));
    assertMessage("all inputs must have the same dimension: input 1 has 2 components, input 2 has 1",
        () -> NetworkSpec.ofInputs(RELU, 0, 2, new int[] {4}, new double[][] {{1, 2}, {3}}));
    assertMessage("input 1 component 2 is not finite: Infinity",
        () -> NetworkSpec.ofInputs(RELU, 0, 2, new int[] {4}, new double[][] {{1, Double.POSITIVE_INFINITY}}));
  }

  private static void assertMessage(String expected, org.junit.jupiter.api.function.Executable e) {
    IllegalArgumentException ex = assertThrows(IllegalArgumentException.class, e);
    assertEquals(expected, ex.getMessage());
  }
}
