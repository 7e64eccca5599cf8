package org.finwidth.vector;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The 8-lane and the 16-lane code paths of the Panama kernels, each in its own JVM (the species are
 * {@code static final}, fixed when a JVM loads the kernels), on any machine: two child JVMs run
 * {@link VectorWidthProbe} with {@code -Dfinwidth.vector.bits=256} (plus {@code -XX:MaxVectorSize=32}
 * on x86-64, so that an AVX-512 machine compiles them as an AVX2 machine would) and
 * {@code -Dfinwidth.vector.bits=512} (on AVX2 hardware the Vector API runs it without 512-bit
 * instructions: slowly, hence the small sizes). What docs/design.md promises is compared bit for
 * bit: every fingerprint is the same at both widths (the float activation kernels included: they
 * are elementwise with a masked tail), and the normals, and the samplers and ensembles of the ReLU
 * network, equal the scalar reference computed here (the other networks' activations have float
 * kernels that meet an accuracy bound against the scalar ones, not their bits; the layer
 * operations themselves are bitwise equal). Deterministic: no tolerance.
 */
class VectorWidthTest {

  /** Starts the probe in a child JVM with the vector width forced to {@code bits}. */
  private static Process start(int bits) throws IOException {
    List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "--add-modules", "jdk.incubator.vector", "-Dfinwidth.kernels=panama",
        "-D" + KernelProvider.VECTOR_BITS_PROPERTY + "=" + bits));
    String arch = System.getProperty("os.arch");
    if (bits == 256 && (arch.equals("amd64") || arch.equals("x86_64"))) {
      cmd.add("-XX:MaxVectorSize=32");
    }
    cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), VectorWidthProbe.class.getName()));
    return new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.DISCARD).start();
  }

  /** The probe's fingerprints, by name (its output is a few kB: no pipe fills while the other runs). */
  private static Map<String, String> finish(Process p, int bits) throws IOException, InterruptedException {
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(5, TimeUnit.MINUTES), bits + "-bit probe did not finish");
    assertEquals(0, p.exitValue(), bits + "-bit probe failed; output:\n" + out);
    Map<String, String> m = new LinkedHashMap<>();
    for (String line : out.split("\n")) {
      int cut = line.lastIndexOf(' ');
      m.put(line.substring(0, cut), line.substring(cut + 1));
    }
    return m;
  }

  @Test
  void eightAndSixteenLanesGiveTheSameBits() throws Exception {
    // The child JVMs force the Panama kernels themselves; the scalar execution of the suite would
    // only repeat them.
    assumeTrue(KernelProvider.getInstance().implementation() == KernelProvider.Implementation.PANAMA,
        "run in the suite's Panama execution");
    Process p8 = start(256); // both at once: one per core
    Process p16 = start(512);
    Map<String, String> eight = finish(p8, 256);
    Map<String, String> sixteen = finish(p16, 512);
    assertEquals("8", eight.remove("lanes"), "the 256-bit child runs 8 float lanes");
    assertEquals("16", sixteen.remove("lanes"), "the 512-bit child runs 16 float lanes");
    assertEquals(eight.keySet(), sixteen.keySet());
    List<String> differ = new ArrayList<>();
    for (String key : eight.keySet()) {
      if (!eight.get(key).equals(sixteen.get(key))) {
        differ.add(key + " (" + eight.get(key) + " vs " + sixteen.get(key) + ")");
      }
    }
    assertTrue(differ.isEmpty(), "8 and 16 lanes give different bits for " + differ);
    Map<String, String> scalar = VectorWidthProbe.fingerprints(KernelProvider.scalar());
    int compared = 0;
    for (Map.Entry<String, String> e : scalar.entrySet()) {
      // (the NTK ensemble's samplers come from the JVM's provider, Panama here: not a scalar reference)
      if (e.getKey().equals("normals")
          || (e.getKey().contains("activation=relu;") && !e.getKey().startsWith("ntk ensemble"))) {
        assertEquals(e.getValue(), eight.get(e.getKey()), e.getKey() + ": Panama (both widths) against scalar");
        compared++;
      }
    }
    long relu = VectorWidthProbe.NETWORKS.stream().filter(n -> n.canonical().contains("activation=relu;")).count();
    assertEquals(2, relu, "the ReLU networks of the probe (one input and two)");
    assertEquals(1 + relu * (2 * 2 + 1), compared,
        "the normals, and the ReLU networks' samplers, ensembles and NTK sampler, against scalar");
  }
}
