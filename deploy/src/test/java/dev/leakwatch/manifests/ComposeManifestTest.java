package dev.leakwatch.manifests;

import static dev.leakwatch.manifests.Manifests.assertCliAccepts;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.leakwatch.agent.config.AgentConfig;
import dev.leakwatch.agent.config.AgentConfigLoader;
import dev.leakwatch.agent.config.Durations;
import dev.leakwatch.agent.publish.ProducerSettings;
import dev.leakwatch.demo.ReplayPublisher;
import dev.leakwatch.processor.ProcessorConfig;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.server.config.AbstractKafkaConfig;
import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.Test;

/** deploy/compose: the compose file, the configuration files it mounts, and their agreement. */
class ComposeManifestTest {

  private static final Path DIR = Manifests.DEPLOY.resolve("compose");
  private static final JsonNode COMPOSE = Manifests.document(DIR.resolve("compose.yaml"));
  /** The directory every Leakwatch container mounts the compose directory at. */
  private static final String CONFIG_MOUNT = "/etc/leakwatch";

  private static JsonNode service(String name) {
    JsonNode s = COMPOSE.path("services").path(name);
    assertTrue(s.isObject(), "no service " + name);
    return s;
  }

  /** Files a {@code ${VAR:-default}} may name: the default and its {@code -registry} variant. */
  private static List<Path> variants(String defaultFile) {
    Path d = DIR.resolve(defaultFile);
    return List.of(d, DIR.resolve(defaultFile.replace(".yaml", "-registry.yaml")));
  }

  /** The processor services: those whose entrypoint runs {@code leakwatch processor}. */
  private static List<String> processors() {
    List<String> out = new ArrayList<>();
    COMPOSE.path("services").properties().forEach(e -> {
      if (entrypoint(e.getValue()).contains("leakwatch processor")) {
        out.add(e.getKey());
      }
    });
    return out;
  }

  /** The entrypoint as the container runs it (compose turns {@code $$} into {@code $}). */
  private static String entrypoint(JsonNode service) {
    return String.join(" ", Manifests.strings(service.path("entrypoint"))).replace("$$", "$");
  }

  private static String env(JsonNode service, String name) {
    return service.path("environment").path(name).asText(null);
  }

  /** The PLAINTEXT listener other containers use: {@code host:port} advertised by Kafka. */
  private static String kafkaBootstrap() {
    for (String l : env(service("kafka"), "KAFKA_ADVERTISED_LISTENERS").split(",")) {
      if (l.startsWith("PLAINTEXT://")) {
        return l.substring("PLAINTEXT://".length());
      }
    }
    throw new AssertionError("kafka advertises no PLAINTEXT listener");
  }

  private static int containerPort(JsonNode service, int port) {
    for (JsonNode p : service.path("ports")) {
      String[] parts = p.asText().split(":");
      if (Integer.parseInt(parts[parts.length - 1]) == port) {
        return port;
      }
    }
    throw new AssertionError("port " + port + " is not published by " + service);
  }

  /** The host side's port of a published {@code [ip:]hostPort:containerPort}. */
  private static String hostPort(String published) {
    String[] parts = published.split(":");
    return parts[parts.length - 2];
  }

  /**
   * The stack is for one machine and asks for no credentials (the agent's push endpoint is open,
   * the API has no token, Kafka speaks PLAINTEXT), so what it publishes is reachable from that
   * machine only: a port published without an address listens on every interface of the host.
   */
  @Test
  void shouldPublishEveryPortOnTheHostsLoopbackOnly() {
    COMPOSE.path("services").properties().forEach(e -> {
      for (String p : Manifests.strings(e.getValue().path("ports"))) {
        assertTrue(p.startsWith("127.0.0.1:") && p.split(":").length == 3,
            e.getKey() + " publishes " + p + " on every interface of the host");
      }
    });
  }

  @Test
  void shouldRunTwoProcessorsAnAgentKafkaAndOptionalRegistryAndReplay() {
    assertEquals(2, processors().size(), "processors: " + processors());
    service("agent");
    service("kafka");
    assertEquals(List.of("registry"), Manifests.strings(service("schema-registry").path("profiles")));
    assertEquals(List.of("demo"), Manifests.strings(service("replay").path("profiles")));
  }

