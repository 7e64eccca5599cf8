package org.finwidth.bench;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Proxy;

import org.finwidth.activation.Activation;
import org.finwidth.activation.Catalogue;
import org.finwidth.theory.ExactLaw;
import org.finwidth.vector.ActivationKernels;
import org.finwidth.vector.KernelProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The benchmarks' own set-up checks, run as tests on small sizes (the benchmarks themselves are
 * never run by the tests): each accepts the real kernel and rejects a broken one, so that a fast
 * wrong kernel cannot post a score.
 */
class BenchmarkSelfCheckTest {

  @Test
  void machineBaselinesPassTheirChecks() {
    MachineBaselineBenchmark b = new MachineBaselineBenchmark();
    b.init(1 << 20);
    b.verify();
    assertTrue(b.fma() > 0);
    assertTrue(b.stream() > 0);
  }

  @ParameterizedTest
  @CsvSource({"relu, 64", "tanh, 64"})
  void plainJavaPeerSamplesTheEnsemble(String activation, int n) {
    PlainJavaNetworkBenchmark b = new PlainJavaNetworkBenchmark();
    b.activation = activation;
    b.n = n;
    b.depth = 10;
    b.init(1);
    b.verify();
  }

  @ParameterizedTest
  @CsvSource({"relu, 16, 3", "tanh, 24, 4"})
  void ntkSamplerMatchesTheScalarKernels(String activation, int n, int depth) {
    NtkBenchmark b = new NtkBenchmark();
    b.activation = activation;
    b.n = n;
    b.depth = depth;
    b.neurons = 4;
    b.init(0);
    b.verify();
  }

  @Test
  void plainJavaPeerRejectsAnotherActivation() {
    PlainJavaNetworkBenchmark b = new PlainJavaNetworkBenchmark();
    b.activation = "gelu";
    b.n = 8;
    b.depth = 2;
    assertThrows(IllegalArgumentException.class, () -> b.init(1));
  }

  /** The batch benchmark's network against the scalar kernels, at small sizes. */
  @Test
  void batchNetworkMatchesTheScalarKernels() {
    BatchNetworkBenchmark b = new BatchNetworkBenchmark();
    b.d = 5;
    b.n = 33;
    b.depth = 3;
    b.statistics = "neurons";
    b.init();
    b.verify();
    b.statistics = "bogus";
    assertThrows(IllegalArgumentException.class, b::init);
  }

  @ParameterizedTest
  @CsvSource({"1, 64, true", "2, 64, true", "2, 33, true", "3, 17, true", "8, 33, false"})
  void observablesMatchADirectComputation(int d, int n, boolean distinctNeurons) {
    ObservablesBenchmark b = new ObservablesBenchmark();
    b.d = d;
    b.n = n;
    b.distinctNeurons = distinctNeurons;
    b.depth = 4;
    b.init();
    b.verify();
  }

  @ParameterizedTest
  @CsvSource({"tanh, default", "swish, moments", "gelu, moments", "relu, default"})
  void exactLawTransitionPassesItsChecks(String activation, String options) {
    ExactLawBenchmark b = new ExactLawBenchmark();
    b.activation = activation;
    b.n = 16;
    b.layer = 4;
    b.options = options;
    b.init();
    ExactLaw.Layer good = b.transition();
    assertTrue(good.layer() == 5 && b.propagation().layer() == 5);
    // a transition off by 1e-9 in E[Ĝ] must not pass
    ExactLaw.Layer off = new ExactLaw.Layer(good.layer(), good.fanIn(), good.mean() * (1 + 1e-9), good.second(),
        good.variance(), good.atom(), good.quantiles(), good.accuracy(), good.tailBound());
    ExactLaw.Options o = options.equals("default") ? ExactLaw.Options.DEFAULT : ExactLaw.Options.MOMENTS;
    assertThrows(IllegalStateException.class, () -> b.verify(ExactLawBenchmark.spec(activation, 16, 5), o, off));
  }

  @Test
  void activationKernelCheckPassesForTheCatalogueAndFailsForAWrongActivation() {
    float[] z = ActivationKernelBenchmark.inputs(4099, 2.0, 42);
    ActivationKernels kernels = KernelProvider.getInstance().activationKernels();
    for (String name : Catalogue.names()) {
      Activation sigma = Activation.parse(name);
      ActivationKernelBenchmark.verify(sigma, kernels, z, false);
      ActivationKernelBenchmark.verify(sigma, kernels, z, true);
    }
    // a kernel that evaluates sin whatever it is asked for, checked as tanh: must fail
    Activation sin = Activation.parse("sin");
    ActivationKernels wrong = (ActivationKernels) Proxy.newProxyInstance(getClass().getClassLoader(),
        new Class<?>[] {ActivationKernels.class}, (proxy, method, args) -> {
          args[0] = sin;
          return method.invoke(kernels, args);
        });
    assertThrows(IllegalStateException.class,
        () -> ActivationKernelBenchmark.verify(Activation.parse("tanh"), wrong, z, false));
  }
}
