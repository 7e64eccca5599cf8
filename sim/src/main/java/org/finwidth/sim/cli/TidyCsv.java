package org.finwidth.sim.cli;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.OptionalDouble;
import java.util.OptionalLong;
import org.finwidth.ensemble.EnsembleResult;
import org.finwidth.network.NetworkSpec;
import org.finwidth.stats.Verdict;

/**
 * The one CSV writer of finwidth: tidy and self-describing, one row per (run, layer, quantity,
 * component), every column of one type, no packed strings, so that the files of different runs
 * and commands ({@code theory}, {@code simulate}, {@code merge}, the experiments, campaigns)
 * concatenate into one table that still tells the runs apart. The columns ({@link #COLUMNS};
 * docs/cli.md, "CSV files"), optionally after leading key columns of the caller (a campaign adds
 * {@code run}):
 * <pre>
 *   activation  the activation's spec                      cb, cw    C_b, C_W
 *   depth       L (empty for a quantity of no network)     layer     ℓ (empty for no layer)
 *   width       the row's fan-in n_{ℓ−1} (n_0 at layer 1; empty at infinite width)
 *   gram_id     "g" and the first 12 hex digits of the SHA-256 of the Gram matrix's canonical
 *               text ({@link #gramId}; the matrix itself is in the JSON and the manifest)
 *   sampler     conditional or weights (empty for theory)  networks, seed   the ensemble's (empty for theory)
 *   version     the finwidth version that computed the numbers
 *   quantity    what the row holds (G, Gmetric, V, Vmetric, ratio4, pairRatio, K, K1, ...)
 *   component   the inputs: "00" for a pair, "00|01" for a V component, "0" for one input
 *   value, se   the measured value and its standard error (empty for theory)
 *   theory      the leading-order prediction          exact       the exact finite-width value
 *   exact_text  the exact value when it lies beyond the double range (then exact is empty), as
 *               mantissa x10^ exponent, "1.234x10^1000" ({@link #decimalText}: never read as a number)
 *   z           (value − exact)/se where there is an exact value, else (value − theory)/se
 *   flag        the verdict ({@link Verdict}: ok, beyond-LO, heavy-tail, disagree)
 * </pre>
 * Numbers are doubles in Java's shortest round-trip form; an unknown, undefined or infinite number
 * is an empty field; text is quoted (RFC 4180) only if it holds a comma, a quote or a line break.
 * The text is a pure function of the rows: the same results give the same bytes.
 */
public final class TidyCsv {
  /** The columns, in order. */
  public static final List<String> COLUMNS = List.of("activation", "cb", "cw", "depth", "layer", "width", "gram_id",
      "sampler", "networks", "seed", "version", "quantity", "component", "value", "se", "theory", "exact",
      "exact_text", "z", "flag");

  private TidyCsv() {}

  /**
   * Where a row's numbers come from: the network and, for a measurement, the ensemble.
   *
   * @param activation the activation's spec
   * @param cb C_b
   * @param cw C_W
   * @param depth L, 0 for none
   * @param gramId {@link #gramId} of the inputs' Gram matrix, "" for none
   * @param sampler the sampler kind, "" for theory
   * @param networks the ensemble's networks, empty for theory
   * @param seed the ensemble's seed, empty for theory
   * @param version the finwidth version
   */
  public record Run(String activation, double cb, double cw, int depth, String gramId, String sampler,
      OptionalLong networks, OptionalLong seed, String version) {
    public Run {
      Objects.requireNonNull(activation, "activation");
      Objects.requireNonNull(gramId, "gramId");
      Objects.requireNonNull(sampler, "sampler");
      Objects.requireNonNull(networks, "networks");
      Objects.requireNonNull(seed, "seed");
      Objects.requireNonNull(version, "version");
    }

    /** The provenance of an ensemble's result. */
    public static Run of(EnsembleResult r, String version) {
      return of(r.spec(), r.sampler(), r.networks(), r.seed(), version);
    }

    /** The provenance of an ensemble of a network. */
    public static Run of(NetworkSpec spec, String sampler, long networks, long seed, String version) {
      return new Run(spec.activation().spec(), spec.cb(), spec.cw(), spec.depth(), TidyCsv.gramId(spec.gram()), sampler,
          OptionalLong.of(networks), OptionalLong.of(seed), version);
    }

    /** The provenance of the theory of a network (no sampler, networks or seed). */
    public static Run theory(NetworkSpec spec, String version) {
      return theory(spec.activation().spec(), spec.cb(), spec.cw(), spec.depth(), TidyCsv.gramId(spec.gram()), version);
    }

    /** The provenance of theory numbers without a network object (depth 0 and gram id "" for none). */
    public static Run theory(String activation, double cb, double cw, int depth, String gramId, String version) {
      return new Run(activation, cb, cw, depth, gramId, "", OptionalLong.empty(), OptionalLong.empty(), version);
    }
  }

