package org.finwidth.sim.experiment;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.util.Arrays;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.Marker;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * Helpers over XChart for the figures every experiment draws: a styled chart with axis titles,
 * theory as lines (solid, or dashed for a second theory), Monte Carlo as markers with error bars,
 * log axes. One colour per activation (or family member), one marker shape per width, so that a
 * reader matches points to their theory line by colour. Points that cannot be drawn (non-finite,
 * or ≤ 0 on a log axis) are left out of a series, never replaced.
 */
public final class Plots {
  private Plots() {}

  /** Okabe–Ito colours (distinguishable with colour-vision deficiencies), then a few more. */
  private static final Color[] PALETTE = {
    new Color(0x0072B2), new Color(0xD55E00), new Color(0x009E73), new Color(0xCC79A7), new Color(0xE69F00),
    new Color(0x56B4E9), new Color(0x000000), new Color(0x999933), new Color(0x882255), new Color(0x44AA99)};

  /** Marker shapes for Monte Carlo series, one per width. */
  private static final Marker[] MARKERS = {
    SeriesMarkers.CIRCLE, SeriesMarkers.SQUARE, SeriesMarkers.DIAMOND, SeriesMarkers.TRIANGLE_UP,
    SeriesMarkers.TRIANGLE_DOWN, SeriesMarkers.CROSS};

  /** Default figure size in pixels. */
  public static final int WIDTH = 900;
  public static final int HEIGHT = 560;

  /** The i-th palette colour (cycling). */
  public static Color color(int i) {
    return PALETTE[Math.floorMod(i, PALETTE.length)];
  }

  /** The i-th marker shape (cycling). */
  public static Marker marker(int i) {
    return MARKERS[Math.floorMod(i, MARKERS.length)];
  }

  /** An empty chart with a title, axis titles (give symbols and units), the legend outside on the right. */
  public static XYChart chart(String title, String xTitle, String yTitle) {
    return chart(title, xTitle, yTitle, 0);
  }

  /**
   * {@link #chart(String, String, String)} tall enough for a legend of {@code legendEntries}
   * entries (XChart does not wrap a legend: a long one would be cut off at the bottom).
   */
  public static XYChart chart(String title, String xTitle, String yTitle, int legendEntries) {
    XYChart c = new XYChart(WIDTH, Math.max(HEIGHT, 110 + 19 * legendEntries));
    c.setTitle(title);
    c.setXAxisTitle(xTitle);
    c.setYAxisTitle(yTitle);
    var s = c.getStyler();
    s.setChartBackgroundColor(Color.WHITE);
    s.setPlotBackgroundColor(Color.WHITE);
    s.setPlotBorderColor(Color.GRAY);
    s.setPlotGridLinesColor(new Color(0xE4E4E4));
    s.setLegendPosition(Styler.LegendPosition.OutsideE);
    s.setLegendBorderColor(Color.LIGHT_GRAY);
    s.setLegendFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
    s.setChartTitleFont(new Font(Font.SANS_SERIF, Font.BOLD, 15));
    s.setAxisTitleFont(new Font(Font.SANS_SERIF, Font.PLAIN, 14));
    s.setAxisTickLabelsFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
    s.setChartTitleBoxVisible(false);
    s.setErrorBarsColorSeriesColor(true);
    s.setMarkerSize(7);
    s.setChartPadding(12);
    return c;
  }

  /**
   * Dash patterns told apart by eye, one per width (index: the width's rank in the figure); solid
   * is left for a curve of no width (infinite width, or the only one).
   */
  private static final float[][] DASHES = {{7f, 5f}, {1.5f, 4f}, {12f, 4f, 2f, 4f}, {16f, 6f}, {3f, 3f},
    {12f, 3f, 2f, 3f, 2f, 3f}};

  /** The i-th dash pattern (cycling): dashed, dotted, dash-dot, long dash, ... */
  public static BasicStroke dash(int i) {
    return new BasicStroke(2.0f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_ROUND, 10f,
        DASHES[Math.floorMod(i, DASHES.length)], 0f);
  }

  /** The solid stroke of theory lines. */
  public static BasicStroke solid() {
    return new BasicStroke(2.2f);
  }

  /** A curve in a given stroke ({@link #solid}, {@link #dash}); null if no point can be drawn. */
  public static XYSeries styled(XYChart c, String name, double[] x, double[] y, Color color, BasicStroke stroke) {
    return curve(c, name, x, y, color, stroke);
  }

