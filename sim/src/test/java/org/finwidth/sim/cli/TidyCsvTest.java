package org.finwidth.sim.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The tidy CSV ({@link TidyCsv}) of theory, simulate and merge: the documented columns, one type
 * per column, provenance that tells concatenated runs apart, merge's file equal to simulate's,
 * exact values beyond the double range as text.
 */
class TidyCsvTest {
  /** Columns that hold text; every other column holds numbers (docs/cli.md, "CSV files"). */
  static final Set<String> TEXT = Set.of("activation", "gram_id", "sampler", "version", "quantity", "component",
      "exact_text", "flag");

  /** Every column is numbers or text as documented (or empty throughout), never mixed. */
  static void assertColumnTypes(CsvTable t, String what) {
    for (Map.Entry<String, String> c : t.columnTypes().entrySet()) {
      String type = c.getValue();
      String expected = TEXT.contains(c.getKey()) ? "text" : "number";
      assertTrue(type.equals(expected) || type.equals("empty"), what + ": column " + c.getKey() + " is " + type);
    }
  }

  /** A tidy CSV is recognised as finwidth's own output (replaced without --overwrite). */
  @Test
  void outputFilesKnowTheHeader() {
    assertTrue(org.finwidth.sim.state.OutputFiles.CSV_HEADERS.contains(TidyCsv.header(List.of())));
  }

  @Test
  void gramIdIsTheDocumentedHash() {
    // reference: python3 -c "import hashlib; print(hashlib.sha256(b'1.0').hexdigest()[:12])"
    assertEquals("gd0ff5974b6aa", TidyCsv.gramId(new double[][] {{1.0}}));
    assertEquals("g86af0f7e1112", TidyCsv.gramId(new double[][] {{1.0, 0.5}, {0.5, 2.0}}));
  }

  @Test
  void exactValuesBeyondTheDoubleRangeAreText() {
    TidyCsv.Run run = TidyCsv.Run.theory("repu:p=2", 0, 1, 8, "g0", "v");
    TidyCsv.Row big = TidyCsv.Row.ofExact(run, 8, 4, "ez4", "0", new BigDecimal("1.2345E+1000"));
    TidyCsv.Row tiny = TidyCsv.Row.ofExact(run, 8, 4, "ez2", "0", new BigDecimal("-3.50E-1200"));
    TidyCsv.Row fits = TidyCsv.Row.ofExact(run, 2, 4, "ez2", "0", new BigDecimal("2.5"));
    TidyCsv.Row zero = TidyCsv.Row.ofExact(run, 2, 4, "ez2", "0", BigDecimal.ZERO);
    assertEquals("1.2345x10^1000", big.exactText());
    assertTrue(big.exact().isEmpty());
    assertEquals("-3.5x10^-1200", tiny.exactText());
    assertEquals(new BigDecimal("-3.5E-1200"), new BigDecimal(tiny.exactText().replace("x10^", "E")));
    assertEquals(2.5, fits.exact().getAsDouble());
    assertEquals("", fits.exactText());
    assertEquals(0.0, zero.exact().getAsDouble());
    // as in theory's CSV, V rows ("00|00") make the component column text in a type-inferring reader
    TidyCsv.Row v = TidyCsv.Row.ofTheory(run, 2, 4, "V", "00|00", 8.0, 9.5);
    CsvTable t = CsvTable.parse(TidyCsv.write(List.of(big, tiny, fits, zero, v)));
    assertEquals(TidyCsv.COLUMNS, t.header());
    assertColumnTypes(t, "exact rows");
    assertEquals("1.2345x10^1000", t.rows().get(0).get("exact_text"));
    assertEquals("", t.rows().get(0).get("exact"));
    assertEquals("", t.rows().get(0).get("sampler"));
  }

  private static final String[] TANH = {"simulate", "-a", "tanh", "--cb", "0", "--cw", "1", "-L", "4", "-n", "8",
      "--gram", "1", "-M", "3000", "--threads", "2"};

