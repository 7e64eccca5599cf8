package org.finwidth.sim.experiment;

import java.util.Objects;

/**
 * One row of an experiment's tidy CSV: one activation × width × layer × quantity.
 *
 * @param activation activation spec, e.g. {@code relu} or {@code swish:T=0.5}
 * @param init the initialisation, e.g. {@code cb=0,cw=2} (or {@code K1=0.5,cb=0,cw=2})
 * @param width the hidden width n, 0 for an infinite-width theory-only row
 * @param layer the layer ℓ (1-based)
 * @param quantity what is measured, e.g. {@code K}, {@code G}, {@code ratio4-1}
 * @param value the measured value (or the theory value of a theory-only row)
 * @param se its standard error; NaN when not measured (a theory-only row)
 * @param theory the theory value beside it; NaN when there is none
 * @param networks networks in the ensemble (0 for a theory-only row)
 * @param seed the ensemble's seed (0 for a theory-only row)
 */
public record Row(String activation, String init, int width, int layer, String quantity, double value,
    double se, double theory, long networks, long seed) {
  /** The CSV header, in the order of the components. */
  public static final String CSV_HEADER = "activation,init,width,layer,quantity,value,se,theory,networks,seed";

  public Row {
    Objects.requireNonNull(activation, "activation");
    Objects.requireNonNull(init, "init");
    Objects.requireNonNull(quantity, "quantity");
    if (width < 0) {
      throw new IllegalArgumentException("width must be >= 0, got " + width);
    }
  }

  /** A theory-only row (width 0 = infinite width unless given; no SE, no ensemble). */
  public static Row theory(String activation, String init, int width, int layer, String quantity, double value) {
    return new Row(activation, init, width, layer, quantity, value, Double.NaN, Double.NaN, 0, 0);
  }

  /**
   * This row as one CSV line (no newline): text fields quoted when they hold a comma or a quote
   * (RFC 4180), numbers in Java's shortest round-trip form, NaN and infinities as empty fields.
   */
  public String toCsv() {
    return String.join(",", quote(activation), quote(init), Integer.toString(width), Integer.toString(layer),
        quote(quantity), number(value), number(se), number(theory), Long.toString(networks), Long.toString(seed));
  }

  static String quote(String s) {
    if (s.indexOf(',') < 0 && s.indexOf('"') < 0 && s.indexOf('\n') < 0 && s.indexOf('\r') < 0) {
      return s;
    }
    return '"' + s.replace("\"", "\"\"") + '"';
  }

  static String number(double x) {
    return Double.isFinite(x) ? Double.toString(x) : "";
  }
}
