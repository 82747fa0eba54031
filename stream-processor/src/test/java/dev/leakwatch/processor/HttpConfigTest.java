package dev.leakwatch.processor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.leakwatch.http.ApiSettings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The {@code http} section: loopback by default, tokens from the file or a token file, errors naming the key. */
class HttpConfigTest {

  @Test
  void shouldBindLoopbackPort8080WithoutTokensByDefault() {
    ApiSettings h = ProcessorConfig.parse("{}").http();
    assertEquals(ApiSettings.defaults(), h);
    assertEquals("127.0.0.1", h.host());
    assertEquals(8080, h.port());
    assertTrue(h.tokens().isEmpty());
    assertEquals(Duration.ofSeconds(10), h.bodyTimeout());
  }

  @Test
  void shouldReadTheBodyDeadlineAndRefuseOneTooShortNamingIt() {
    assertEquals(Duration.ofSeconds(3), ProcessorConfig.parse("http: {bodyTimeout: 3s}").http().bodyTimeout());
    ConfigError e = assertThrows(ConfigError.class, () -> ProcessorConfig.parse("http: {bodyTimeout: 10ms}"));
    assertEquals("http.bodyTimeout: must be >= 100ms, not 10ms", e.getMessage());
  }

  @Test
  void shouldBoundConcurrentQueriesToTwicePerCpuAtLeastFourByDefaultAndRefuseABoundBelowOneNamingIt() {
    int cpus = Runtime.getRuntime().availableProcessors();
    assertEquals(Math.max(4, 2 * cpus), ProcessorConfig.parse("{}").http().maxConcurrentQueries());
    assertEquals(3, ProcessorConfig.parse("http: {maxConcurrentQueries: 3}").http().maxConcurrentQueries());
    assertEquals("http.maxConcurrentQueries: must be >= 1, not 0", assertThrows(ConfigError.class,
        () -> ProcessorConfig.parse("http: {maxConcurrentQueries: 0}")).getMessage());
    assertTrue(assertThrows(ConfigError.class, () -> ProcessorConfig.parse("http: {maxConcurrentQueries: many}"))
        .getMessage().startsWith("http.maxConcurrentQueries: "));
  }

  @Test
  void shouldReadTokensFromTheListAndFromATokenFile(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("tokens");
    Files.writeString(file, "# rotated monthly\nfile-token\n\n");
    ApiSettings h = ProcessorConfig.parse("http: {port: 0, tokens: [a-token, b-token], tokensFile: " + file
        + ", maxRange: 2d, metricsRequireToken: true}").http();
    assertEquals(List.of("a-token", "b-token", "file-token"), h.tokens());
    assertEquals(0, h.port());
    assertEquals(Duration.ofDays(2), h.maxRange());
    assertTrue(h.metricsRequireToken());
  }

  @Test
  void shouldRefuseATokenFileWithoutATokenRatherThanServeWithoutAuthentication(@TempDir Path dir) throws Exception {
    Path file = Files.writeString(dir.resolve("tokens"), "# the secret's key came out empty\n\n");
    ConfigError e = assertThrows(ConfigError.class,
        () -> ProcessorConfig.parse("http: {host: 0.0.0.0, tokensFile: " + file + "}\n"
            + "streams: {application.server: 'p-0.h:8080'}"));
    assertTrue(e.getMessage().startsWith("http.tokensFile: " + file + " holds no token"), e.getMessage());
  }

  @Test
  void shouldRequireAnAdvertisedServerWhenBindingEveryInterface() {
    ConfigError e = assertThrows(ConfigError.class, () -> ProcessorConfig.parse("http: {host: 0.0.0.0}"));
    assertEquals("streams.application.server: required when http.host '0.0.0.0' binds every interface: "
        + "the host:port other instances reach this one at", e.getMessage());
    ApiSettings ok = ProcessorConfig.parse("http: {host: 0.0.0.0}\nstreams: {application.server: 'pod-1.lw:8080'}")
        .http();
    assertEquals("0.0.0.0", ok.host());
  }

  @Test
  void shouldRejectBadValuesNamingTheKey() {
    assertEquals("http.port: 70000 is outside [0, 65535] (0 picks a free port)",
        assertThrows(ConfigError.class, () -> ProcessorConfig.parse("http: {port: 70000}")).getMessage());
    assertTrue(assertThrows(ConfigError.class, () -> ProcessorConfig.parse("http: {prot: 1}")).getMessage()
        .startsWith("http.prot: unknown key"));
    assertEquals("streams.application.server: 'no-port' is not host:port", assertThrows(ConfigError.class,
        () -> ProcessorConfig.parse("streams: {application.server: no-port}")).getMessage());
    assertTrue(assertThrows(ConfigError.class, () -> ProcessorConfig.parse("http: {tokens: ['has space']}"))
        .getMessage().startsWith("http.tokens: must be"));
  }

  @Test
  void shouldAdvertiseTheBoundPortUnlessAnAddressIsConfiguredAndCapTheRangeAtTheRetention() {
    Properties none = new Properties();
    assertEquals("127.0.0.1:41234", HttpConfigReader.advertised(none, ApiSettings.defaults(), 41234));
    Properties set = new Properties();
    set.put("application.server", "pod-1:8080");
    assertEquals("pod-1:8080", HttpConfigReader.advertised(set, ApiSettings.defaults(), 41234));
    assertEquals(Duration.ofDays(1), HttpConfigReader.maxRange(ApiSettings.defaults(), Duration.ofDays(1)));
    assertEquals(Duration.ofDays(7), HttpConfigReader.maxRange(ApiSettings.defaults(), Duration.ofDays(30)));
  }
}
