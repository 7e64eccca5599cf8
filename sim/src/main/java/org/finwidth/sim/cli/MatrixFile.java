package org.finwidth.sim.cli;

import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.finwidth.network.NetworkSpec;

/**
 * A matrix of numbers in a CSV file ({@code --inputs-file}: one input vector per row;
 * {@code --gram-file}: a square Gram matrix): rows are lines, values are separated by commas
 * (spaces around them are ignored); empty lines and lines starting with {@code #} are skipped.
 * Every problem is an {@link IllegalArgumentException} of one line that names the flag, the file
 * and, where it applies, the line and column (both counted from 1 in the file).
 */
public final class MatrixFile {
  /** Largest file accepted (a batch of thousands of inputs is far smaller). */
  static final long MAX_BYTES = 64L << 20;

  private MatrixFile() {}

  /**
   * The rows of the file, all of the same length.
   *
   * @throws IllegalArgumentException naming flag, file, line and column for an unreadable or empty
   *     file, a value that is not a finite number, or a row whose length differs from the first
   */
  public static double[][] read(String flag, Path file) {
    String where = flag + " " + file;
    String text;
    try {
      if (Files.isDirectory(file)) {
        throw new IllegalArgumentException(where + ": is a directory, not a CSV file");
      }
      // a FIFO would block and a device never end: only regular files are opened
      String type = org.finwidth.sim.state.OutputFiles.typeOf(org.finwidth.sim.state.OutputFiles.resolve(flag, file));
      if (type != null && !type.equals("a regular file")) {
        throw new IllegalArgumentException(where + ": is " + type + ", not a regular file");
      }
      long size = Files.size(file);
      if (size > MAX_BYTES) {
        throw new IllegalArgumentException(where + ": " + size + " bytes, over the limit of "
            + (MAX_BYTES >> 20) + " MB for a CSV matrix");
      }
      byte[] bytes;
      try (java.io.InputStream in = Files.newInputStream(file)) {
        bytes = in.readNBytes((int) MAX_BYTES + 1); // bounded even if the file grows meanwhile
      }
      if (bytes.length > MAX_BYTES) {
        throw new IllegalArgumentException(where + ": over the limit of " + (MAX_BYTES >> 20) + " MB for a CSV matrix");
      }
      text = StandardCharsets.UTF_8.newDecoder().decode(java.nio.ByteBuffer.wrap(bytes)).toString();
    } catch (NoSuchFileException e) {
      throw new IllegalArgumentException(where + ": cannot read: no such file");
    } catch (CharacterCodingException e) {
      throw new IllegalArgumentException(where + ": not a text file (not UTF-8)");
    } catch (IOException e) {
      throw new IllegalArgumentException(where + ": cannot read: " + e.getMessage());
    }
    List<double[]> rows = new ArrayList<>();
    int firstLine = 0;
    String[] lines = text.split("\r?\n", -1);
    for (int i = 0; i < lines.length; i++) {
      String line = lines[i].strip();
      if (line.isEmpty() || line.startsWith("#")) {
        continue;
      }
      String[] cells = line.split(",", -1);
      double[] row = new double[cells.length];
      for (int c = 0; c < cells.length; c++) {
        String cell = cells[c].strip();
        double x;
        try {
          x = Double.parseDouble(cell);
        } catch (NumberFormatException e) {
          throw new IllegalArgumentException(where + ": line " + (i + 1) + ", column " + (c + 1) + ": '"
              + cell + "' is not a number");
        }
        if (!Double.isFinite(x)) {
          throw new IllegalArgumentException(where + ": line " + (i + 1) + ", column " + (c + 1) + ": '"
              + cell + "' is not a finite number");
        }
        row[c] = x;
      }
      if (rows.isEmpty()) {
        firstLine = i + 1;
      } else if (row.length != rows.get(0).length) {
        throw new IllegalArgumentException(where + ": line " + (i + 1) + " has " + row.length + " value"
            + (row.length == 1 ? "" : "s") + " but line " + firstLine + " has " + rows.get(0).length
            + " (every row must have the same number of columns)");
      }
      rows.add(row);
    }
    if (rows.isEmpty()) {
      throw new IllegalArgumentException(where + ": no rows (an empty file, or only comments)");
    }
    return rows.toArray(double[][]::new);
  }

  /**
   * A Gram matrix from a file: square, symmetric to 1e-12 relative, positive semidefinite (as
   * {@link NetworkSpec} checks it).
   *
   * @throws IllegalArgumentException naming flag, file, row and column (of the matrix, from 1) for
   *     a matrix that is not square, not symmetric, has a negative diagonal entry, or is not
   *     positive semidefinite (with its smallest eigenvalue)
   */
  public static double[][] readGram(String flag, Path file) {
    String where = flag + " " + file;
    double[][] g = read(flag, file);
    int d = g.length;
    if (g[0].length != d) {
      throw new IllegalArgumentException(where + ": " + d + " row" + (d == 1 ? "" : "s") + " of " + g[0].length
          + " values: a Gram matrix is square");
    }
    for (int a = 0; a < d; a++) {
      if (!(g[a][a] >= 0)) {
        throw new IllegalArgumentException(where + ": row " + (a + 1) + ", column " + (a + 1)
            + ": a diagonal entry (a squared norm) must be >= 0, got " + g[a][a]);
      }
      for (int b = 0; b < a; b++) {
        double scale = Math.max(Math.abs(g[a][b]), Math.abs(g[b][a]));
        if (Math.abs(g[a][b] - g[b][a]) > 1e-12 * Math.max(scale, Double.MIN_NORMAL)) {
          throw new IllegalArgumentException(where + ": not symmetric: row " + (b + 1) + ", column "
              + (a + 1) + " is " + g[b][a] + " but row " + (a + 1) + ", column " + (b + 1) + " is " + g[a][b]);
        }
      }
    }
    return g;
  }
}
