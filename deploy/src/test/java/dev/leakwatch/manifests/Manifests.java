package dev.leakwatch.manifests;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.leakwatch.agent.config.AgentConfig;
import dev.leakwatch.agent.config.AgentConfigLoader;
import dev.leakwatch.cli.LeakwatchCli;
import dev.leakwatch.processor.ProcessorConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.streams.StreamsConfig;

/**
 * Reading the deployment manifests and checking them with the code's own readers: configuration
 * files go through {@link ProcessorConfig} and {@link AgentConfigLoader} (which refuse unknown
 * keys), command lines through the CLI's picocli model (which refuses unknown commands and
 * options).
 */
final class Manifests {

  /** deploy/ (Surefire runs each module's tests in the module's directory). */
  static final Path DEPLOY = Path.of("").toAbsolutePath();
  /** The placeholder the manifests render into each processor's configuration. */
  static final String POD_NAME = "@POD_NAME@";
  /**
   * Least time a supervisor must allow an agent beyond {@code agent.shutdownGrace} before it kills
   * it: the JVM's start of shutdown, closing the HTTP server and discovery, and the exit itself come
   * on top of the grace the buffer gets to reach Kafka.
   */
  static final Duration AGENT_STOP_MARGIN = Duration.ofSeconds(10);

  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

  private Manifests() {}

  /** Every document of a (multi-document) YAML file, empty ones skipped. */
  static List<JsonNode> documents(Path file) {
    try (var parser = YAML.getFactory().createParser(file.toFile())) {
      List<JsonNode> out = new ArrayList<>();
      YAML.readValues(parser, JsonNode.class).forEachRemaining(d -> {
        if (d != null && !d.isNull() && !d.isMissingNode()) {
          out.add(d);
        }
      });
      return out;
    } catch (IOException e) {
      throw new UncheckedIOException(file + " is not valid YAML: " + e.getMessage(), e);
    }
  }

  static JsonNode document(Path file) {
    List<JsonNode> docs = documents(file);
    assertTrue(docs.size() == 1, file + " holds " + docs.size() + " documents");
    return docs.get(0);
  }

  static JsonNode parse(String yaml, String what) {
    try {
      return YAML.readTree(yaml);
    } catch (IOException e) {
      throw new UncheckedIOException(what + " is not valid YAML: " + e.getMessage(), e);
    }
  }

  /**
   * A processor configuration with {@code @POD_NAME@} replaced, read by the processor's own reader;
   * its pass-through sections hold only keys Kafka Streams, its clients or the serde know (the reader
   * refuses typos and warns about other unknown keys: no warning either).
   */
  static ProcessorConfig processorConfig(String template, String podName) {
    List<String> warnings = new ArrayList<>();
    ProcessorConfig c = ProcessorConfig.parse(template.replace(POD_NAME, podName), warnings::add);
    assertEquals(List.of(), warnings, "unknown streams.* keys");
    return c;
  }

  /** The advertised {@code host:port} of a processor configuration. */
  static String applicationServer(ProcessorConfig c) {
    Object v = c.streams().get(StreamsConfig.APPLICATION_SERVER_CONFIG);
    assertTrue(v != null, "streams.application.server is not set");
    return v.toString();
  }

  /**
   * An agent configuration with {@code targets} (a targets file: the same list as the static
   * {@code targets:}) as its static targets and without discovery, read by the agent's own loader;
   * its {@code kafka.client} holds only producer and serde settings (no warning from the loader).
   */
  static AgentConfig agentConfig(ObjectNode agent, JsonNode targets, Path baseDir) {
    ObjectNode root = agent.deepCopy();
    root.set("targets", targets);
    root.remove("discovery");
    List<String> warnings = new ArrayList<>();
    AgentConfig c = AgentConfigLoader.parse(root.toString(), baseDir, warnings::add);
    assertEquals(List.of(), warnings, "unknown kafka.client keys");
    return c;
  }

  /** Parses a command line with the CLI's model: the command and every option must exist. */
  static void assertCliAccepts(List<String> args) {
    assertDoesNotThrow(() -> LeakwatchCli.commandLine().parseArgs(args.toArray(String[]::new)),
        "./leakwatch does not accept " + args);
  }

  static String read(Path file) {
    try {
      return Files.readString(file);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static List<String> strings(JsonNode array) {
    List<String> out = new ArrayList<>();
    array.forEach(n -> out.add(n.asText()));
    return out;
  }

  /** {@code host:port} split; fails the test on anything else. */
  static Map.Entry<String, Integer> hostPort(String s) {
    int colon = s.lastIndexOf(':');
    if (colon <= 0) {
      fail("'" + s + "' is not host:port");
    }
    return Map.entry(s.substring(0, colon), Integer.parseInt(s.substring(colon + 1)));
  }
}
