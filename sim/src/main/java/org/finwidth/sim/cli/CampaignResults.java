package org.finwidth.sim.cli;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.finwidth.ensemble.EnsembleResult;
import org.finwidth.sim.campaign.CampaignDir;
import org.finwidth.sim.campaign.CampaignRun;
import org.finwidth.sim.state.ResultFile;
import org.finwidth.sim.state.ShardMerge;
import org.finwidth.sim.state.ShardRange;

/**
 * What a campaign directory holds for a run: its finished result file, its local checkpoint, and
 * the shards SLURM tasks computed ({@link CampaignDir}); checks that each belongs to the run.
 */
final class CampaignResults {
  private static final Pattern SHARD = Pattern.compile("(\\d+)-of-(\\d+)\\.fwr");

  private CampaignResults() {}

  /** Why {@code f} does not hold {@code run} (the whole run if {@code whole}), or null if it does. */
  static String mismatch(CampaignRun run, ResultFile f, boolean whole) {
    EnsembleResult r = f.result();
    if (!r.spec().equals(run.spec())) {
      return "another network (" + r.spec().canonical() + ")";
    }
    if (r.seed() != run.seed()) {
      return "another seed (" + r.seed() + "; this plan's run has seed " + run.seed()
          + ": the plan's base seed differs from the campaign's that wrote it)";
    }
    if (!r.sampler().equals(run.sampler())) {
      return "another sampler (" + r.sampler() + ")";
    }
    if (r.networks() != run.networks()) {
      return "another number of networks (" + r.networks() + ")";
    }
    if (whole && !(f.range().equals(ShardRange.all(run.networks())) && f.isComplete())) {
      return "only part of the run (networks " + f.range() + ", " + r.networksDone() + " done)";
    }
    return null;
  }

  /**
   * The run's finished result file {@code runs/KEY.fwr}, or null if there is none.
   *
   * @throws IOException if it cannot be read or is damaged
   * @throws IllegalArgumentException if it holds another run
   */
  static ResultFile finished(CampaignDir dir, CampaignRun run) throws IOException {
    Path p = dir.result(run.key());
    if (!Files.exists(p)) {
      return null;
    }
    ResultFile f = ResultFile.read(p);
    String problem = mismatch(run, f, true);
    if (problem != null) {
      throw new IllegalArgumentException(p + " holds " + problem + "; use another --dir for this plan");
    }
    return f;
  }

  /** The shard files of a run by shard count N, each as shard index → file (sorted). */
  static Map<Integer, Map<Integer, Path>> shards(CampaignDir dir, String key) throws IOException {
    Map<Integer, Map<Integer, Path>> byN = new TreeMap<>();
    Path d = dir.shardDir(key);
    if (!Files.isDirectory(d)) {
      return byN;
    }
    try (DirectoryStream<Path> s = Files.newDirectoryStream(d, "*-of-*.fwr")) {
      for (Path p : s) {
        Matcher m = SHARD.matcher(p.getFileName().toString());
        if (m.matches()) {
          byN.computeIfAbsent(Integer.parseInt(m.group(2)), n -> new TreeMap<>()).put(Integer.parseInt(m.group(1)), p);
        }
      }
    }
    return byN;
  }

  /**
   * The merge of a complete set of shards of the run (all of 1..N for some N), or null if there
   * is none.
   *
   * @throws IOException if a shard cannot be read or is damaged
   * @throws IllegalArgumentException if the shards do not make the run
   */
  static ResultFile mergedShards(CampaignDir dir, CampaignRun run) throws IOException {
    for (Map.Entry<Integer, Map<Integer, Path>> e : shards(dir, run.key()).entrySet()) {
      int n = e.getKey();
      if (e.getValue().size() != n || !e.getValue().keySet().containsAll(range(n))) {
        continue;
      }
      List<ShardMerge.Input> inputs = new ArrayList<>();
      for (Path p : e.getValue().values()) {
        inputs.add(new ShardMerge.Input(p, ResultFile.read(p)));
      }
      ResultFile merged = ShardMerge.merge(inputs, false);
      String problem = mismatch(run, merged, true);
      if (problem != null) {
        throw new IllegalArgumentException(dir.shardDir(run.key()) + ": the shards hold " + problem);
      }
      return merged;
    }
    return null;
  }

  private static List<Integer> range(int n) {
    List<Integer> r = new ArrayList<>();
    for (int i = 1; i <= n; i++) {
      r.add(i);
    }
    return r;
  }
}
