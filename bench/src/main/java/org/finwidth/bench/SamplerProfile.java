package org.finwidth.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.finwidth.activation.Activation;
import org.finwidth.ensemble.EnsembleRunner;
import org.finwidth.ensemble.SamplerFactory;
import org.finwidth.network.LayerSink;
import org.finwidth.network.NetworkSpec;
import org.finwidth.network.Sampler;
import org.finwidth.network.SamplerKind;
import org.finwidth.network.Samplers;
import org.finwidth.random.RandomStreams;
import org.finwidth.stats.BlockSums;
import org.finwidth.stats.ObservableSink;
import org.finwidth.vector.ActivationKernels;
import org.finwidth.vector.KernelProvider;
import org.finwidth.vector.LayerKernels;
import org.finwidth.vector.NormalKernels;

/**
 * Where the time of one network goes (ReLU, C_b = 0, C_W = 2, d = 1, width n, depth L; defaults
 * 256 and 10): each part of the samplers' forward loop timed alone on the same data, and the
 * whole networks, by the thread's CPU time, in interleaved rounds (so that all parts see the
 * same machine), medians over the rounds after two of warm-up. CPU time instead of JMH's wall
 * clock because the development machine is shared: a thread waiting for a core is not charged.
 * A diagnostic beside the JMH benchmarks ({@link NetworkBenchmark}), not a replacement.
 *
 * <pre>
 *   java --add-modules jdk.incubator.vector -cp bench/target/benchmarks.jar org.finwidth.bench.SamplerProfile [n] [depth] [rounds]
 * </pre>
 */
public final class SamplerProfile {

  private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();
  private final Map<String, List<Double>> results = new LinkedHashMap<>();

  private SamplerProfile() {
  }

  /** Runs the profile; arguments: width, depth, rounds (optional). */
  public static void main(String[] args) {
    int n = args.length > 0 ? Integer.parseInt(args[0]) : 256;
    int depth = args.length > 1 ? Integer.parseInt(args[1]) : 10;
    int rounds = args.length > 2 ? Integer.parseInt(args[2]) : 8;
    new SamplerProfile().run(n, depth, rounds);
  }

  private interface Body {
    void run(int rep);
  }

  /** Times {@code reps} runs of the body, recording CPU ns per unit (one unit = {@code perRep} runs of the part). */
  private void time(String name, int reps, int unitsPerRep, Body body) {
    long t0 = THREADS.getCurrentThreadCpuTime();
    for (int r = 0; r < reps; r++) {
      body.run(r);
    }
    long t1 = THREADS.getCurrentThreadCpuTime();
    results.computeIfAbsent(name, k -> new ArrayList<>()).add((t1 - t0) / (double) reps / unitsPerRep);
  }

