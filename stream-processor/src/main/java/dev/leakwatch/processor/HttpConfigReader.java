package dev.leakwatch.processor;

import dev.leakwatch.http.ApiSettings;
import dev.leakwatch.web.TokenFile;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.state.HostInfo;

/**
 * Reads the {@code http} section of {@code processor.yaml} (the query API's server) and checks the
 * advertised {@code application.server} (a Kafka Streams property, set under {@code streams}) that
 * other instances use to reach this one.
 */
final class HttpConfigReader {

  private HttpConfigReader() {}

  /** The keys whose values {@link ApiSettings} validates, as its messages name them. */
  private static final Set<String> VALIDATED_KEYS =
      Set.of("tokens", "maxRange", "peerTimeout", "maxPeerResponseBytes", "bodyTimeout",
          "maxConcurrentQueries");

  static ApiSettings read(YamlSection root, Properties streams) {
    ApiSettings d = ApiSettings.defaults();
    YamlSection h = root.section("http");
    String host = h.string("host", d.host());
    int port = h.integer("port", d.port());
    if (port < 0 || port > 65535) {
      throw new ConfigError("http.port", port + " is outside [0, 65535] (0 picks a free port)");
    }
    List<String> tokens = new ArrayList<>(h.strings("tokens"));
    String tokensFile = h.string("tokensFile", null);
    if (tokensFile != null) {
      List<String> fromFile = tokensFrom(Path.of(tokensFile));
      if (fromFile.isEmpty()) {
        // an empty secret or a mount gone wrong: without a token the API would answer everyone
        throw new ConfigError("http.tokensFile", tokensFile + " holds no token (one per line; blank and '#' lines"
            + " are skipped); without tokens the API needs no authentication, so name no file for that");
      }
      tokens.addAll(fromFile);
    }
    ApiSettings settings;
    try {
      settings = new ApiSettings(host, port, tokens, h.bool("metricsRequireToken", d.metricsRequireToken()),
          h.duration("maxRange", d.maxRange()), h.duration("peerTimeout", d.peerTimeout()),
          h.bytes("maxPeerResponseBytes", d.maxPeerResponseBytes()), h.duration("bodyTimeout", d.bodyTimeout()),
          h.integer("maxConcurrentQueries", d.maxConcurrentQueries()));
    } catch (IllegalArgumentException e) {
      throw ConfigError.fromValidation("http", e.getMessage(), VALIDATED_KEYS);
    }
    h.rejectUnknown();
    String advertised = (String) streams.get(StreamsConfig.APPLICATION_SERVER_CONFIG);
    if (advertised == null && settings.wildcardHost()) {
      throw new ConfigError("streams." + StreamsConfig.APPLICATION_SERVER_CONFIG, "required when http.host '" + host
          + "' binds every interface: the host:port other instances reach this one at");
    }
    if (advertised != null) {
      try {
        HostInfo.buildFromEndpoint(advertised);
      } catch (RuntimeException e) {
        throw new ConfigError("streams." + StreamsConfig.APPLICATION_SERVER_CONFIG,
            "'" + advertised + "' is not host:port");
      }
    }
    return settings;
  }

  /** The advertised {@code host:port}: {@code application.server} if set, else the bound host and port. */
  static String advertised(Properties streams, ApiSettings http, int boundPort) {
    Object configured = streams.get(StreamsConfig.APPLICATION_SERVER_CONFIG);
    return configured != null ? configured.toString() : http.host() + ":" + boundPort;
  }

  /** The longest query range: the configured one, at most the window retention. */
  static Duration maxRange(ApiSettings http, Duration windowRetention) {
    return http.maxRange().compareTo(windowRetention) <= 0 ? http.maxRange() : windowRetention;
  }

  private static List<String> tokensFrom(Path file) {
    try {
      return TokenFile.read(file);
    } catch (IOException e) {
      throw new ConfigError("http.tokensFile", "cannot read " + file + ": " + e.getMessage());
    }
  }
}
