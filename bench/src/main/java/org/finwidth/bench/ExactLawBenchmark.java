package org.finwidth.bench;

import java.util.concurrent.TimeUnit;
import org.finwidth.activation.Activation;
import org.finwidth.network.NetworkSpec;
import org.finwidth.theory.Criticality;
import org.finwidth.theory.CriticalitySolver;
import org.finwidth.theory.ExactLaw;
import org.finwidth.theory.LayerPrediction;
import org.finwidth.theory.Prediction;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * One layer's transition of the exact single-input law ({@link ExactLaw}, docs/theory.md §6.5):
 * from the law of Ĝ^(ℓ) to that of Ĝ^(ℓ+1) at width n, for σ at its first critical point
 * (ReLU at C_b = 0, C_W = 2), input K^(1) = 1 (GELU: 4, whose critical point is not marginal
 * at K = 1). Scores are milliseconds per transition.
 *
 * <ul>
 *   <li>{@code transition}: every source node's transition computed anew (the law of the sum of
 *       n terms by n-fold convolution in logarithmic variables, then the propagation): the cost
 *       of a layer whose lattice nodes the chain has not visited before.
 *   <li>{@code propagation}: the same step with every source's transition already cached (as
 *       {@link ExactLaw#compute} has them for the nodes earlier layers visited): the propagation
 *       of the law alone.
 * </ul>
 *
 * The set-up checks that the stepped layer ℓ + 1 equals {@link ExactLaw#compute}'s bit for bit,
 * that its own accuracy estimate is below 1e-8, and an outside anchor: for ReLU (C_b = 0) the
 * closed forms of layer ℓ + 1, E[Ĝ] = K^(1), E[Ĝ²] = K^(1)²(1 + 5/n)^ℓ (docs/theory.md §6.2), to
 * 1e-10; for smooth σ the leading order,
 * |E[Ĝ]/(K + K1/n) − 1| ≤ 10 ℓ/n² (its error is O(ℓ/n²) at criticality). A quick look:
 * {@code ./run.sh bench ExactLawBenchmark -f 0 -wi 0 -i 1 -r 100ms}.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector"})
@State(Scope.Thread)
public class ExactLawBenchmark {
  @Param({"tanh", "swish", "gelu", "relu"})
  public String activation;

  @Param({"64"})
  public int n;

  /** The source layer ℓ of the transition ℓ → ℓ + 1. */
  @Param({"10"})
  public int layer;

  /** {@code default} (lattice resolving the law, as theory prints its quantiles) or {@code moments}. */
  @Param({"default", "moments"})
  public String options;

  private ExactLaw.Stepper atLayer;
  private ExactLaw.Stepper cached;

  @Setup
  public void init() {
    NetworkSpec spec = spec(activation, n, layer + 1);
    ExactLaw.Options o = switch (options) {
      case "default" -> ExactLaw.Options.DEFAULT;
      case "moments" -> ExactLaw.Options.MOMENTS;
      default -> throw new IllegalArgumentException("options must be default or moments, got " + options);
    };
    ExactLaw.Stepper s = ExactLaw.stepper(spec, o);
    while (s.current().layer() < layer) {
      s.next();
    }
    atLayer = s;
    cached = s.copy(false);
    ExactLaw.Layer next = cached.copy(true).next(); // fills the cache of cached
    verify(spec, o, next);
  }

  /** The network: σ at its first critical point (ReLU: C_b = 0, C_W = 2), width n, depth L. */
  static NetworkSpec spec(String activation, int n, int depth) {
    Activation sigma = Activation.parse(activation);
    double cb;
    double cw;
    if (activation.equals("relu")) {
      cb = 0;
      cw = 2;
    } else {
      Criticality.CriticalPoint p = CriticalitySolver.solve(sigma).critical().getFirst();
      cb = p.cb();
      cw = p.cw();
    }
    double gram = activation.equals("gelu") ? 4 : 1;
    return NetworkSpec.ofGram(sigma, cb, cw, 1, NetworkSpec.equalWidths(depth, n), new double[][] {{gram}});
  }

  /** The checks of the class comment on the stepped layer ℓ + 1. */
  void verify(NetworkSpec spec, ExactLaw.Options o, ExactLaw.Layer next) {
    int l = next.layer();
    ExactLaw.Layer computed = ExactLaw.compute(spec, o).layer(l);
    if (Double.doubleToLongBits(next.mean()) != Double.doubleToLongBits(computed.mean())
        || Double.doubleToLongBits(next.second()) != Double.doubleToLongBits(computed.second())) {
      throw new IllegalStateException(activation + ": stepped layer " + l + " (" + next.mean() + ", "
          + next.second() + ") differs from compute's (" + computed.mean() + ", " + computed.second() + ")");
    }
    if (!(next.accuracy() < 1e-8)) {
      throw new IllegalStateException(activation + ": layer " + l + " accuracy " + next.accuracy());
    }
    if (activation.equals("relu")) {
      double k1 = spec.cb() + spec.cw() * spec.gram()[0][0];
      double second = k1 * k1 * Math.pow(1 + 5.0 / n, l - 1);
      if (!(Math.abs(next.mean() / k1 - 1) <= 1e-10 && Math.abs(next.second() / second - 1) <= 1e-10)) {
        throw new IllegalStateException("relu: layer " + l + " E[G] = " + next.mean() + " (exact " + k1
            + "), E[G^2] = " + next.second() + " (exact " + second + ")");
      }
    } else {
      LayerPrediction p = Prediction.of(spec).layers().get(l - 1);
      double lo = p.kernel(0, 0) + p.nloKernel(0, 0) / n;
      double tol = 10.0 * l / ((double) n * n);
      if (!(Math.abs(next.mean() / lo - 1) <= tol)) {
        throw new IllegalStateException(activation + ": layer " + l + " E[G] = " + next.mean()
            + ", leading order K + K1/n = " + lo + ": relative difference beyond " + tol);
      }
    }
  }

  @Benchmark
  public ExactLaw.Layer transition() {
    return atLayer.copy(false).next();
  }

  @Benchmark
  public ExactLaw.Layer propagation() {
    return cached.copy(true).next();
  }
}