  private void run(int n, int depth, int rounds) {
    NetworkSpec spec = NetworkSpec.ofGram(Activation.parse("relu"), 0, 2, n, NetworkSpec.equalWidths(depth, n),
        new double[][] {{1}});
    KernelProvider kernels = KernelProvider.getInstance();
    NormalKernels normals = kernels.normalKernels();
    LayerKernels layers = kernels.layerKernels();
    ActivationKernels activations = kernels.activationKernels();
    Activation relu = spec.activation();
    int total = n * depth;
    float[] g = new float[total + LayerKernels.CHUNK_NORMALS];
    normals.fill(1, 1, 0, RandomStreams.CONDITIONAL, 0, 1f, g, 0, total);
    float[][] z = new float[1][n];
    float[][] h = new float[1][n];
    System.arraycopy(g, 0, z[0], 0, n);
    double[] gram = new double[1];
    double[] s2 = new double[1];
    double[] s4 = new double[1];
    double[] work = new double[LayerKernels.momentsWorkLength(1)];
    double[] metric = {1};
    float[] chol = {1.1f};
    Sampler conditional = Samplers.create(spec, SamplerKind.CONDITIONAL);
    Sampler weights = Samplers.create(spec, SamplerKind.WEIGHTS);
    SamplerFactory factory = SamplerFactory.of("conditional", s -> Samplers.create(s, SamplerKind.CONDITIONAL));
    ObservableSink sink = new ObservableSink(spec, EnsembleRunner.pilotReference(spec, factory, 1));
    BlockSums block = new BlockSums(sink.layout(), depth);
    LayerSink nothing = (l, zz, width, m) -> { };
    float[] weightBlock = new float[LayerKernels.weightsBlock(n)];
    int blockLen = weightBlock.length;
    long seed = 20261129L;
    int reps = Math.max(1000, 20_000_000 / total);
    int weightReps = Math.max(10, 20_000_000 / (n * n * depth));
    for (int round = 0; round < rounds + 2; round++) {
      long net0 = (long) round << 32;
      time("conditional: normals of a network", reps, 1, r -> {
        for (int at = 0; at < total; at += LayerKernels.CHUNK_NORMALS) {
          normals.fill(seed, net0 + r, 0, RandomStreams.CONDITIONAL, at, 1f, g, at, Math.min(LayerKernels.CHUNK_NORMALS, total - at));
        }
      });
      time("  per layer: transform z = L g", reps, depth, r -> {
        for (int l = 0; l < depth; l++) {
          layers.conditionalTransform(chol, 1, g, l * n, n, z, n);
        }
      });
      time("  per layer: activation", reps, depth, r -> {
        for (int l = 0; l < depth; l++) {
          activations.value(relu, g, l * n, h[0], 0, n);
        }
      });
      time("  per layer: gram (next metric)", reps, depth, r -> {
        for (int l = 0; l < depth; l++) {
          layers.gram(h, 1, n, gram);
        }
      });
      time("  per layer: moments (in the sink)", reps, depth, r -> {
        for (int l = 0; l < depth; l++) {
          layers.moments(z, 1, n, s2, s4, work);
        }
      });
      time("  per layer: sink.layer (moments + statistics)", reps, depth, r -> {
        sink.reset();
        for (int l = 1; l <= depth; l++) {
          sink.layer(l, z, n, metric);
        }
      });
      time("  per network: BlockSums.add", reps, 1, r -> {
        if ((r & 1023) == 0) {
          block.clear();
        }
        block.add(sink);
      });
      time("conditional: network, empty sink", reps, 1, r -> conditional.sample(seed, net0 + r, nothing));
      time("conditional: network + observables + block sums", reps, 1, r -> {
        sink.reset();
        conditional.sample(seed, net0 + r, sink);
        if ((r & 1023) == 0) {
          block.clear();
        }
        block.add(sink);
      });
      time("weights: normals of a network", weightReps, 1, r -> {
        for (int l = 1; l <= depth; l++) {
          for (long at = 0, all = (long) n * n; at < all; at += blockLen) {
            normals.fill(seed, net0 + r, l, RandomStreams.WEIGHTS, at, 1f, weightBlock, 0, (int) Math.min(blockLen, all - at));
          }
        }
      });
      time("weights: network, empty sink", weightReps, 1, r -> weights.sample(seed, net0 + r, nothing));
    }
    System.out.printf("n = %d, L = %d, d = 1, ReLU; CPU ns, median (min) of %d rounds; %s%n", n, depth, rounds,
        kernels.description());
    Map<String, Double> median = new LinkedHashMap<>();
    for (Map.Entry<String, List<Double>> e : results.entrySet()) {
      double[] v = e.getValue().subList(2, e.getValue().size()).stream().mapToDouble(Double::doubleValue).toArray();
      Arrays.sort(v);
      median.put(e.getKey(), v[v.length / 2]);
      System.out.printf("%-50s %12.1f  (%.1f)%n", e.getKey(), v[v.length / 2], v[0]);
    }
    double cond = median.get("conditional: network + observables + block sums");
    System.out.printf("conditional with observables: %.0f networks per core-second; its normals alone allow %.0f%n",
        1e9 / cond, 1e9 / median.get("conditional: normals of a network"));
    System.out.printf("weights network / its normals (rate ratio): %.3f%n",
        median.get("weights: normals of a network") / median.get("weights: network, empty sink"));
  }
}
