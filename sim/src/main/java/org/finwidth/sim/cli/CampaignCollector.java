package org.finwidth.sim.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.finwidth.sim.campaign.CampaignDir;
import org.finwidth.sim.campaign.CampaignReport;
import org.finwidth.sim.campaign.CampaignRun;
import org.finwidth.sim.campaign.Plan;
import org.finwidth.sim.campaign.RunsFile;
import org.finwidth.sim.experiment.ExperimentRunner;
import org.finwidth.sim.experiment.HtmlReport;
import org.finwidth.sim.experiment.Report;
import org.finwidth.sim.state.AtomicFile;
import org.finwidth.sim.state.ResultFile;
import org.finwidth.vector.KernelProvider;
import org.knowm.xchart.ChartEncoder;

/**
 * {@code campaign collect}: merges the runs whose SLURM shards are all done into
 * {@code runs/KEY.fwr}, then writes {@code campaign.csv} (the tidy CSV of every finished run, in
 * plan order, with the run key as the first column: {@link TidyCsv}), the figures, {@code
 * report.html} ({@link CampaignReport}) and {@code manifest.json} (the plan, the versions, each
 * run's parameters, time and machine), each file atomically. The CSV is a pure function of the
 * result files: the same runs give the same bytes, however they were computed.
 */
final class CampaignCollector {
  static {
    System.setProperty("java.awt.headless", "true");
  }

  private CampaignCollector() {}

  /** What was collected. */
  record Summary(int runs, int collected, int merged, long rows, List<String> missing) {}

  static Summary collect(CampaignDir dir, Plan plan) throws IOException {
    List<CampaignReport.Entry> entries = new ArrayList<>();
    List<String> missing = new ArrayList<>();
    int merged = 0;
    StringBuilder csv = new StringBuilder(TidyCsv.header(List.of("run"))).append('\n');
    long rows = 0;
    for (CampaignRun run : plan.runs()) {
      ResultFile f = CampaignResults.finished(dir, run);
      if (f == null) {
        f = CampaignResults.mergedShards(dir, run);
        if (f != null) {
          f.write(dir.result(run.key()));
          merged++;
        }
      }
      if (f == null) {
        missing.add(run.key());
        entries.add(new CampaignReport.Entry(run, null, "", List.of(), Double.NaN, ""));
        continue;
      }
      List<TidyCsv.Row> r = TidyCsv.rows(f.result(), f.finwidthVersion());
      for (TidyCsv.Row row : r) {
        TidyCsv.append(csv, List.of(run.key()), row);
      }
      rows += r.size();
      Info info = info(dir, run);
      entries.add(new CampaignReport.Entry(run, f.result(), f.finwidthVersion(), r, info.seconds(),
          String.join(" ", info.hosts())));
    }
    List<String> files = new ArrayList<>();
    write(dir.root().resolve("campaign.csv"), csv.toString(), files);
    Report report = CampaignReport.build(plan, entries);
    Map<String, byte[]> png = new LinkedHashMap<>();
    for (Report.Block b : report.blocks()) {
      if (b instanceof Report.Figure fig) {
        byte[] bytes = ChartEncoder.getBytes(fig.chart(), "png");
        png.put(fig.name(), bytes);
        AtomicFile.write(dir.root().resolve(fig.name() + ".png"), bytes);
        AtomicFile.write(dir.root().resolve(fig.name() + ".svg"), ChartEncoder.getBytes(fig.chart(), "svg"));
        files.add(fig.name() + ".png");
        files.add(fig.name() + ".svg");
      }
    }
    Map<String, String> meta = new LinkedHashMap<>();
    meta.put("finwidth", Version.version() + " (" + ExperimentRunner.gitCommit() + ")");
    meta.put("plan", plan.file() + ", base seed " + plan.seed());
    meta.put("runs", (entries.size() - missing.size()) + " of " + entries.size() + " collected");
    meta.put("collected", Instant.now().toString());
    write(dir.root().resolve("report.html"), HtmlReport.render("Campaign " + plan.name(), "campaign", meta,
        report.blocks(), png), files);
    files.add("manifest.json");
    Map<String, Object> manifest = manifest(dir, plan, entries, files);
    write(dir.root().resolve("manifest.json"),
        new ObjectMapper().writerWithDefaultPrettyPrinter().writeValueAsString(manifest) + "\n", null);
    return new Summary(plan.runs().size(), entries.size() - missing.size(), merged, rows, missing);
  }

