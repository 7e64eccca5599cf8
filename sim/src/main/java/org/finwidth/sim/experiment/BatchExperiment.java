package org.finwidth.sim.experiment;

import java.awt.Color;
import java.awt.Font;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import org.finwidth.activation.Activation;
import org.finwidth.ensemble.EnsembleResult;
import org.finwidth.network.NetworkSpec;
import org.finwidth.network.SamplerKind;
import org.finwidth.stats.Estimate;
import org.finwidth.stats.LayerEstimates;
import org.finwidth.stats.PolynomialFit;
import org.finwidth.theory.LayerPrediction;
import org.finwidth.theory.Prediction;
import org.finwidth.vector.PairIndex;
import org.knowm.xchart.HeatMapChart;
import org.knowm.xchart.HeatMapChartBuilder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.style.Styler;

/**
 * {@code batch}: the kernel K, the NLO kernel K1 and the four-point vertex V over a batch of inputs
 * with structure, theory (docs/theory.md §5.1, §5.3, any number of inputs) beside Monte Carlo.
 *
 * <p>The batch: unit inputs u_1, …, u_m at prescribed angles θ_k = 0°, 15°, …, 15°(m−1) to the
 * first one (u_k = cos θ_k e_1 + sin θ_k w_k with w_k a fixed random unit vector orthogonal to e_1,
 * so the inputs are otherwise in general position), plus a few fixed random unit inputs; in
 * R^d for d inputs, so the Gram matrix has full rank (its smallest eigenvalue is reported). The
 * inputs are scaled so that K^(1)_aa is the initialisation's K^(1) for every a. Networks: ReLU,
 * tanh and GELU at criticality, equal widths; at each width the metric's mean and covariance give
 * E[Ĝ_ab], K̂1(n) = n(E[Ĝ_ab] − K_ab) and V̂(n) = n Cov(Ĝ_ab, Ĝ_cd) for every component at the last
 * layer, and a weighted fit in 1/n over the widths (y∞ + b/n, plus c/n² from four widths on) reads
 * off the measured K1 and V. Pair components over inputs 1 and k depend on those two inputs only,
 * so a sweep of two-input predictions over the angle draws V against θ as a curve.
 *
 * <p>{@link #compute} runs everything into a {@link Result}; {@link #render} draws and writes it.
 */
final class BatchExperiment implements Experiment<BatchExperiment.Result> {
  /** Angle inputs (0°, 15°, …) and random inputs of the full run. */
  static final int ANGLES = 8;
  static final int RANDOM = 2;
  static final int[] WIDTHS = {32, 64, 128, 256};
  static final int DEPTH = 6;
  static final long NETWORKS = 400_000;
  /**
   * The quick run: 0°, 45° and 90°, no random input, depth 3, two widths. Three inputs keep every
   * average of the recursions at most three-dimensional (a four-dimensional one appears only where
   * four distinct inputs meet), which the theory computes in well under a second; the full run's
   * 210 quadruples per layer take seconds to a minute of CPU per activation (docs/theory.md §5.5).
   */
  static final int QUICK_ANGLES = 3;
  static final int QUICK_RANDOM = 0;
  static final int[] QUICK_WIDTHS = {32, 64};
  static final int QUICK_DEPTH = 3;
  static final long QUICK_NETWORKS = 20_000;
  /** The step between the prescribed angles, degrees (full run, quick run). */
  static final double STEP = 15;
  static final double QUICK_STEP = 45;
  /** The angle sweep of the two-input theory curves, degrees. */
  static final double SWEEP_STEP = 5;
  /** Seed of the fixed random directions (part of the batch's definition, not of the ensembles). */
  static final long INPUT_SEED = 20_241_113;

  @Override
  public String name() {
    return "batch";
  }

  @Override
  public String title() {
    return "A batch of inputs: K, K1 and every V component over inputs at prescribed angles (ReLU, tanh, GELU at criticality)";
  }

  /**
   * The batch.
   *
   * @param labels a short label per input ("15°", "r1")
   * @param degrees the angle of each input to the first, degrees
   * @param units the unit input vectors in R^d, one per row
   * @param cosines u_a·u_b
   * @param smallestEigenvalue the smallest eigenvalue of the cosine matrix (&gt; 0: full rank)
   */
  record Batch(List<String> labels, double[] degrees, double[][] units, double[][] cosines,
      double smallestEigenvalue) {
    int size() {
      return labels.size();
    }
  }

