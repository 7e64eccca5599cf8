package org.finwidth.sim.cli;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.OptionalDouble;
import org.finwidth.ensemble.EnsembleResult;
import org.finwidth.network.NetworkSpec;
import org.finwidth.stats.Estimate;
import org.finwidth.stats.LayerEstimates;
import org.finwidth.vector.PairIndex;

/**
 * The tidy, self-describing CSV of measured results: one row per (run, layer, quantity,
 * component), every column one type, no packed strings, so that tables of different runs
 * concatenate and still tell the runs apart. The columns ({@link #COLUMNS}), optionally after
 * leading key columns of the caller (a campaign adds {@code run}, the run's key):
 * <pre>
 *   activation  the activation's canonical spec           cb, cw   C_b, C_W
 *   depth       L                                         layer    ℓ (1..L)
 *   width       the row's fan-in n_{ℓ−1} (n_0 for layer 1)
 *   gram_id     the first 12 hex digits of the SHA-256 of the Gram matrix's canonical text
 *               (rows separated by ';', entries by ',', each double in Java's shortest
 *               round-trip form: "1.0" or "1.0,0.5;0.5,2.0")
 *   sampler     conditional or weights                    networks  M, the run's networks
 *   seed        the run's seed                            version   finwidth version of the result
 *   quantity    G, Gmetric, V, Vmetric, ratio4, pairRatio (as simulate's CSV; G, V and the ratios
 *               only where the result has the distinct-neuron statistics)
 *   component   the inputs: the pair key "ab" for G, "ab|cd" for V (PairIndex's keys), "a" for the ratios
 *   value, se   the measured mean and its standard error
 *   theory      the leading-order prediction (K + K1/n for G; V; 1 + V/(nK²) for the ratios)
 *   exact       the exact finite-width value, where known (single input)
 *   z           (value − exact)/se where exact exists, else (value − theory)/se
 * </pre>
 * Numbers are doubles in Java's shortest round-trip form; an unknown or undefined number is an
 * empty field. The text is a pure function of the results: the same results give the same bytes.
 */
public final class TidyCsv {
  /** The standard columns, in order. */
  public static final List<String> COLUMNS = List.of("activation", "cb", "cw", "depth", "layer", "width", "gram_id",
      "sampler", "networks", "seed", "version", "quantity", "component", "value", "se", "theory", "exact", "z");

  private TidyCsv() {}

  /**
   * One row.
   *
   * @param theory the leading-order prediction, if any
   * @param exact the exact value, if any
   */
  public record Row(String activation, double cb, double cw, int depth, int layer, int width, String gramId,
      String sampler, long networks, long seed, String version, String quantity, String component, double value,
      double se, OptionalDouble theory, OptionalDouble exact) {
    /** The z-score against the exact value where there is one, else against the theory; NaN without either or an SE. */
    public double z() {
      OptionalDouble ref = exact.isPresent() ? exact : theory;
      return ref.isPresent() && se > 0 && Double.isFinite(value) ? (value - ref.getAsDouble()) / se : Double.NaN;
    }

    /** The value the z-score is against (exact, else theory), NaN if none. */
    public double reference() {
      OptionalDouble ref = exact.isPresent() ? exact : theory;
      return ref.isPresent() ? ref.getAsDouble() : Double.NaN;
    }
  }

  /** The header line (without newline): the leading columns, then {@link #COLUMNS}. */
  public static String header(List<String> leading) {
    List<String> all = new ArrayList<>(leading);
    all.addAll(COLUMNS);
    return String.join(",", all);
  }

  /**
   * Appends a row and its newline; {@code leading} are the values of the leading columns (plain
   * text without commas, quotes or newlines, or they are quoted).
   */
  public static void append(StringBuilder sb, List<String> leading, Row r) {
    for (String s : leading) {
      sb.append(text(s)).append(',');
    }
    sb.append(text(r.activation())).append(',').append(num(r.cb())).append(',').append(num(r.cw())).append(',')
        .append(r.depth()).append(',').append(r.layer()).append(',').append(r.width()).append(',')
        .append(r.gramId()).append(',').append(r.sampler()).append(',').append(r.networks()).append(',')
        .append(r.seed()).append(',').append(text(r.version())).append(',').append(r.quantity()).append(',')
        .append(text(r.component())).append(',').append(num(r.value())).append(',').append(num(r.se())).append(',')
        .append(opt(r.theory())).append(',').append(opt(r.exact())).append(',').append(num(r.z())).append('\n');
  }