  private static void write(Path p, String text, List<String> files) throws IOException {
    AtomicFile.write(p, text.getBytes(StandardCharsets.UTF_8));
    if (files != null) {
      files.add(p.getFileName().toString());
    }
  }

  /** A run's compute time (seconds, all shards) and machines, from the files its runner left. */
  record Info(double seconds, Set<String> hosts, List<Object> parts) {}

  static Info info(CampaignDir dir, CampaignRun run) throws IOException {
    ObjectMapper json = new ObjectMapper();
    Set<String> hosts = new LinkedHashSet<>();
    List<Object> parts = new ArrayList<>();
    double seconds = 0;
    boolean known = false;
    List<Path> files = new ArrayList<>();
    if (Files.exists(dir.runInfo(run.key()))) {
      files.add(dir.runInfo(run.key()));
    } else {
      for (Map<Integer, Path> shards : CampaignResults.shards(dir, run.key()).values()) {
        for (Path shard : shards.values()) {
          Path meta = shard.resolveSibling(shard.getFileName().toString().replace(".fwr", ".json"));
          if (Files.exists(meta)) {
            files.add(meta);
          }
        }
      }
    }
    for (Path p : files) {
      try {
        JsonNode n = json.readTree(p.toFile());
        if (n.has("seconds")) {
          seconds += n.get("seconds").asDouble();
          known = true;
        }
        if (n.has("host")) {
          hosts.add(n.get("host").asText());
        }
        parts.add(json.convertValue(n, Map.class));
      } catch (IOException e) {
        parts.add(Map.of("file", p.toString(), "problem", "unreadable: " + e.getMessage()));
      }
    }
    return new Info(known ? seconds : Double.NaN, hosts, parts);
  }

  private static Map<String, Object> manifest(CampaignDir dir, Plan plan, List<CampaignReport.Entry> entries,
      List<String> files) throws IOException {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("campaign", plan.name());
    m.put("description", plan.description());
    m.put("seed", plan.seed());
    m.put("planFile", plan.file());
    m.put("plan", plan.text());
    m.put("finwidthVersion", Version.version());
    m.put("gitCommit", ExperimentRunner.gitCommit());
    m.put("jvm", System.getProperty("java.vm.name") + " " + System.getProperty("java.version") + " ("
        + System.getProperty("java.vendor") + ")");
    m.put("os", System.getProperty("os.name") + " " + System.getProperty("os.version") + " "
        + System.getProperty("os.arch"));
    m.put("cpu", ExperimentRunner.cpu());
    m.put("kernels", KernelProvider.getInstance().description());
    m.put("collected", Instant.now().toString());
    List<Object> runs = new ArrayList<>();
    for (CampaignReport.Entry e : entries) {
      Map<String, Object> r = new LinkedHashMap<>(RunsFile.json(e.run()));
      r.put("status", e.result() == null ? "not finished" : "done");
      if (e.result() != null) {
        r.put("finwidthVersion", e.version());
        r.put("diverged", e.result().diverged());
        Info info = info(dir, e.run());
        r.put("seconds", Double.isFinite(info.seconds()) ? Math.round(info.seconds() * 1000) / 1000.0 : null);
        r.put("machines", new ArrayList<>(info.hosts()));
        r.put("computed", info.parts());
      }
      runs.add(r);
    }
    m.put("runs", runs);
    m.put("files", files);
    return m;
  }
}