  /**
   * Unit inputs at angles 0, step, …, (angles−1)·step to the first (otherwise in general position)
   * plus {@code random} random unit inputs, in R^d with d = angles + random.
   */
  static Batch batch(int angles, double step, int random) {
    int d = angles + random;
    SplittableRandom rnd = new SplittableRandom(INPUT_SEED);
    double[][] u = new double[d][d];
    List<String> labels = new ArrayList<>();
    double[] degrees = new double[d];
    for (int k = 0; k < angles; k++) {
      double theta = Math.toRadians(k * step);
      double[] w = new double[d];
      double norm = 0;
      for (int j = 1; j < d; j++) {
        w[j] = rnd.nextGaussian();
        norm += w[j] * w[j];
      }
      norm = Math.sqrt(norm);
      u[k][0] = Math.cos(theta);
      for (int j = 1; j < d; j++) {
        u[k][j] = Math.sin(theta) * w[j] / norm;
      }
      labels.add(Fmt.num(k * step) + "°");
    }
    for (int k = angles; k < d; k++) {
      double norm = 0;
      for (int j = 0; j < d; j++) {
        u[k][j] = rnd.nextGaussian();
        norm += u[k][j] * u[k][j];
      }
      norm = Math.sqrt(norm);
      for (int j = 0; j < d; j++) {
        u[k][j] /= norm;
      }
      labels.add("r" + (k - angles + 1));
    }
    double[][] c = new double[d][d];
    for (int a = 0; a < d; a++) {
      for (int b = 0; b <= a; b++) {
        double s = 0;
        for (int j = 0; j < d; j++) {
          s += u[a][j] * u[b][j];
        }
        c[a][b] = c[b][a] = a == b ? 1 : s;
      }
    }
    for (int a = 0; a < d; a++) {
      degrees[a] = Math.toDegrees(Math.acos(Math.max(-1, Math.min(1, c[0][a]))));
    }
    return new Batch(labels, degrees, u, c, NetworkSpec.smallestEigenvalue(c));
  }

  /** The three networks: ReLU (0, 2) and tanh (0, 1) from K^(1) = 1, GELU at its critical point from K*. */
  static List<Initialisation> initialisations() {
    return List.of(new Initialisation(Activation.parse("relu"), 0, 2, 1),
        new Initialisation(Activation.parse("tanh"), 0, 1, 1),
        Initialisation.criticalAtFixedPoint(Activation.parse("gelu")));
  }

  /** The network of a batch: Gram = cosines·(K^(1) − C_b)/C_W, so that K^(1)_ab = C_b + (K^(1) − C_b) cos. */
  static NetworkSpec spec(Initialisation init, Batch batch, int depth, int width) {
    int d = batch.size();
    double scale = (init.kernel1() - init.cb()) / init.cw();
    double[][] g = new double[d][d];
    for (int a = 0; a < d; a++) {
      for (int b = 0; b < d; b++) {
        g[a][b] = scale * batch.cosines()[a][b];
      }
    }
    return NetworkSpec.ofGram(init.activation(), init.cb(), init.cw(), d, NetworkSpec.equalWidths(depth, width), g);
  }

  /**
   * The theory at the last layer.
   *
   * @param kernel K_ab
   * @param nlo K1_ab
   * @param vertex V by component (layout order of {@link PairIndex})
   * @param breakdown why the prediction stopped early, or null
   */
  record Theory(double[][] kernel, double[][] nlo, double[] vertex, String breakdown) {}

  /**
   * One width at the last layer.
   *
   * @param width n
   * @param networks networks accumulated
   * @param seed the ensemble's seed
   * @param g E[Ĝ_ab] by pair (metric)
   * @param nlo n(E[Ĝ_ab] − K_ab) by pair
   * @param vertex n Cov(Ĝ_p, Ĝ_q) by component
   */
  record Width(int width, long networks, long seed, Estimate[] g, Estimate[] nlo, Estimate[] vertex) {}

  /**
   * Two-input theory curves against the angle θ between two inputs of the batch's norm, at the last
   * layer, over K_aa² (K_aa, the same for every input).
   *
   * @param degrees the angles where the two-input recursion went through, degrees
   * @param same V_(11)(22)/K_aa²
   * @param cross V_(12)(12)/K_aa²
   * @param stopped the angles where it stopped (kinked σ on a nearly collinear pair), with the
   *     first reason, or an empty list
   * @param reason the breakdown reason at the first stopped angle, or null
   */
  record Sweep(double[] degrees, double[] same, double[] cross, List<Double> stopped, String reason) {}

  /**
   * Everything about one network.
   *
   * @param init the initialisation
   * @param theory the batch theory at the last layer
   * @param widths the Monte Carlo at the last layer, by increasing width
   * @param nloFit the fitted K1 by pair (intercept of the fit in 1/n)
   * @param vertexFit the fitted V by component
   * @param sweep the two-input curves
   */
  record Network(Initialisation init, Theory theory, List<Width> widths, Estimate[] nloFit, Estimate[] vertexFit,
      Sweep sweep) {}

  /**
   * The result.
   *
   * @param batch the inputs
   * @param depth L (every quantity is at layer L)
   * @param widths the widths n
   * @param networks networks per width
   * @param all one per network of {@link #initialisations()}
   */
  record Result(Batch batch, int depth, int[] widths, long networks, List<Network> all) {}

