package org.finwidth.sim.campaign;

import java.util.ArrayList;
import java.util.List;

/**
 * Matrices of a plan given as text: inline in the syntax of {@code --gram} and {@code --inputs}
 * (rows separated by {@code ;}, entries by {@code ,}), or in a file (one row per line, entries
 * separated by commas and/or white space; blank lines and {@code #} comments ignored). Entries
 * are finite decimal numbers; rows may differ in length here (the network checks the shape).
 */
final class MatrixText {
  private MatrixText() {}

  /**
   * {@code "1,0.5;0.5,2"}.
   *
   * @throws IllegalArgumentException naming the entry that is not a finite number
   */
  static double[][] parseInline(String text) {
    String[] rows = text.split(";", -1);
    double[][] m = new double[rows.length][];
    for (int i = 0; i < rows.length; i++) {
      String[] parts = rows[i].split(",", -1);
      m[i] = new double[parts.length];
      for (int j = 0; j < parts.length; j++) {
        m[i][j] = entry(parts[j].strip(), "row " + (i + 1));
      }
    }
    return m;
  }

  /**
   * A matrix file's text.
   *
   * @throws IllegalArgumentException naming the line and the entry, or an empty file
   */
  static double[][] parseFile(String text) {
    List<double[]> rows = new ArrayList<>();
    String[] lines = text.split("\r?\n", -1);
    for (int i = 0; i < lines.length; i++) {
      String line = lines[i];
      int hash = line.indexOf('#');
      if (hash >= 0) {
        line = line.substring(0, hash);
      }
      line = line.strip();
      if (line.isEmpty()) {
        continue;
      }
      String[] parts = line.split("[,\\s]+");
      double[] row = new double[parts.length];
      for (int j = 0; j < parts.length; j++) {
        row[j] = entry(parts[j], "line " + (i + 1));
      }
      rows.add(row);
    }
    if (rows.isEmpty()) {
      throw new IllegalArgumentException("no rows (a row of numbers per line)");
    }
    return rows.toArray(new double[0][]);
  }

  private static double entry(String s, String where) {
    double v;
    try {
      v = Double.parseDouble(s);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(where + ": '" + s + "' is not a number");
    }
    if (!Double.isFinite(v) || s.chars().anyMatch(Character::isLetter) && !s.matches("[-+0-9.]*[eE][-+0-9]*")) {
      throw new IllegalArgumentException(where + ": '" + s + "' is not a finite decimal number");
    }
    return v;
  }
}
