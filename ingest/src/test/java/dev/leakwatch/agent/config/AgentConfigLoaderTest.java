package dev.leakwatch.agent.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.leakwatch.agent.model.ProfileKind;
import dev.leakwatch.agent.model.Shard;
import dev.leakwatch.agent.model.Target;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class AgentConfigLoaderTest {
  private static final Path BASE = Path.of("/etc/leakwatch");
  private static final String KAFKA = "kafka:\n  client:\n    bootstrap.servers: localhost:9092\n";

  private static AgentConfig parse(String yaml) {
    return AgentConfigLoader.parse(yaml, BASE);
  }

  private static String error(String yaml) {
    return assertThrows(ConfigException.class, () -> parse(yaml)).getMessage();
  }

  @Test
  void shouldApplyDocumentedDefaultsToMinimalConfig() {
    AgentConfig c = parse(KAFKA + "targets:\n  - service: orders\n    url: http://10.0.0.7:6060\n");

    assertEquals("127.0.0.1", c.http().host());
    assertEquals(9464, c.http().port());
    assertEquals(Duration.ofSeconds(10), c.http().bodyTimeout());
    assertEquals("leakwatch.profiles", c.kafka().topic());
    assertEquals(Map.of("bootstrap.servers", "localhost:9092"), c.kafka().client());
    assertEquals(Duration.ofSeconds(30), c.scrape().interval());
    assertEquals(16L << 20, c.scrape().maxBodyBytes());
    assertEquals(Shard.ALL, c.scrape().shard());
    assertTrue(c.http().perTargetMetrics());
    assertTrue(c.push().enabled());
    assertTrue(c.push().tokens().isEmpty());
    Target t = c.targets().get(0);
    assertEquals("orders/10.0.0.7:6060", t.id().recordKey());
    assertEquals(URI.create("http://10.0.0.7:6060/debug/pprof"), t.pprofBase());
    assertEquals(URI.create("http://10.0.0.7:6060/debug/pprof/heap"), t.profileUri(ProfileKind.HEAP));
    assertEquals(ProfileKind.DEFAULTS, t.profiles());
    assertEquals(Duration.ofSeconds(30), t.interval());
    assertNull(t.memoryLimitBytes());
  }

  @ParameterizedTest(name = "agent.id [{0}]")
  @CsvSource(delimiter = '|', value = {
      "узел-1|agent.id: character 1 (U+0443) of \"узел-1\" is not printable ASCII, which the User-Agent header of every scrape requires",
      "node\t1|agent.id: character 5 (U+0009)",
      "'   '|agent.id: must be 1 to 253 characters, got 3 blank ones"})
  void shouldRefuseAnAgentIdThatCannotStandInTheUserAgentHeader(String id, String message) {
    String yaml = KAFKA + "agent:\n  id: \"" + id + "\"\n";

    assertTrue(error(yaml).startsWith(message), error(yaml));
  }

  @Test
  void shouldRefuseAnAgentIdLongerThanADnsName() {
    assertTrue(error(KAFKA + "agent:\n  id: " + "a".repeat(254) + "\n")
        .startsWith("agent.id: must be 1 to 253 characters, got 254"));
    assertEquals("a".repeat(253), parse(KAFKA + "agent:\n  id: " + "a".repeat(253) + "\n").agentId());
  }

  @Test
  void shouldReadEveryTargetFieldAndExpandUrlsIntoInstances() {
    AgentConfig c =
        parse(
            KAFKA
                + "scrape:\n  interval: 15s\n  profiles: [heap]\n"
                + "targets:\n"
                + "  - service: cart\n    url: https://cart-0.cart:8443/custom/pprof/\n"
                + "    instance: cart-0\n    profiles: [goroutine, allocs]\n    interval: 1m\n"
                + "    timeout: 2s\n    memoryLimit: 512MiB\n    labels: {region: eu, version: 1.2}\n"
                + "  - service: search\n    urls: [http://a:6060, http://b:6060]\n");

    Target cart = c.targets().get(0);
    assertEquals("cart/cart-0", cart.id().recordKey());
    assertEquals(URI.create("https://cart-0.cart:8443/custom/pprof"), cart.pprofBase());
    assertEquals(List.of(ProfileKind.GOROUTINE, ProfileKind.ALLOCS), cart.profiles());
    assertEquals(Duration.ofMinutes(1), cart.interval());
    assertEquals(Duration.ofSeconds(2), cart.timeout());
    assertEquals(512L << 20, cart.memoryLimitBytes());
    assertEquals(Map.of("region", "eu", "version", "1.2"), cart.labels());
    assertEquals("search/a:6060", c.targets().get(1).id().recordKey());
    assertEquals("search/b:6060", c.targets().get(2).id().recordKey());
    assertEquals(List.of(ProfileKind.HEAP), c.targets().get(2).profiles());
    assertEquals(Duration.ofSeconds(15), c.targets().get(2).interval());
  }

  @Test
  void shouldShortenAnUnsetTimeoutToTheIntervalButKeepAnExplicitOne() {
    AgentConfig c =
        parse(
            KAFKA
                + "targets:\n"
                + "  - {service: fast, url: 'http://a:1', interval: 2s}\n"
                + "  - {service: slow, url: 'http://b:1', interval: 1m}\n"
                + "  - {service: own, url: 'http://c:1', interval: 2s, timeout: 1s}\n");

    assertEquals(Duration.ofSeconds(2), c.targets().get(0).timeout(), "min(scrape.timeout 10s, interval 2s)");
    assertEquals(Duration.ofSeconds(10), c.targets().get(1).timeout(), "scrape.timeout");
    assertEquals(Duration.ofSeconds(1), c.targets().get(2).timeout(), "explicit");

    AgentConfig fastScrape = parse(KAFKA + "scrape: {interval: 3s}\ntargets: [{service: a, url: 'http://a:1'}]\n");
    assertEquals(Duration.ofSeconds(3), fastScrape.scrape().timeout());
    assertEquals(Duration.ofSeconds(3), fastScrape.targets().get(0).timeout());
    AgentConfig explicitDefault =
        parse(KAFKA + "scrape: {timeout: 8s}\ntargets: [{service: a, url: 'http://a:1', interval: 4s}]\n");
    assertEquals(Duration.ofSeconds(4), explicitDefault.targets().get(0).timeout(), "a default, shortened too");
  }

  @Test
  void shouldPassKafkaClientSettingsThroughUnchanged() {
    AgentConfig c =
        parse(
            "kafka:\n  topic: profiles.v2\n  client:\n    bootstrap.servers: b1:9093,b2:9093\n"
                + "    security.protocol: SASL_SSL\n    sasl.mechanism: SCRAM-SHA-512\n"
                + "    linger.ms: 5\n    schema.registry.url: http://sr:8081\n");

    assertEquals("profiles.v2", c.kafka().topic());
    assertEquals(
        Map.of(
            "bootstrap.servers", "b1:9093,b2:9093", "security.protocol", "SASL_SSL",
            "sasl.mechanism", "SCRAM-SHA-512", "linger.ms", "5",
            "schema.registry.url", "http://sr:8081"),
        c.kafka().client());
  }

  @Test
  void shouldResolveFilesAgainstConfigDirectory(@TempDir Path dir) throws Exception {
    Files.writeString(dir.resolve("tokens"), "# comment\n  s3cret \n\nother\n");
    Path cfg = dir.resolve("agent.yaml");
    Files.writeString(
        cfg, KAFKA + "push:\n  tokensFile: tokens\ndiscovery:\n  files: [fleet/targets.yaml]\n");

    AgentConfig c = AgentConfigLoader.load(cfg);

    assertEquals(List.of("s3cret", "other"), c.push().tokens());
    assertEquals(List.of(dir.resolve("fleet/targets.yaml")), c.discovery().files());
  }

  @ParameterizedTest(name = "discovery: '{'{0}'}'")
  @CsvSource(
      delimiter = '|',
      value = {
        "'' | 10s | 1s",
        "'refreshInterval: 300ms' | 300ms | 300ms",
        "'refreshInterval: 1m, settleDelay: 1m' | 1m | 1m",
        "'settleDelay: 250ms' | 10s | 250ms",
      })
  void shouldSettleDiscoveryChangesForOneSecondOrTheRefreshIntervalIfShorter(
      String discovery, String refresh, String settle) {
    DiscoverySettings d = parse(KAFKA + "discovery: {" + discovery + "}\n").discovery();

    assertEquals(Durations.parse(refresh, "refresh"), d.refreshInterval());
    assertEquals(Durations.parse(settle, "settle"), d.settleDelay());
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      value = {
        "unknown top-level key | sraoe: 1 | sraoe: unknown key",
        "unknown nested key | scrape: {intervall: 5s} | scrape.intervall: unknown key",
        "bad duration | scrape: {interval: 30x} | scrape.interval: '30x' is not a duration",
        "duration too short | scrape: {interval: 1ms} | scrape.interval: 1ms is below the minimum 100ms",
        "bad size | scrape: {maxBodySize: 16 parsecs} | scrape.maxBodySize: '16 parsecs' is not a size",
        "jitter range | scrape: {jitter: 0.9} | scrape.jitter: 0.9 is outside [0.0, 0.5]",
        "unknown profile | scrape: {profiles: [heap, cpu]} | scrape.profiles: unknown profile 'cpu'",
        "target without url | targets: [{service: a}] | targets[0]: needs url (or urls)",
        "target without service | targets: [{url: 'http://a:1'}] | targets[0].service: required",
        "not http | targets: [{service: a, url: 'ftp://a:1'}] | targets[0].url: 'ftp://a:1' must be an http(s) URL",
        "port past 65535 | targets: [{service: a, url: 'http://a:60600'}, {service: b, url: 'http://b:606000'}] | targets[1].url: 'http://b:606000' has port 606000; a port is 1 to 65535",
        "port 0 | targets: [{service: a, urls: ['http://a:1', 'https://a:0/x']}] | targets[0].urls: 'https://a:0/x' has port 0; a port is 1 to 65535",
        "timeout over interval | targets: [{service: a, url: 'http://a:1', interval: 5s, timeout: 10s}] | targets[0].timeout: 10s exceeds the interval 5s",
        "instance with urls | targets: [{service: a, instance: x, urls: ['http://a:1', 'http://b:1']}] | targets[0].instance: only allowed with a single url",
        "slash in service | targets: [{service: a/b, url: 'http://a:1'}] | targets[0]: service must not contain '/'",
        "dot-dot service | targets: [{service: '..', url: 'http://a:1'}] | targets[0]: service must not be '..'",
        "backslash in instance | targets: [{service: a, instance: 'x\\y', url: 'http://a:1'}] | targets[0]: instance must not contain '\\' at index 1",
        "blank around service | targets: [{service: ' a', url: 'http://a:1'}] | targets[0]: service must not start or end with whitespace",
        "bidi in service | targets: [{service: \"\\u202Eexe\", url: 'http://a:1'}] | targets[0]: service contains the format character U+202E (bidi or invisible) at index 0",
        "dash in label name | targets: [{service: a, url: 'http://a:1', labels: {region: eu, git-sha: abc}}] | targets[0].labels: label 'git-sha': name contains '-' at index 3 (a label name matches [a-zA-Z_][a-zA-Z0-9_]*",
        "label name starting with a digit | targets: [{service: a, url: 'http://a:1', labels: {1st: x}}] | targets[0].labels: label '1st': name starts with a digit at index 0",
        "empty label name | targets: [{service: a, url: 'http://a:1', labels: {'': x}}] | targets[0].labels: label '': name is empty",
        "body timeout too short | http: {bodyTimeout: 1ms} | http.bodyTimeout: 1ms is below the minimum 100ms",
        "duplicate | targets: [{service: a, url: 'http://h:1'}, {service: a, url: 'http://h:1/x'}] | targets: duplicate target a/h:1",
        "targets not a list | targets: {service: a} | targets: expected a list",
        "open push | http: {host: 0.0.0.0} | push: the push endpoint would accept anyone on 0.0.0.0",
        "buffer too small | buffer: {maxBytes: 1MiB} | buffer.maxBytes: 1MiB cannot hold the largest accepted profile (16MiB)",
        "shard past the count | scrape: {shard: 3/3} | scrape.shard: '3/3': index must be 0 to 2 (count - 1), got 3",
        "shard not a fraction | scrape: {shard: 2} | scrape.shard: '2' is not INDEX/COUNT, e.g. 0/3",
        "settle delay over refresh | discovery: {refreshInterval: 2s, settleDelay: 3s} | discovery.settleDelay: 3s exceeds the refreshInterval 2s",
        "settle delay over default refresh | discovery: {settleDelay: 11s} | discovery.settleDelay: 11s exceeds the refreshInterval 10s",
        "settle delay too short | discovery: {settleDelay: 1ms} | discovery.settleDelay: 1ms is below the minimum 10ms",
        "settle delay not a duration | discovery: {settleDelay: soon} | discovery.settleDelay: 'soon' is not a duration",
      })
  void shouldNameTheOffendingPathInErrors(String what, String yaml, String expected) {
    String message = error(KAFKA + yaml + "\n");
    assertTrue(message.startsWith(expected), "got: " + message);
  }

  @Test
  void shouldListTheKeysAllowedInAlphabeticalOrder() {
    assertEquals("scrape.intervall: unknown key (allowed here: backoffMax, interval, jitter, maxBodySize, "
        + "maxConcurrent, profiles, reprobe, shard, timeout, tls)", error(KAFKA + "scrape: {intervall: 5s}\n"));
  }

  @Test
  void shouldKeepAPercentEncodedPathOfATargetUrlAsWritten() {
    // a gateway path that contains an escape, e.g. a service name with a space or a slash
    AgentConfig c =
        parse(KAFKA + "targets:\n  - service: orders\n    url: http://gw:8080/orders%2Fv1/pprof\n");

    assertEquals(
        URI.create("http://gw:8080/orders%2Fv1/pprof/heap"),
        c.targets().get(0).profileUri(ProfileKind.HEAP));
  }

  @Test
  void shouldRefuseCredentialsInATargetUrlWithoutRepeatingThem() {
    // the agent sends no credentials to targets, and GET /targets and the log lines show the url
    String message =
        error(KAFKA + "targets:\n  - service: orders\n    url: http://scraper:s3cret@10.0.0.7:6060\n");
    assertTrue(message.startsWith("targets[0].url: "), message);
    assertTrue(message.contains("credentials"), message);
    assertFalse(message.contains("s3cret"), message);
  }

  /**
   * A password with a character a URL may not hold unescaped ({@code ^}, {@code %}, a space) makes
   * the URL fail to parse, and a host name with {@code _} leaves java.net.URI without a host (nor
   * user info): the refusals of such URLs quoted them whole, password included, into the startup
   * error and the log line of each target-file reload.
   */
  @ParameterizedTest
  @ValueSource(strings = {
      "http://scraper:s3cret^@10.0.0.7:6060", "http://scraper:s3cret%@10.0.0.7:6060",
      "http://scraper:s3cret@pprof_host:6060"})
  void shouldNotRepeatCredentialsWhenATargetUrlWithThemDoesNotParse(String url) {
    String message = error(KAFKA + "targets:\n  - service: orders\n    url: '" + url + "'\n");
    assertTrue(message.startsWith("targets[0].url: "), message);
    assertFalse(message.contains("s3cret"), message);
  }

  /** One token given as a string, not a list: the refusal (startup error, --check) quoted it. */
  @Test
  void shouldNotRepeatAPushTokenGivenAsAStringInsteadOfAList() {
    String message = error(KAFKA + "push:\n  tokens: s3cret-token\n");
    assertTrue(message.startsWith("push.tokens: expected a list"), message);
    assertFalse(message.contains("s3cret"), message);
  }

  @Test
  void shouldRefuseAKeyGivenTwiceInsteadOfKeepingTheLast() {
    String twice = KAFKA + "scrape:\n  interval: 10s\n  timeout: 2s\nscrape:\n  interval: 1m\n";
    String message = error(twice);
    assertTrue(message.startsWith("configuration: not valid YAML: Duplicate field 'scrape'"), message);
    assertTrue(message.endsWith("(line 7)"), message);
  }

  @Test
  void shouldRequireBootstrapServers() {
    assertEquals(
        "kafka.client.bootstrap.servers: required", error("kafka:\n  topic: x\n"));
  }

  @Test
  void shouldReportYamlSyntaxErrors() {
    assertTrue(error("kafka: [unclosed\n").startsWith("configuration: not valid YAML"));
  }

  @Test
  void shouldAllowOpenPushWithTokensOrExplicitOptIn() {
    assertEquals(
        List.of("t"), parse(KAFKA + "http: {host: 0.0.0.0}\npush: {tokens: [t]}\n").push().tokens());
    assertTrue(
        parse(KAFKA + "http: {host: 0.0.0.0}\npush: {allowUnauthenticated: true}\n")
            .push()
            .allowUnauthenticated());
    assertTrue(!parse(KAFKA + "http: {host: 0.0.0.0}\npush: {enabled: false}\n").push().enabled());
  }
}