  @Test
  void shouldGiveEachProcessorAConfigItsReaderAcceptsAndItsOwnAdvertisedAddress() {
    Set<String> advertised = new HashSet<>();
    for (String name : processors()) {
      JsonNode s = service(name);
      String pod = env(s, "POD_NAME");
      assertEquals(name, pod, "POD_NAME of " + name);
      assertEquals(name, s.path("hostname").asText(), "the advertised name resolves to this container");
      String entry = entrypoint(s);
      assertTrue(entry.contains("s/" + Manifests.POD_NAME + "/${POD_NAME}/g"), entry);
      Matcher exec = Pattern.compile("exec leakwatch (.+)$").matcher(entry.trim());
      assertTrue(exec.find(), entry);
      assertCliAccepts(Arrays.asList(exec.group(1).split("\\s+")));
      assertTrue(env(s, "PROCESSOR_CONFIG").contains(":-processor.yaml}"), "default config file");
      assertTrue(Manifests.strings(s.path("volumes")).contains("./:" + CONFIG_MOUNT + ":ro"));
      for (Path file : variants("processor.yaml")) {
        ProcessorConfig c = Manifests.processorConfig(Manifests.read(file), pod);
        int port = c.http().port();
        assertEquals(pod + ":" + port, Manifests.applicationServer(c), file.toString());
        assertTrue(advertised.add(Manifests.applicationServer(c) + "@" + file), "unique per instance");
        containerPort(s, port);
        assertTrue(s.path("healthcheck").path("test").toString().contains("/dev/tcp/127.0.0.1/" + port + " "),
            "the health check asks the API's port");
        assertEquals(kafkaBootstrap(), c.streams().get(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG));
        String stateDir = c.streams().getProperty(StreamsConfig.STATE_DIR_CONFIG);
        assertTrue(Manifests.strings(s.path("volumes")).stream().anyMatch(v -> v.startsWith(name + "-state:")
            && stateDir.startsWith(v.substring(v.indexOf(':') + 1) + "/")), "state on the named volume: " + stateDir);
        assertTrue(COMPOSE.path("volumes").has(name + "-state"));
      }
    }
  }

  @Test
  void shouldGiveTheAgentConfigsItsLoaderAcceptsWithPortsAndBrokerOfThisFile() {
    JsonNode agent = service("agent");
    List<String> command = Manifests.strings(agent.path("command"));
    assertCliAccepts(command.stream().map(a -> a.replace("${AGENT_CONFIG:-agent.yaml}", "agent.yaml")).toList());
    assertTrue(command.contains(CONFIG_MOUNT + "/${AGENT_CONFIG:-agent.yaml}"), command.toString());
    JsonNode targets = Manifests.document(DIR.resolve("targets.yaml"));
    for (Path file : variants("agent.yaml")) {
      AgentConfig c = AgentConfigLoader.load(file);
      assertEquals(List.of(DIR.resolve("targets.yaml")), c.discovery().files(), "the targets file beside it");
      containerPort(agent, c.http().port());
      assertEquals(kafkaBootstrap(), c.kafka().client().get("bootstrap.servers"));
      ObjectNode tree = (ObjectNode) Manifests.document(file);
      Manifests.agentConfig(tree, targets, DIR);
    }
  }

  /**
   * How long {@code docker compose stop} waits before SIGKILL: the service's {@code
   * stop_grace_period}, else Docker's default of 10 s.
   */
  private static Duration stopGrace(JsonNode service) {
    String text = service.path("stop_grace_period").asText(null);
    return text == null ? Duration.ofSeconds(10) : Durations.parse(text, "stop_grace_period");
  }

  @Test
  void shouldLetTheAgentFlushItsBufferBeforeComposeKillsIt() {
    Duration stop = stopGrace(service("agent"));
    for (Path file : variants("agent.yaml")) {
      Duration grace = AgentConfigLoader.load(file).shutdownGrace();
      assertTrue(stop.compareTo(grace.plus(Manifests.AGENT_STOP_MARGIN)) >= 0, file.getFileName()
          + ": compose kills the agent after " + stop + ", within agent.shutdownGrace " + grace + " + "
          + Manifests.AGENT_STOP_MARGIN + ": buffered profiles would be lost uncounted");
    }
  }

  /**
   * Under {@code --profile registry} the processors and the agent read the {@code -registry}
   * configs, which need the registry at start: each waits for it to be healthy, and without the
   * profile the dependency is optional, so the default set starts without a registry.
   */
  @Test
  void shouldStartEveryRegistryClientAfterAHealthyRegistryAndWithoutOneOtherwise() {
    assertTrue(service("schema-registry").path("healthcheck").path("test").isArray(),
        "schema-registry needs a healthcheck for service_healthy");
    List<String> clients = new ArrayList<>(processors());
    clients.add("agent");
    for (String name : clients) {
      JsonNode dep = service(name).path("depends_on").path("schema-registry");
      assertEquals("service_healthy", dep.path("condition").asText(), name + " waits for the registry");
      assertTrue(dep.path("required").isBoolean() && !dep.path("required").asBoolean(),
          name + ": the registry is optional (required: false), else the default set needs it");
    }
  }

  @Test
  void shouldPointTheRegistryVariantsAtTheRegistryService() {
    JsonNode registry = service("schema-registry");
    String listener = env(registry, "SCHEMA_REGISTRY_LISTENERS");
    String url = "http://" + registry.path("hostname").asText() + listener.substring(listener.lastIndexOf(':'));
    ProcessorConfig p = Manifests.processorConfig(Manifests.read(DIR.resolve("processor-registry.yaml")), "x");
    assertEquals(url, p.topology().serdeConfig().get("schema.registry.url"));
    AgentConfig a = AgentConfigLoader.load(DIR.resolve("agent-registry.yaml"));
    assertEquals(url, a.kafka().client().get("schema.registry.url"));
    assertTrue(env(registry, "SCHEMA_REGISTRY_KAFKASTORE_BOOTSTRAP_SERVERS").endsWith("//" + kafkaBootstrap()));
  }

