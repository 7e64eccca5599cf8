package org.finwidth.sim.experiment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.Color;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.knowm.xchart.XYChart;

/** The figure helpers and the figure check: decades on log axes, legend keys, and what the check refuses. */
class PlotsTest {
  /**
   * A log axis over 0.015..9 is labelled by XChart only at 0.1 and 1; {@link Plots#decades} widens
   * it to 0.01..10, and then every decade carries its label (read from XChart's axis model).
   */
  @Test
  void logAxesGetLabelledDecades() {
    XYChart bare = Plots.logY(Plots.chart("t", "x", "y"));
    Plots.line(bare, "a", new double[] {1, 2, 3}, new double[] {0.015, 0.5, 9}, Plots.color(0));
    List<String> problems = FigureCheck.problems("bare", bare);
    assertTrue(problems.stream().anyMatch(p -> p.contains("without a set range")), problems.toString());
    XYChart c = Plots.logY(Plots.chart("t", "x", "y"));
    Plots.line(c, "a", new double[] {1, 2, 3}, new double[] {0.015, 0.5, 9}, Plots.color(0));
    Plots.decades(c);
    assertEquals(0.01, c.getStyler().getYAxisMin(), 0);
    assertEquals(10, c.getStyler().getYAxisMax(), 0);
    assertEquals(List.of(), FigureCheck.problems("decades", c));
    List<String> labels = FigureCheck.tickLabels(c, "getYAxis").stream().filter(s -> s != null && !s.isBlank()).toList();
    assertEquals(List.of("0.01", "0.1", "1", "10"), labels);
  }

  /**
   * Curves named by keys pass; two curves of one colour and dash, a repeated legend name, a curve
   * out of the legend whose dash no entry shows, and a legend of 13 entries are each reported.
   */
  @Test
  void theCheckRefusesLegendsThatDoNotNameEachCurveOnce() {
    double[] x = {1, 2, 3};
    XYChart good = Plots.chart("t", "x", "y");
    Plots.unlisted(Plots.styled(good, "relu n=16", x, x, Plots.color(0), Plots.dash(0)));
    Plots.unlisted(Plots.styled(good, "relu n=32", x, x, Plots.color(0), Plots.dash(1)));
    Plots.key(good, "relu", Plots.color(0), Plots.solid(), null);
    Plots.key(good, "n = 16", Color.GRAY, Plots.dash(0), null);
    Plots.key(good, "n = 32", Color.GRAY, Plots.dash(1), null);
    assertEquals(List.of(), FigureCheck.problems("good", good));

    XYChart alike = Plots.chart("t", "x", "y");
    Plots.styled(alike, "exact n=16", x, x, Plots.color(0), Plots.dash(0));
    Plots.styled(alike, "exact n=32", x, x, Plots.color(0), Plots.dash(0));
    assertTrue(FigureCheck.problems("alike", alike).stream().anyMatch(p -> p.contains("look alike")));

    XYChart unnamed = Plots.chart("t", "x", "y");
    Plots.line(unnamed, "theory n=16", x, x, Plots.color(0));
    Plots.unlisted(Plots.styled(unnamed, "theory n=32", x, x, Plots.color(0), Plots.dash(0)));
    assertTrue(FigureCheck.problems("unnamed", unnamed).stream().anyMatch(p -> p.contains("no entry shows")));

    XYChart many = Plots.chart("t", "x", "y");
    for (int i = 0; i < 13; i++) {
      Plots.styled(many, "curve " + i, x, new double[] {i, i, i}, Plots.color(i), Plots.dash(i));
    }
    assertTrue(FigureCheck.problems("many", many).stream().anyMatch(p -> p.contains("13 legend entries")));
  }
}
