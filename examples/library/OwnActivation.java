import java.util.Locale;
import org.finwidth.activation.Activation;
import org.finwidth.activation.CustomActivation;
import org.finwidth.theory.Criticality;
import org.finwidth.theory.CriticalitySolver;

/** Your own activation, as a class (σ, σ', σ''; the engine derives the rest) or as a formula. */
public class OwnActivation {
  /** Mish z·g(z), g = tanh(softplus z), by hand: g' = sech²(softplus z)·sigmoid(z). */
  public static class MyMish implements CustomActivation {
    static double[] g(double z) {
      double sp = Math.max(z, 0) + Math.log1p(Math.exp(-Math.abs(z))), t = Math.tanh(sp);
      double s = 0.5 * (1 + Math.tanh(z / 2)), e = Math.exp(-2 * sp), g1 = 4 * e / ((1 + e) * (1 + e)) * s;
      return new double[] {t, g1, g1 * (1 - s - 2 * t * s)};
    }
    @Override public double value(double z) { return z * g(z)[0]; }
    @Override public double d1(double z) { double[] g = g(z); return g[0] + (g[1] == 0 ? 0 : z * g[1]); }
    @Override public double d2(double z) { double[] g = g(z); return 2 * g[1] + (g[2] == 0 ? 0 : z * g[2]); }
  }

  public static void main(String[] args) {
    for (Activation a : new Activation[] {new MyMish(), Activation.parse("expr:z*tanh(log(1+exp(z)))"),
        Activation.parse("mish")}) {
      Criticality.CriticalPoint p = CriticalitySolver.solve(a).critical().get(0); // NetworkSpec, Prediction alike
      System.out.println(String.format(Locale.ROOT, "%-28s C_b = %.10f  C_W = %.10f  K* = %.10f", a.spec(),
          p.cb(), p.cw(), p.kstar().getAsDouble()));
    }
  }
}
