package org.finwidth.vector;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.finwidth.activation.Activation;
import org.finwidth.activation.Catalogue;
import org.finwidth.ensemble.EnsembleRunner;
import org.finwidth.ensemble.NtkOptions;
import org.finwidth.ensemble.SamplerFactory;
import org.finwidth.network.LearningRates;
import org.finwidth.network.NetworkSpec;
import org.finwidth.network.NtkSampler;
import org.finwidth.network.Sampler;
import org.finwidth.network.SamplerKind;
import org.finwidth.network.Samplers;
import org.finwidth.random.RandomStreams;

/**
 * Fingerprints of everything whose bits must not depend on the vector width: SHA-256 digests of
 * the float and double activation kernels (every catalogue activation and a few parameter variants,
 * at every tail length up to 40 and a long array, with special values), the normals (at
 * segment and non-segment offsets), both samplers (every layer's preactivations and metric), a
 * small ensemble's serialised result (the observables and their exact sums), and the NTK sampler's
 * NTK and an NTK ensemble's result. {@link #main} prints
 * "lanes N" and then "name digest" per item; {@link VectorWidthTest} runs it in child JVMs that
 * force 8 and 16 float lanes and compares.
 *
 * <p>Activation outputs are fingerprinted with every NaN as the canonical NaN: the sign and payload
 * of a NaN are not part of a result, and they do differ between interpreted and JIT-compiled code
 * (gumbellu at a NaN input gives 0xFFC00000 in one and 0x7FC00000 in the other), so raw bits would
 * make the fingerprint depend on when C2 compiled the kernel. Everything else is compared raw.
 */
public final class VectorWidthProbe {
  private VectorWidthProbe() {}

  /** Activations beyond the catalogue defaults: parameters that take other code paths. */
  static final List<String> VARIANTS = List.of("leaky:a=0.3", "erf:a=2", "swish:T=0.1", "gelu:T=3",
      "gelu-tanh:T=0.5", "gumbellu:T=0.2", "repu:p=3", "repu:p=2.5", "monomial:p=3", "mrepu:c=0.5,q=1.5");

  /** Networks of the sampler and ensemble fingerprints: small, with widths that are not lane multiples. */
  static final List<NetworkSpec> NETWORKS = List.of(
      NetworkSpec.ofGram(Activation.parse("tanh"), 0.1, 1.3, 1, new int[] {7, 16, 33}, new double[][] {{1.2}}),
      // one ReLU input: the conditional sampler's one-pass layer on and off multiples of 16
      NetworkSpec.ofGram(Activation.parse("relu"), 0.1, 1.8, 1, new int[] {32, 33, 16, 7}, new double[][] {{0.9}}),
      NetworkSpec.ofGram(Activation.parse("relu"), 0, 2, 2, new int[] {17, 9}, new double[][] {{1, 0.4}, {0.4, 1.5}}),
      NetworkSpec.ofGram(Activation.parse("swish:T=0.5"), 0.2, 1.9, 3, new int[] {5, 24},
          new double[][] {{1, 0.2, -0.1}, {0.2, 0.8, 0.3}, {-0.1, 0.3, 1.1}}));

  /** The fingerprints with these kernels, in a fixed order. */
  static Map<String, String> fingerprints(KernelProvider kernels) throws IOException {
    Map<String, String> out = new LinkedHashMap<>();
    List<String> specs = new ArrayList<>();
    for (Catalogue.Entry e : Catalogue.entries()) {
      specs.add(e.withDefaults().spec());
    }
    specs.addAll(VARIANTS);
    for (String spec : specs) {
      Activation sigma = Activation.parse(spec);
      out.put("activation " + spec, activationFloat(kernels.activationKernels(), sigma));
      out.put("activation " + spec + " double", activationDouble(kernels.activationKernels(), sigma));
    }
    out.put("normals", normals(kernels.normalKernels()));
    for (NetworkSpec spec : NETWORKS) {
      for (SamplerKind kind : SamplerKind.values()) {
        out.put("sampler " + kind.cliName() + " " + spec.canonical(), sampler(spec, kind, kernels));
      }
    }
    for (NetworkSpec spec : NETWORKS) {
      for (SamplerKind kind : SamplerKind.values()) {
        SamplerFactory f = SamplerFactory.of(kind.cliName(), s -> Samplers.create(s, kind, kernels));
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        new EnsembleRunner(spec, f, 11, 40).blockSize(8).run().writeTo(new DataOutputStream(bytes));
        out.put("ensemble " + kind.cliName() + " " + spec.canonical(), digest(bytes.toByteArray()));
      }
    }
    for (NetworkSpec spec : NETWORKS) {
      out.put("ntk sampler " + spec.canonical(), ntk(spec, kernels));
      ByteArrayOutputStream bytes = new ByteArrayOutputStream();
      new EnsembleRunner(spec, SamplerFactory.of("weights", s -> Samplers.create(s, SamplerKind.WEIGHTS, kernels)), 11,
          40).blockSize(8).ntk(new NtkOptions(LearningRates.constant(0.5, 1.5, spec.depth()), 3)).run()
          .writeTo(new DataOutputStream(bytes));
      out.put("ntk ensemble " + spec.canonical(), digest(bytes.toByteArray()));
    }
    return out;
  }

