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
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.imageio.ImageIO;
import org.finwidth.sim.cli.FinwidthCommand;
import picocli.CommandLine;

/**
 * Checks shared by the experiments' tests: run an experiment through the command line into a
 * directory, and check that it wrote every file, that its PNGs are real plots, that its CSV is
 * tidy (one header, the same type in every column) and parses back into {@link Row}s.
 */
final class ExperimentFiles {
  private ExperimentFiles() {}

  /** Runs {@code finwidth experiment NAME --quick --quiet --out dir --threads 2} and returns stdout. */
  static String runQuick(String name, Path dir) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine cl = FinwidthCommand.commandLine();
    cl.setOut(new PrintWriter(out, true));
    cl.setErr(new PrintWriter(err, true));
    int code = cl.execute("experiment", name, "--quick", "--quiet", "--out", dir.toString(), "--threads", "2");
    assertEquals(0, code, err.toString());
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
   * Parses an experiment's CSV back into rows, checking the header, the field count of every
   * line and that numeric columns hold numbers (or are empty where NaN is allowed).
   */
  static List<Row> readCsv(Path csv) throws IOException {
    List<String> lines = Files.readAllLines(csv, StandardCharsets.UTF_8);
    assertEquals(Row.CSV_HEADER, lines.getFirst());
    List<Row> rows = new ArrayList<>();
    for (String line : lines.subList(1, lines.size())) {
      List<String> f = split(line);
      assertEquals(10, f.size(), line);
      rows.add(new Row(f.get(0), f.get(1), Integer.parseInt(f.get(2)), Integer.parseInt(f.get(3)), f.get(4),
          Double.parseDouble(f.get(5)), num(f.get(6)), num(f.get(7)), Long.parseLong(f.get(8)), Long.parseLong(f.get(9))));
    }
    assertFalse(rows.isEmpty(), "rows");
    return rows;
  }

  private static double num(String s) {
    return s.isEmpty() ? Double.NaN : Double.parseDouble(s);
  }

  /** RFC 4180 fields of one line (one parser for every CSV the tests read). */
  static List<String> split(String line) {
    return org.finwidth.sim.cli.CsvTable.fields(line);
  }
}
