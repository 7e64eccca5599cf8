package org.finwidth.sim.experiment;

import java.util.Base64;
import java.util.List;
import java.util.Map;

/**
 * Renders a {@link Report} as one self-contained HTML page: figures embedded as PNG data URIs
 * (with links to the SVG and CSV files beside it), tables, paragraphs, and the provenance of the
 * run. Text is HTML-escaped; the page needs no network and no script.
 */
public final class HtmlReport {
  private HtmlReport() {}

  private static final String STYLE = """
      body { font-family: "DejaVu Sans", Helvetica, Arial, sans-serif; max-width: 980px; margin: 2em auto;
             padding: 0 1em; color: #222; line-height: 1.45; }
      h1 { font-size: 1.6em; margin-bottom: 0.2em; }
      h2 { font-size: 1.25em; margin-top: 1.8em; border-bottom: 1px solid #ccc; }
      .meta { color: #555; font-size: 0.9em; }
      figure { margin: 1.5em 0; }
      figure img { max-width: 100%; border: 1px solid #ddd; }
      figcaption { font-size: 0.95em; margin-top: 0.4em; }
      table { border-collapse: collapse; margin: 0.8em 0; font-size: 0.85em; }
      caption { text-align: left; font-weight: bold; padding-bottom: 0.3em; }
      th, td { border: 1px solid #ccc; padding: 0.2em 0.6em; text-align: right; }
      th { background: #f2f2f2; }
      td:first-child, th:first-child { text-align: left; }
      """;

  /**
   * The page.
   *
   * @param title the experiment's title
   * @param name the experiment's name (names the CSV file)
   * @param meta provenance shown under the title (label → value, in order)
   * @param blocks the report's content
   * @param png the PNG bytes of each figure, by figure name
   */
  public static String render(String title, String name, Map<String, String> meta, List<Report.Block> blocks,
      Map<String, byte[]> png) {
    StringBuilder sb = new StringBuilder(1 << 16);
    sb.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>")
        .append(escape(title)).append("</title>\n<style>\n").append(STYLE).append("</style>\n</head>\n<body>\n");
    sb.append("<h1>").append(escape(title)).append("</h1>\n<p class=\"meta\">");
    boolean first = true;
    for (Map.Entry<String, String> e : meta.entrySet()) {
      if (!first) {
        sb.append(" · ");
      }
      first = false;
      sb.append(escape(e.getKey())).append(": ").append(escape(e.getValue()));
    }
    sb.append("<br>Data: <a href=\"").append(escape(name)).append(".csv\">").append(escape(name))
        .append(".csv</a> (tidy: one row per activation × width × layer × quantity) and"
            + " <a href=\"manifest.json\">manifest.json</a>.</p>\n");
    for (Report.Block b : blocks) {
      switch (b) {
        case Report.Heading h -> sb.append("<h2>").append(escape(h.text())).append("</h2>\n");
        case Report.Paragraph p -> sb.append("<p>").append(escape(p.text())).append("</p>\n");
        case Report.Table t -> table(sb, t);
        case Report.Figure f -> sb.append("<figure id=\"").append(f.name()).append("\">\n<img alt=\"")
            .append(escape(f.name())).append("\" src=\"data:image/png;base64,")
            .append(Base64.getEncoder().encodeToString(png.get(f.name()))).append("\">\n<figcaption>")
            .append(escape(f.paragraph())).append(" <a href=\"").append(f.name()).append(".svg\">SVG</a></figcaption>\n")
            .append("</figure>\n");
      }
    }
    sb.append("</body>\n</html>\n");
    return sb.toString();
  }

  private static void table(StringBuilder sb, Report.Table t) {
    sb.append("<table>\n<caption>").append(escape(t.title())).append("</caption>\n<tr>");
    for (String h : t.header()) {
      sb.append("<th>").append(escape(h)).append("</th>");
    }
    sb.append("</tr>\n");
    for (List<String> r : t.rows()) {
      sb.append("<tr>");
      for (String c : r) {
        sb.append("<td>").append(escape(c)).append("</td>");
      }
      sb.append("</tr>\n");
    }
    sb.append("</table>\n");
  }

  static String escape(String s) {
    StringBuilder sb = new StringBuilder(s.length());
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '<' -> sb.append("&lt;");
        case '>' -> sb.append("&gt;");
        case '&' -> sb.append("&amp;");
        case '"' -> sb.append("&quot;");
        default -> sb.append(c);
      }
    }
    return sb.toString();
  }
}
