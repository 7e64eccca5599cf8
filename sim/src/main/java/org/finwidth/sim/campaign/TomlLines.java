package org.finwidth.sim.campaign;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Where each key of a TOML document is: the line of every {@code key = value}, {@code [table]}
 * and {@code [[array]]} header, by path ({@code axes.width}, {@code run[1]},
 * {@code run[1].activation}). The parser (Jackson's TOML module) builds a tree without
 * positions; this scanner recovers them from the text so that a plan error can name its line.
 * It runs on documents the parser accepted, so it only needs to follow the structure: strings
 * (basic, literal, multi-line), arrays and inline tables spanning lines, and comments. Values
 * inside an array or inline table take the line of their key; {@link #line} falls back to the
 * nearest enclosing path it knows.
 */
final class TomlLines {
  private final Map<String, Integer> lines = new HashMap<>();
  private final Map<String, Integer> arrayCounts = new HashMap<>();
  private final Map<String, Integer> defined = new HashMap<>();
  private Duplicate duplicate;
  private final String text;
  private int pos;
  private int line = 1;

  private TomlLines(String text) {
    this.text = text;
  }

  /** The lines of the keys of {@code text} (a valid TOML document). */
  static TomlLines of(String text) {
    TomlLines t = new TomlLines(text);
    t.scan();
    return t;
  }

  /**
   * A key or table defined twice (TOML forbids it).
   *
   * @param path the key
   * @param line the line of the second definition
   * @param first the line of the first
   */
  record Duplicate(String path, int line, int first) {}

  /** The first key or table defined twice, or null. */
  Duplicate duplicate() {
    return duplicate;
  }

  private void define(String path, int line) {
    Integer first = defined.putIfAbsent(path, line);
    if (first != null && duplicate == null) {
      duplicate = new Duplicate(path, line, first);
    }
  }

  /**
   * The line of {@code path} or of the nearest enclosing path that has one ({@code run[2].init}
   * → {@code run[2]} → {@code run}); 0 if none does.
   */
  int line(String path) {
    String p = path;
    while (!p.isEmpty()) {
      Integer l = lines.get(p);
      if (l != null) {
        return l;
      }
      int cut = Math.max(p.lastIndexOf('.'), p.lastIndexOf('['));
      p = cut < 0 ? "" : p.substring(0, cut);
    }
    return 0;
  }

  private void scan() {
    String prefix = "";
    while (pos < text.length()) {
      char c = text.charAt(pos);
      if (c == ' ' || c == '\t' || c == '\r') {
        pos++;
      } else if (c == '\n') {
        pos++;
        line++;
      } else if (c == '#') {
        skipComment();
      } else if (text.startsWith("[[", pos)) {
        int start = line;
        int end = text.indexOf("]]", pos + 2);
        List<String> parts = keyParts(text.substring(pos + 2, end < 0 ? text.length() : end));
        pos = end < 0 ? text.length() : end + 2;
        String base = resolve(parts.subList(0, parts.size() - 1), parts.getLast());
        int index = arrayCounts.merge(base, 1, Integer::sum) - 1;
        lines.putIfAbsent(base, start);
        prefix = base + "[" + index + "]";
        lines.put(prefix, start);
      } else if (c == '[') {
        int start = line;
        int end = text.indexOf(']', pos + 1);
        List<String> parts = keyParts(text.substring(pos + 1, end < 0 ? text.length() : end));
        pos = end < 0 ? text.length() : end + 1;
        prefix = resolve(parts.subList(0, parts.size() - 1), parts.getLast());
        lines.put(prefix, start);
        define(prefix, start);
      } else {
        int start = line;
        int eq = keyEnd();
        List<String> parts = keyParts(text.substring(pos, eq));
        pos = Math.min(text.length(), eq + 1);
        String path = prefix;
        for (String p : parts) {
          path = path.isEmpty() ? p : path + "." + p;
          lines.putIfAbsent(path, start);
        }
        lines.put(path, start);
        define(path, start);
        skipValue();
      }
    }
  }

  /** The path of a header: the parents resolved to the latest element of arrays of tables. */
  private String resolve(List<String> parents, String last) {
    String path = "";
    for (String p : parents) {
      path = path.isEmpty() ? p : path + "." + p;
      Integer n = arrayCounts.get(path);
      if (n != null) {
        path = path + "[" + (n - 1) + "]";
      }
    }
    return path.isEmpty() ? last : path + "." + last;
  }

  /** The position of the '=' that ends the key starting at {@link #pos} (quotes respected). */
  private int keyEnd() {
    int i = pos;
    while (i < text.length()) {
      char c = text.charAt(i);
      if (c == '"' || c == '\'') {
        int close = text.indexOf(c, i + 1);
        i = close < 0 ? text.length() : close + 1;
      } else if (c == '=' || c == '\n') {
        return i;
      } else {
        i++;
      }
    }
    return i;
  }

  /** The parts of a dotted key, quotes removed ({@code a."b.c"} → a, b.c). */
  private static List<String> keyParts(String key) {
    List<String> parts = new ArrayList<>();
    StringBuilder cur = new StringBuilder();
    for (int i = 0; i < key.length(); i++) {
      char c = key.charAt(i);
      if (c == '"' || c == '\'') {
        int close = key.indexOf(c, i + 1);
        if (close < 0) {
          close = key.length();
        }
        cur.append(key, i + 1, close);
        i = close;
      } else if (c == '.') {
        parts.add(cur.toString().strip());
        cur.setLength(0);
      } else if (c != ' ' && c != '\t') {
        cur.append(c);
      }
    }
    parts.add(cur.toString().strip());
    return parts;
  }

  private void skipComment() {
    while (pos < text.length() && text.charAt(pos) != '\n') {
      pos++;
    }
  }

  /** Skips a value up to the end of its line (or of its last line, for multi-line values). */
  private void skipValue() {
    int depth = 0;
    while (pos < text.length()) {
      char c = text.charAt(pos);
      if (text.startsWith("\"\"\"", pos)) {
        skipString("\"\"\"", true);
      } else if (text.startsWith("'''", pos)) {
        skipString("'''", false);
      } else if (c == '"') {
        skipString("\"", true);
      } else if (c == '\'') {
        skipString("'", false);
      } else if (c == '[' || c == '{') {
        depth++;
        pos++;
      } else if (c == ']' || c == '}') {
        depth--;
        pos++;
      } else if (c == '#') {
        skipComment();
      } else if (c == '\n') {
        if (depth <= 0) {
          return; // the statement ends; scan() counts the newline
        }
        line++;
        pos++;
      } else {
        pos++;
      }
    }
  }

  private void skipString(String quote, boolean escapes) {
    pos += quote.length();
    while (pos < text.length()) {
      char c = text.charAt(pos);
      if (escapes && c == '\\') {
        if (pos + 1 < text.length() && text.charAt(pos + 1) == '\n') {
          line++;
        }
        pos += 2;
      } else if (text.startsWith(quote, pos)) {
        pos += quote.length();
        // a multi-line string may end in up to two more quotes that belong to its content
        while (quote.length() == 3 && pos < text.length() && text.charAt(pos) == quote.charAt(0)) {
          pos++;
        }
        return;
      } else {
        if (c == '\n') {
          line++;
        }
        pos++;
      }
    }
  }
}
