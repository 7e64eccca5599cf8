package org.finwidth.gauss;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.finwidth.activation.Activation;
import org.junit.jupiter.api.Test;

class GaussianProductsTest {
  /** E[Π sin(z_i)^{e_i}] in closed form: sines expand in e^{±iz}, E[e^{is·z}] = exp(−sᵀCs/2). */
  static double sinProduct(double[][] c, int[] e) {
    int n = 0;
    for (int x : e) {
      n += x;
    }
    int[] index = new int[n];
    int j = 0;
    for (int i = 0; i < e.length; i++) {
      for (int t = 0; t < e[i]; t++) {
        index[j++] = i;
      }
    }
    if (n % 2 == 1) {
      return 0;
    }
    double total = 0;
    for (int mask = 0; mask < (1 << n); mask++) {
      double[] s = new double[e.length];
      double sign = 1;
      for (int t = 0; t < n; t++) {
        int eps = (mask >> t & 1) == 1 ? -1 : 1;
        s[index[t]] += eps;
        sign *= eps;
      }
      double q = 0;
      for (int a = 0; a < e.length; a++) {
        for (int b = 0; b < e.length; b++) {
          q += s[a] * c[a][b] * s[b];
        }
      }
      total += sign * Math.exp(-0.5 * q);
    }
    return total / Math.pow(2, n) * ((n / 2) % 2 == 0 ? 1 : -1);
  }

  @Test
  void sinPair() {
    double[][] c = {{1.3, 0.4}, {0.4, 1.06}};
    int[][] e = {{1, 1}, {2, 0}, {0, 2}, {1, 3}, {2, 2}};
    Estimate est = new GaussianProducts(Activation.parse("sin")).expect(c, e);
    for (int q = 0; q < e.length; q++) {
      System.out.println("pair " + q + " " + est.value(q) + " " + sinProduct(c, e[q]));
    }
  }

  @Test
  void sinTriple() {
    double[][] c = {{1.3, 0.4, -0.3}, {0.4, 1.06, 0.22}, {-0.3, 0.22, 1.66}};
    int[][] e = {{2, 1, 1}, {1, 2, 1}, {1, 1, 2}, {0, 1, 1}, {1, 1, 0}, {2, 0, 0}};
    Estimate est = new GaussianProducts(Activation.parse("sin")).expect(c, e);
    System.out.println("evaluations " + est.evaluations());
    for (int q = 0; q < e.length; q++) {
      System.out.println(q + " " + est.value(q) + " " + sinProduct(c, e[q]));
    }
    for (int q = 0; q < e.length; q++) {
      assertEquals(sinProduct(c, e[q]), est.value(q), 1e-9 * est.scales()[q], "component " + q);
    }
  }
}
