package org.finwidth.bench.suite;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;

/**
 * A machine class: the float lanes of its vectors and its CPU model. Benchmark scores of two
 * machines of one class are comparable (as fractions of their measured limits); across classes
 * they are not (another vector width runs other code, another core has other ratios of FMA,
 * memory and shuffle throughput), so the guard keeps one baseline per class in
 * {@code bench/results/baseline-CLASS.json} and refuses to compare across classes.
 *
 * <p>The name is {@code ISA-MODEL}: the ISA from the lanes (16 float lanes {@code avx512}, 8
 * {@code avx2}, 4 {@code sse}, otherwise {@code lanesN}); the model is the CPU's model name in lower
 * case without vendor, trademark, "CPU"/"Processor" and clock words, non-alphanumerics as dashes
 * ("AMD EPYC" gives {@code epyc}, "Intel(R) Xeon(R) Platinum 8375C CPU @ 2.90GHz" gives
 * {@code xeon-platinum-8375c}).
 *
 * @param name the class name used in the baseline's file name
 */
public record MachineClass(String name) {

  /** The class of the machine a run was measured on (its {@code floatLanes} and {@code cpu}). */
  public static MachineClass of(Map<String, String> machine) {
    return new MachineClass(isa(machine.getOrDefault("floatLanes", "")) + "-" + model(machine.getOrDefault("cpu", "")));
  }

  /** The baseline file of this class in {@code dir}. */
  public Path baseline(Path dir) {
    return dir.resolve("baseline-" + name + ".json");
  }

  /** The baselines present in {@code dir}, by file name, sorted (empty if none or no directory). */
  public static List<String> baselines(Path dir) throws IOException {
    if (!Files.isDirectory(dir)) {
      return List.of();
    }
    try (Stream<Path> s = Files.list(dir)) {
      return new ArrayList<>(s.map(p -> p.getFileName().toString())
          .filter(f -> f.startsWith("baseline-") && f.endsWith(".json")).sorted().toList());
    }
  }

  static String isa(String lanes) {
    return switch (lanes.trim()) {
      case "16" -> "avx512";
      case "8" -> "avx2";
      case "4" -> "sse";
      default -> "lanes" + (lanes.isBlank() ? "unknown" : lanes.trim().replaceAll("[^0-9A-Za-z]", ""));
    };
  }

  static String model(String cpu) {
    String s = cpu.toLowerCase(Locale.ROOT)
        .replaceAll("\\((r|tm|c)\\)", " ")
        .replaceAll("@.*$", " ")
        .replaceAll("\\b\\d+(\\.\\d+)?\\s*[gm]hz\\b", " ")
        .replaceAll("\\b(amd|intel|genuineintel|authenticamd|cpu|processor|with|radeon|graphics)\\b", " ")
        .replaceAll("[^a-z0-9]+", "-")
        .replaceAll("^-+|-+$", "");
    return s.isEmpty() ? "unknown" : s;
  }
}
