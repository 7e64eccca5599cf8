package org.finwidth.sim.experiment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.finwidth.activation.Activation;
import org.finwidth.ensemble.EnsembleResult;
import org.finwidth.network.NetworkSpec;
import org.finwidth.sim.state.OwnedDirectory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The framework with a tiny experiment: files, manifest, CSV format, HTML escaping, atomicity. */
class ExperimentRunnerTest {
  @TempDir Path tmp;

  /** A small real experiment: one ReLU ensemble, a row per layer, a table and a figure. */
  static final class Tiny implements Experiment<Tiny.Result> {
    /** E[z²] and its SE per layer, the seed, and the network's provenance. */
    record Result(double[] g, double[] se, long seed, Setup setup) {}

    private final boolean fail;
    private final Runnable duringRun;

    Tiny(boolean fail) {
      this(fail, () -> {});
    }

    Tiny(boolean fail, Runnable duringRun) {
      this.fail = fail;
      this.duringRun = duringRun;
    }

    @Override
    public String name() {
      return "tiny";
    }

    @Override
    public String title() {
      return "Tiny <test> & check";
    }

    @Override
    public Result compute(ExperimentContext ctx) {
      NetworkSpec spec = NetworkSpec.ofGram(Activation.parse("relu"), 0, 2, 1, NetworkSpec.equalWidths(3, 4),
          new double[][] {{1}});
      EnsembleResult r = ctx.ensemble("relu", spec, 3000, ctx.seed(0));
      double[] g = new double[3];
      double[] se = new double[3];
      for (int j = 0; j < 3; j++) {
        var e = r.estimates(j + 1).g(0, 0);
        g[j] = e.mean();
        se[j] = e.standardError();
      }
      duringRun.run();
      if (fail) {
        throw new IllegalStateException("failed on purpose");
      }
      return new Result(g, se, ctx.seed(0), Setup.of("cb=0,cw=2", spec, r.sampler()));
    }

    @Override
    public void render(Result result, Report report) {
      double[] l = {1, 2, 3};
      double[] g = result.g();
      double[] se = result.se();
      for (int j = 0; j < 3; j++) {
        report.row(new Row("relu", result.setup(), 4, j + 1, "G", g[j], se[j], 2, 3000, result.seed()));
      }
      var chart = Plots.chart("E[z²]", "layer ℓ", "E[z²]");
      Plots.line(chart, "theory", l, new double[] {2, 2, 2}, Plots.color(0));
      Plots.points(chart, "n=4", l, g, se, Plots.color(0), Plots.marker(0));
      report.heading("Section <1>");
      report.figure("g", chart, "E[z²] is preserved: a < b & c.");
      report.table("t", List.of("a", "b"), List.of(List.of("1", "<2>")));
      report.summary("summary line");
    }
  }

  @Test
  void writesEveryFileAndTheManifest() throws Exception {
    Path dir = tmp.resolve("tiny");
    ExperimentRunner.Result r = ExperimentRunner.run(new Tiny(false), ExperimentContext.silent(true, 2, 5), dir);
    assertEquals(dir.toAbsolutePath(), r.dir());
    assertEquals(List.of("g"), ExperimentFiles.assertAllFiles(dir, "tiny"));
    List<ExperimentFiles.CsvRow> rows = ExperimentFiles.readCsv(dir.resolve("tiny.csv"));
    assertEquals(3, rows.size());
    // the provenance in columns of their own, from the network (the label of the tables not in the CSV)
    ExperimentFiles.CsvRow first = rows.getFirst();
    assertEquals(List.of("relu", 0.0, 2.0, 3, 1, 1, "conditional", 3000L, 5L, "G"), List.of(first.activation(),
        first.cb(), first.cw(), first.depth(), first.layer(), first.width(), first.sampler(), first.networks(),
        first.seed(), first.quantity()));
    assertEquals(org.finwidth.sim.cli.TidyCsv.gramId(new double[][] {{1}}), first.gramId());
    assertEquals(4, rows.get(1).width(), "the fan-in of layer 2: the hidden width");
    assertTrue(!Files.readString(dir.resolve("tiny.csv")).contains("cb=0,cw=2"), "no packed init");
    JsonNode m = new ObjectMapper().readTree(dir.resolve("manifest.json").toFile());
    assertEquals(5, m.get("seed").asLong());
    assertEquals(1, m.get("ensembles").size());
    assertEquals(3000, m.get("ensembles").get(0).get("networks").asLong());
    assertEquals(5, m.get("ensembles").get(0).get("seed").asLong());
    assertTrue(m.get("ensembles").get(0).get("spec").asText().contains("relu"));
    String html = Files.readString(dir.resolve("report.html"), StandardCharsets.UTF_8);
    assertTrue(html.contains("<h1>Tiny &lt;test&gt; &amp; check</h1>"), html);
    assertTrue(html.contains("<h2>Section &lt;1&gt;</h2>"));
    assertTrue(html.contains("a &lt; b &amp; c."));
    assertTrue(html.contains("<td>&lt;2&gt;</td>"));
    assertEquals(List.of("summary line"), r.report().summaryLines());
  }

