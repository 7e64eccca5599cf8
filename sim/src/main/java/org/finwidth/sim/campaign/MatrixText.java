package org.finwidth.sim.campaign;

/**
 * Matrices of a plan given inline as text, in the syntax of {@code --gram} and {@code --inputs}
 * (rows separated by {@code ;}, entries by {@code ,}); files are read as {@code --gram-file} and
 * {@code --inputs-file} read them ({@link org.finwidth.sim.cli.MatrixFile}). Entries are finite
 * decimal numbers; rows may differ in length here (the network checks the shape).
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
