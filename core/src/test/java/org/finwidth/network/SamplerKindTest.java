package org.finwidth.network;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class SamplerKindTest {

  @Test
  void parsesTheCommandLineNames() {
    for (SamplerKind k : SamplerKind.values()) {
      assertEquals(k, SamplerKind.parse(k.cliName()));
      assertEquals(k, SamplerKind.parse(" " + k.name() + " "));
    }
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> SamplerKind.parse("gibbs"));
    assertTrue(e.getMessage().contains("gibbs"), e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> SamplerKind.parse(null));
  }

  @Test
  void overflowBoundIsAPowerOfTwoWhoseEighthPowerFitsInDouble() {
    assertEquals(0x1p100, Sampler.MAX_ABS_PREACTIVATION);
    assertTrue(Math.pow(Sampler.MAX_ABS_PREACTIVATION, 8) * 1e60 < Double.MAX_VALUE);
  }
}
