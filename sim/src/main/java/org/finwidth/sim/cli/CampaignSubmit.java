package org.finwidth.sim.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.finwidth.ensemble.EnsembleRunner;
import org.finwidth.sim.campaign.CampaignDir;
import org.finwidth.sim.campaign.CampaignRun;
import org.finwidth.sim.campaign.Plan;
import org.finwidth.sim.state.AtomicFile;
import org.finwidth.sim.state.ResultFile;

/**
 * {@code campaign submit}: the runs of a plan as SLURM job arrays of (run, shard) tasks, each a
 * {@code simulate --shard i/N} of its run with a checkpoint it resumes from when requeued (the
 * mechanics of examples/slurm), and one collect job that runs when every task has succeeded
 * ({@code --dependency=afterok}) and merges and collects ({@code campaign collect}).
 *
 * <p>Tasks are numbered 1..T in plan order, run by run, shard by shard ({@code slurm/tasks.tsv});
 * a run of fewer blocks of {@value EnsembleRunner#BLOCK_SIZE} networks than the shards asked for
 * gets one shard per block. Only unfinished tasks are submitted (or the {@code --tasks} given). A
 * SLURM array holds at most {@code MaxArraySize} tasks (indices 0..MaxArraySize−1, read from
 * {@code scontrol show config}); more are split into several arrays, each with its own task list
 * file {@code slurm/array-K.tsv} (an array reads its list when a task starts, so a later submit
 * never changes what a queued task runs).
 */
final class CampaignSubmit {
  /** SLURM's default MaxArraySize, used when scontrol cannot tell. */
  static final int DEFAULT_MAX_ARRAY_SIZE = 1001;

  private CampaignSubmit() {}

  /** A task: shard {@code shard} of {@code of} of a run. */
  record Task(int number, CampaignRun run, int shard, int of) {}

  /** The tasks of a plan with {@code shardsPerRun} shards per run (fewer for runs of fewer blocks). */
  static List<Task> tasks(Plan plan, int shardsPerRun) {
    List<Task> tasks = new ArrayList<>();
    for (CampaignRun r : plan.runs()) {
      long blocks = Math.ceilDiv(r.networks(), (long) EnsembleRunner.BLOCK_SIZE);
      int n = (int) Math.min(shardsPerRun, blocks);
      for (int i = 1; i <= n; i++) {
        tasks.add(new Task(tasks.size() + 1, r, i, n));
      }
    }
    return tasks;
  }

  /** Whether a task's shard (or its whole run) is done. */
  static boolean done(CampaignDir dir, Task t) throws IOException {
    if (Files.exists(dir.result(t.run().key()))) {
      return true;
    }
    Path shard = dir.shard(t.run().key(), t.shard(), t.of());
    if (!Files.exists(shard)) {
      return false;
    }
    ResultFile f = ResultFile.read(shard);
    return f.isComplete() && CampaignResults.mismatch(t.run(), f, false) == null;
  }

  /**
   * Parses {@code --tasks}: numbers and ranges, {@code 3,7} or {@code 2-5,9}, each in 1..max.
   *
   * @throws IllegalArgumentException naming the bad part
   */
  static Set<Integer> parseTasks(String text, int max) {
    Set<Integer> set = new LinkedHashSet<>();
    for (String part : text.split(",", -1)) {
      Matcher m = Pattern.compile("\\s*(\\d{1,9})\\s*(?:-\\s*(\\d{1,9})\\s*)?").matcher(part);
      if (!m.matches()) {
        throw new IllegalArgumentException("--tasks " + text + ": '" + part + "' is not a task number or a range a-b");
      }
      int a = Integer.parseInt(m.group(1));
      int b = m.group(2) == null ? a : Integer.parseInt(m.group(2));
      if (a < 1 || b > max || a > b) {
        throw new IllegalArgumentException("--tasks " + text + ": '" + part.strip() + "' is outside the tasks 1-" + max
            + " of this campaign");
      }
      for (int i = a; i <= b; i++) {
        set.add(i);
      }
    }
    return set;
  }

  /** The tasks split into arrays of at most {@code maxArraySize} tasks each, in order. */
  static List<List<Task>> arrays(List<Task> tasks, int maxArraySize) {
    List<List<Task>> arrays = new ArrayList<>();
    for (int i = 0; i < tasks.size(); i += maxArraySize) {
      arrays.add(tasks.subList(i, Math.min(tasks.size(), i + maxArraySize)));
    }
    return arrays;
  }

