package org.finwidth.sim.experiment;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.finwidth.sim.cli.TidyCsv;
import org.finwidth.sim.cli.Version;
import org.finwidth.sim.state.OutputLocks;
import org.finwidth.sim.state.OwnedDirectory;
import org.finwidth.vector.KernelProvider;
import org.knowm.xchart.ChartEncoder;

/**
 * Runs an {@link Experiment} and writes its results directory:
 * <pre>
 *   NAME.csv        the tidy CSV ({@link TidyCsv}, {@link Row#tidy})
 *   manifest.json   experiment, size, seed, threads, the spec/seed/size of every ensemble, finwidth
 *                   version and git commit, JVM, CPU, kernel provider, start time, wall time, files
 *   FIG.png/.svg    every figure
 *   report.html     self-contained (figures embedded as data URIs)
 *   .finwidth-experiment   the marker that makes the directory finwidth's (OwnedDirectory)
 * </pre>
 * Atomically: everything is written into a fresh temporary directory beside the target, which then
 * replaces the target by a rename (an old directory is first renamed aside, then emptied of the
 * files its marker lists and removed). A run that fails leaves the previous results untouched and
 * no temporary directory behind. Only a new directory or one finwidth wrote is ever replaced.
 */
public final class ExperimentRunner {
  static {
    // Plots are drawn off-screen; never look for a display.
    System.setProperty("java.awt.headless", "true");
  }

  private ExperimentRunner() {}

  /**
   * What a run produced.
   *
   * @param dir the results directory
   * @param report the report (summary lines for the terminal)
   * @param seconds wall time, the files included
   */
  public record Result(Path dir, Report report, double seconds) {}

  /**
   * Runs {@code experiment} with {@code ctx} and writes its results into {@code dir}, which is
   * checked first ({@link OwnedDirectory#check}: absent, or finwidth's and holding nothing else),
   * locked for the run ({@link OutputLocks}) and replaced at the end.
   *
   * @throws IllegalArgumentException before anything runs, if {@code dir} may not be written
   */
  public static Result run(Experiment<?> experiment, ExperimentContext ctx, Path dir) throws Exception {
    Path target = OwnedDirectory.check("--out", dir, OwnedDirectory.EXPERIMENT_MARKER);
    List<Path> created = createParents(target.getParent());
    boolean done = false;
    try (OutputLocks locks = new OutputLocks()) {
      locks.lock("--out", dir, target);
      OwnedDirectory.removeStale(target, OwnedDirectory.EXPERIMENT_MARKER);
      Instant started = Instant.now();
      long t0 = System.nanoTime();
      Report report = report(experiment, ctx);
      Path tmp = OwnedDirectory.createTemporary(target, OwnedDirectory.EXPERIMENT_MARKER);
      try {
        Map<String, Object> manifest = manifest(experiment, ctx, started);
        List<String> files = writeFiles(tmp, experiment, report, manifest);
        double seconds = (System.nanoTime() - t0) * 1e-9;
        manifest.put("wallSeconds", Math.round(seconds * 1000) / 1000.0);
        files.add(OwnedDirectory.EXPERIMENT_MARKER);
        manifest.put("files", files);
        Files.writeString(tmp.resolve("manifest.json"),
            new ObjectMapper().writerWithDefaultPrettyPrinter().writeValueAsString(manifest) + "\n", StandardCharsets.UTF_8);
        OwnedDirectory.writeMarker(tmp, OwnedDirectory.EXPERIMENT_MARKER,
            files.stream().filter(f -> !f.equals(OwnedDirectory.EXPERIMENT_MARKER)).toList());
        OwnedDirectory.replace("--out", tmp, target, OwnedDirectory.EXPERIMENT_MARKER);
        done = true;
        return new Result(target, report, seconds);
      } finally {
        OwnedDirectory.deleteTemporary(tmp);
      }
    } finally {
      if (!done) {
        for (Path p : created.reversed()) {
          try {
            Files.deleteIfExists(p); // only if still empty
          } catch (IOException e) {
            break;
          }
        }
      }
    }
  }

  /** Computes the experiment's result, then renders it into a report: the one place the two steps meet. */
  static <R> Report report(Experiment<R> experiment, ExperimentContext ctx) throws Exception {
    R result = experiment.compute(ctx);
    Report report = new Report();
    experiment.render(result, report);
    return report;
  }

  /** Creates the missing directories down to {@code dir}; returns those it created, outermost first. */
  private static List<Path> createParents(Path dir) throws IOException {
    List<Path> missing = new ArrayList<>();
    for (Path p = dir; p != null && !Files.exists(p); p = p.getParent()) {
      missing.addFirst(p);
    }
    for (Path p : missing) {
      Files.createDirectory(p);
    }
    return missing;
  }

