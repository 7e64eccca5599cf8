package org.finwidth.sim.campaign;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.finwidth.sim.state.AtomicFile;

/**
 * {@code runs.json} of a campaign directory: the resolved runs of the plan last given to
 * {@code campaign run} or {@code campaign submit}, which {@code status}, {@code collect} and the
 * SLURM tasks read (so that they need neither the plan file nor the matrix files it names).
 * Doubles are written in their shortest round-trip form and read back exactly; reading checks
 * every key and seed against the parameters.
 */
public final class RunsFile {
  /** Version of the layout. */
  static final int FORMAT = 1;
  /** Larger files are refused (a plan of 10^4 runs is a few MB). */
  static final long MAX_BYTES = 256L << 20;

  private RunsFile() {}

  /** Writes the plan's runs to {@code dir}'s runs.json, atomically. */
  public static void write(CampaignDir dir, Plan plan) throws IOException {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("format", FORMAT);
    m.put("name", plan.name());
    m.put("description", plan.description());
    m.put("seed", plan.seed());
    m.put("planFile", plan.file());
    List<Object> runs = new ArrayList<>();
    for (CampaignRun r : plan.runs()) {
      runs.add(json(r));
    }
    m.put("runs", runs);
    String text = new ObjectMapper().writerWithDefaultPrettyPrinter().writeValueAsString(m) + "\n";
    AtomicFile.write(dir.runsJson(), text.getBytes(StandardCharsets.UTF_8));
  }

  /** The JSON object of a run (also the manifest's). */
  public static Map<String, Object> json(CampaignRun r) {
    Map<String, Object> x = new LinkedHashMap<>();
    x.put("key", r.key());
    x.put("seed", r.seed());
    x.put("activation", r.activation());
    x.put("init", r.init());
    x.put("cb", r.cb());
    x.put("cw", r.cw());
    x.put("inputDim", r.inputDim());
    x.put("depth", r.depth());
    x.put("width", r.width());
    x.put("gram", r.gram());
    x.put("gramId", r.gramId());
    x.put("inputs", r.inputs());
    x.put("sampler", r.sampler());
    x.put("networks", r.networks());
    x.put("origin", r.origin());
    x.put("simulate", r.simulateArgs());
    return x;
  }

  /**
   * Reads {@code dir}'s runs.json (the plan text from plan.toml when present).
   *
   * @throws IOException "FILE: problem" for a file that cannot be read or is damaged
   */
  public static Plan read(CampaignDir dir) throws IOException {
    var file = dir.runsJson();
    if (!Files.isRegularFile(file) || Files.size(file) > MAX_BYTES) {
      throw new IOException(file + ": not a runs file (missing, not a regular file or over "
          + (MAX_BYTES >> 20) + " MB)");
    }
    JsonNode root;
    try {
      root = new ObjectMapper().readTree(file.toFile());
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IOException(file + ": not valid JSON: " + e.getOriginalMessage(), e);
    }
    try {
      if (root.path("format").asInt() != FORMAT) {
        throw new IllegalArgumentException("unsupported format " + root.path("format"));
      }
      long base = root.get("seed").asLong();
      List<CampaignRun> runs = new ArrayList<>();
      for (JsonNode x : root.get("runs")) {
        CampaignRun r = new CampaignRun(x.get("key").asText(), x.get("seed").asLong(), x.get("activation").asText(),
            x.get("init").asText(), x.get("cb").asDouble(), x.get("cw").asDouble(), x.get("inputDim").asInt(),
            x.get("depth").asInt(), x.get("width").asInt(), matrix(x.get("gram")), matrix(x.get("inputs")),
            x.get("sampler").asText(), x.get("networks").asLong(), x.get("origin").asText());
        String key = CampaignRun.key(r.activation(), r.depth(), r.width(), r.canonical());
        if (!key.equals(r.key()) || r.seed() != CampaignRun.deriveSeed(base, r.key())) {
          throw new IllegalArgumentException("run " + r.key() + ": its key or seed does not match its parameters");
        }
        runs.add(r);
      }
      String text = Files.exists(dir.planCopy()) ? Files.readString(dir.planCopy(), StandardCharsets.UTF_8) : "";
      return new Plan(root.get("name").asText(), root.path("description").asText(""), base,
          root.path("planFile").asText(""), text, runs);
    } catch (NullPointerException | IllegalArgumentException e) {
      throw new IOException(file + ": damaged (" + (e.getMessage() == null ? "a field is missing" : e.getMessage())
          + "); run campaign run or campaign submit with the plan again to rewrite it", e);
    }
  }

  private static double[][] matrix(JsonNode n) {
    if (n == null || n.isNull()) {
      return null;
    }
    double[][] m = new double[n.size()][];
    for (int i = 0; i < n.size(); i++) {
      m[i] = new double[n.get(i).size()];
      for (int j = 0; j < m[i].length; j++) {
        m[i][j] = n.get(i).get(j).asDouble();
      }
    }
    return m;
  }
}