  /** MaxArraySize from the text of {@code scontrol show config}, or -1 if it is not there. */
  static int maxArraySize(String config) {
    Matcher m = Pattern.compile("(?m)^\\s*MaxArraySize\\s*=\\s*(\\d+)").matcher(config);
    return m.find() ? Integer.parseInt(m.group(1)) : -1;
  }

  /** The settings of a submission. */
  record Settings(int shardsPerRun, List<String> sbatch, String tasks, Integer throttle, double checkpointEvery,
      String java, String classPath, String jvmOptions) {}

  /**
   * Writes the task list and job scripts and submits the unfinished tasks and the collect job.
   *
   * @throws IOException if sbatch fails (its message)
   */
  static void submit(CampaignDir dir, Plan plan, Settings s, PrintWriter out, PrintWriter err) throws IOException {
    List<Task> all = tasks(plan, s.shardsPerRun());
    Set<Integer> wanted = s.tasks() == null ? null : parseTasks(s.tasks(), all.size());
    for (Task t : all) {
      for (String a : t.run().simulateArgs()) {
        if (a.indexOf('\t') >= 0 || a.indexOf('\n') >= 0) {
          throw new IllegalArgumentException("run " + t.run().key() + ": an argument holds a tab or a line break: " + a);
        }
      }
    }
    Path slurm = dir.slurm();
    Files.createDirectories(slurm);
    Files.createDirectories(dir.logs());
    StringBuilder table = new StringBuilder("task\trun\tshard\tof\n");
    for (Task t : all) {
      table.append(t.number()).append('\t').append(t.run().key()).append('\t').append(t.shard()).append('\t')
          .append(t.of()).append('\n');
    }
    AtomicFile.write(slurm.resolve("tasks.tsv"), table.toString().getBytes(StandardCharsets.UTF_8));
    List<Task> todo = new ArrayList<>();
    int skipped = 0;
    for (Task t : all) {
      if (wanted != null && !wanted.contains(t.number())) {
        continue;
      }
      if (done(dir, t)) {
        skipped++;
      } else {
        todo.add(t);
      }
    }
    if (todo.isEmpty()) {
      out.println("campaign " + plan.name() + ": nothing to submit: every" + (wanted == null ? "" : " requested")
          + " task is done; collect with: finwidth campaign collect " + dir.root());
      out.flush();
      return;
    }
    Path taskScript = slurm.resolve("task.sbatch");
    Path collectScript = slurm.resolve("collect.sbatch");
    AtomicFile.write(taskScript, taskScript(dir, plan, s).getBytes(StandardCharsets.UTF_8));
    AtomicFile.write(collectScript, collectScript(dir, plan, s).getBytes(StandardCharsets.UTF_8));
    int max = maxArraySize(err);
    List<String> jobs = new ArrayList<>();
    int arrayNumber = nextArrayNumber(slurm);
    StringBuilder record = new StringBuilder();
    for (List<Task> array : arrays(todo, max)) {
      Path list = slurm.resolve("array-" + arrayNumber + ".tsv");
      StringBuilder lines = new StringBuilder();
      for (Task t : array) {
        lines.append(t.number()).append('\t').append(t.run().key()).append('\t').append(t.shard()).append('\t')
            .append(t.of());
        for (String a : t.run().simulateArgs()) {
          lines.append('\t').append(a);
        }
        lines.append('\n');
      }
      AtomicFile.write(list, lines.toString().getBytes(StandardCharsets.UTF_8));
      List<String> cmd = new ArrayList<>(List.of("sbatch", "--parsable"));
      cmd.addAll(s.sbatch());
      cmd.add("--job-name=fw-" + plan.name());
      cmd.add("--array=0-" + (array.size() - 1) + (s.throttle() == null ? "" : "%" + s.throttle()));
      cmd.add("--output=" + dir.logs().resolve("slurm-%A_%a.out"));
      cmd.add(taskScript.toString());
      cmd.add(list.toString());
      String id = sbatch(cmd);
      jobs.add(id);
      record.append("array ").append(id).append(" array-").append(arrayNumber).append(".tsv tasks ")
          .append(numbers(array)).append('\n');
      arrayNumber++;
    }
    List<String> cmd = new ArrayList<>(List.of("sbatch", "--parsable"));
    cmd.addAll(s.sbatch());
    cmd.add("--job-name=fw-" + plan.name() + "-collect");
    cmd.add("--dependency=afterok:" + String.join(":", jobs));
    cmd.add("--kill-on-invalid-dep=yes");
    cmd.add("--output=" + dir.logs().resolve("collect-%j.out"));
    cmd.add(collectScript.toString());
    String collect = sbatch(cmd);
    record.append("collect ").append(collect).append(" after ").append(String.join(",", jobs)).append('\n');
    Path jobsFile = slurm.resolve("jobs.txt");
    String before = Files.exists(jobsFile) ? Files.readString(jobsFile, StandardCharsets.UTF_8) : "";
    AtomicFile.write(jobsFile, (before + record).getBytes(StandardCharsets.UTF_8));
    out.printf(Locale.ROOT, "campaign %s: %d task%s of %d runs submitted as %d array job%s (%s)%s; collect job %s"
        + " after them%n", plan.name(), todo.size(), todo.size() == 1 ? "" : "s", plan.runs().size(), jobs.size(),
        jobs.size() == 1 ? "" : "s", String.join(", ", jobs),
        skipped > 0 ? "; " + skipped + " done earlier, not submitted" : "", collect);
    out.println("progress: finwidth campaign status " + dir.root() + "; results: " + dir.root().resolve("report.html")
        + " when the collect job has run");
    out.flush();
  }