  /**
   * One row.
   *
   * @param run where the numbers come from
   * @param layer ℓ, 0 for a quantity of no layer
   * @param width the fan-in n_{ℓ−1}, 0 for none (infinite width)
   * @param quantity what the row holds
   * @param component the inputs ("" for none)
   * @param value the measured value, NaN for none
   * @param se its standard error, NaN for none
   * @param theory the leading-order prediction, if any
   * @param exact the exact value, if any and within the double range
   * @param exactText the exact value in decimal when it lies beyond the double range, else ""
   * @param verdict the verdict on the value ({@link Verdict#NONE} for theory)
   */
  public record Row(Run run, int layer, int width, String quantity, String component, double value, double se,
      OptionalDouble theory, OptionalDouble exact, String exactText, Verdict verdict) {
    public Row {
      Objects.requireNonNull(run, "run");
      Objects.requireNonNull(quantity, "quantity");
      Objects.requireNonNull(component, "component");
      Objects.requireNonNull(theory, "theory");
      Objects.requireNonNull(exact, "exact");
      Objects.requireNonNull(exactText, "exactText");
      Objects.requireNonNull(verdict, "verdict");
    }

    /** A row of theory: a leading-order number and, where known, the exact one. */
    public static Row ofTheory(Run run, int layer, int width, String quantity, String component, double theory,
        double exact) {
      return new Row(run, layer, width, quantity, component, Double.NaN, Double.NaN, finite(theory), finite(exact),
          "", Verdict.NONE);
    }

    /**
     * A row of an exact value only, in decimal: {@code exact} when it is a nonzero double or zero,
     * {@code exact_text} when it lies beyond the double range (overflows, or underflows to 0).
     */
    public static Row ofExact(Run run, int layer, int width, String quantity, String component, BigDecimal x) {
      double d = x.doubleValue();
      boolean fits = Double.isFinite(d) && (Math.abs(d) >= Double.MIN_NORMAL || x.signum() == 0); // else as text
      return new Row(run, layer, width, quantity, component, Double.NaN, Double.NaN, OptionalDouble.empty(),
          fits ? OptionalDouble.of(d) : OptionalDouble.empty(), fits ? "" : decimalText(x), Verdict.NONE);
    }

    /** The z-score of the verdict: against the exact value where there is one, else the theory; NaN if none. */
    public double z() {
      return verdict.z();
    }

    /** The value the z-score is against (exact, else theory), NaN if none. */
    public double reference() {
      OptionalDouble ref = exact.isPresent() ? exact : theory;
      return ref.isPresent() ? ref.getAsDouble() : Double.NaN;
    }

    /** The flag's word ("" for nothing judged). */
    public String flag() {
      return verdict.flag() == Verdict.Flag.NONE ? "" : verdict.flag().label();
    }
  }

  /**
   * A decimal beyond the double range as text that no CSV reader takes for a number: the
   * significand, "x10^" and the exponent ("1.2345x10^1000", "-3x10^-1200"); every digit of
   * {@code x} is kept. Read it back with {@code x.replace("x10^", "E")} into any decimal type.
   */
  static String decimalText(BigDecimal x) {
    BigDecimal s = x.stripTrailingZeros();
    if (s.signum() == 0) {
      return "0";
    }
    int exponent = s.precision() - s.scale() - 1;
    BigDecimal significand = s.movePointLeft(exponent);
    return significand.toPlainString() + "x10^" + exponent;
  }

  /** A finite number, or empty. */
  static OptionalDouble finite(double x) {
    return Double.isFinite(x) ? OptionalDouble.of(x) : OptionalDouble.empty();
  }

