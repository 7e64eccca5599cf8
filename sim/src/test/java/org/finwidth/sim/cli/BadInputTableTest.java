package org.finwidth.sim.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.finwidth.sim.state.ResultFile;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The table of bad invocations and files ({@code src/test/resources/bad-input.tsv}, shown in the
 * README): each is refused with exactly its one line on stderr and its exit code, prints nothing
 * on stdout, no stack trace, and leaves the directory of files as it was (no partial output, no
 * temporary file, no changed input). The files (shards of one run, and damaged, foreign or
 * partial copies of them) are made once in a temporary directory, {@code @D} in the table;
 * {@code @HEAP} stands for this JVM's maximum heap as the size check prints it.
 */
class BadInputTableTest {
  /** The simulate flags every {@code @SIM} row starts with (M and anything else follow in the row). */
  static final String SIM = "simulate -a relu --cb 0 --cw 2 -L 2 -n 4 --gram 1 -s 1 --threads 1 --no-progress";

  @TempDir static Path dir;

  @BeforeAll
  static void files() throws IOException {
    for (int i = 1; i <= 3; i++) {
      run(SIM + " -M 3000 --shard " + i + "/3 --out @D/s" + i + ".fwr");
    }
    run(SIM + " -M 3000 --out @D/whole.fwr");
    run(SIM.replace("-s 1", "-s 2") + " -M 3000 --shard 3/3 --out @D/seed2.fwr");
    run(SIM.replace("--cw 2", "--cw 1.9") + " -M 3000 --shard 3/3 --out @D/cw.fwr");
    run(SIM + " -M 3000 --sampler weights --shard 3/3 --out @D/weights.fwr");
    run(SIM + " -M 4000 --range 2048:4000 --out @D/m4000.fwr");
    byte[] good = Files.readAllBytes(dir.resolve("s2.fwr"));
    Files.write(dir.resolve("truncated.fwr"), Arrays.copyOf(good, 400));
    byte[] flipped = good.clone();
    flipped[500] ^= 0x10;
    Files.write(dir.resolve("flipped.fwr"), flipped);
    Files.write(dir.resolve("trailing.fwr"), Arrays.copyOf(good, good.length + 1));
    byte[] v9 = good.clone();
    v9[9] = 9;
    Files.write(dir.resolve("format9.fwr"), v9);
    Files.write(dir.resolve("magic-only.fwr"), Arrays.copyOf(good, 8));
    Files.write(dir.resolve("empty.fwr"), new byte[0]);
    Files.writeString(dir.resolve("text.fwr"), "layer,quantity,component,mean,se,theory,exact\n");
    Files.writeString(dir.resolve("plain"), "a file, not a directory\n");
    Files.createDirectory(dir.resolve("adir"));
    // inputs and Gram files
    Files.writeString(dir.resolve("gram-value.csv"), "1,0.5\n0.5,abc\n");
    Files.writeString(dir.resolve("gram-nan.csv"), "1,NaN\nNaN,1\n");
    Files.writeString(dir.resolve("gram-ragged.csv"), "1,0.5,0\n0.5,1\n0,0,1\n");
    Files.writeString(dir.resolve("gram-wide.csv"), "1,0.5,0\n0.5,1,0\n");
    Files.writeString(dir.resolve("gram-asym.csv"), "# two inputs\n1,0.5\n0.4,1\n");
    Files.writeString(dir.resolve("gram-negative.csv"), "1,0\n0,-1\n");
    Files.writeString(dir.resolve("gram-not-psd.csv"), "1,0.9,0.9\n0.9,1,-0.9\n0.9,-0.9,1\n");
    Files.writeString(dir.resolve("gram-comments.csv"), "# nothing but a comment\n\n");
    Files.writeString(dir.resolve("inputs-ragged.csv"), "1,2,3\n4,5\n");
    Files.writeString(dir.resolve("inputs-value.csv"), "1,2\n3, x \n");
    Files.writeString(dir.resolve("inputs-ok.csv"), "1,2,3\n1,2,3\n0,1,0\n");
    ResultFile s1 = ResultFile.read(dir.resolve("s1.fwr"));
    ResultFile s3 = ResultFile.read(dir.resolve("s3.fwr"));
    new ResultFile("0.0.1", s3.range(), s3.result()).write(dir.resolve("old.fwr"));
    ResultFile whole = ResultFile.read(dir.resolve("whole.fwr"));
    // a checkpoint of the whole run holding only its first block
    new ResultFile(s1.finwidthVersion(), whole.range(), s1.result()).write(dir.resolve("ckpt.fwr"));
    new ResultFile("0.0.1", whole.range(), s1.result()).write(dir.resolve("ckpt-old.fwr"));
  }

  private static void run(String args) {
    CliRun r = CliRun.of(split(args));
    assertEquals(0, r.code(), args + ": " + r.err());
  }

  private static String[] split(String args) {
    return args.replace("@SIM", SIM).replace("@D", dir.toString()).trim().split(" +");
  }

  static Stream<Arguments> rows() throws IOException {
    List<Arguments> rows = new ArrayList<>();
    try (BufferedReader in = new BufferedReader(new InputStreamReader(
        BadInputTableTest.class.getResourceAsStream("/bad-input.tsv"), StandardCharsets.UTF_8))) {
      String line;
      int n = 0;
      while ((line = in.readLine()) != null) {
        n++;
        if (line.isBlank() || line.startsWith("#")) {
          continue;
        }
        String[] f = line.split("\t", -1);
        assertEquals(3, f.length, "bad-input.tsv line " + n + " needs exit<TAB>arguments<TAB>message: " + line);
        rows.add(Arguments.of(f[1], Integer.parseInt(f[0]), f[2]));
      }
    }
    return rows.stream();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("rows")
  void isRefusedWithItsLineAndLeavesNoFile(String args, int exit, String message) throws Exception {
    Map<String, String> before = listing();
    CliRun r = CliRun.of(split(args));
    String expected = message.replace("@D", dir.toString())
        .replace("@HEAP", RunEstimate.bytesText(Runtime.getRuntime().maxMemory()));
    assertEquals(expected + "\n", r.err(), args);
    assertEquals(exit, r.code(), args);
    assertEquals("", r.out(), args);
    assertEquals(before, listing(), args + ": the files changed");
  }

  @Test
  void theTableHasAtLeastFortyRows() throws IOException {
    assertTrue(rows().count() >= 40, "rows: " + rows().count());
  }

  /** Every file under the directory with the SHA-256 of its content. */
  private static Map<String, String> listing() throws Exception {
    Map<String, String> m = new TreeMap<>();
    MessageDigest md = MessageDigest.getInstance("SHA-256");
    try (Stream<Path> files = Files.walk(dir)) {
      for (Path p : (Iterable<Path>) files::iterator) {
        m.put(dir.relativize(p).toString(), Files.isRegularFile(p) ? HexFormat.of().formatHex(md.digest(Files.readAllBytes(p))) : "dir");
      }
    }
    return m;
  }
}