  /**
   * A legend entry that draws nothing: a line of {@code color} in {@code stroke} (null: none)
   * with {@code marker} (null: none). With it a figure names a colour, a dash or a marker once
   * for all the series that share it ({@link #unlisted}).
   */
  public static XYSeries key(XYChart c, String name, Color color, BasicStroke stroke, Marker marker) {
    XYSeries s = c.addSeries(name, new double[] {Double.NaN}, new double[] {Double.NaN});
    if (stroke == null) {
      s.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter);
    } else {
      s.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Line);
      s.setLineStyle(stroke);
    }
    s.setLineColor(color);
    s.setMarker(marker == null ? SeriesMarkers.NONE : marker);
    s.setMarkerColor(color);
    return s;
  }

  /** Leaves a series out of the legend (its colour and style named by {@link #key} entries); null is ignored. */
  public static XYSeries unlisted(XYSeries s) {
    if (s != null) {
      s.setShowInLegend(false);
    }
    return s;
  }

  /**
   * Sets every logarithmic axis without a set range to the decades around its data (error bars
   * included where they stay above 0), so that the axis carries a label at every decade of its
   * range, its ends included (XChart labels only the decades inside the range).
   */
  public static void decades(XYChart c) {
    var st = c.getStyler();
    boolean logX = st.isXAxisLogarithmic() && st.getXAxisMin() == null && st.getXAxisMax() == null;
    boolean logY = st.isYAxisLogarithmic() && st.getYAxisMin() == null && st.getYAxisMax() == null;
    if (!logX && !logY) {
      return;
    }
    double[] x = {Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY};
    double[] y = {Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY};
    for (XYSeries s : c.getSeriesCollection()) {
      double[] xs = s.getXData();
      double[] ys = s.getYData();
      double[] es = s.getExtraValues();
      for (int i = 0; i < xs.length; i++) {
        if (!Double.isFinite(xs[i]) || !Double.isFinite(ys[i])) {
          continue;
        }
        extend(x, xs[i]);
        extend(y, ys[i]);
        if (es != null && i < es.length && Double.isFinite(es[i])) {
          extend(y, ys[i] - es[i]);
          extend(y, ys[i] + es[i]);
        }
      }
    }
    if (logX && x[0] <= x[1]) {
      st.setXAxisMin(Math.pow(10, Math.floor(Math.log10(x[0]))));
      st.setXAxisMax(Math.max(Math.pow(10, Math.ceil(Math.log10(x[1]))), 10 * st.getXAxisMin()));
    }
    if (logY && y[0] <= y[1]) {
      st.setYAxisMin(Math.pow(10, Math.floor(Math.log10(y[0]))));
      st.setYAxisMax(Math.max(Math.pow(10, Math.ceil(Math.log10(y[1]))), 10 * st.getYAxisMin()));
    }
  }

  /** Widens [r[0], r[1]] to hold v if v &gt; 0 (log axes only see positive values). */
  private static void extend(double[] r, double v) {
    if (v > 0 && Double.isFinite(v)) {
      r[0] = Math.min(r[0], v);
      r[1] = Math.max(r[1], v);
    }
  }

  /** Makes the y axis logarithmic (points ≤ 0 are then left out of series added afterwards). */
  public static XYChart logY(XYChart c) {
    c.getStyler().setYAxisLogarithmic(true);
    return c;
  }

  /** Makes the x axis logarithmic (points ≤ 0 are then left out of series added afterwards). */
  public static XYChart logX(XYChart c) {
    c.getStyler().setXAxisLogarithmic(true);
    return c;
  }

  /** A theory curve: a solid line without markers. Returns null if no point can be drawn. */
  public static XYSeries line(XYChart c, String name, double[] x, double[] y, Color color) {
    return curve(c, name, x, y, color, new BasicStroke(2.2f));
  }

  /** A second theory curve (e.g. an exact value beside a leading-order one): dashed. */
  public static XYSeries dashed(XYChart c, String name, double[] x, double[] y, Color color) {
    return curve(c, name, x, y, color,
        new BasicStroke(2.0f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_ROUND, 10f, new float[] {7f, 5f}, 0f));
  }

  /** A third curve (e.g. an exact finite-width value beside a theory line and a fit): dotted. */
  public static XYSeries dotted(XYChart c, String name, double[] x, double[] y, Color color) {
    return curve(c, name, x, y, color,
        new BasicStroke(2.0f, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND, 10f, new float[] {1.5f, 4f}, 0f));
  }

  private static XYSeries curve(XYChart c, String name, double[] x, double[] y, Color color, BasicStroke stroke) {
    double[][] p = drawable(c, x, y, null);
    if (p[0].length == 0) {
      return null;
    }
    XYSeries s = c.addSeries(name, p[0], p[1]);
    s.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Line);
    s.setMarker(SeriesMarkers.NONE);
    s.setLineColor(color);
    s.setLineStyle(stroke);
    return s;
  }

  /**
   * Monte Carlo points with error bars (± one standard error) and no line. Returns null if no
   * point can be drawn.
   */
  public static XYSeries points(XYChart c, String name, double[] x, double[] y, double[] se, Color color,
      Marker marker) {
    double[][] p = drawable(c, x, y, se);
    if (p[0].length == 0) {
      return null;
    }
    XYSeries s = c.addSeries(name, p[0], p[1], p[2]);
    s.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter);
    s.setMarker(marker);
    s.setMarkerColor(color);
    s.setLineColor(color);
    return s;
  }

  /** The points of (x, y[, se]) that the chart's axes can show: finite, and > 0 on a log axis. */
  private static double[][] drawable(XYChart c, double[] x, double[] y, double[] se) {
    if (x.length != y.length || (se != null && se.length != x.length)) {
      throw new IllegalArgumentException("series arrays differ in length: " + x.length + ", " + y.length
          + (se == null ? "" : ", " + se.length));
    }
    boolean logX = c.getStyler().isXAxisLogarithmic();
    boolean logY = c.getStyler().isYAxisLogarithmic();
    double[] xs = new double[x.length];
    double[] ys = new double[x.length];
    double[] es = new double[x.length];
    int k = 0;
    for (int i = 0; i < x.length; i++) {
      boolean ok = Double.isFinite(x[i]) && Double.isFinite(y[i]) && (se == null || Double.isFinite(se[i]))
          && (!logX || x[i] > 0) && (!logY || y[i] > 0);
      if (ok) {
        xs[k] = x[i];
        ys[k] = y[i];
        // on a log axis an error bar reaching 0 or below cannot be drawn: clip it just above 0
        es[k] = se == null ? 0 : logY ? Math.min(se[i], 0.999 * y[i]) : se[i];
        k++;
      }
    }
    return new double[][] {Arrays.copyOf(xs, k), Arrays.copyOf(ys, k), Arrays.copyOf(es, k)};
  }
}