  /** The header line (without newline): the leading columns, then {@link #COLUMNS}. */
  public static String header(List<String> leading) {
    List<String> all = new ArrayList<>(leading);
    all.addAll(COLUMNS);
    return String.join(",", all);
  }

  /** The whole file: the header and every row. */
  public static String write(List<Row> rows) {
    StringBuilder sb = new StringBuilder(header(List.of())).append('\n');
    for (Row r : rows) {
      append(sb, List.of(), r);
    }
    return sb.toString();
  }

  /**
   * Appends a row and its newline; {@code leading} are the values of the leading columns (text,
   * quoted where needed).
   */
  public static void append(StringBuilder sb, List<String> leading, Row r) {
    for (String s : leading) {
      sb.append(text(s)).append(',');
    }
    Run run = r.run();
    sb.append(text(run.activation())).append(',').append(num(run.cb())).append(',').append(num(run.cw())).append(',')
        .append(positive(run.depth())).append(',').append(positive(r.layer())).append(',')
        .append(positive(r.width())).append(',').append(text(run.gramId())).append(',').append(text(run.sampler()))
        .append(',').append(opt(run.networks())).append(',').append(opt(run.seed())).append(',')
        .append(text(run.version())).append(',').append(text(r.quantity())).append(',').append(text(r.component()))
        .append(',').append(num(r.value())).append(',').append(num(r.se())).append(',').append(opt(r.theory()))
        .append(',').append(opt(r.exact())).append(',').append(text(r.exactText())).append(',').append(num(r.z()))
        .append(',').append(r.flag()).append('\n');
  }

  /**
   * The rows of a result beside the theory of {@code simulate} ({@link PredictionView}), one per
   * {@link Comparison}.
   *
   * @param version the finwidth version that computed the result (the result file's)
   */
  public static List<Row> rows(EnsembleResult r, String version) {
    return rows(r, SimulateCommand.theory.apply(r.spec()), version);
  }

  static List<Row> rows(EnsembleResult r, TheoryView th, String version) {
    Run run = Run.of(r, version);
    NetworkSpec net = r.spec();
    List<Row> rows = new ArrayList<>();
    for (Comparison c : Comparison.of(r, th)) {
      rows.add(new Row(run, c.layer(), net.width(c.layer() - 1), c.quantity(), c.component(), c.measured().mean(),
          c.measured().standardError(), c.theory(), c.exact(), "", c.verdict()));
    }
    return rows;
  }

  /**
   * The Gram matrix's id: "g" and the first 12 hex digits of the SHA-256 of its canonical text
   * (rows separated by ';', entries by ',', each double as {@link Double#toString(double)}: "1.0"
   * or "1.0,0.5;0.5,2.0"). The "g" keeps it text in every CSV reader (twelve hex digits can read as
   * a number, e.g. "000123456789" or "12345678e123").
   */
  public static String gramId(double[][] gram) {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < gram.length; i++) {
      if (i > 0) {
        sb.append(';');
      }
      for (int j = 0; j < gram[i].length; j++) {
        if (j > 0) {
          sb.append(',');
        }
        sb.append(gram[i][j]);
      }
    }
    try {
      byte[] h = MessageDigest.getInstance("SHA-256").digest(sb.toString().getBytes(StandardCharsets.UTF_8));
      return "g" + HexFormat.of().formatHex(h, 0, 6);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every JDK", e);
    }
  }

  private static String num(double x) {
    return Double.isFinite(x) ? Double.toString(x) : "";
  }

  private static String positive(int x) {
    return x > 0 ? Integer.toString(x) : "";
  }

  private static String opt(OptionalDouble x) {
    return x.isPresent() ? num(x.getAsDouble()) : "";
  }

  private static String opt(OptionalLong x) {
    return x.isPresent() ? Long.toString(x.getAsLong()) : "";
  }

  /** A text field, quoted (RFC 4180) when it holds a comma, a quote or a line break. */
  static String text(String s) {
    if (s.indexOf(',') < 0 && s.indexOf('"') < 0 && s.indexOf('\n') < 0 && s.indexOf('\r') < 0) {
      return s;
    }
    return '"' + s.replace("\"", "\"\"") + '"';
  }
}