  @Override
  public Result compute(ExperimentContext ctx) {
    boolean quick = ctx.quick();
    Batch batch = quick ? batch(QUICK_ANGLES, QUICK_STEP, QUICK_RANDOM) : batch(ANGLES, STEP, RANDOM);
    if (!(batch.smallestEigenvalue() > 1e-6)) {
      throw new IllegalStateException("internal: the batch's Gram is not of full rank: smallest eigenvalue "
          + batch.smallestEigenvalue());
    }
    int depth = quick ? QUICK_DEPTH : DEPTH;
    int[] widths = quick ? QUICK_WIDTHS : WIDTHS;
    long networks = quick ? QUICK_NETWORKS : NETWORKS;
    List<Network> all = new ArrayList<>();
    int seedOffset = 0;
    for (Initialisation init : initialisations()) {
      all.add(measure(ctx, init, batch, depth, widths, networks, seedOffset));
      seedOffset += widths.length;
    }
    return new Result(batch, depth, widths, networks, all);
  }

  /** Theory, ensembles at every width, the fits and the sweep of one network. */
  static Network measure(ExperimentContext ctx, Initialisation init, Batch batch, int depth, int[] widths,
      long networks, int seedOffset) {
    int d = batch.size();
    PairIndex ix = PairIndex.of(d);
    Prediction prediction = Prediction.of(spec(init, batch, depth, widths[0]));
    if (!prediction.isComplete()) {
      throw new IllegalStateException(init.activation().spec() + ": the batch theory stops: "
          + prediction.breakdown().orElseThrow().reason());
    }
    LayerPrediction last = prediction.layer(depth);
    double[] v = new double[ix.pairPairs()];
    for (int r = 0; r < v.length; r++) {
      v[r] = vertex(last, ix, r);
    }
    Theory theory = new Theory(last.kernel(), last.nloKernel(), v, null);
    List<Width> runs = new ArrayList<>();
    for (int i = 0; i < widths.length; i++) {
      int n = widths[i];
      long seed = ctx.seed(seedOffset + i);
      EnsembleResult r = ctx.ensemble(init.activation().spec() + " d=" + d + " n=" + n,
          spec(init, batch, depth, n), networks, seed);
      LayerEstimates e = r.estimates(depth);
      int fanIn = r.spec().width(depth - 1);
      Estimate[] g = new Estimate[ix.pairs()];
      Estimate[] k1 = new Estimate[ix.pairs()];
      for (int p = 0; p < ix.pairs(); p++) {
        g[p] = e.gMetric(ix.first(p), ix.second(p));
        double k = last.kernel(ix.first(p), ix.second(p));
        k1[p] = new Estimate(fanIn * (g[p].mean() - k), fanIn * g[p].standardError());
      }
      Estimate[] vv = new Estimate[ix.pairPairs()];
      for (int q = 0; q < vv.length; q++) {
        vv[q] = e.vMetric(q);
      }
      runs.add(new Width(n, r.networksAccumulated(), seed, g, k1, vv));
    }
    Estimate[] k1Fit = new Estimate[ix.pairs()];
    for (int p = 0; p < ix.pairs(); p++) {
      final int c = p;
      k1Fit[p] = extrapolate(runs, w -> w.nlo()[c]);
    }
    Estimate[] vFit = new Estimate[ix.pairPairs()];
    for (int q = 0; q < vFit.length; q++) {
      final int c = q;
      vFit[q] = extrapolate(runs, w -> w.vertex()[c]);
    }
    return new Network(init, theory, runs, k1Fit, vFit, sweep(init, depth, widths[0]));
  }

  /** V_(ab)(cd) of component r. */
  static double vertex(LayerPrediction lp, PairIndex ix, int r) {
    int p = ix.pairPairFirst(r);
    int q = ix.pairPairSecond(r);
    return lp.vertex(ix.first(p), ix.second(p), ix.first(q), ix.second(q));
  }

  /**
   * The intercept of the weighted fit y∞ + b/n (+ c/n² from four widths on) of one component over
   * the widths; {@link Estimate#UNDEFINED} if a point has no positive SE (e.g. an exact value).
   */
  static Estimate extrapolate(List<Width> runs, java.util.function.Function<Width, Estimate> pick) {
    int m = runs.size();
    if (m < 2) {
      return Estimate.UNDEFINED;
    }
    double[] x = new double[m];
    double[] y = new double[m];
    double[] se = new double[m];
    for (int i = 0; i < m; i++) {
      Estimate e = pick.apply(runs.get(i));
      if (!(e.standardError() > 0) || !Double.isFinite(e.mean())) {
        return Estimate.UNDEFINED;
      }
      x[i] = 1.0 / runs.get(i).width();
      y[i] = e.mean();
      se[i] = e.standardError();
    }
    return PolynomialFit.fit(m >= 4 ? 2 : 1, x, y, se).intercept();
  }

