package org.finwidth.bench.suite;

import static org.finwidth.bench.suite.SuiteItem.params;

import java.util.ArrayList;
import java.util.List;

import org.finwidth.bench.MachineBaselineBenchmark;

/**
 * The fixed benchmark selections: {@link #quick()} for the regression guard and {@link #peers()}
 * for the comparison with plain Java and PyTorch. Changing a selection changes the keys the guard
 * compares: commit a new baseline with it (bench/README.md).
 */
public final class Suites {

  /** Depth of every network benchmark in the suites. */
  static final int DEPTH = 10;

  private Suites() {}

  /** The machine baselines: the FMA peak and the memory stream. */
  public static List<SuiteItem> baselines() {
    return List.of(
        new SuiteItem("MachineBaselineBenchmark.fma", params(), "vector-FMA/ns", Limit.FMA, 2.0 * MachineBaselineBenchmark.LANES),
        new SuiteItem("MachineBaselineBenchmark.stream", params(), "bytes/ns", Limit.STREAM, 1));
  }

  /** A short fixed subset of every benchmark class (about 3 minutes on 2 cores). */
  public static List<SuiteItem> quick() {
    List<SuiteItem> items = new ArrayList<>();
    for (String spec : List.of("relu", "tanh", "gelu")) {
      items.add(activation("value4096", spec, "panama"));
    }
    items.add(activation("value4096", "tanh", "scalar"));
    items.add(activation("value1M", "tanh", "panama"));
    // The generator through the sampler's own fills (the 2560 normals of a conditional network):
    // NormalsBenchmark.finwidthPanama is not stable enough for a guard. With PanamaNormalKernels.fill
    // called, not inlined, from JMH's stub it ran in 15 of 19 forks at a third of its speed
    // (0.375 instead of 1.13 normals/ns, unchanged code, idle machine; bench/README.md, "Reading the numbers").
    items.add(network("normals", "conditional", "relu", 256));
    items.add(new SuiteItem("NormalsBenchmark.commonsRngZiggurat", params(), "normals/ns", Limit.LANES, 1));
    items.add(layer(256, 1));
    items.add(layer(256, 8));
    items.add(layer(64, 1));
    items.add(network("network", "weights", "relu", 256));
    items.add(network("network", "conditional", "relu", 256));
    items.add(network("network", "weights", "tanh", 64));
    items.add(observables(1, 256));
    items.add(observables(2, 256));
    items.add(plainJava("network", "relu", 256));
    return items;
  }

  /** The peer comparison's Java side: width 256, depth 10, ReLU, d = 1, on 1 and 2 threads. */
  public static List<SuiteItem> peers() {
    List<SuiteItem> items = new ArrayList<>();
    for (String method : List.of("network", "network2T")) {
      items.add(network(method, "weights", "relu", 256));
      items.add(network(method, "conditional", "relu", 256));
      items.add(plainJava(method, "relu", 256));
    }
    return items;
  }

  static SuiteItem activation(String method, String spec, String impl) {
    boolean large = method.endsWith("1M");
    // 1M elements: 4 B read and 4 B written per element, stated against the memory stream.
    return new SuiteItem("ActivationKernelBenchmark." + method, params("spec", spec, "impl", impl), "elements/ns",
        large ? Limit.STREAM : Limit.LANES, large ? 8 : 1);
  }

  static SuiteItem layer(int n, int d) {
    return new SuiteItem("LayerBenchmark.layer", params("n", "" + n, "d", "" + d), "weights/ns", Limit.FMA, 2.0 * d);
  }

  /** Weights sampler: 2·n²·L FLOP per network; conditional: n·L normals (and O(n) work) per network. */
  static SuiteItem network(String method, String sampler, String activation, int n) {
    boolean weights = sampler.equals("weights");
    double work = weights ? 2.0 * n * n * DEPTH * 1e-9 : (double) n * DEPTH * 1e-9;
    return new SuiteItem("NetworkBenchmark." + method,
        params("sampler", sampler, "activation", activation, "n", "" + n, "depth", "" + DEPTH), "networks/s",
        weights ? Limit.FMA : Limit.LANES, work);
  }

  static SuiteItem plainJava(String method, String activation, int n) {
    return new SuiteItem("PlainJavaNetworkBenchmark." + method,
        params("activation", activation, "n", "" + n, "depth", "" + DEPTH), "networks/s", Limit.FMA,
        2.0 * n * n * DEPTH * 1e-9);
  }

  /** d·n·L preactivations read per network. */
  static SuiteItem observables(int d, int n) {
    return new SuiteItem("ObservablesBenchmark.accumulate",
        params("d", "" + d, "distinctNeurons", "true", "n", "" + n, "depth", "" + DEPTH),
        "networks/s", Limit.LANES, (double) d * n * DEPTH * 1e-9);
  }
}
