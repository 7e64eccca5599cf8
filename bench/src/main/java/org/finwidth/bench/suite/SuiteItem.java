package org.finwidth.bench.suite;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.StringJoiner;

/**
 * One benchmark of a suite: the JMH method ({@code Class.method} in {@code org.finwidth.bench}),
 * every one of its parameters pinned, the unit of its JMH score, and how the score converts to the
 * units of the machine limit it is stated against ({@code work} limit units per score unit, e.g.
 * 2·d GFLOP/s per weight/ns for the weights layer).
 *
 * @param benchmark {@code Class.method}
 * @param params every {@code @Param} of the class, in a fixed order
 * @param unit the unit of the JMH score, as a reader should see it (e.g. {@code weights/ns})
 * @param limit the limit this result is a fraction of
 * @param work limit units per score unit
 */
public record SuiteItem(String benchmark, Map<String, String> params, String unit, Limit limit, double work) {

  public SuiteItem {
    params = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(params));
    if (!(work > 0)) {
      throw new IllegalArgumentException(benchmark + ": work must be positive, not " + work);
    }
  }

  /** A stable identifier: {@code Class.method} and the parameters, e.g. {@code LayerBenchmark.layer n=256 d=1}. */
  public String key() {
    StringJoiner j = new StringJoiner(" ");
    j.add(benchmark);
    params.forEach((k, v) -> j.add(k + "=" + v));
    return j.toString();
  }

  /** The JMH include pattern matching exactly this method. */
  public String includePattern() {
    return "^org\\.finwidth\\.bench\\." + benchmark.replace(".", "\\.") + "$";
  }

  /** Parameters from alternating names and values. */
  static Map<String, String> params(String... nameValue) {
    if (nameValue.length % 2 != 0) {
      throw new IllegalArgumentException("parameters come as name, value pairs");
    }
    Map<String, String> m = new LinkedHashMap<>();
    for (int i = 0; i < nameValue.length; i += 2) {
      m.put(nameValue[i], nameValue[i + 1]);
    }
    return m;
  }
}
