package org.finwidth.sim.experiment;

import java.math.BigDecimal;
import java.util.Objects;
import java.util.OptionalDouble;
import java.util.OptionalLong;
import org.finwidth.sim.cli.TidyCsv;
import org.finwidth.stats.Verdict;

/**
 * One row of an experiment's numbers: one activation × setup × width × layer × quantity, written
 * as a row of the tidy CSV ({@link #tidy}).
 *
 * @param activation activation spec, e.g. {@code relu} or {@code swish:T=0.5}
 * @param setup the initialisation and network the numbers come from; its label is the tables'
 *     {@code init}, e.g. {@code K1=0.5,cb=0,cw=2}
 * @param width the hidden width n, 0 for an infinite-width theory-only row
 * @param layer the layer ℓ (1-based)
 * @param quantity what is measured, e.g. {@code K}, {@code G}, {@code ratio4-1}
 * @param value the measured value (or the theory value of a theory-only row)
 * @param se its standard error; NaN when not measured (a theory-only row)
 * @param theory the theory value beside it; NaN when there is none
 * @param networks networks in the ensemble (0 for a theory-only row)
 * @param seed the ensemble's seed (0 for a theory-only row)
 * @param theoryIsExact whether {@code theory} is the exact finite-width value (then the tidy CSV
 *     has it in {@code exact}, not in {@code theory})
 * @param component what the quantity is of beyond its name, "" for input 0 (e.g. "K=0.01")
 * @param exactDecimal a theory-only exact value beyond the double range (then {@code value} is
 *     NaN), else null
 */
public record Row(String activation, Setup setup, int width, int layer, String quantity, double value,
    double se, double theory, long networks, long seed, boolean theoryIsExact, String component,
    BigDecimal exactDecimal) {
  public Row {
    Objects.requireNonNull(activation, "activation");
    Objects.requireNonNull(setup, "setup");
    Objects.requireNonNull(quantity, "quantity");
    Objects.requireNonNull(component, "component");
    if (width < 0) {
      throw new IllegalArgumentException("width must be >= 0, got " + width);
    }
  }

  /** A row whose {@code theory} is a prediction (leading order or NLO), not an exact value. */
  public Row(String activation, Setup setup, int width, int layer, String quantity, double value, double se,
      double theory, long networks, long seed) {
    this(activation, setup, width, layer, quantity, value, se, theory, networks, seed, false, "", null);
  }

  /** A row of input 0 (component empty) whose {@code theory} may be the exact value. */
  public Row(String activation, Setup setup, int width, int layer, String quantity, double value, double se,
      double theory, long networks, long seed, boolean theoryIsExact) {
    this(activation, setup, width, layer, quantity, value, se, theory, networks, seed, theoryIsExact, "", null);
  }

  /** A theory-only row (width 0 = infinite width unless given; no SE, no ensemble). */
  static Row theory(String activation, Setup setup, int width, int layer, String quantity, double value) {
    return new Row(activation, setup, width, layer, quantity, value, Double.NaN, Double.NaN, 0, 0);
  }

  /** A theory-only row of a quantity at a point named by {@code component} (e.g. "K=0.01"). */
  static Row theory(String activation, Setup setup, String component, String quantity, double value) {
    return new Row(activation, setup, 0, 0, quantity, value, Double.NaN, Double.NaN, 0, 0, false, component, null);
  }

  /**
   * A theory-only row of an exact value in decimal, for one beyond the double range (RePU's
   * moments at depth): the tidy CSV has it in {@code exact} when it fits a double, else in
   * {@code exact_text}.
   */
  static Row exactBeyondDouble(String activation, Setup setup, int width, int layer, String quantity, BigDecimal x) {
    return new Row(activation, setup, width, layer, quantity, Double.NaN, Double.NaN, Double.NaN, 0, 0, false, "",
        Objects.requireNonNull(x, "x"));
  }

  /** The tables' label of the initialisation ({@link Setup#label}). */
  public String init() {
    return setup.label();
  }

  /**
   * This row in the tidy CSV ({@link TidyCsv}): a row of an ensemble (networks &gt; 0) has its
   * number in {@code value} (with {@code se}, its prediction in {@code theory}, or in {@code exact}
   * when {@link #theoryIsExact}, and z = (value − prediction)/se); a theory-only row has it in {@code exact} when its quantity is an exact
   * finite-width value (a name ending in "exact"), else in {@code theory}. {@code width} is the
   * row's fan-in: n_0 at layer 1, else the hidden width n (empty at infinite width). The flag is
   * left empty: an experiment's rows carry no tail check ({@link Verdict}); its text says which
   * layers are heavy-tailed. The component is empty where the quantity names its input (input 0,
   * or the pair (0, 1) for cos-theta), else the point it is computed at ("K=0.01").
   *
   * @param version the finwidth version
   */
  public TidyCsv.Row tidy(String version) {
    boolean measured = networks > 0;
    TidyCsv.Run run = new TidyCsv.Run(activation, setup.cb(), setup.cw(), setup.depth(), setup.gramId(),
        measured ? setup.sampler() : "", measured ? OptionalLong.of(networks) : OptionalLong.empty(),
        measured ? OptionalLong.of(seed) : OptionalLong.empty(), version);
    int fanIn = width > 0 && layer == 1 && setup.inputDim() > 0 ? setup.inputDim() : width;
    if (!measured && exactDecimal != null) {
      return TidyCsv.Row.ofExact(run, layer, fanIn, quantity, component, exactDecimal);
    }
    if (!measured) {
      boolean exact = quantity.endsWith("exact");
      return TidyCsv.Row.ofTheory(run, layer, fanIn, quantity, component, exact ? Double.NaN : value,
          exact ? value : Double.NaN);
    }
    double z = se > 0 && Double.isFinite(theory) && Double.isFinite(value) ? (value - theory) / se : Double.NaN;
    Verdict zOnly = !Double.isFinite(z) ? Verdict.NONE
        : theoryIsExact ? new Verdict(Verdict.Flag.NONE, Double.NaN, z) : new Verdict(Verdict.Flag.NONE, z, Double.NaN);
    OptionalDouble prediction = Double.isFinite(theory) ? OptionalDouble.of(theory) : OptionalDouble.empty();
    return new TidyCsv.Row(run, layer, fanIn, quantity, component, value, se, theoryIsExact ? OptionalDouble.empty() : prediction,
        theoryIsExact ? prediction : OptionalDouble.empty(), "", zOnly);
  }
}