  /**
   * The rows of a result, with the theory of {@code simulate} ({@link PredictionView}).
   *
   * @param version the finwidth version that computed the result (the result file's)
   */
  public static List<Row> rows(EnsembleResult r, String version) {
    return rows(r, SimulateCommand.theory.apply(r.spec()), version);
  }

  static List<Row> rows(EnsembleResult r, TheoryView th, String version) {
    NetworkSpec net = r.spec();
    int d = net.inputCount();
    String gramId = gramId(net.gram());
    List<Row> rows = new ArrayList<>();
    for (int l = 1; l <= net.depth(); l++) {
      LayerEstimates e = r.estimates(l);
      PairIndex ix = e.layout().index();
      int width = net.width(l - 1);
      RowMaker mk = (quantity, component, est, theory, exact) -> rows.add(new Row(net.activation().spec(), net.cb(),
          net.cw(), net.depth(), e.layer(), width, gramId, r.sampler(), r.networks(), r.seed(), version, quantity,
          component, est.mean(), est.standardError(), theory, exact));
      for (int p = 0; p < ix.pairs(); p++) {
        int a = ix.first(p);
        int b = ix.second(p);
        OptionalDouble exact = d == 1 ? th.exactTwoPoint(l) : OptionalDouble.empty();
        if (e.hasDistinctNeurons()) {
          mk.add("G", ix.pairKey(p), e.g(a, b), th.twoPoint(l, a, b), exact);
        }
        mk.add("Gmetric", ix.pairKey(p), e.gMetric(a, b), th.twoPoint(l, a, b), exact);
      }
      for (int q = 0; q < ix.pairPairs(); q++) {
        int p1 = ix.pairPairFirst(q);
        int p2 = ix.pairPairSecond(q);
        OptionalDouble theory = th.vertex(l, ix.first(p1), ix.second(p1), ix.first(p2), ix.second(p2));
        OptionalDouble exact = d == 1 ? th.exactVertex(l) : OptionalDouble.empty();
        if (e.hasDistinctNeurons()) {
          mk.add("V", ix.key(q), e.v(q), theory, exact);
        }
        mk.add("Vmetric", ix.key(q), e.vMetric(q), theory, exact);
      }
      for (int a = 0; a < d && e.hasDistinctNeurons(); a++) {
        mk.add("ratio4", "" + a, e.ratio4(a), th.ratio(l, a), d == 1 ? th.exactRatio4(l) : OptionalDouble.empty());
        mk.add("pairRatio", "" + a, e.pairRatio(a), th.ratio(l, a),
            d == 1 ? th.exactPairRatio(l) : OptionalDouble.empty());
      }
    }
    return rows;
  }

  @FunctionalInterface
  private interface RowMaker {
    void add(String quantity, String component, Estimate e, OptionalDouble theory, OptionalDouble exact);
  }

  /**
   * The Gram matrix's id: the first 12 hex digits of the SHA-256 of its canonical text (rows
   * separated by ';', entries by ',', each double as {@link Double#toString(double)}).
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
      return HexFormat.of().formatHex(h, 0, 6);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every JDK", e);
    }
  }

  private static String num(double x) {
    return Double.isFinite(x) ? Double.toString(x) : "";
  }

  private static String opt(OptionalDouble x) {
    return x.isPresent() ? num(x.getAsDouble()) : "";
  }

  /** A text field, quoted (RFC 4180) when it holds a comma, a quote or a line break. */
  static String text(String s) {
    if (s.indexOf(',') < 0 && s.indexOf('"') < 0 && s.indexOf('\n') < 0 && s.indexOf('\r') < 0) {
      return s;
    }
    return '"' + s.replace("\"", "\"\"") + '"';
  }
}
