package dev.leakwatch.manifests;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
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
import dev.leakwatch.schemas.registry.RegistryConfig;
import dev.leakwatch.schemas.serde.SerdeConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
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
   * its pass-through sections hold only keys Kafka Streams, its clients or the serde know.
   */
  static ProcessorConfig processorConfig(String template, String podName) {
    String yaml = template.replace(POD_NAME, podName);
    JsonNode tree = parse(yaml, "processor configuration");
    tree.path("streams").fieldNames().forEachRemaining(k -> assertTrue(streamsKeys().contains(k),
        "streams." + k + " is not a Kafka Streams or client setting"));
    tree.path("serde").fieldNames().forEachRemaining(k -> assertTrue(serdeKeys().contains(k),
        "serde." + k + " is not a serde setting " + serdeKeys()));
    return ProcessorConfig.parse(yaml);
  }

  /** Settings Kafka Streams passes on: its own, and its clients' with or without their prefixes. */
  static Set<String> streamsKeys() {
    Set<String> clients = new HashSet<>(ProducerConfig.configNames());
    clients.addAll(ConsumerConfig.configNames());
    clients.addAll(AdminClientConfig.configNames());
    Set<String> out = new HashSet<>(StreamsConfig.configDef().names());
    out.addAll(clients);
    for (String prefix : List.of(StreamsConfig.PRODUCER_PREFIX, StreamsConfig.CONSUMER_PREFIX,
        StreamsConfig.MAIN_CONSUMER_PREFIX, StreamsConfig.RESTORE_CONSUMER_PREFIX,
        StreamsConfig.GLOBAL_CONSUMER_PREFIX, StreamsConfig.ADMIN_CLIENT_PREFIX)) {
      clients.forEach(k -> out.add(prefix + k));
    }
    return out;
  }

  /** The serde's settings: the constants of its configuration classes. */
  static Set<String> serdeKeys() {
    Set<String> out = new HashSet<>();
    for (Class<?> c : List.of(RegistryConfig.class, SerdeConfig.class)) {
      for (Field f : c.getFields()) {
        if (Modifier.isStatic(f.getModifiers()) && f.getType() == String.class) {
          try {
            out.add((String) f.get(null));
          } catch (IllegalAccessException e) {
            throw new IllegalStateException(e);
          }
        }
      }
    }
    return out;
  }

  /** The advertised {@code host:port} of a processor configuration. */
  static String applicationServer(ProcessorConfig c) {
    Object v = c.streams().get(StreamsConfig.APPLICATION_SERVER_CONFIG);
    assertTrue(v != null, "streams.application.server is not set");
    return v.toString();
  }

  /**
   * An agent configuration with {@code targets} (a targets file: the same list as the static
   * {@code targets:}) as its static targets and without discovery, read by the agent's own loader.
   */
  static AgentConfig agentConfig(ObjectNode agent, JsonNode targets, Path baseDir) {
    Set<String> producer = new HashSet<>(ProducerConfig.configNames());
    producer.addAll(serdeKeys());
    agent.path("kafka").path("client").fieldNames().forEachRemaining(k -> assertTrue(producer.contains(k),
        "kafka.client." + k + " is not a producer or serde setting"));
    ObjectNode root = agent.deepCopy();
    root.set("targets", targets);
    root.remove("discovery");
    return AgentConfigLoader.parse(root.toString(), baseDir);
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