  /**
   * Two runs of different seeds and activations concatenate into one table that still tells them
   * apart; every column of simulate's, merge's and theory's CSV has one type; merge's CSV of two
   * shards is simulate's of the whole run byte for byte.
   */
  @Test
  void runsConcatenateAndStayApart(@TempDir Path dir) throws Exception {
    Path a = dir.resolve("a.csv");
    Path b = dir.resolve("b.csv");
    Path c = dir.resolve("c.csv");
    assertEquals(0, CliRun.of(CliRun.with(TANH, "-s", "1", "--csv", a.toString())).code());
    assertEquals(0, CliRun.of(CliRun.with(TANH, "-s", "2", "--csv", b.toString())).code());
    String[] relu = {"simulate", "-a", "relu", "--cb", "0", "--cw", "2", "-L", "4", "-n", "8", "--gram", "1,0.5;0.5,2",
        "-M", "3000", "-s", "1", "--sampler", "weights", "--csv", c.toString()};
    assertEquals(0, CliRun.of(relu).code());
    List<String> lines = new ArrayList<>(Files.readAllLines(a));
    lines.addAll(Files.readAllLines(b).subList(1, Files.readAllLines(b).size()));
    lines.addAll(Files.readAllLines(c).subList(1, Files.readAllLines(c).size()));
    CsvTable all = CsvTable.parse(String.join("\n", lines));
    assertColumnTypes(all, "concatenated simulate CSVs");
    // the key (provenance, layer, quantity, component) is unique: the runs stay apart
    Set<String> keys = new HashSet<>();
    for (Map<String, String> r : all.rows()) {
      String key = String.join("/", r.get("activation"), r.get("cb"), r.get("cw"), r.get("depth"), r.get("gram_id"),
          r.get("sampler"), r.get("networks"), r.get("seed"), r.get("layer"), r.get("quantity"), r.get("component"));
      assertTrue(keys.add(key), "duplicate key " + key);
    }
    assertEquals(Set.of("1", "2"), Set.copyOf(all.where("activation", "tanh").stream().map(r -> r.get("seed")).toList()));
    List<Map<String, String>> reluRows = all.where("activation", "relu");
    assertFalse(reluRows.isEmpty());
    for (Map<String, String> r : reluRows) {
      assertEquals("weights", r.get("sampler"));
      assertEquals(TidyCsv.gramId(new double[][] {{1, 0.5}, {0.5, 2}}), r.get("gram_id"));
      // a Gram of d inputs without vectors has input dimension n_0 = d (NetworkSpec)
      assertEquals(r.get("layer").equals("1") ? "2" : "8", r.get("width"), "width is the fan-in n_{l-1}");
    }
    for (Map<String, String> r : all.rows()) {
      assertEquals("4", r.get("depth"));
      assertEquals(Version.version(), r.get("version"));
      // z is the verdict's: against the exact value where there is one, else the theory
      double se = CsvTable.num(r, "se");
      double ref = r.get("exact").isEmpty() ? CsvTable.num(r, "theory") : CsvTable.num(r, "exact");
      if (se > 0 && Double.isFinite(ref)) {
        assertEquals((CsvTable.num(r, "value") - ref) / se, CsvTable.num(r, "z"), 1e-9 * (1 + Math.abs(CsvTable.num(r, "z"))));
        assertFalse(r.get("flag").isEmpty(), r.toString());
      }
    }

    // merge of two shards: the same file as one simulate of every network
    Path s1 = dir.resolve("s1.fwr");
    Path s2 = dir.resolve("s2.fwr");
    assertEquals(0, CliRun.of(CliRun.with(TANH, "-s", "1", "--shard", "1/2", "--out", s1.toString())).code());
    assertEquals(0, CliRun.of(CliRun.with(TANH, "-s", "1", "--shard", "2/2", "--out", s2.toString())).code());
    Path m = dir.resolve("m.csv");
    CliRun merged = CliRun.of("merge", s1.toString(), s2.toString(), "--csv", m.toString());
    assertEquals(0, merged.code(), merged.err());
    assertEquals(Files.readString(a), Files.readString(m));

    // theory's CSV: the same columns and types, the number in "theory"
    Path t = dir.resolve("t.csv");
    CliRun th = CliRun.of("theory", "-a", "relu", "--cb", "0", "--cw", "2", "-L", "3", "-n", "8", "--gram", "1", "--csv",
        t.toString());
    assertEquals(0, th.code(), th.err());
    CsvTable theory = CsvTable.read(t);
    assertEquals(TidyCsv.COLUMNS, theory.header());
    assertColumnTypes(theory, "theory CSV");
    Map<String, String> v3 = theory.where("quantity", "V").stream().filter(r -> r.get("layer").equals("3")).findFirst()
        .orElseThrow();
    // ReLU at C_W = 2: V^(3)/K² = 10 at leading order, K = 2; exact n Var(Ĝ) = n K² ((1 + 5/n)² − 1)
    assertEquals(40, CsvTable.num(v3, "theory"), 1e-9);
    assertEquals(8 * 4 * (Math.pow(1 + 5.0 / 8, 2) - 1), CsvTable.num(v3, "exact"), 1e-9);
    assertEquals("", v3.get("value"));
    assertEquals("", v3.get("sampler"));
    assertEquals(1, theory.where("quantity", "ez4").stream().filter(r -> r.get("layer").equals("3")).count());
    assertNotEquals("", theory.rows().get(0).get("gram_id"));
  }
}