  /** Every layer's NTK (3 neurons per layer) of three networks of the NTK sampler. */
  private static String ntk(NetworkSpec spec, KernelProvider kernels) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    DataOutputStream out = new DataOutputStream(bytes);
    NtkSampler s = new NtkSampler(spec, LearningRates.constant(0.5, 1.5, spec.depth()), 3, kernels);
    for (long k = 0; k < 3; k++) {
      s.sample(11, k, (l, z, n, m) -> { }, (l, h, count, z, n) -> {
        try {
          for (double v : h) {
            out.writeLong(Double.doubleToRawLongBits(v));
          }
        } catch (IOException e) {
          throw new java.io.UncheckedIOException(e);
        }
      });
    }
    return digest(bytes.toByteArray());
  }

  /** Inputs: special values, then N(0, 4) floats from a fixed seed. */
  private static float[] inputs(int n) {
    float[] special = {0f, -0f, Float.MIN_VALUE, -1e-30f, 1e-7f, 0.5f, -0.5f, 3f, -3f, 40f, -40f, 1e20f, -1e20f,
        Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, Float.NaN};
    float[] z = new float[n];
    SplittableRandom r = new SplittableRandom(n);
    for (int i = 0; i < n; i++) {
      z[i] = i < special.length ? special[i] : (float) (2 * r.nextGaussian());
    }
    return z;
  }

  private static String activationFloat(ActivationKernels k, Activation sigma) {
    ByteBuffer b = ByteBuffer.allocate(8 * 1300 * 4);
    for (int n : lengths()) {
      float[] z = inputs(n + 3);
      float[] v = new float[n + 3];
      float[] d = new float[n + 3];
      k.value(sigma, z, 3, v, 3, n);
      k.derivative(sigma, z, 3, d, 3, n);
      for (int i = 3; i < n + 3; i++) {
        b.putInt(Float.floatToIntBits(v[i])).putInt(Float.floatToIntBits(d[i]));
      }
    }
    return digest(b.array(), b.position());
  }

  private static String activationDouble(ActivationKernels k, Activation sigma) {
    ByteBuffer b = ByteBuffer.allocate(16 * 1300 * 4);
    for (int n : lengths()) {
      float[] zf = inputs(n);
      double[] z = new double[n];
      for (int i = 0; i < n; i++) {
        z[i] = zf[i];
      }
      double[] v = new double[n];
      double[] d = new double[n];
      k.value(sigma, z, 0, v, 0, n);
      k.derivative(sigma, z, 0, d, 0, n);
      for (int i = 0; i < n; i++) {
        b.putLong(Double.doubleToLongBits(v[i])).putLong(Double.doubleToLongBits(d[i]));
      }
    }
    return digest(b.array(), b.position());
  }

  /** Every tail length up to 40 (both widths' lane counts and their neighbours), and a long array. */
  private static int[] lengths() {
    int[] n = new int[41];
    for (int i = 0; i < 40; i++) {
      n[i] = i + 1;
    }
    n[40] = 397;
    return n;
  }

  private static String normals(NormalKernels k) {
    ByteBuffer b = ByteBuffer.allocate(4 * 20_000);
    long[][] calls = {{0, 1}, {5, 17}, {1000, 30}, {1023, 1}, {0, 1024}, {16, 3000}, {4096 + 33, 700}};
    for (long[] c : calls) {
      float[] out = new float[(int) c[1]];
      k.fill(7, 3, 2, RandomStreams.CONDITIONAL, c[0], 1.5f, out, 0, out.length);
      for (float x : out) {
        b.putInt(Float.floatToRawIntBits(x));
      }
    }
    return digest(b.array(), b.position());
  }

  private static String sampler(NetworkSpec spec, SamplerKind kind, KernelProvider kernels) {
    Sampler s = Samplers.create(spec, kind, kernels);
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    DataOutputStream data = new DataOutputStream(bytes);
    for (long network = 0; network < 6; network++) {
      int diverged = s.sample(5, network, (l, z, width, metric) -> {
        try {
          data.writeInt(l);
          for (float[] row : z) {
            for (int i = 0; i < width; i++) {
              data.writeFloat(row[i]);
            }
          }
          for (double g : metric) {
            data.writeDouble(g);
          }
        } catch (IOException e) {
          throw new java.io.UncheckedIOException(e);
        }
      });
      try {
        data.writeInt(diverged);
      } catch (IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
    }
    return digest(bytes.toByteArray());
  }

  private static String digest(byte[] bytes) {
    return digest(bytes, bytes.length);
  }

  private static String digest(byte[] bytes, int length) {
    try {
      MessageDigest md = MessageDigest.getInstance("SHA-256");
      md.update(bytes, 0, length);
      return HexFormat.of().formatHex(md.digest());
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Prints "lanes N" (the Panama kernels' float lanes) and the fingerprints of the Panama kernels. */
  public static void main(String[] args) throws IOException {
    KernelProvider k = KernelProvider.getInstance();
    System.out.println("lanes " + k.floatLanes());
    for (Map.Entry<String, String> e : fingerprints(k).entrySet()) {
      System.out.println(e.getKey() + " " + e.getValue());
    }
  }
}