  /** The two-input recursion for two inputs of the batch's norm at every angle of the sweep. */
  static Sweep sweep(Initialisation init, int depth, int width) {
    List<Double> deg = new ArrayList<>();
    List<Double> same = new ArrayList<>();
    List<Double> cross = new ArrayList<>();
    List<Double> stopped = new ArrayList<>();
    String reason = null;
    double scale = (init.kernel1() - init.cb()) / init.cw();
    int steps = (int) Math.round(180 / SWEEP_STEP);
    for (int i = 0; i <= steps; i++) {
      double t = i * SWEEP_STEP;
      double c = Math.cos(Math.toRadians(t));
      double[][] g = {{scale, scale * c}, {scale * c, scale}};
      Prediction p = Prediction.of(NetworkSpec.ofGram(init.activation(), init.cb(), init.cw(), 2,
          NetworkSpec.equalWidths(depth, width), g));
      if (!p.isComplete()) {
        stopped.add(t);
        if (reason == null) {
          reason = p.breakdown().orElseThrow().reason();
        }
        continue;
      }
      LayerPrediction lp = p.layer(depth);
      double k2 = lp.kernel(0, 0) * lp.kernel(0, 0);
      deg.add(t);
      same.add(lp.vertex(0, 0, 1, 1) / k2);
      cross.add(lp.vertex(0, 1, 0, 1) / k2);
    }
    return new Sweep(toArray(deg), toArray(same), toArray(cross), List.copyOf(stopped), reason);
  }

  private static double[] toArray(List<Double> xs) {
    double[] out = new double[xs.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = xs.get(i);
    }
    return out;
  }

  // ---------------------------------------------------------------------------------------------
  // Rendering

  @Override
  public void render(Result result, Report report) {
    Batch batch = result.batch();
    int d = batch.size();
    PairIndex ix = PairIndex.of(d);
    for (Network net : result.all()) {
      report.rows(rows(net, batch, result.depth(), ix));
    }
    int angles = 0;
    for (String s : batch.labels()) {
      angles += s.endsWith("°") ? 1 : 0;
    }
    report.paragraph(String.format(Locale.ROOT, "A batch of d = %d unit inputs in R^%d: %d at prescribed angles"
        + " %s to the first one (otherwise in general position), and %d random ones; the smallest eigenvalue"
        + " of their cosine matrix is %s, so the Gram matrix has full rank. Networks of depth L = %d at"
        + " equal widths n = %s, %,d networks per width (conditional sampler, metric statistics); every"
        + " quantity below is at layer L. At width n the metric Ĝ gives E[Ĝ_ab], K̂1(n) = n·(E[Ĝ_ab] − K_ab)"
        + " and V̂(n) = n·Cov(Ĝ_ab, Ĝ_cd) for all %d pairs and %d V components; each is fitted in 1/n (%s)"
        + " and the intercept is compared with the leading-order recursions of docs/theory.md §5.1 and"
        + " §5.3 for d inputs.", d, d, angles, String.join(", ", batch.labels().subList(0, angles)),
        d - angles, Fmt.num(batch.smallestEigenvalue(), 3), result.depth(), join(result.widths()),
        result.networks(), ix.pairs(), ix.pairPairs(),
        result.widths().length >= 4 ? "y∞ + b/n + c/n²" : "y∞ + b/n, a straight line through the widths"));
    for (Network net : result.all()) {
      renderNetwork(report, result, net, ix);
    }
  }

