package org.finwidth.theory;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.MathContext;

/**
 * An exact rational number num/den (den &gt; 0, lowest terms) on {@link BigInteger}s, for the exact
 * finite-width oracle ({@link ExactMoments}). Every finite double is a dyadic rational, so inputs
 * given as doubles enter exactly.
 */
final class Rational implements Comparable<Rational> {
  static final Rational ZERO = new Rational(BigInteger.ZERO, BigInteger.ONE);
  static final Rational ONE = new Rational(BigInteger.ONE, BigInteger.ONE);

  /** 25 digits before the final rounding to double (17 suffice; the rest guards double rounding). */
  private static final MathContext DOUBLE_CONTEXT = new MathContext(25);

  private final BigInteger num;
  private final BigInteger den;

  private Rational(BigInteger num, BigInteger den) {
    this.num = num;
    this.den = den;
  }

  /** num/den reduced to lowest terms; den ≠ 0. */
  static Rational of(BigInteger num, BigInteger den) {
    if (den.signum() == 0) {
      throw new ArithmeticException("zero denominator");
    }
    if (den.signum() < 0) {
      num = num.negate();
      den = den.negate();
    }
    BigInteger g = num.gcd(den);
    if (!g.equals(BigInteger.ONE) && g.signum() != 0) {
      num = num.divide(g);
      den = den.divide(g);
    }
    return new Rational(num, num.signum() == 0 ? BigInteger.ONE : den);
  }

  static Rational of(long n) {
    return new Rational(BigInteger.valueOf(n), BigInteger.ONE);
  }

  static Rational of(BigInteger n) {
    return new Rational(n, BigInteger.ONE);
  }

  /**
   * The exact value of a finite double.
   *
   * @throws IllegalArgumentException if x is not finite
   */
  static Rational of(double x) {
    if (!Double.isFinite(x)) {
      throw new IllegalArgumentException("not a finite number: " + x);
    }
    BigDecimal d = new BigDecimal(x); // exact
    if (d.scale() <= 0) {
      return new Rational(d.toBigIntegerExact(), BigInteger.ONE);
    }
    return of(d.unscaledValue(), BigInteger.TEN.pow(d.scale()));
  }

  Rational add(Rational o) {
    if (den.equals(o.den)) {
      return of(num.add(o.num), den);
    }
    return of(num.multiply(o.den).add(o.num.multiply(den)), den.multiply(o.den));
  }

  Rational subtract(Rational o) {
    return add(o.negate());
  }

  Rational negate() {
    return new Rational(num.negate(), den);
  }

  Rational multiply(Rational o) {
    return of(num.multiply(o.num), den.multiply(o.den));
  }

  Rational multiply(BigInteger n) {
    return of(num.multiply(n), den);
  }

  Rational divide(Rational o) {
    return of(num.multiply(o.den), den.multiply(o.num));
  }

  Rational divide(long n) {
    return of(num, den.multiply(BigInteger.valueOf(n)));
  }

  Rational pow(int k) {
    return new Rational(num.pow(k), den.pow(k));
  }

  int signum() {
    return num.signum();
  }

  boolean isZero() {
    return num.signum() == 0;
  }

  /** The value rounded to mc (any magnitude: no overflow). */
  BigDecimal toBigDecimal(MathContext mc) {
    return new BigDecimal(num).divide(new BigDecimal(den), mc);
  }

  /** The nearest double (±Infinity or 0 beyond the double range). */
  double doubleValue() {
    return toBigDecimal(DOUBLE_CONTEXT).doubleValue();
  }

  @Override
  public int compareTo(Rational o) {
    return num.multiply(o.den).compareTo(o.num.multiply(den));
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Rational r && r.num.equals(num) && r.den.equals(den);
  }

  @Override
  public int hashCode() {
    return num.hashCode() * 31 + den.hashCode();
  }

  @Override
  public String toString() {
    return den.equals(BigInteger.ONE) ? num.toString() : num + "/" + den;
  }
}
