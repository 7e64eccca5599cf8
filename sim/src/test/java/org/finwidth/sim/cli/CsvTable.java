package org.finwidth.sim.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A CSV file read back for tests (RFC 4180: quoted fields with doubled quotes, no line breaks in
 * fields): the header and every row as a map from column to text. {@link #columnTypes} says
 * whether each column is numeric (every non-empty field parses as a double) or text.
 */
public record CsvTable(List<String> header, List<Map<String, String>> rows) {
  /** Reads a file. */
  public static CsvTable read(Path file) throws IOException {
    return parse(Files.readString(file));
  }

  /** Parses the text of a CSV file. */
  public static CsvTable parse(String text) {
    List<String> lines = text.lines().toList();
    List<String> header = fields(lines.get(0));
    List<Map<String, String>> rows = new ArrayList<>();
    for (int i = 1; i < lines.size(); i++) {
      List<String> f = fields(lines.get(i));
      if (f.size() != header.size()) {
        throw new IllegalArgumentException("line " + (i + 1) + " has " + f.size() + " fields, the header "
            + header.size() + ": " + lines.get(i));
      }
      Map<String, String> m = new LinkedHashMap<>();
      for (int j = 0; j < f.size(); j++) {
        m.put(header.get(j), f.get(j));
      }
      rows.add(m);
    }
    return new CsvTable(header, rows);
  }

  /** RFC 4180 fields of one line (quoted fields, doubled quotes). */
  public static List<String> fields(String line) {
    List<String> out = new ArrayList<>();
    StringBuilder cur = new StringBuilder();
    boolean quoted = false;
    for (int i = 0; i < line.length(); i++) {
      char c = line.charAt(i);
      if (quoted) {
        if (c == '"' && i + 1 < line.length() && line.charAt(i + 1) == '"') {
          cur.append('"');
          i++;
        } else if (c == '"') {
          quoted = false;
        } else {
          cur.append(c);
        }
      } else if (c == '"') {
        quoted = true;
      } else if (c == ',') {
        out.add(cur.toString());
        cur.setLength(0);
      } else {
        cur.append(c);
      }
    }
    out.add(cur.toString());
    return out;
  }

  /** The rows whose column {@code column} equals {@code value}. */
  public List<Map<String, String>> where(String column, String value) {
    return rows.stream().filter(r -> value.equals(r.get(column))).toList();
  }

  /** The value of a column as a double (NaN if empty). */
  public static double num(Map<String, String> row, String column) {
    String s = row.get(column);
    return s == null || s.isEmpty() ? Double.NaN : Double.parseDouble(s);
  }

  /**
   * Per column, the type a CSV reader that infers types (pandas' {@code read_csv} with its
   * defaults) gives it: "number" if every non-empty field parses as a number (then an empty field
   * is a missing number), "text" if any does not (then every field is kept as its text, "00"
   * stays "00"), "empty" if every field is empty. A number here is what Java's
   * {@link Double#parseDouble} takes without a type suffix (d, f), infinities and NaN included.
   */
  public Map<String, String> columnTypes() {
    Map<String, String> types = new LinkedHashMap<>();
    for (String c : header) {
      int numbers = 0;
      int texts = 0;
      for (Map<String, String> r : rows) {
        String s = r.get(c);
        if (s.isEmpty()) {
          continue;
        }
        if (isNumber(s)) {
          numbers++;
        } else {
          texts++;
        }
      }
      types.put(c, numbers == 0 && texts == 0 ? "empty" : texts == 0 ? "number" : "text");
    }
    return types;
  }

  static boolean isNumber(String s) {
    char last = s.charAt(s.length() - 1);
    if (last == 'd' || last == 'f' || last == 'D' || last == 'F') {
      return false;
    }
    try {
      Double.parseDouble(s.strip());
      return true;
    } catch (NumberFormatException e) {
      return false;
    }
  }
}