  private static void renderNetwork(Report report, Result result, Network net, PairIndex ix) {
    Batch batch = result.batch();
    int d = batch.size();
    String act = net.init().activation().spec();
    report.heading(act + " at (C_b, C_W) = (" + Fmt.num(net.init().cb()) + ", " + Fmt.num(net.init().cw())
        + "), K^(1)_aa = " + Fmt.num(net.init().kernel1()));
    Theory th = net.theory();
    double[][] k = th.kernel();
    Width widest = net.widths().get(net.widths().size() - 1);
    // K: theory against E[Ĝ] at the largest width.
    double[][] kMc = new double[d][d];
    for (int p = 0; p < ix.pairs(); p++) {
      kMc[ix.first(p)][ix.second(p)] = kMc[ix.second(p)][ix.first(p)] = widest.g()[p].mean();
    }
    double kMax = 0;
    double kRel = 0;
    for (int p = 0; p < ix.pairs(); p++) {
      int a = ix.first(p);
      int b = ix.second(p);
      kMax = Math.max(kMax, Math.abs(k[a][b]));
      kRel = Math.max(kRel, Math.abs(kMc[a][b] - k[a][b]) / Math.sqrt(k[a][a] * k[b][b]));
    }
    report.figure(FiniteWidthExperiment.figureName(act, "kernel"),
        heatmap(act + ": K_ab, theory (left) | E[Ĝ_ab] at n = " + widest.width() + " (right)", batch, k, kMc),
        String.format(Locale.ROOT, "The kernel over the batch at layer %d: the infinite-width K (left) and the"
            + " measured E[Ĝ_ab] at width %d (right), which the 1/n theory puts at K_ab + K1_ab/n. Rows and"
            + " columns are the inputs by their angle to the first (r: random inputs). The largest difference"
            + " is %s of √(K_aa K_bb); |K_ab| reaches %s.", result.depth(), widest.width(), Fmt.num(kRel, 2),
            Fmt.num(kMax, 3)));
    // K1/√(K_aa K_bb) and the V components: theory against the extrapolation.
    double[][] k1 = new double[d][d];
    double[][] k1Mc = new double[d][d];
    double[][] vSame = new double[d][d];
    double[][] vSameMc = new double[d][d];
    double[][] vCross = new double[d][d];
    double[][] vCrossMc = new double[d][d];
    for (int a = 0; a < d; a++) {
      for (int b = 0; b < d; b++) {
        double norm = Math.sqrt(k[a][a] * k[b][b]);
        int p = ix.pair(a, b);
        k1[a][b] = th.nlo()[a][b] / norm;
        k1Mc[a][b] = net.nloFit()[p].mean() / norm;
        int same = ix.component(a, a, b, b);
        int cross = ix.component(a, b, a, b);
        vSame[a][b] = th.vertex()[same] / (norm * norm);
        vSameMc[a][b] = net.vertexFit()[same].mean() / (norm * norm);
        vCross[a][b] = th.vertex()[cross] / (norm * norm);
        vCrossMc[a][b] = net.vertexFit()[cross].mean() / (norm * norm);
      }
    }
    String extrapolated = "extrapolated to n = ∞";
    report.figure(FiniteWidthExperiment.figureName(act, "nlo"),
        heatmap(act + ": K1_ab/√(K_aa K_bb), theory (left) | Monte Carlo " + extrapolated + " (right)", batch,
            k1, k1Mc),
        String.format(Locale.ROOT, "The NLO kernel K1 over the batch, normalised by √(K_aa K_bb): the recursion"
            + " of docs/theory.md §5.3 (left) and the intercept of the fit in 1/n of n·(E[Ĝ_ab] − K_ab) (right)."
            + " %s The SE of n·(E[Ĝ] − K) is √(nV/N), so the measured K1 is the noisiest quantity here.",
            agreement(net.nloFit(), nloTheory(th, ix), "K1", ix, false)));
    report.figure(FiniteWidthExperiment.figureName(act, "vertex-aabb"),
        heatmap(act + ": V_(aa)(bb)/(K_aa K_bb), theory (left) | Monte Carlo " + extrapolated + " (right)", batch,
            vSame, vSameMc),
        String.format(Locale.ROOT, "The covariance of the diagonal metric entries, V_(aa)(bb) = n·Cov(Ĝ_aa, Ĝ_bb),"
            + " over K_aa K_bb: theory (left) and the fitted intercept (right). %s",
            diagonalTrend(vSame, batch)));
    report.figure(FiniteWidthExperiment.figureName(act, "vertex-abab"),
        heatmap(act + ": V_(ab)(ab)/(K_aa K_bb), theory (left) | Monte Carlo " + extrapolated + " (right)", batch,
            vCross, vCrossMc),
        String.format(Locale.ROOT, "The variance of the off-diagonal metric entries, V_(ab)(ab) = n·Var(Ĝ_ab),"
            + " over K_aa K_bb: theory (left) and the fitted intercept (right); the diagonal repeats V_(aa)(aa)."
            + " Over all %d components of V: %s", ix.pairPairs(), agreement(net.vertexFit(), th.vertex(), "V", ix, true)));
    angleFigure(report, result, net, ix);
    Estimate worst = null;
    double worstZ = 0;
    for (int q = 0; q < ix.pairPairs(); q++) {
      double z = Math.abs(net.vertexFit()[q].zScore(th.vertex()[q]));
      if (Double.isFinite(z) && (worst == null || z > worstZ)) {
        worst = net.vertexFit()[q];
        worstZ = z;
      }
    }
    report.summary(String.format(Locale.ROOT, "%-5s d=%d layer %d: %d of %d V components within 3 SE of theory"
        + " (largest |z| = %.1f), %d of %d K1 components", act, d, result.depth(),
        within(net.vertexFit(), th.vertex(), 3), ix.pairPairs(), worstZ,
        within(net.nloFit(), nloTheory(th, ix), 3), ix.pairs()));
  }

  /** K1 by pair. */
  private static double[] nloTheory(Theory th, PairIndex ix) {
    double[] out = new double[ix.pairs()];
    for (int p = 0; p < out.length; p++) {
      out[p] = th.nlo()[ix.first(p)][ix.second(p)];
    }
    return out;
  }

  /** How many estimates lie within k SE of their theory. */
  static int within(Estimate[] measured, double[] theory, double k) {
    int n = 0;
    for (int i = 0; i < measured.length; i++) {
      if (Math.abs(measured[i].zScore(theory[i])) <= k) {
        n++;
      }
    }
    return n;
  }

