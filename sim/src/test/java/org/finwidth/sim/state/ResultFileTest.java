package org.finwidth.sim.state;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.finwidth.activation.Activation;
import org.finwidth.ensemble.BlockSet;
import org.finwidth.ensemble.EnsembleResult;
import org.finwidth.ensemble.EnsembleRunner;
import org.finwidth.ensemble.SamplerFactory;
import org.finwidth.network.NetworkSpec;
import org.finwidth.network.ReferenceConditionalSampler;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The result file round-trips bit for bit and every truncation and corruption is detected. */
class ResultFileTest {
  private static final NetworkSpec SPEC = NetworkSpec.ofGram(Activation.parse("tanh"), 0.2, 1.5, 2,
      new int[] {5, 4}, new double[][] {{1.0, 0.6}, {0.6, 1.5}});

  private static ResultFile shard() {
    EnsembleResult r = new EnsembleRunner(SPEC, SamplerFactory.of("conditional", ReferenceConditionalSampler::new), 9, 3000)
        .blocks(BlockSet.range(1, 3)).run();
    return new ResultFile("test-1", new ShardRange(1024, 3000), r);
  }

  @Test
  void roundTripsBitForBit(@TempDir Path dir) throws IOException {
    ResultFile f = shard();
    Path p = dir.resolve("a.fwr");
    f.write(p);
    ResultFile back = ResultFile.read(p);
    assertEquals(f.result(), back.result());
    assertEquals(f.range(), back.range());
    assertEquals("test-1", back.finwidthVersion());
    assertTrue(back.isComplete());
    assertArrayEquals(f.encode(), back.encode());
    try (var files = Files.list(dir)) {
      assertEquals(1, files.count(), "no temporary file left behind");
    }
  }

  @Test
  void everyTruncationIsDetected() {
    byte[] bytes = shard().encode();
    for (int n = 0; n < bytes.length; n++) {
      byte[] cut = Arrays.copyOf(bytes, n);
      IOException e = assertThrows(IOException.class, () -> ResultFile.decode(cut), "prefix of " + n + " bytes");
      assertTrue(e.getMessage().contains("truncated") || e.getMessage().contains("empty"), n + ": " + e.getMessage());
    }
    byte[] longer = Arrays.copyOf(bytes, bytes.length + 1);
    IOException e = assertThrows(IOException.class, () -> ResultFile.decode(longer));
    assertTrue(e.getMessage().contains("the file has"), e.getMessage());
  }

  /**
   * Every single-bit flip is detected (by the magic, the header length, or SHA-256; a flip that
   * SHA-256 missed would need a hash collision: probability about 2^-256).
   */
  @Test
  void everyBitFlipIsDetected() {
    byte[] bytes = shard().encode();
    for (int i = 0; i < bytes.length; i++) {
      for (int bit = 0; bit < 8; bit++) {
        byte[] bad = bytes.clone();
        bad[i] ^= (byte) (1 << bit);
        assertThrows(IOException.class, () -> ResultFile.decode(bad), "byte " + i + " bit " + bit);
      }
    }
  }

  @Test
  void aCheckpointIsNotComplete() {
    ResultFile f = shard();
    ResultFile ckpt = new ResultFile("test-1", new ShardRange(0, 3000), f.result());
    assertFalse(ckpt.isComplete());
  }
}
