package org.finwidth.sim.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.finwidth.sim.campaign.CampaignDir;
import org.finwidth.sim.campaign.CampaignRun;
import org.finwidth.sim.campaign.Plan;
import org.finwidth.sim.state.ResultFile;

/**
 * {@code campaign status}: one line per run, from the files of the campaign directory only (no
 * SLURM accounting needed): {@code done} (its result file), {@code partly done} (which shards are
 * done, how far a checkpoint got), {@code failed} (a task whose log ends in a non-zero exit code:
 * the log's last line before it), {@code running} (a task's log without an exit line yet: running,
 * or killed without a word), {@code not started}.
 */
final class CampaignStatus {
  private CampaignStatus() {}

  /** A task of slurm/tasks.tsv. */
  private record Task(int number, int shard, int of) {}

  static void print(CampaignDir dir, Plan plan, PrintWriter out) throws IOException {
    Map<String, List<Task>> tasks = tasks(dir);
    Map<String, Integer> counts = new LinkedHashMap<>();
    for (String s : List.of("done", "partly done", "failed", "running", "not started")) {
      counts.put(s, 0);
    }
    List<String> lines = new ArrayList<>();
    int keyWidth = 8;
    for (CampaignRun r : plan.runs()) {
      keyWidth = Math.max(keyWidth, r.key().length());
    }
    for (CampaignRun r : plan.runs()) {
      String[] st = status(dir, r, tasks.getOrDefault(r.key(), List.of()));
      counts.merge(st[0], 1, Integer::sum);
      lines.add(String.format(Locale.ROOT, "%-12s %-" + keyWidth + "s %s", st[0], r.key(), st[1]).stripTrailing());
    }
    StringBuilder head = new StringBuilder("campaign " + plan.name() + " (" + dir.root() + "): " + plan.runs().size()
        + " runs:");
    boolean first = true;
    for (Map.Entry<String, Integer> e : counts.entrySet()) {
      if (e.getValue() > 0) {
        head.append(first ? " " : ", ").append(e.getValue()).append(' ').append(e.getKey());
        first = false;
      }
    }
    out.println(head);
    for (String l : lines) {
      out.println(l);
    }
    if (counts.get("failed") > 0) {
      out.println("resubmit failed tasks (they resume from their checkpoints): finwidth campaign submit PLAN --dir "
          + dir.root() + " --tasks LIST, with the same --shards-per-run");
    }
  }

  /** {state, detail}. */
  private static String[] status(CampaignDir dir, CampaignRun run, List<Task> tasks) throws IOException {
    if (Files.exists(dir.result(run.key()))) {
      ResultFile f = ResultFile.read(dir.result(run.key()));
      String problem = CampaignResults.mismatch(run, f, true);
      return problem == null ? new String[] {"done", run.networks() + " networks"}
          : new String[] {"failed", dir.result(run.key()) + " holds " + problem};
    }
    List<String> failed = new ArrayList<>();
    List<String> running = new ArrayList<>();
    List<String> partial = new ArrayList<>();
    List<Integer> doneShards = new ArrayList<>();
    int of = 0;
    for (Task t : tasks) {
      of = t.of();
      Path shard = dir.shard(run.key(), t.shard(), t.of());
      if (Files.exists(shard)) {
        doneShards.add(t.shard());
        continue;
      }
      Path ckpt = dir.shardCheckpoint(run.key(), t.shard(), t.of());
      if (Files.exists(ckpt)) {
        try {
          ResultFile c = ResultFile.read(ckpt);
          partial.add("shard " + t.shard() + " at " + c.result().networksDone() + "/" + c.range().size());
        } catch (IOException e) {
          partial.add("shard " + t.shard() + ": " + e.getMessage());
        }
      }
      Path log = dir.taskLog(t.number());
      if (Files.exists(log)) {
        List<String> last = lastLines(log, 2);
        String end = last.isEmpty() ? "" : last.getLast();
        if (end.matches("finwidth campaign task \\d+: exit code \\d+") && !end.endsWith(" 0")) {
          String why = last.size() > 1 ? last.getFirst() : end;
          failed.add("task " + t.number() + " (shard " + t.shard() + "/" + t.of() + "): " + why);
        } else if (!end.endsWith(": exit code 0")) {
          running.add("task " + t.number());
        }
      }
    }
    if (!failed.isEmpty()) {
      return new String[] {"failed", String.join("; ", failed)};
    }
    if (tasks.isEmpty() && Files.exists(dir.checkpoint(run.key()))) {
      ResultFile c = ResultFile.read(dir.checkpoint(run.key()));
      return new String[] {"partly done", "checkpoint: " + c.result().networksDone() + " of " + run.networks()
          + " networks"};
    }
    if (!doneShards.isEmpty() && doneShards.size() == tasks.size()) {
      return new String[] {"partly done", "all " + of + " shards done, not merged yet (finwidth campaign collect "
          + dir.root() + ")"};
    }
    if (!doneShards.isEmpty() || !partial.isEmpty()) {
      String detail = doneShards.isEmpty() ? "" : "shards " + ranges(doneShards) + " of " + of + " done";
      if (!partial.isEmpty()) {
        detail += (detail.isEmpty() ? "" : "; ") + String.join(", ", partial) + " networks";
      }
      if (!running.isEmpty()) {
        detail += "; running or stopped: " + String.join(", ", running);
      }
      return new String[] {"partly done", detail};
    }
    if (!running.isEmpty()) {
      return new String[] {"running", String.join(", ", running) + " started (running, or stopped without a word)"};
    }
    return new String[] {"not started", ""};
  }

  private static String ranges(List<Integer> xs) {
    return org.finwidth.sim.campaign.CampaignReport.ranges(xs);
  }

  /** The tasks of slurm/tasks.tsv by run key (empty if the campaign was never submitted). */
  private static Map<String, List<Task>> tasks(CampaignDir dir) throws IOException {
    Map<String, List<Task>> m = new LinkedHashMap<>();
    Path f = dir.slurm().resolve("tasks.tsv");
    if (!Files.exists(f)) {
      return m;
    }
    List<String> lines = Files.readAllLines(f, StandardCharsets.UTF_8);
    for (int i = 1; i < lines.size(); i++) {
      String[] p = lines.get(i).split("\t");
      if (p.length == 4) {
        try {
          m.computeIfAbsent(p[1], k -> new ArrayList<>()).add(new Task(Integer.parseInt(p[0]), Integer.parseInt(p[2]),
              Integer.parseInt(p[3])));
        } catch (NumberFormatException e) {
          throw new IOException(f + " line " + (i + 1) + ": damaged: " + lines.get(i));
        }
      }
    }
    return m;
  }

  /** The last {@code n} non-blank lines of a log (read from its last 64 kB). */
  private static List<String> lastLines(Path log, int n) throws IOException {
    long size = Files.size(log);
    byte[] tail;
    try (var ch = java.nio.channels.FileChannel.open(log)) {
      long from = Math.max(0, size - 65536);
      java.nio.ByteBuffer buf = java.nio.ByteBuffer.allocate((int) (size - from));
      ch.position(from);
      while (buf.hasRemaining() && ch.read(buf) > 0) {
        // read the tail
      }
      tail = java.util.Arrays.copyOf(buf.array(), buf.position());
    }
    List<String> lines = new ArrayList<>();
    for (String l : new String(tail, StandardCharsets.UTF_8).split("\n")) {
      if (!l.isBlank()) {
        lines.add(l.strip());
      }
    }
    return lines.subList(Math.max(0, lines.size() - n), lines.size());
  }
}