  /** "N of M components lie within 3 SE ...; the largest |z| is ... at (ab)(cd)" from the numbers. */
  private static String agreement(Estimate[] measured, double[] theory, String what, PairIndex ix, boolean vertex) {
    int m = measured.length;
    int in = within(measured, theory, 3);
    int worst = -1;
    double worstZ = -1;
    double largestSe = 0;
    double largest = 0;
    for (int i = 0; i < m; i++) {
      double z = Math.abs(measured[i].zScore(theory[i]));
      if (Double.isFinite(z) && z > worstZ) {
        worstZ = z;
        worst = i;
      }
      largest = Math.max(largest, Math.abs(theory[i]));
      largestSe = Math.max(largestSe, measured[i].standardError());
    }
    String where = worst < 0 ? "" : String.format(Locale.ROOT, "; the largest |z| is %.1f, at %s (%s against %s)",
        worstZ, vertex ? ix.key(worst) : ix.pairKey(worst), Fmt.pm(measured[worst].mean(),
            measured[worst].standardError()), Fmt.num(theory[worst], 4));
    return String.format(Locale.ROOT, "%d of %d %s components lie within 3 standard errors of the theory (about"
        + " %.1f outside would be expected by chance if the errors were independent and Gaussian)%s. The"
        + " largest SE is %s of the largest |%s| (%s).", in, m, what, 0.0027 * m, where,
        Fmt.num(largestSe / Math.max(largest, 1e-300), 2), what, Fmt.num(largest, 4));
  }

  /** How V_(aa)(bb)/(K K) varies with the angle between a and b, in words from the numbers. */
  private static String diagonalTrend(double[][] v, Batch batch) {
    int last = 0;
    for (int a = 0; a < batch.size(); a++) {
      if (batch.labels().get(a).endsWith("°")) {
        last = a;
      }
    }
    double first = v[0][0];
    double end = v[0][last];
    String direction = end < first ? "falls" : end > first ? "rises" : "stays";
    return String.format(Locale.ROOT, "Along the first row (the angle to input 1 grows from 0° to %s) the"
        + " theory %s from %s to %s.", batch.labels().get(last), direction, Fmt.num(first, 4), Fmt.num(end, 4));
  }