  private static List<String> writeFiles(Path dir, Experiment<?> e, Report report, Map<String, Object> manifest)
      throws IOException {
    List<String> files = new ArrayList<>();
    String version = Version.version();
    String csv = TidyCsv.write(report.rows().stream().map(r -> r.tidy(version)).toList());
    String csvName = e.name() + ".csv";
    Files.writeString(dir.resolve(csvName), csv, StandardCharsets.UTF_8);
    files.add(csvName);
    Map<String, byte[]> png = new LinkedHashMap<>();
    for (Report.Block b : report.blocks()) {
      if (b instanceof Report.Figure f) {
        byte[] bytes = ChartEncoder.getBytes(f.chart(), "png");
        png.put(f.name(), bytes);
        Files.write(dir.resolve(f.name() + ".png"), bytes);
        Files.write(dir.resolve(f.name() + ".svg"), ChartEncoder.getBytes(f.chart(), "svg"));
        files.add(f.name() + ".png");
        files.add(f.name() + ".svg");
      }
    }
    Map<String, String> meta = new LinkedHashMap<>();
    meta.put("finwidth", manifest.get("finwidthVersion") + " (" + manifest.get("gitCommit") + ")");
    meta.put("run", (Boolean.TRUE.equals(manifest.get("quick")) ? "quick" : "full size") + ", seed "
        + manifest.get("seed") + ", " + manifest.get("threads") + " threads");
    meta.put("started", String.valueOf(manifest.get("started")));
    meta.put("machine", manifest.get("cpu") + ", " + manifest.get("jvm"));
    Files.writeString(dir.resolve("report.html"), HtmlReport.render(e.title(), e.name(), meta, report.blocks(), png),
        StandardCharsets.UTF_8);
    files.add("report.html");
    files.add("manifest.json");
    return files;
  }

  private static Map<String, Object> manifest(Experiment<?> e, ExperimentContext ctx, Instant started) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("experiment", e.name());
    m.put("title", e.title());
    m.put("quick", ctx.quick());
    m.put("seed", ctx.seed());
    m.put("threads", ctx.threads());
    m.put("finwidthVersion", Version.version()); // the version result files are checked against
    m.put("gitCommit", gitCommit());
    m.put("jvm", System.getProperty("java.vm.name") + " " + System.getProperty("java.version") + " ("
        + System.getProperty("java.vendor") + ")");
    m.put("os", System.getProperty("os.name") + " " + System.getProperty("os.version") + " " + System.getProperty("os.arch"));
    m.put("cpu", cpu());
    m.put("kernels", KernelProvider.getInstance().description());
    m.put("started", started.toString());
    List<Object> ensembles = new ArrayList<>();
    for (ExperimentContext.EnsembleRun r : ctx.runs()) {
      Map<String, Object> x = new LinkedHashMap<>();
      x.put("label", r.label());
      x.put("spec", r.spec());
      x.put("networks", r.networks());
      x.put("seed", r.seed());
      x.put("sampler", r.sampler());
      x.put("diverged", r.diverged());
      x.put("seconds", Math.round(r.seconds() * 1000) / 1000.0);
      ensembles.add(x);
    }
    m.put("ensembles", ensembles);
    return m;
  }

  /** The CPU model (from /proc/cpuinfo where there is one) and the processors the JVM sees. */
  public static String cpu() {
    String model = System.getProperty("os.arch");
    try (Stream<String> lines = Files.lines(Path.of("/proc/cpuinfo"))) {
      model = lines.filter(l -> l.startsWith("model name")).map(l -> l.substring(l.indexOf(':') + 1).strip())
          .findFirst().orElse(model);
    } catch (IOException | UncheckedIOException ignored) {
      // not Linux: the architecture is all we say
    }
    return String.format(Locale.ROOT, "%s, %d processors", model, Runtime.getRuntime().availableProcessors());
  }

  /**
   * The commit of the working directory's git checkout (with "+dirty" when tracked files differ),
   * or "unknown" outside a checkout or without git.
   */
  public static String gitCommit() {
    String head = git("rev-parse", "HEAD");
    if (head == null || head.isBlank()) {
      return "unknown";
    }
    String status = git("status", "--porcelain", "--untracked-files=no");
    return head.strip() + (status != null && !status.isBlank() ? "+dirty" : "");
  }

  private static String git(String... args) {
    List<String> cmd = new ArrayList<>(List.of("git"));
    cmd.addAll(List.of(args));
    try {
      Process p = new ProcessBuilder(cmd).redirectErrorStream(false).redirectError(ProcessBuilder.Redirect.DISCARD).start();
      p.getOutputStream().close();
      byte[] out = p.getInputStream().readAllBytes();
      if (!p.waitFor(10, TimeUnit.SECONDS) || p.exitValue() != 0) {
        p.destroy();
        return null;
      }
      return new String(out, StandardCharsets.UTF_8);
    } catch (IOException e) {
      return null;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return null;
    }
  }
}
