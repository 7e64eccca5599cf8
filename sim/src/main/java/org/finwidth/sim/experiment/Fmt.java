package org.finwidth.sim.experiment;

import java.util.Locale;

/** Number formatting for report text, tables and init strings (locale-independent). */
public final class Fmt {
  private Fmt() {}

  /**
   * {@code digits} significant digits, trailing zeros dropped: 0.1, 1.2346, 1.5e-07; integers
   * below 10^6 plain; NaN and infinities as Java prints them.
   */
  public static String num(double x, int digits) {
    if (x == Math.rint(x) && Math.abs(x) < 1e6) {
      return Long.toString((long) x);
    }
    String s = String.format(Locale.ROOT, "%." + digits + "g", x);
    int e = s.indexOf('e');
    String mantissa = e < 0 ? s : s.substring(0, e);
    String exponent = e < 0 ? "" : s.substring(e);
    if (mantissa.contains(".")) {
      mantissa = mantissa.replaceAll("0+$", "").replaceAll("\\.$", "");
    }
    return mantissa + exponent;
  }

  /** Six significant digits. */
  public static String num(double x) {
    return num(x, 6);
  }

  /** "value ± se" with the SE to two significant digits and the value to the SE's last digit (at least 3 significant). */
  public static String pm(double value, double se) {
    if (!Double.isFinite(value)) {
      return "n/a";
    }
    if (!(se > 0) || !Double.isFinite(se)) {
      return num(value);
    }
    int seExp = (int) Math.floor(Math.log10(se));
    int valExp = value == 0 ? seExp : (int) Math.floor(Math.log10(Math.abs(value)));
    int digits = Math.max(3, Math.min(12, valExp - seExp + 2));
    return num(value, digits) + " ± " + num(se, 2);
  }

  /** The init string of a row: {@code K1=..,cb=..,cw=..} (K1 = the first-layer kernel). */
  public static String init(double k1, double cb, double cw) {
    return "K1=" + num(k1) + ",cb=" + num(cb) + ",cw=" + num(cw);
  }
}