  @Test
  void shouldConfigureKafkaWithSettingsTheBrokerKnowsAndRoomForTheLargestProfile() {
    JsonNode env = service("kafka").path("environment");
    Set<String> known = AbstractKafkaConfig.CONFIG_DEF.names();
    env.properties().forEach(e -> {
      if (e.getKey().startsWith("KAFKA_")) {
        String name = e.getKey().substring("KAFKA_".length()).toLowerCase(Locale.ROOT).replace('_', '.');
        assertTrue(known.contains(name), e.getKey() + " sets " + name + ", which the broker does not know");
      }
    });
    Uuid.fromString(env.path("CLUSTER_ID").asText());
    long maxMessage = env.path("KAFKA_MESSAGE_MAX_BYTES").asLong();
    assertTrue(maxMessage >= ProducerSettings.requiredMaxMessageBytes(ReplayPublisher.MAX_PROFILE_BYTES),
        "message.max.bytes " + maxMessage + " below what the agent sends");
    String controller = env.path("KAFKA_CONTROLLER_QUORUM_VOTERS").asText();
    assertTrue(env.path("KAFKA_LISTENERS").asText().contains("CONTROLLER://:" + controller.substring(controller.lastIndexOf(':') + 1)));
    assertTrue(Manifests.strings(service("kafka").path("ports")).stream().anyMatch(p ->
        env.path("KAFKA_ADVERTISED_LISTENERS").asText().contains("localhost:" + hostPort(p))),
        "the published port is advertised to the host");
  }

  @Test
  void shouldReplayTheRecordedCorpusOfThisRepository() {
    JsonNode replay = service("replay");
    assertCliAccepts(Manifests.strings(replay.path("command")));
    String volume = Manifests.strings(replay.path("volumes")).get(0);
    Path corpus = DIR.resolve(volume.split(":")[0]).normalize();
    assertTrue(Files.isRegularFile(corpus.resolve("README.md")), "corpus at " + corpus);
    assertTrue(Manifests.strings(replay.path("command")).contains(volume.split(":")[1]));
    assertTrue(Manifests.strings(replay.path("command")).contains(kafkaBootstrap()));
  }

  @Test
  void shouldBridgeTheSuspectsOfAProcessorToTheAlertmanagerOfThisFile() throws Exception {
    JsonNode alerts = service("alerts");
    JsonNode alertmanager = service("alertmanager");
    assertEquals(List.of("alerting"), Manifests.strings(alerts.path("profiles")));
    assertEquals(List.of("alerting"), Manifests.strings(alertmanager.path("profiles")));
    List<String> command = Manifests.strings(alerts.path("command"));
    assertCliAccepts(command);
    URI api = URI.create(command.get(command.indexOf("--api") + 1));
    assertTrue(processors().contains(api.getHost()), api.toString());
    assertEquals(Manifests.parse(Manifests.read(DIR.resolve("processor.yaml")), "processor.yaml").path("http")
        .path("port").asInt(), api.getPort(), "the processors' API port in their config");
    assertEquals("service_healthy", alerts.path("depends_on").path(api.getHost()).path("condition").asText());
    URI target = URI.create(command.get(command.indexOf("--alertmanager") + 1));
    assertTrue(COMPOSE.path("services").has(target.getHost()), target.toString());
    String mounted = Manifests.strings(alertmanager.path("volumes")).get(0).split(":")[0];
    JsonNode config = Manifests.document(DIR.resolve(mounted));
    Set<String> receivers = new HashSet<>();
    config.path("receivers").forEach(r -> receivers.add(r.path("name").asText()));
    assertTrue(receivers.contains(config.path("route").path("receiver").asText()), "the route's receiver exists");
    // Alertmanager's own check, where it is installed (Debian's prometheus-alertmanager brings amtool)
    Optional<Path> amtool = Arrays.stream(System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator))
        .map(d -> Path.of(d, "amtool")).filter(Files::isExecutable).findFirst();
    if (amtool.isPresent()) {
      Process p = new ProcessBuilder(amtool.get().toString(), "check-config", DIR.resolve(mounted).toString())
          .redirectErrorStream(true).start();
      String out = new String(p.getInputStream().readAllBytes());
      assertEquals(0, p.waitFor(), "amtool check-config: " + out);
    }
  }

  @Test
  void shouldUseTheImageTheDockerfileBuilds() {
    String dockerfile = Manifests.read(Manifests.DEPLOY.resolve("Dockerfile"));
    assertTrue(dockerfile.contains(dev.leakwatch.cli.LeakwatchCli.class.getName()), "the CLI's main class");
    Matcher tag = Pattern.compile("docker build -f deploy/Dockerfile -t (\\S+) \\.").matcher(dockerfile);
    assertTrue(tag.find(), "the Dockerfile says how to build it");
    for (String name : List.of("agent", "replay", "alerts", processors().get(0), processors().get(1))) {
      assertEquals(tag.group(1), service(name).path("image").asText(), name);
    }
    assertTrue(dockerfile.contains("WORKDIR /var/lib/leakwatch"), "the state volumes' mount point is home");
  }
}
