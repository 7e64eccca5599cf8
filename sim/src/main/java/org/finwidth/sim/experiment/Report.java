package org.finwidth.sim.experiment;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;
import org.knowm.xchart.internal.chartpart.Chart;

/**
 * What an experiment produces, collected while it runs: the tidy rows of the CSV, and the report's
 * content in order — headings, paragraphs, tables and figures (each figure with a paragraph saying
 * what it shows) — plus a few summary lines for the terminal. {@link ReportWriter} turns it into
 * files. Not thread-safe: experiments add to it from their own thread.
 */
public final class Report {
  /** A part of the HTML report, in document order. */
  public sealed interface Block permits Heading, Paragraph, Table, Figure {}

  /** A section heading. */
  public record Heading(String text) implements Block {}

  /** A paragraph of plain text (escaped in HTML). */
  public record Paragraph(String text) implements Block {}

  /** A table: a title, a header row and rows of cells (each row as long as the header). */
  public record Table(String title, List<String> header, List<List<String>> rows) implements Block {
    public Table {
      header = List.copyOf(header);
      List<List<String>> copy = new ArrayList<>();
      for (List<String> r : rows) {
        if (r.size() != header.size()) {
          throw new IllegalArgumentException("table '" + title + "': a row has " + r.size() + " cells, the header "
              + header.size());
        }
        copy.add(List.copyOf(r));
      }
      rows = List.copyOf(copy);
    }
  }

  /** A figure: written as NAME.png and NAME.svg and embedded in the report with its paragraph. */
  public record Figure(String name, Chart<?, ?> chart, String paragraph) implements Block {}

  private static final Pattern FIGURE_NAME = Pattern.compile("[a-z0-9][a-z0-9-]*");

  private final List<Row> rows = new ArrayList<>();
  private final List<Block> blocks = new ArrayList<>();
  private final List<String> summary = new ArrayList<>();
  private final Set<String> figureNames = new HashSet<>();

  /** Adds rows to the tidy CSV. */
  public void rows(List<Row> more) {
    rows.addAll(more);
  }

  /** Adds one row to the tidy CSV. */
  public void row(Row row) {
    rows.add(Objects.requireNonNull(row, "row"));
  }

  /** Starts a section of the report. */
  public void heading(String text) {
    blocks.add(new Heading(Objects.requireNonNull(text, "text")));
  }

  /** Adds a paragraph of text to the report. */
  public void paragraph(String text) {
    blocks.add(new Paragraph(Objects.requireNonNull(text, "text")));
  }

  /** Adds a table to the report. */
  public void table(String title, List<String> header, List<List<String>> tableRows) {
    blocks.add(new Table(title, header, tableRows));
  }

  /**
   * Adds a figure: {@code name} (lower case letters, digits and '-', unique) names its files;
   * {@code paragraph} says what it shows and where theory and measurement disagree.
   */
  public void figure(String name, Chart<?, ?> chart, String paragraph) {
    if (!FIGURE_NAME.matcher(name).matches()) {
      throw new IllegalArgumentException("figure name must be lower case letters, digits and '-': " + name);
    }
    if (!figureNames.add(name)) {
      throw new IllegalArgumentException("duplicate figure name: " + name);
    }
    if (chart instanceof org.knowm.xchart.XYChart xy) {
      Plots.decades(xy); // labelled decades on every log axis
    }
    blocks.add(new Figure(name, Objects.requireNonNull(chart, "chart"), Objects.requireNonNull(paragraph, "paragraph")));
  }

  /** Adds a line to the summary printed in the terminal after the run. */
  public void summary(String line) {
    summary.add(Objects.requireNonNull(line, "line"));
  }

  /** The CSV rows, in the order added. */
  public List<Row> rows() {
    return List.copyOf(rows);
  }

  /** The report's content, in order. */
  public List<Block> blocks() {
    return List.copyOf(blocks);
  }

  /** The terminal summary lines. */
  public List<String> summaryLines() {
    return List.copyOf(summary);
  }
}
