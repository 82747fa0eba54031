package dev.leakwatch.schemas.settings;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class PassThroughKeysTest {

  private static final Map<String, String> KNOWN =
      PassThroughKeys.named("client", "", List.of("linger.ms", "sasl.mechanism", "acks"));

  @Test
  void shouldCountASwapOfAdjacentCharactersAsOneEdit() {
    assertEquals(1, PassThroughKeys.edits("sasl.mechansim", "sasl.mechanism", Integer.MAX_VALUE));
    assertEquals(2, PassThroughKeys.edits("lingr.ms", "linger.mss", Integer.MAX_VALUE));
    assertEquals(0, PassThroughKeys.edits("acks", "acks", Integer.MAX_VALUE));
    assertEquals(4, PassThroughKeys.edits("acks", "", Integer.MAX_VALUE));
  }

  @Test
  void shouldRefuseATypoAndWarnAboutAKeyFarFromEveryName() {
    PassThroughKeys keys = new PassThroughKeys("client", KNOWN, n -> false, false, "the client defines");
    List<PassThroughKeys.Finding> found =
        keys.check(List.of("linger.ms", "sasl.mechansim", "audit.interceptor.url"), Set.of());

    assertEquals(2, found.size(), found.toString());
    assertEquals(new PassThroughKeys.Finding("client.sasl.mechansim", "client.sasl.mechanism", true,
        "the client defines"), found.get(0));
    assertEquals("client.audit.interceptor.url", found.get(1).keyPath());
    assertFalse(found.get(1).refused(), "may be a plugin's own setting");
  }

  @Test
  void shouldRefuseEveryUnknownKeyOfAStrictSectionButNoneListedAsCustom() {
    PassThroughKeys keys = new PassThroughKeys("serde", KNOWN, n -> false, true, "the serdes read");

    assertTrue(keys.check(List.of("audit.interceptor.url"), Set.of()).get(0).refused());
    assertEquals(List.of(), keys.check(List.of("audit.interceptor.url"), Set.of("serde.audit.interceptor.url")));
  }

  @Test
  void shouldKnowTheNamesKafkaClientsBuildFromAPrefix() {
    for (String name : List.of("config.providers.file.class", "config.providers.vault.param.address",
        "metrics.context.team")) {
      assertTrue(PassThroughKeys.isDynamicClientName(name), name);
    }
    for (String name : List.of("config.providers.file", "config.providers..class", "config.providers.file.clas",
        "config.providers.vault.param.", "metrics.context.", "listener.name.sasl_ssl.plain.sasl.jaas.config")) {
      assertFalse(PassThroughKeys.isDynamicClientName(name), name);
    }
  }

  @Test
  void shouldNameTheFirstCustomKeyOutsideTheSections() {
    assertNull(PassThroughKeys.outside(List.of("streams.a", "serde.b"), "streams", "serde"));
    assertEquals("streamsx.a", PassThroughKeys.outside(List.of("serde.b", "streamsx.a"), "streams", "serde"));
    assertEquals("streams.", PassThroughKeys.outside(List.of("streams."), "streams"));
  }
}