  @Test
  void theThreadCountChangesNoNumber() throws Exception {
    ExperimentRunner.run(new Tiny(false), ExperimentContext.silent(true, 1, 9), tmp.resolve("a"));
    ExperimentRunner.run(new Tiny(false), ExperimentContext.silent(true, 2, 9), tmp.resolve("b"));
    assertEquals(Files.readString(tmp.resolve("a/tiny.csv")), Files.readString(tmp.resolve("b/tiny.csv")));
  }

  @Test
  void aFailedRunLeavesThePreviousResultsAndNoTemporaryFiles() throws Exception {
    Path dir = tmp.resolve("tiny");
    ExperimentRunner.run(new Tiny(false), ExperimentContext.silent(true, 2, 1), dir);
    String before = Files.readString(dir.resolve("tiny.csv"));
    assertThrows(IllegalStateException.class,
        () -> ExperimentRunner.run(new Tiny(true), ExperimentContext.silent(true, 2, 2), dir));
    assertEquals(before, Files.readString(dir.resolve("tiny.csv")));
    // a successful run replaces the directory as a whole, leaving nothing beside it
    ExperimentRunner.run(new Tiny(false), ExperimentContext.silent(true, 2, 3), dir);
    try (var s = Files.list(tmp)) {
      assertEquals(List.of("tiny"), s.map(p -> p.getFileName().toString()).toList());
    }
    assertTrue(!before.equals(Files.readString(dir.resolve("tiny.csv"))), "seed 3 gives other numbers");
  }

  @Test
  void theResultsDirectoryIsMarkedAndReadableByAll() throws Exception {
    Path dir = tmp.resolve("new/deeper/tiny");
    ExperimentRunner.run(new Tiny(false), ExperimentContext.silent(true, 2, 5), dir);
    assertEquals("rwxr-xr-x", PosixFilePermissions.toString(Files.getPosixFilePermissions(dir)));
    List<String> marker = Files.readAllLines(dir.resolve(OwnedDirectory.EXPERIMENT_MARKER));
    assertTrue(marker.contains("tiny.csv") && marker.contains("report.html") && marker.contains("manifest.json"), marker.toString());
  }

  @Test
  void aDirectoryOfAnEarlierVersionIsAdoptedAndReplaced() throws Exception {
    Path dir = Files.createDirectory(tmp.resolve("tiny"));
    Files.writeString(dir.resolve("manifest.json"),
        "{\"experiment\": \"tiny\", \"finwidthVersion\": \"0.0.9\", \"files\": [\"tiny.csv\", \"old.png\", \"manifest.json\"]}");
    Files.writeString(dir.resolve("tiny.csv"), "old\n");
    Files.writeString(dir.resolve("old.png"), "old\n");
    // a failed run leaves the files but adopts the directory (the marker is added)
    assertThrows(IllegalStateException.class,
        () -> ExperimentRunner.run(new Tiny(true), ExperimentContext.silent(true, 1, 2), dir));
    assertEquals("old\n", Files.readString(dir.resolve("tiny.csv")));
    assertTrue(Files.exists(dir.resolve(OwnedDirectory.EXPERIMENT_MARKER)));
    ExperimentRunner.run(new Tiny(false), ExperimentContext.silent(true, 1, 2), dir);
    assertTrue(Files.notExists(dir.resolve("old.png")), "the old version's files are replaced");
    ExperimentFiles.assertAllFiles(dir, "tiny");
    try (var s = Files.list(tmp)) {
      assertEquals(List.of("tiny"), s.map(p -> p.getFileName().toString()).toList());
    }
  }

