package dev.leakwatch.agent.config;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads an agent configuration file (YAML; JSON is accepted too). Top-level sections: {@code
 * agent}, {@code http}, {@code push}, {@code scrape}, {@code buffer}, {@code kafka}, {@code
 * targets}, {@code discovery}, {@code customKeys}; unknown keys anywhere are errors, except that in
 * {@code kafka.client} (passed to the Kafka producer unchanged) an unknown key not within a typo of a
 * known name may be a plugin's own setting: warned about, or passed unchecked when {@code
 * customKeys} lists its path. Relative paths inside the file resolve against the file's directory.
 * See {@code deploy/agent.yaml} for an annotated example.
 */
public final class AgentConfigLoader {
  /** Largest configuration or targets file read, so a wrong path cannot exhaust memory. */
  public static final long MAX_FILE_BYTES = 8L << 20;

  private static final Logger LOG = LoggerFactory.getLogger(AgentConfigLoader.class);
  /**
   * A key given twice in one mapping is refused (as the processor's configuration does): Jackson
   * would otherwise keep the last silently, e.g. the second of two pasted {@code url:} lines of a
   * target entry, or a whole second {@code scrape:} section in place of the first.
   */
  private static final ObjectMapper YAML =
      new ObjectMapper(
          YAMLFactory.builder().enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION).build());

  private AgentConfigLoader() {}

  /** Loads and validates {@code file}; warnings about unknown {@code kafka.client} keys are logged. */
  public static AgentConfig load(Path file) {
    return load(file, LOG::warn);
  }

  /** Loads and validates {@code file}, handing {@code warnings} one line per unknown client key. */
  public static AgentConfig load(Path file, Consumer<String> warnings) {
    Path base = file.toAbsolutePath().getParent();
    return parse(readDocument(file), base, warnings, System::getenv);
  }

  /** Parses a configuration held in {@code yaml}, resolving relative paths against {@code baseDir}. */
  public static AgentConfig parse(String yaml, Path baseDir) {
    return parse(yaml, baseDir, LOG::warn);
  }

  /** As {@link #parse(String, Path)}, handing {@code warnings} one line per unknown client key. */
  public static AgentConfig parse(String yaml, Path baseDir, Consumer<String> warnings) {
    return parse(yaml, baseDir, warnings, System::getenv);
  }

  /**
   * As {@link #parse(String, Path, Consumer)}, with {@code env} in place of the process's
   * environment (what {@code discovery.kubernetes} reads: the in-cluster address, {@code
   * nodeFromEnv}), e.g. to check a manifest's configuration with the environment its pod gets.
   */
  public static AgentConfig parse(
      String yaml, Path baseDir, Consumer<String> warnings, UnaryOperator<String> env) {
    return parse(parseYaml(yaml, "configuration"), baseDir, warnings, env);
  }

  /** Reads a YAML/JSON file into a tree, bounded in size; errors name the file. */
  private static JsonNode readDocument(Path file) {
    try {
      long size = Files.size(file);
      if (size > MAX_FILE_BYTES) {
        throw new ConfigException(file + ": " + size + " bytes exceeds the limit of " + MAX_FILE_BYTES);
      }
      return parseYaml(Files.readString(file, StandardCharsets.UTF_8), file.toString());
    } catch (IOException e) {
      throw new ConfigException(
          file + ": cannot read: " + (e instanceof NoSuchFileException ? "no such file" : e.getMessage()), e);
    }
  }

  /** Parses YAML (or JSON) text into a tree; errors name {@code what}. An empty text is a null node. */
  public static JsonNode parseYaml(String text, String what) {
    try {
      return YAML.readTree(text);
    } catch (JacksonException e) {
      JsonLocation at = e.getLocation();
      String where = at == null || at.getLineNr() < 1 ? "" : " (line " + at.getLineNr() + ")";
      throw new ConfigException(what + ": not valid YAML: " + e.getOriginalMessage() + where, e);
    }
  }

  private static AgentConfig parse(
      JsonNode doc, Path baseDir, Consumer<String> warnings, UnaryOperator<String> env) {
    ConfigNode root = new ConfigNode(doc, "");
    root.rejectUnknownKeys(
        Set.of("agent", "http", "push", "scrape", "buffer", "kafka", "targets", "discovery", "customKeys"));
    List<String> customKeys = root.strings("customKeys", List.of());
    ConfigNode agent = root.child("agent").rejectUnknownKeys(Set.of("id", "shutdownGrace"));
    ScrapeSettings scrape = ScrapeSettings.parse(root.child("scrape"), baseDir);
    AgentConfig cfg =
        new AgentConfig(
            agentId(agent.string("id", hostName())),
            agent.duration("shutdownGrace", Duration.ofSeconds(10), Duration.ZERO),
            HttpSettings.parse(root.child("http")),
            PushSettings.parse(root.child("push"), baseDir),
            scrape,
            BufferSettings.parse(root.child("buffer")),
            KafkaSettings.parse(root.child("kafka"), customKeys, warnings),
            new TargetParser(scrape).parseList(root.child("targets")),
            DiscoverySettings.parse(root.child("discovery"), baseDir, env));
    validate(cfg);
    return cfg;
  }

  /** Rules that span sections; callers that change a loaded configuration re-check with this. */
  public static void validate(AgentConfig cfg) {
    PushSettings push = cfg.push();
    if (push.enabled()
        && push.tokens().isEmpty()
        && !cfg.http().loopbackOnly()
        && !push.allowUnauthenticated()) {
      throw new ConfigException(
          "push: the push endpoint would accept anyone on " + cfg.http().host()
              + "; set push.tokens (or push.tokensFile), bind http.host to 127.0.0.1, or set"
              + " push.allowUnauthenticated: true");
    }
    long largest = Math.max(cfg.scrape().maxBodyBytes(), push.maxBodyBytes());
    if (cfg.buffer().maxBytes() < largest) {
      throw new ConfigException(
          "buffer.maxBytes: " + ByteSizes.format(cfg.buffer().maxBytes())
              + " cannot hold the largest accepted profile (" + ByteSizes.format(largest) + ")");
    }
  }

  /** Longest {@code agent.id}: a DNS name's length, which the default (the host name) fits. */
  static final int MAX_AGENT_ID_CHARS = 253;

  /**
   * {@code id} if it can stand in the {@code User-Agent} header of every scrape (visible ASCII and
   * spaces): the JDK's HTTP client refuses other characters when it builds the request, which
   * would fail every scrape of the agent instead of its start.
   */
  private static String agentId(String id) {
    if (id.isBlank() || id.length() > MAX_AGENT_ID_CHARS) {
      throw new ConfigException("agent.id: must be 1 to " + MAX_AGENT_ID_CHARS + " characters, got "
          + id.length() + (id.isBlank() && !id.isEmpty() ? " blank ones" : ""));
    }
    for (int i = 0; i < id.length(); i++) {
      char c = id.charAt(i);
      if (c < 0x20 || c > 0x7e) {
        throw new ConfigException(String.format("agent.id: character %d (U+%04X) of \"%s\" is not"
            + " printable ASCII, which the User-Agent header of every scrape requires", i + 1, (int) c,
            id));
      }
    }
    return id;
  }

  private static String hostName() {
    try {
      return InetAddress.getLocalHost().getHostName();
    } catch (UnknownHostException e) {
      return "leakwatch-agent";
    }
  }
}