  /** V_(11)(kk) and V_(1k)(1k) over K² against the angle θ_k: curves from the sweep, the batch's points. */
  private static void angleFigure(Report report, Result result, Network net, PairIndex ix) {
    Batch batch = result.batch();
    String act = net.init().activation().spec();
    List<Integer> angled = new ArrayList<>();
    for (int a = 0; a < batch.size(); a++) {
      if (batch.labels().get(a).endsWith("°")) {
        angled.add(a);
      }
    }
    int m = angled.size();
    int widths = net.widths().size();
    XYChart c = Plots.chart(act + ": V against the angle to input 1 (layer " + result.depth() + ")",
        "angle θ between input 1 and input k (degrees)", "V/K_aa²", 4 + 2 * (widths + 1));
    Sweep s = net.sweep();
    Plots.line(c, "V_(11)(kk) theory (two inputs)", s.degrees(), s.same(), Plots.color(0));
    Plots.line(c, "V_(1k)(1k) theory (two inputs)", s.degrees(), s.cross(), Plots.color(1));
    double[] x = new double[m];
    double[] same = new double[m];
    double[] cross = new double[m];
    double[] sameFit = new double[m];
    double[] sameFitSe = new double[m];
    double[] crossFit = new double[m];
    double[] crossFitSe = new double[m];
    double[][] k = net.theory().kernel();
    double k2 = k[0][0] * k[0][0];
    for (int i = 0; i < m; i++) {
      int a = angled.get(i);
      x[i] = batch.degrees()[a];
      int qs = ix.component(0, 0, a, a);
      int qc = ix.component(0, a, 0, a);
      same[i] = net.theory().vertex()[qs] / k2;
      cross[i] = net.theory().vertex()[qc] / k2;
      sameFit[i] = net.vertexFit()[qs].mean() / k2;
      sameFitSe[i] = net.vertexFit()[qs].standardError() / k2;
      crossFit[i] = net.vertexFit()[qc].mean() / k2;
      crossFitSe[i] = net.vertexFit()[qc].standardError() / k2;
    }
    for (int w = 0; w < widths; w++) {
      Width run = net.widths().get(w);
      double[] ys = new double[m];
      double[] ss = new double[m];
      double[] yc = new double[m];
      double[] sc = new double[m];
      double[] xs = new double[m];
      double[] xc = new double[m];
      double shift = (w - (widths - 1) / 2.0) * 0.6; // degrees apart, so the error bars do not overlap
      for (int i = 0; i < m; i++) {
        int a = angled.get(i);
        Estimate es = run.vertex()[ix.component(0, 0, a, a)];
        Estimate ec = run.vertex()[ix.component(0, a, 0, a)];
        xs[i] = x[i] + shift;
        xc[i] = x[i] + shift;
        ys[i] = es.mean() / k2;
        ss[i] = es.standardError() / k2;
        yc[i] = ec.mean() / k2;
        sc[i] = ec.standardError() / k2;
      }
      Plots.points(c, "V_(11)(kk) n=" + run.width(), xs, ys, ss, Plots.color(0), Plots.marker(w + 1));
      Plots.points(c, "V_(1k)(1k) n=" + run.width(), xc, yc, sc, Plots.color(1), Plots.marker(w + 1));
    }
    Plots.points(c, "V_(11)(kk) fit n → ∞", x, sameFit, sameFitSe, Plots.color(2), Plots.marker(0));
    Plots.points(c, "V_(1k)(1k) fit n → ∞", x, crossFit, crossFitSe, Plots.color(3), Plots.marker(0));
    // The batch's theory on the two-input curve: the largest relative distance.
    double offCurve = 0;
    for (int i = 0; i < m; i++) {
      for (int j = 0; j < s.degrees().length; j++) {
        if (Math.abs(s.degrees()[j] - x[i]) < 1e-9) {
          offCurve = Math.max(offCurve, Math.abs(same[i] - s.same()[j]) / Math.abs(s.same()[j]));
          offCurve = Math.max(offCurve, Math.abs(cross[i] - s.cross()[j]) / Math.abs(s.cross()[j]));
        }
      }
    }
    String stopped = s.stopped().isEmpty() ? ""
        : String.format(Locale.ROOT, " The two-input recursion stops at %d of the swept angles (%s°): %s.",
            s.stopped().size(), joinDegrees(s.stopped()), s.reason());
    int top = argMax(s.cross());
    report.figure(FiniteWidthExperiment.figureName(act, "angle"), c, String.format(Locale.ROOT,
        "The pair components over input 1 and input k against their angle θ_k, over K_aa² at layer %d."
            + " Lines: the recursion for two inputs at angle θ (a component over inputs 1 and k depends on those"
            + " two only; the batch's own values lie on the lines to %s relative). Points: n·Cov(Ĝ) at each"
            + " width (shifted sideways by a fraction of a degree per width), and the fit in 1/n. V_(11)(kk)/K²"
            + " %s from %s at 0° to %s at 180°; V_(1k)(1k)/K² %s from %s at 0° to %s at 180° (largest, %s, at"
            + " %s°).%s", result.depth(), Fmt.num(offCurve, 2), trend(s.same()), Fmt.num(first(s.same()), 4),
        Fmt.num(lastOf(s.same()), 4), trend(s.cross()), Fmt.num(first(s.cross()), 4), Fmt.num(lastOf(s.cross()), 4),
        Fmt.num(s.cross()[top], 4), Fmt.num(s.degrees()[top]), stopped));
  }

  private static int argMax(double[] y) {
    int best = 0;
    for (int i = 1; i < y.length; i++) {
      if (y[i] > y[best]) {
        best = i;
      }
    }
    return best;
  }

  private static double first(double[] y) {
    return y[0];
  }

  private static double lastOf(double[] y) {
    return y[y.length - 1];
  }

  /** "falls", "rises", or "changes non-monotonically" over the sweep. */
  private static String trend(double[] y) {
    boolean up = true;
    boolean down = true;
    for (int i = 1; i < y.length; i++) {
      up &= y[i] >= y[i - 1];
      down &= y[i] <= y[i - 1];
    }
    return up ? "rises monotonically" : down ? "falls monotonically" : "changes non-monotonically";
  }

  private static String joinDegrees(List<Double> xs) {
    StringBuilder sb = new StringBuilder();
    for (double x : xs) {
      sb.append(sb.isEmpty() ? "" : ", ").append(Fmt.num(x));
    }
    return sb.toString();
  }

