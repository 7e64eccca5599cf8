package org.finwidth.bench.suite;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;

/**
 * A whole suite run: when, where, under which load, the machine limits measured in it, and one
 * {@link Row} per benchmark. This is the schema of bench/results/latest.json and of the baselines, bench/results/baseline-CLASS.json ({@link MachineClass}).
 *
 * @param suite {@code quick} or {@code peers}
 * @param date ISO-8601 instant of the end of the run
 * @param machine CPU model, processors, float lanes, JVM
 * @param loadBefore the 1, 5 and 15 minute load averages before the run
 * @param loadAfter the same after it
 * @param limits the limits of this run (the larger of the measurements before and after)
 * @param rows the results, the baselines first
 */
public record SuiteRun(String suite, String date, Map<String, String> machine, double[] loadBefore, double[] loadAfter,
    MachineLimits limits, List<Row> rows) {

  private static final ObjectMapper JSON = JsonMapper.builder()
      .enable(SerializationFeature.INDENT_OUTPUT)
      .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
      .build();

  /** The rows by key. */
  public Map<String, Row> byKey() {
    Map<String, Row> m = new LinkedHashMap<>();
    for (Row r : rows) {
      m.put(r.key(), r);
    }
    return m;
  }

  /** Writes this run as JSON, atomically (a temporary file moved over the target). */
  public void write(Path file) throws IOException {
    Path dir = file.toAbsolutePath().getParent();
    Files.createDirectories(dir);
    Path tmp = dir.resolve(file.getFileName() + ".tmp");
    try {
      JSON.writeValue(tmp.toFile(), this);
      Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } finally {
      Files.deleteIfExists(tmp);
    }
  }

  /** Reads a run written by {@link #write}. */
  public static SuiteRun read(Path file) throws IOException {
    if (!Files.isRegularFile(file)) {
      throw new java.io.FileNotFoundException(file + ": no such results file");
    }
    return JSON.readValue(file.toFile(), SuiteRun.class);
  }
}