  @Test
  void aFileAddedDuringTheRunStopsTheReplacementAndStays() throws Exception {
    Path dir = tmp.resolve("tiny");
    ExperimentRunner.run(new Tiny(false), ExperimentContext.silent(true, 1, 1), dir);
    String before = Files.readString(dir.resolve("tiny.csv"));
    Path notes = dir.resolve("notes.txt");
    Runnable addNotes = () -> {
      try {
        Files.writeString(notes, "mine\n");
      } catch (java.io.IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
    };
    java.io.IOException e = assertThrows(java.io.IOException.class,
        () -> ExperimentRunner.run(new Tiny(false, addNotes), ExperimentContext.silent(true, 1, 2), dir));
    assertEquals("--out: " + dir.toRealPath() + " changed during the run (notes.txt); it was left as it is and the new"
        + " results were not written", e.getMessage());
    assertEquals("mine\n", Files.readString(notes));
    assertEquals(before, Files.readString(dir.resolve("tiny.csv")));
    try (var s = Files.list(tmp)) {
      assertEquals(List.of("tiny"), s.map(p -> p.getFileName().toString()).toList(), "no temporary or lock file left");
    }
  }

  /**
   * Row.tidy: a measured row's prediction goes to theory, or to exact when it is the exact value,
   * with z against it; a theory-only row's number to theory, or to exact for an "exact" quantity,
   * without sampler, networks or seed; the width column is the fan-in (n_0 at layer 1); an exact
   * decimal beyond the double range goes to exact_text (exact empty), one within it to exact.
   */
  @Test
  void rowsMapOntoTheTidyColumns() {
    NetworkSpec spec = NetworkSpec.ofGram(Activation.parse("relu"), 0, 2, 3, NetworkSpec.equalWidths(4, 16),
        new double[][] {{1}});
    Setup setup = Setup.of("K1=2,cb=0,cw=2", spec, "weights");
    String lo = org.finwidth.sim.cli.TidyCsv.write(List.of(
        new Row("relu", setup, 16, 1, "G", 2.5, 0.25, 2, 100, 7).tidy("v"),
        new Row("relu", setup, 16, 2, "V/K2", 1.5, 0.5, 0.5, 100, 7, true).tidy("v"),
        Row.theory("relu", setup, 16, 3, "V exact", 4.0).tidy("v"),
        Row.theory("relu", setup, 0, 3, "K", 2.0).tidy("v"),
        Row.exactBeyondDouble("relu", setup, 16, 4, "ratio4-1 exact", new java.math.BigDecimal("1.5E+400")).tidy("v"),
        Row.exactBeyondDouble("relu", setup, 16, 4, "ratio4-1 exact", new java.math.BigDecimal("0.25")).tidy("v")));
    String gram = org.finwidth.sim.cli.TidyCsv.gramId(spec.gram());
    assertEquals(List.of(
        "relu,0.0,2.0,4,1,3," + gram + ",weights,100,7,v,G,,2.5,0.25,2.0,,,2.0,",
        "relu,0.0,2.0,4,2,16," + gram + ",weights,100,7,v,V/K2,,1.5,0.5,,0.5,,2.0,",
        "relu,0.0,2.0,4,3,16," + gram + ",,,,v,V exact,,,,,4.0,,,",
        "relu,0.0,2.0,4,3,," + gram + ",,,,v,K,,,,2.0,,,,",
        "relu,0.0,2.0,4,4,16," + gram + ",,,,v,ratio4-1 exact,,,,,,1.5x10^400,,",
        "relu,0.0,2.0,4,4,16," + gram + ",,,,v,ratio4-1 exact,,,,,0.25,,,"), lo.lines().skip(1).toList());
  }

  @Test
  void badInputIsRefused() {
    Report report = new Report();
    assertThrows(IllegalArgumentException.class, () -> report.figure("Bad Name", Plots.chart("", "", ""), ""));
    report.figure("ok", Plots.chart("", "", ""), "");
    assertThrows(IllegalArgumentException.class, () -> report.figure("ok", Plots.chart("", "", ""), ""));
    assertThrows(IllegalArgumentException.class, () -> report.table("t", List.of("a"), List.of(List.of("1", "2"))));
    assertThrows(IllegalArgumentException.class, () -> Experiments.byName("nope"));
    assertThrows(IllegalArgumentException.class, () -> ExperimentContext.silent(true, 0, 1));
  }
}
