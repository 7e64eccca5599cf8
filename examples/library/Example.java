import java.util.Locale;
import org.finwidth.activation.Activation;
import org.finwidth.ensemble.EnsembleResult;
import org.finwidth.ensemble.EnsembleRunner;
import org.finwidth.ensemble.SamplerFactory;
import org.finwidth.network.NetworkSpec;
import org.finwidth.network.SamplerKind;
import org.finwidth.stats.Estimate;
import org.finwidth.stats.LayerEstimates;
import org.finwidth.theory.LayerPrediction;
import org.finwidth.theory.Prediction;

/** finwidth as a library: the effective theory of a network, and a Monte Carlo ensemble beside it. */
public class Example {
  public static void main(String[] args) {
    // tanh at criticality (C_b = 0, C_W = 1), 3 layers of width 64, one input with (1/n_0)|x|² = 1
    NetworkSpec spec = NetworkSpec.ofGram(Activation.parse("tanh"), 0, 1, 1,
        NetworkSpec.equalWidths(3, 64), new double[][] {{1}});
    Prediction theory = Prediction.of(spec);

    // 100 000 networks, seed 1, the exact conditional sampler, 2 threads (the numbers do not depend on it)
    EnsembleResult mc = new EnsembleRunner(spec, SamplerFactory.of(SamplerKind.CONDITIONAL), 1, 100_000)
        .threads(2).run();

    System.out.println("layer  E[z^2]: theory  Monte Carlo           V: theory  Monte Carlo");
    for (LayerPrediction lp : theory.layers()) {
      LayerEstimates e = mc.estimates(lp.layer());
      Estimate g = e.g(0, 0);
      Estimate v = e.vMetric(0, 0, 0, 0);
      System.out.println(String.format(Locale.ROOT, "%5d  %14.6f  %.6f ± %.6f  %9.6f  %.6f ± %.6f", lp.layer(),
          lp.twoPoint(0, 0), g.mean(), g.standardError(), lp.vertex(0, 0, 0, 0), v.mean(), v.standardError()));
    }
  }
}
