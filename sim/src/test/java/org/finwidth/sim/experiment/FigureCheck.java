package org.finwidth.sim.experiment;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Stroke;
import java.awt.image.BufferedImage;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYSeries;

/**
 * Checks that a figure reads without the text: its legend names each line and marker once (no
 * two shown entries of one name, at most {@link #MAX_LEGEND} entries, no two lines of one colour
 * and dash, no two marker series of one colour and shape, and a series left out of the legend has
 * its colour and its dash or marker shown by entries that are in it); every log axis carries a
 * label at every decade of its range, and at least two. The tick labels are XChart's own, read
 * from the axes' tick calculators after the chart is painted (XChart keeps them in package-private
 * parts of the chart: read by reflection).
 */
final class FigureCheck {
  /** The most legend entries a figure may have. */
  static final int MAX_LEGEND = 12;

  private FigureCheck() {}

  /** Checks every XY figure of a report (every problem of every figure in one message); returns how many. */
  static int assertReadable(Report report) {
    int checked = 0;
    List<String> problems = new ArrayList<>();
    for (Report.Block b : report.blocks()) {
      if (b instanceof Report.Figure f && f.chart() instanceof XYChart c) {
        problems.addAll(problems(f.name(), c));
        checked++;
      }
    }
    assertTrue(checked > 0, "the report has XY figures");
    assertTrue(problems.isEmpty(), String.join("\n", problems));
    return checked;
  }

  /** The style of a series as the eye tells it apart: a line's colour and dash, or a marker's colour and shape. */
  record Look(boolean line, Color color, String shape) {
    String kind() {
      return (line ? "line " : "marker ") + shape;
    }
  }

  static Look look(XYSeries s) {
    if (s.getXYSeriesRenderStyle().orElse(null) == XYSeries.XYSeriesRenderStyle.Scatter) {
      return new Look(false, s.getMarkerColor(), s.getMarker() == null ? "none" : s.getMarker().getClass().getSimpleName());
    }
    return new Look(true, s.getLineColor(), dash(s.getLineStyle()));
  }

  private static String dash(Stroke stroke) {
    return stroke instanceof BasicStroke b && b.getDashArray() != null ? Arrays.toString(b.getDashArray()) : "solid";
  }

  /** What keeps a figure from reading without the text; empty if nothing. */
  static List<String> problems(String name, XYChart c) {
    List<String> out = new ArrayList<>();
    List<String> shown = new ArrayList<>();
    Set<Look> looks = new HashSet<>();
    Set<Color> shownColors = new HashSet<>();
    Set<String> shownKinds = new HashSet<>();
    List<XYSeries> hidden = new ArrayList<>();
    for (XYSeries s : c.getSeriesCollection()) {
      Look l = look(s);
      boolean drawn = drawsSomething(s);
      if (drawn && !looks.add(l)) {
        out.add(name + ": two series look alike (" + l + "), one is '" + s.getName() + "'");
      }
      if (s.isShowInLegend()) {
        shown.add(s.getName());
        shownColors.add(l.color());
        shownKinds.add(l.kind());
        if (l.line() && s.getMarker() != null && !(s.getMarker() instanceof org.knowm.xchart.style.markers.None)) {
          shownKinds.add("marker " + s.getMarker().getClass().getSimpleName()); // a line entry with its marker
        }
      } else if (drawn) {
        hidden.add(s);
      }
    }
    if (shown.size() != new HashSet<>(shown).size()) {
      out.add(name + ": a legend entry twice: " + shown);
    }
    if (shown.size() > MAX_LEGEND) {
      out.add(name + ": " + shown.size() + " legend entries: " + shown);
    }
    for (XYSeries s : hidden) {
      Look l = look(s);
      if (!shownColors.contains(l.color()) || !shownKinds.contains(l.kind())) {
        out.add(name + ": '" + s.getName() + "' is out of the legend and no entry shows its "
            + (shownColors.contains(l.color()) ? l.kind() : "colour " + l.color()));
      }
    }
    BufferedImage img = new BufferedImage(c.getWidth(), c.getHeight(), BufferedImage.TYPE_INT_RGB);
    c.paint(img.createGraphics(), c.getWidth(), c.getHeight());
    if (c.getStyler().isXAxisLogarithmic()) {
      decades(out, name + " x axis", tickLabels(c, "getXAxis"), c.getStyler().getXAxisMin(), c.getStyler().getXAxisMax());
    }
    if (c.getStyler().isYAxisLogarithmic()) {
      decades(out, name + " y axis", tickLabels(c, "getYAxis"), c.getStyler().getYAxisMin(), c.getStyler().getYAxisMax());
    }
    return out;
  }

  /** Whether a series has a point it can draw (a legend key has none). */
  private static boolean drawsSomething(XYSeries s) {
    for (double y : s.getYData()) {
      if (Double.isFinite(y)) {
        return true;
      }
    }
    return false;
  }

  /**
   * A log axis from min to max: a label at every decade 10^k within [min, max] (1e-9 slack in
   * the exponent), reading as that number, and at least two such decades.
   */
  static void decades(List<String> out, String what, List<String> labels, Double min, Double max) {
    if (min == null || max == null) {
      out.add(what + ": a log axis without a set range");
      return;
    }
    Set<Double> labelled = new HashSet<>();
    for (String s : labels) {
      if (s != null && !s.isBlank()) {
        labelled.add(Double.parseDouble(s.trim()));
      }
    }
    int lo = (int) Math.ceil(Math.log10(min) - 1e-9);
    int hi = (int) Math.floor(Math.log10(max) + 1e-9);
    if (hi - lo < 1) {
      out.add(what + ": fewer than two decades in " + min + ".." + max);
    }
    for (int k = lo; k <= hi; k++) {
      double d = Double.parseDouble("1e" + k);
      if (labelled.stream().noneMatch(x -> Math.abs(x - d) <= 1e-9 * d)) {
        out.add(what + ": no label at " + d + " in " + labels);
      }
    }
  }

  /** The tick labels XChart drew on an axis (null entries: ticks without a label). */
  @SuppressWarnings("unchecked")
  static List<String> tickLabels(XYChart c, String axis) {
    try {
      Object pair = call(c, "getAxisPair");
      Object a = call(pair, axis);
      Object calc = call(a, "getAxisTickCalculator");
      return new ArrayList<>((List<String>) Objects.requireNonNull(call(calc, "getTickLabels")));
    } catch (ReflectiveOperationException e) {
      throw new AssertionError("XChart's axis model could not be read (a new XChart version?)", e);
    }
  }

  private static Object call(Object o, String method) throws ReflectiveOperationException {
    for (Class<?> k = o.getClass(); k != null; k = k.getSuperclass()) {
      for (Method m : k.getDeclaredMethods()) {
        if (m.getName().equals(method) && m.getParameterCount() == 0) {
          m.setAccessible(true);
          return m.invoke(o);
        }
      }
    }
    throw new NoSuchMethodException(o.getClass() + "." + method);
  }
}
