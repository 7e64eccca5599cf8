package org.finwidth.sim.experiment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.imageio.ImageIO;
import org.finwidth.sim.cli.ExperimentCommand;
import org.finwidth.sim.cli.FinwidthCommand;
import org.finwidth.sim.cli.TidyCsv;
import picocli.CommandLine;

/**
 * Checks shared by the experiments' tests: run an experiment through the command line into a
 * directory, and check that it wrote every file, that its PNGs are real plots, that its CSV is
 * tidy (one header, the same type in every column) and parses into {@link CsvRow}s.
 */
final class ExperimentFiles {
  private ExperimentFiles() {}

  /**
   * Runs {@code finwidth experiment NAME --quick --quiet --out dir --threads 2}, checks that every
   * figure of its report reads without the text ({@link FigureCheck}) and returns stdout.
   */
  static String runQuick(String name, Path dir) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine cl = FinwidthCommand.commandLine();
    cl.setOut(new PrintWriter(out, true));
    cl.setErr(new PrintWriter(err, true));
    int code = cl.execute("experiment", name, "--quick", "--quiet", "--out", dir.toString(), "--threads", "2");
    assertEquals(0, code, err.toString());
    ExperimentCommand command = cl.getSubcommands().get("experiment").getCommand();
    FigureCheck.assertReadable(command.result().report());
    return out.toString();
  }

  /**
   * Every file of a results directory: NAME.csv, manifest.json (listing exactly the files there),
   * report.html embedding each figure whose PNG and SVG are present; returns the figure names.
   */
  static List<String> assertAllFiles(Path dir, String name) throws IOException {
    assertTrue(Files.isRegularFile(dir.resolve(name + ".csv")), "csv");
    JsonNode m = new ObjectMapper().readTree(dir.resolve("manifest.json").toFile());
    assertEquals(name, m.get("experiment").asText());
    for (String key : List.of("seed", "threads", "finwidthVersion", "gitCommit", "jvm", "cpu", "wallSeconds", "ensembles")) {
      assertNotNull(m.get(key), key);
    }
    Set<String> listed = new HashSet<>();
    m.get("files").forEach(f -> listed.add(f.asText()));
    Set<String> present = new HashSet<>();
    try (var s = Files.list(dir)) {
      s.forEach(p -> present.add(p.getFileName().toString()));
    }
    assertEquals(present, listed, "manifest files = directory");
    String html = Files.readString(dir.resolve("report.html"), StandardCharsets.UTF_8);
    List<String> figures = new ArrayList<>();
    Matcher fig = Pattern.compile("<figure id=\"([a-z0-9-]+)\">\\s*<img alt=\"[^\"]*\" src=\"data:image/png;base64,").matcher(html);
    while (fig.find()) {
      figures.add(fig.group(1));
    }
    assertFalse(figures.isEmpty(), "the report has figures");
    for (String f : figures) {
      assertTrue(present.contains(f + ".png") && present.contains(f + ".svg"), f);
      assertRealPlot(dir.resolve(f + ".png"));
      String svg = Files.readString(dir.resolve(f + ".svg"), StandardCharsets.UTF_8);
      assertTrue(svg.contains("<svg") && svg.contains("</svg>"), f + ".svg");
    }
    assertEquals(figures.size() * 2L, present.stream().filter(p -> p.endsWith(".png") || p.endsWith(".svg")).count());
    return figures;
  }

  /**
   * A PNG that decodes, is at least 400×300, has many distinct colours and a fair share of
   * pixels that are not the background (white): a drawn plot, not a blank canvas.
   */
  static void assertRealPlot(Path png) throws IOException {
    BufferedImage img = ImageIO.read(png.toFile());
    assertNotNull(img, png + " decodes");
    assertTrue(img.getWidth() >= 400 && img.getHeight() >= 300, png + " size " + img.getWidth() + "x" + img.getHeight());
    Set<Integer> colours = new HashSet<>();
    long ink = 0;
    for (int y = 0; y < img.getHeight(); y++) {
      for (int x = 0; x < img.getWidth(); x++) {
        int rgb = img.getRGB(x, y) & 0xFFFFFF;
        colours.add(rgb);
        if (rgb != 0xFFFFFF) {
          ink++;
        }
      }
    }
    assertTrue(colours.size() >= 20, png + ": only " + colours.size() + " colours");
    double share = (double) ink / ((long) img.getWidth() * img.getHeight());
    assertTrue(share > 0.01 && share < 0.9, png + ": non-background share " + share);
  }

  /**
   * One row of an experiment's tidy CSV as a reader sees it ({@link TidyCsv#COLUMNS}; an empty
   * number is NaN, an empty integer 0), and {@link #n} the hidden width of the row's network.
   *
   * @param n the hidden width n of the network the row belongs to: for a measured row the width at
   *     layer 2 of its run (the rows of one activation, C_b, C_W, depth, Gram, sampler, networks
   *     and seed: the experiments' networks have equal hidden widths), for a theory row its width
   *     column (0 at infinite width)
   */
  record CsvRow(String activation, double cb, double cw, int depth, int layer, int width, String gramId,
      String sampler, long networks, long seed, String version, String quantity, String component, double value,
      double se, double theory, double exact, String exactText, double z, String flag, int n) {
    /** The prediction z is against: the exact value where there is one, else the theory (NaN if none). */
    double reference() {
      return Double.isFinite(exact) ? exact : theory;
    }
  }

  /**
   * Parses an experiment's tidy CSV: the header is {@link TidyCsv#header}'s, every line has its
   * fields, every numeric column holds a number or nothing, every integer column an integer or
   * nothing (one dtype per column for a type-inferring reader), no field packs "key=value" pairs
   * with commas; a measured row has its networks, seed and sampler, a theory row none of them; z
   * is (value − reference)/se to 1e-12 relative wherever all three exist, else empty.
   */
  static List<CsvRow> readCsv(Path csv) throws IOException {
    List<String> lines = Files.readAllLines(csv, StandardCharsets.UTF_8);
    assertEquals(TidyCsv.header(List.of()), lines.getFirst());
    int columns = TidyCsv.COLUMNS.size();
    List<List<String>> fields = new ArrayList<>();
    for (String line : lines.subList(1, lines.size())) {
      List<String> f = split(line);
      assertEquals(columns, f.size(), line);
      for (String x : f) {
        assertFalse(x.contains(",") && x.contains("="), "a packed field: " + line);
      }
      fields.add(f);
    }
    assertFalse(fields.isEmpty(), "rows");
    // the hidden width of each run: its width column at layer 2
    Map<String, Integer> hidden = new HashMap<>();
    for (List<String> f : fields) {
      if (!f.get(8).isEmpty() && f.get(4).equals("2")) {
        hidden.put(runKey(f), integer(f.get(5)));
      }
    }
    List<CsvRow> rows = new ArrayList<>();
    for (List<String> f : fields) {
      String line = String.join(",", f);
      boolean measured = !f.get(8).isEmpty();
      assertEquals(measured, !f.get(9).isEmpty(), "networks and seed together: " + line);
      assertEquals(measured, !f.get(7).isEmpty(), "a sampler exactly for a measured row: " + line);
      int width = integer(f.get(5));
      int n = measured ? hidden.getOrDefault(runKey(f), width) : width;
      CsvRow r = new CsvRow(f.get(0), num(f.get(1)), num(f.get(2)), integer(f.get(3)), integer(f.get(4)), width,
          f.get(6), f.get(7), longInt(f.get(8)), longInt(f.get(9)), f.get(10), f.get(11), f.get(12), num(f.get(13)),
          num(f.get(14)), num(f.get(15)), num(f.get(16)), f.get(17), num(f.get(18)), f.get(19), n);
      double ref = r.reference();
      if (r.se() > 0 && Double.isFinite(r.value()) && Double.isFinite(ref)) {
        double z = (r.value() - ref) / r.se();
        assertEquals(z, r.z(), 1e-12 * Math.max(1, Math.abs(z)), "z of " + line);
      } else {
        assertTrue(Double.isNaN(r.z()), "z without value, SE and prediction: " + line);
      }
      assertFalse(!r.exactText().isEmpty() && Double.isFinite(r.exact()), "exact and exact_text: " + line);
      rows.add(r);
    }
    return rows;
  }

  /** The provenance columns of a row's run (activation .. seed). */
  private static String runKey(List<String> f) {
    return String.join(",", f.subList(0, 4)) + "," + String.join(",", f.subList(6, 10));
  }

  private static double num(String s) {
    return s.isEmpty() ? Double.NaN : Double.parseDouble(s);
  }

  private static int integer(String s) {
    return s.isEmpty() ? 0 : Integer.parseInt(s);
  }

  private static long longInt(String s) {
    return s.isEmpty() ? 0 : Long.parseLong(s);
  }

  /** RFC 4180 fields of one line (one parser for every CSV the tests read). */
  static List<String> split(String line) {
    return org.finwidth.sim.cli.CsvTable.fields(line);
  }
}