  /**
   * Two d×d matrices side by side in one heat map (left: theory, right: Monte Carlo, a blank column
   * between), on one diverging colour scale symmetric about 0, each cell labelled with its value.
   */
  static HeatMapChart heatmap(String title, Batch batch, double[][] left, double[][] right) {
    int d = batch.size();
    // The builder applies XChart's theme (fonts, plot area); the bare constructor leaves them unset.
    HeatMapChart c = new HeatMapChartBuilder().width(Plots.WIDTH).height(Plots.HEIGHT).title(title).build();
    c.setXAxisTitle("input b (left: theory, right: Monte Carlo)");
    c.setYAxisTitle("input a");
    List<String> x = new ArrayList<>();
    for (String l : batch.labels()) {
      x.add(l);
    }
    x.add(" ");
    for (String l : batch.labels()) {
      x.add(l + " ");
    }
    List<String> y = new ArrayList<>(batch.labels());
    List<Number[]> cells = new ArrayList<>();
    double max = 0;
    for (int a = 0; a < d; a++) {
      for (int b = 0; b < d; b++) {
        max = Math.max(max, Math.max(finiteAbs(left[a][b]), finiteAbs(right[a][b])));
      }
    }
    for (int a = 0; a < d; a++) {
      for (int b = 0; b < d; b++) {
        if (Double.isFinite(left[a][b])) {
          cells.add(new Number[] {b, a, left[a][b]});
        }
        if (Double.isFinite(right[a][b])) {
          cells.add(new Number[] {d + 1 + b, a, right[a][b]});
        }
      }
    }
    c.addSeries(title, x, y, cells);
    var s = c.getStyler();
    s.setChartBackgroundColor(Color.WHITE);
    s.setPlotBackgroundColor(Color.WHITE);
    s.setChartTitleFont(new Font(Font.SANS_SERIF, Font.BOLD, 14));
    s.setAxisTitleFont(new Font(Font.SANS_SERIF, Font.PLAIN, 13));
    s.setAxisTickLabelsFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11));
    s.setLegendFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11));
    s.setChartTitleBoxVisible(false);
    s.setLegendPosition(Styler.LegendPosition.OutsideE);
    s.setRangeColors(new Color[] {new Color(0x2166AC), new Color(0xF7F7F7), new Color(0xB2182B)});
    // the scale's ends at two significant digits (rounded up), so the colour bar reads cleanly
    double m = max > 0 && Double.isFinite(max)
        ? new java.math.BigDecimal(max).round(new java.math.MathContext(2, java.math.RoundingMode.UP)).doubleValue()
        : 1;
    s.setMin(-m);
    s.setMax(m);
    s.setShowValue(true);
    s.setValueFont(new Font(Font.SANS_SERIF, Font.PLAIN, d <= 6 ? 11 : 8));
    s.setHeatMapValueDecimalPattern("0.###"); // the cell labels (a value formatter is ignored by XChart 4.0.3)
    s.setDecimalPattern("0.###"); // the colour bar's ends
    s.setChartPadding(12);
    return c;
  }

  private static double finiteAbs(double x) {
    return Double.isFinite(x) ? Math.abs(x) : 0;
  }

  /**
   * CSV rows at layer L: per width G, K1 and V of every component; the fitted K1 and V (width 0).
   * The quantity names what ({@code G}, {@code K1}, {@code V}, {@code K1 fit}, {@code V fit}), the
   * component which inputs ({@code 01}, {@code 01|23}: {@link PairIndex#pairKey}, {@link PairIndex#key}).
   */
  static List<Row> rows(Network net, Batch batch, int depth, PairIndex ix) {
    List<Row> rows = new ArrayList<>();
    Initialisation init = net.init();
    String act = init.activation().spec();
    String label = init.text();
    String sampler = SamplerKind.CONDITIONAL.cliName(); // ExperimentContext.ensemble's sampler
    Theory th = net.theory();
    long total = 0;
    for (Width w : net.widths()) {
      total += w.networks();
      Setup setup = Setup.of(label, spec(init, batch, depth, w.width()), sampler);
      for (int p = 0; p < ix.pairs(); p++) {
        int a = ix.first(p);
        int b = ix.second(p);
        String key = ix.pairKey(p);
        rows.add(new Row(act, setup, w.width(), depth, "G", w.g()[p].mean(), w.g()[p].standardError(),
            th.kernel()[a][b] + th.nlo()[a][b] / w.width(), w.networks(), w.seed(), false, key, null));
        rows.add(new Row(act, setup, w.width(), depth, "K1", w.nlo()[p].mean(), w.nlo()[p].standardError(),
            th.nlo()[a][b], w.networks(), w.seed(), false, key, null));
      }
      for (int q = 0; q < ix.pairPairs(); q++) {
        rows.add(new Row(act, setup, w.width(), depth, "V", w.vertex()[q].mean(), w.vertex()[q].standardError(),
            th.vertex()[q], w.networks(), w.seed(), false, ix.key(q), null));
      }
    }
    long seed = net.widths().get(0).seed();
    // the fits: every width of one initialisation, sampler and depth
    Setup fits = Setup.of(label, spec(init, batch, depth, net.widths().get(0).width()), sampler);
    for (int p = 0; p < ix.pairs(); p++) {
      Estimate e = net.nloFit()[p];
      rows.add(new Row(act, fits, 0, depth, "K1 fit", e.mean(), e.standardError(),
          th.nlo()[ix.first(p)][ix.second(p)], total, seed, false, ix.pairKey(p), null));
    }
    for (int q = 0; q < ix.pairPairs(); q++) {
      Estimate e = net.vertexFit()[q];
      rows.add(new Row(act, fits, 0, depth, "V fit", e.mean(), e.standardError(), th.vertex()[q], total, seed,
          false, ix.key(q), null));
    }
    return rows;
  }

  private static String join(int[] xs) {
    StringBuilder sb = new StringBuilder();
    for (int x : xs) {
      sb.append(sb.isEmpty() ? "" : ", ").append(x);
    }
    return sb.toString();
  }
}