  private static String numbers(List<Task> tasks) {
    StringBuilder sb = new StringBuilder();
    for (Task t : tasks) {
      sb.append(sb.isEmpty() ? "" : ",").append(t.number());
    }
    return sb.toString();
  }

  private static int nextArrayNumber(Path slurm) throws IOException {
    int k = 1;
    while (Files.exists(slurm.resolve("array-" + k + ".tsv"))) {
      k++;
    }
    return k;
  }

  private static int maxArraySize(PrintWriter err) {
    try {
      String config = run(List.of("scontrol", "show", "config"));
      int max = maxArraySize(config);
      if (max > 0) {
        return max;
      }
    } catch (IOException e) {
      // below: the default
    }
    err.println("finwidth: scontrol show config did not give MaxArraySize; assuming SLURM's default "
        + DEFAULT_MAX_ARRAY_SIZE);
    err.flush();
    return DEFAULT_MAX_ARRAY_SIZE;
  }

  private static String sbatch(List<String> cmd) throws IOException {
    String out = run(cmd).strip();
    int semi = out.indexOf(';');
    String id = semi < 0 ? out : out.substring(0, semi);
    if (!id.matches("\\d+")) {
      throw new IOException("sbatch printed no job id: " + out);
    }
    return id;
  }

  /** Runs a command and returns its stdout; IOException with its stderr's last line if it fails. */
  private static String run(List<String> cmd) throws IOException {
    Process p;
    try {
      p = new ProcessBuilder(cmd).redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
    } catch (IOException e) {
      throw new IOException(cmd.getFirst() + " not found (is SLURM loaded?)", e);
    }
    byte[] stdout = p.getInputStream().readAllBytes();
    String stderr = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8).strip();
    try {
      if (!p.waitFor(120, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new IOException(cmd.getFirst() + " did not answer in 120 s");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException(cmd.getFirst() + " interrupted");
    }
    if (p.exitValue() != 0) {
      String last = stderr.isEmpty() ? "exit code " + p.exitValue() : stderr.substring(stderr.lastIndexOf('\n') + 1);
      throw new IOException(cmd.getFirst() + " failed: " + last);
    }
    return new String(stdout, StandardCharsets.UTF_8);
  }

  /** A word quoted for bash. */
  static String quote(String s) {
    return "'" + s.replace("'", "'\\''") + "'";
  }

  private static String header(CampaignDir dir, Plan plan, Settings s) {
    return "set -uo pipefail\n"
        + "dir=" + quote(dir.root().toString()) + "\n"
        + "java=" + quote(s.java()) + "\n"
        + "cp=" + quote(s.classPath()) + "\n"
        + "jvm_opts=" + quote(s.jvmOptions()) + "\n";
  }

  static String taskScript(CampaignDir dir, Plan plan, Settings s) {
    return "#!/bin/bash\n"
        + "# finwidth campaign " + plan.name() + ": one (run, shard) task per array index, written by\n"
        + "# 'finwidth campaign submit'. Argument: the array's task list (slurm/array-K.tsv), whose line i+1 is\n"
        + "# array index i: TASK, RUN KEY, SHARD, SHARDS and the run's simulate arguments, separated by tabs.\n"
        + "# The task resumes from its checkpoint when requeued (preemption, node failure, time limit).\n"
        + "#SBATCH --cpus-per-task=2\n"
        + "#SBATCH --mem=2G\n"
        + "#SBATCH --time=04:00:00\n"
        + "#SBATCH --requeue\n"
        + header(dir, plan, s)
        + "every=" + s.checkpointEvery() + "\n"
        + ": \"${SLURM_ARRAY_TASK_ID:?run as an array job (finwidth campaign submit)}\"\n"
        + "line=\"$(sed -n \"$((SLURM_ARRAY_TASK_ID + 1))p\" \"$1\")\"\n"
        + "[[ -n \"$line\" ]] || { echo \"finwidth campaign: no line $((SLURM_ARRAY_TASK_ID + 1)) in $1\" >&2; exit 2; }\n"
        + "IFS=$'\\t' read -r -a f <<< \"$line\"\n"
        + "task=\"${f[0]}\" key=\"${f[1]}\" shard=\"${f[2]}\" of=\"${f[3]}\"\n"
        + "mkdir -p \"$dir/logs\" \"$dir/shards/$key\"\n"
        + "exec >> \"$dir/logs/task-$task.log\" 2>&1\n"
        + "threads=\"${SLURM_CPUS_PER_TASK:-1}\"\n"
        + "base=\"$dir/shards/$key/$shard-of-$of\"\n"
        + "echo \"finwidth campaign task $task: run $key, shard $shard/$of, on $(hostname) with $threads threads,"
        + " job ${SLURM_ARRAY_JOB_ID:-?}_${SLURM_ARRAY_TASK_ID}, attempt $(( ${SLURM_RESTART_COUNT:-0} + 1 )),"
        + " $(date -u +%FT%TZ)\"\n"
        + "start=$(date +%s.%N)\n"
        + "# shellcheck disable=SC2086  # jvm_opts is a list of options\n"
        + "\"$java\" $jvm_opts --add-modules jdk.incubator.vector -cp \"$cp\" org.finwidth.sim.Main \"${f[@]:4}\" \\\n"
        + "  --shard \"$shard/$of\" --threads \"$threads\" --no-progress --checkpoint \"$base.ckpt\" \\\n"
        + "  --checkpoint-every \"$every\" --resume --out \"$base.fwr\" > /dev/null &\n"
        + "pid=$!\n"
        + "# SIGTERM (time limit, preemption, scancel) reaches the JVM, which writes its checkpoint\n"
        + "trap 'kill -TERM \"$pid\" 2>/dev/null' TERM INT\n"
        + "rc=0\n"
        + "wait \"$pid\" || rc=$?\n"
        + "while kill -0 \"$pid\" 2>/dev/null; do rc=0; wait \"$pid\" || rc=$?; done\n"
        + "if [[ $rc -eq 0 ]]; then\n"
        + "  end=$(date +%s.%N)\n"
        + "  printf '{\"task\": %s, \"host\": \"%s\", \"threads\": %s, \"seconds\": %s, \"finished\": \"%s\", \"job\": \"%s\"}\\n' \\\n"
        + "    \"$task\" \"$(hostname)\" \"$threads\" \"$(awk -v a=\"$start\" -v b=\"$end\" 'BEGIN { printf \"%.3f\", b - a }')\" \\\n"
        + "    \"$(date -u +%FT%TZ)\" \"${SLURM_ARRAY_JOB_ID:-}_${SLURM_ARRAY_TASK_ID}\" > \"$base.json.tmp\" \\\n"
        + "    && mv \"$base.json.tmp\" \"$base.json\"\n"
        + "  rm -f \"$base.ckpt\"\n"
        + "fi\n"
        + "echo \"finwidth campaign task $task: exit code $rc\"\n"
        + "exit \"$rc\"\n";
  }

  static String collectScript(CampaignDir dir, Plan plan, Settings s) {
    return "#!/bin/bash\n"
        + "# finwidth campaign " + plan.name() + ": merges the shards of every run and collects the campaign\n"
        + "# (campaign.csv, report.html, manifest.json), after the array jobs; written by 'finwidth campaign submit'.\n"
        + "#SBATCH --cpus-per-task=1\n"
        + "#SBATCH --mem=2G\n"
        + "#SBATCH --time=01:00:00\n"
        + header(dir, plan, s)
        + "# shellcheck disable=SC2086\n"
        + "exec \"$java\" $jvm_opts --add-modules jdk.incubator.vector -cp \"$cp\" org.finwidth.sim.Main campaign collect"
        + " \"$dir\"\n";
  }
}
