package org.finwidth.activation.expr;

/**
 * Forward-mode automatic differentiation of order 3 (Taylor jets): each node gives
 * {v, v', v'', v'''} at z, combined by the Leibniz rule for products and Faà di Bruno's formula
 * for functions, so σ', σ'' and σ''' are exact up to rounding (no step size).
 *
 * <p><b>Kinks.</b> The value always follows the formula at z (a comparison decides as written).
 * The derivatives follow one side: where a comparison, max, min, abs or relu ties at z exactly
 * (l = r), the branch is chosen by the sign of l − r just to the {@code left} (or right) of z,
 * read off the jets lexicographically (l − r, ∓(l − r)', (l − r)'', ∓(l − r)'''), so that d1, d2,
 * d3 are the one-sided derivatives (the left-hand limits of the catalogue's convention). Terms of
 * a derivative in which one factor is exactly 0 are 0 even if the other is infinite (a vanishing
 * factor wins: e.g. tanh'(exp(z))·exp(z) → 0 for large z instead of 0·∞ = NaN).
 */
final class Jets {
  private Jets() {}

  static double[] jet(Expr e, double z, boolean left) {
    return switch (e) {
      case Expr.Const c -> new double[] {c.value(), 0, 0, 0};
      case Expr.Var v -> new double[] {z, 1, 0, 0};
      case Expr.Neg n -> {
        double[] a = jet(n.a(), z, left);
        yield new double[] {-a[0], -a[1], -a[2], -a[3]};
      }
      case Expr.Binary b -> binary(b.op(), jet(b.a(), z, left), jet(b.b(), z, left), b.b());
      case Expr.Call c -> call(c, z, left);
      case Expr.Where w -> {
        double[] l = jet(w.l(), z, left);
        double[] r = jet(w.r(), z, left);
        double[] a = jet(w.a(), z, left);
        double[] b = jet(w.b(), z, left);
        if (Double.isNaN(l[0]) || Double.isNaN(r[0])) {
          yield new double[] {Double.NaN, Double.NaN, Double.NaN, Double.NaN};
        }
        boolean exact = w.cmp().test(l[0], r[0]);
        int side = sideSign(l, r, left);
        boolean onSide = side == 0 ? exact : w.cmp().test(side, 0);
        yield mix(exact ? a : b, onSide ? a : b);
      }
    };
  }

  /** The value of {@code value}, the derivatives of {@code derivatives}. */
  private static double[] mix(double[] value, double[] derivatives) {
    return new double[] {value[0], derivatives[1], derivatives[2], derivatives[3]};
  }

  /**
   * The sign of l − r just left (or right) of z: the first nonzero of (d, ∓d', d'', ∓d''') with
   * d = l − r; 0 if all vanish.
   */
  static int sideSign(double[] l, double[] r, boolean left) {
    for (int k = 0; k < 4; k++) {
      double d = l[k] - r[k];
      if (left && (k % 2 == 1)) {
        d = -d;
      }
      if (d > 0) {
        return 1;
      }
      if (d < 0) {
        return -1;
      }
    }
    return 0;
  }

  private static double[] binary(Expr.Op op, double[] a, double[] b, Expr bExpr) {
    return switch (op) {
      case ADD -> new double[] {a[0] + b[0], a[1] + b[1], a[2] + b[2], a[3] + b[3]};
      case SUB -> new double[] {a[0] - b[0], a[1] - b[1], a[2] - b[2], a[3] - b[3]};
      case MUL -> product(a, b);
      case DIV -> {
        double r = 1 / b[0];
        double[] rec = chain(new double[] {r, -r * r, 2 * r * r * r, -6 * r * r * r * r}, b);
        double[] p = product(a, rec);
        p[0] = a[0] / b[0]; // the correctly rounded quotient
        yield p;
      }
      case POW -> power(a, b, bExpr);
    };
  }

  /** Leibniz: (ab)^(k) = Σ C(k,i) a^(i) b^(k−i), vanishing factors winning in derivative terms. */
  static double[] product(double[] a, double[] b) {
    double t = Functions.times(a[0], b[1]);
    double[] p = new double[4];
    p[0] = a[0] * b[0];
    p[1] = Functions.times(a[1], b[0]) + t;
    p[2] = Functions.times(a[2], b[0]) + 2 * Functions.times(a[1], b[1])
        + Functions.times(a[0], b[2]);
    p[3] = Functions.times(a[3], b[0]) + 3 * Functions.times(a[2], b[1])
        + 3 * Functions.times(a[1], b[2]) + Functions.times(a[0], b[3]);
    return p;
  }

  /**
   * Faà di Bruno to order 3: the jet of f(u) from f's derivatives {f, f', f'', f'''} at u0 and
   * the jet of u.
   */
  static double[] chain(double[] f, double[] u) {
    double u1 = u[1];
    double u2 = u[2];
    double u3 = u[3];
    double v1 = Functions.times(f[1], u1);
    double v2 = Functions.times(f[2], u1 * u1) + Functions.times(f[1], u2);
    double v3 = Functions.times(f[3], u1 * u1 * u1) + 3 * Functions.times(f[2], u1 * u2)
        + Functions.times(f[1], u3);
    return new double[] {f[0], v1, v2, v3};
  }

  private static double[] power(double[] a, double[] b, Expr exponent) {
    if (exponent instanceof Expr.Const c) {
      double p = c.value();
      double x = a[0];
      double[] f = {
        Math.pow(x, p),
        Functions.times(p, Math.pow(x, p - 1)),
        Functions.times(p * (p - 1), Math.pow(x, p - 2)),
        Functions.times(p * (p - 1) * (p - 2), Math.pow(x, p - 3))
      };
      return chain(f, a);
    }
    // a^b = exp(b log a) for a > 0
    double[] logA = new double[4];
    Functions.derivatives(Expr.Fn.LOG, a[0], logA);
    double[] w = product(b, chain(logA, a));
    double e = Math.exp(w[0]);
    double[] out = chain(new double[] {e, e, e, e}, w);
    out[0] = Math.pow(a[0], b[0]);
    return out;
  }

  private static double[] call(Expr.Call c, double z, boolean left) {
    if (c.fn() == Expr.Fn.MAX || c.fn() == Expr.Fn.MIN) {
      double[] a = jet(c.args().get(0), z, left);
      double[] b = jet(c.args().get(1), z, left);
      boolean max = c.fn() == Expr.Fn.MAX;
      double value = max ? Math.max(a[0], b[0]) : Math.min(a[0], b[0]);
      if (Double.isNaN(value)) {
        return new double[] {value, value, value, value};
      }
      int side = sideSign(a, b, left);
      double[] pick = side == 0 ? a : ((side > 0) == max ? a : b);
      return new double[] {value, pick[1], pick[2], pick[3]};
    }
    double[] u = jet(c.args().get(0), z, left);
    double[] f = new double[4];
    switch (c.fn()) {
      case ABS, RELU, STEP -> {
        if (u[0] == 0) {
          // the side decides the branch: u's sign just left (right) of z
          int side = sideSign(u, new double[4], left);
          double slope = switch (c.fn()) {
            case ABS -> side;
            case RELU -> side > 0 ? 1 : 0;
            default -> 0;
          };
          double v = Functions.value(c.fn(), 0.0);
          return new double[] {v, slope * u[1], slope * u[2], slope * u[3]};
        }
        Functions.derivatives(c.fn(), u[0], f);
      }
      default -> Functions.derivatives(c.fn(), u[0], f);
    }
    return chain(f, u);
  }
}
