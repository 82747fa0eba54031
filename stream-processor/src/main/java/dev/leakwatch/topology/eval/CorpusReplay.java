package dev.leakwatch.topology.eval;

import dev.leakwatch.schemas.avro.IngestSource;
import dev.leakwatch.schemas.avro.LeakSuspect;
import dev.leakwatch.schemas.avro.ProfileEnvelope;
import dev.leakwatch.schemas.avro.ProfileType;
import dev.leakwatch.schemas.serde.LeakwatchSerdes;
import dev.leakwatch.topology.DecodedProfile;
import dev.leakwatch.topology.LeakwatchTopology;
import dev.leakwatch.topology.TopologyConfig;
import dev.leakwatch.topology.TopologyObserver;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.stream.Stream;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TopologyTestDriver;

/**
 * Replays one corpus scenario through the production topology ({@link LeakwatchTopology}) in a
 * {@link TopologyTestDriver}: deterministic, no broker, same processors, stores (RocksDB),
 * repartition and serdes as production. Each capture becomes the envelope an agent would publish
 * (service, instance, profile type, capture time, bytes: no label, pid or leak start), keyed
 * {@code service/instance} and timestamped with its capture time, fed in capture-time order, with the
 * processor's clock moved on with the captures: as live, where the clock runs as the captures come (the
 * lifecycle counts silence only as far as the clock ran, see {@code SilenceClock}).
 */
public final class CorpusReplay {

  /** What came out of a replay. */
  public record Result(List<LeakSuspect> suspects, int profiles, int deadLetters) {}

  private final TopologyConfig config;
  private final Path stateRoot;

  /**
   * @param config topology configuration (detection tunables included)
   * @param stateRoot directory under which each replay gets (and deletes) its own state dir
   */
  public CorpusReplay(TopologyConfig config, Path stateRoot) {
    this.config = config;
    this.stateRoot = stateRoot;
  }

  public Result replay(CorpusScenario scenario) {
    List<CorpusScenario.Capture> ordered = new ArrayList<>(scenario.captures());
    ordered.sort(Comparator.comparingLong(CorpusScenario.Capture::captureMs)
        .thenComparing(CorpusScenario.Capture::instance)
        .thenComparing(CorpusScenario.Capture::type));
    Path stateDir;
    try {
      Files.createDirectories(stateRoot);
      stateDir = Files.createTempDirectory(stateRoot, "eval-" + scenario.id() + "-");
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create a state dir under " + stateRoot, e);
    }
    Properties props = new Properties();
    props.put(StreamsConfig.APPLICATION_ID_CONFIG, "leakwatch-eval");
    props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "replay:9092");
    props.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
    Map<String, Object> serdeConfig = config.serdeConfig();
    props.putAll(LeakwatchTopology.streamsSettings(config, TopologyObserver.NONE));
    Instant start = ordered.isEmpty() ? Instant.EPOCH : Instant.ofEpochMilli(ordered.get(0).captureMs());
    try (TopologyTestDriver driver = new TopologyTestDriver(LeakwatchTopology.topology(config), props, start)) {
      TestInputTopic<String, ProfileEnvelope> input = driver.createInputTopic(config.profilesTopic(),
          new StringSerializer(), LeakwatchSerdes.profileEnvelope(serdeConfig, false).serializer());
      long clockMs = start.toEpochMilli();
      for (CorpusScenario.Capture c : ordered) {
        driver.advanceWallClockTime(Duration.ofMillis(c.captureMs() - clockMs));
        clockMs = c.captureMs();
        ProfileEnvelope envelope = envelope(scenario.service(), c);
        input.pipeInput(DecodedProfile.instanceKey(scenario.service(), c.instance()), envelope,
            Instant.ofEpochMilli(c.captureMs()));
      }
      List<LeakSuspect> suspects = driver.createOutputTopic(config.suspectsTopic(), new StringDeserializer(),
          LeakwatchSerdes.leakSuspect(serdeConfig, false).deserializer()).readValuesToList();
      int dead = driver.createOutputTopic(config.deadLetterTopic(), new ByteArrayDeserializer(),
          new ByteArrayDeserializer()).readRecordsToList().size();
      return new Result(suspects, ordered.size(), dead);
    } finally {
      deleteTree(stateDir);
    }
  }

  private static ProfileEnvelope envelope(String service, CorpusScenario.Capture c) {
    byte[] bytes;
    try {
      bytes = Files.readAllBytes(c.file());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + c.file(), e);
    }
    return ProfileEnvelope.newBuilder()
        .setService(service)
        .setInstance(c.instance())
        .setProfileType(profileType(c.type()))
        .setCaptureTime(Instant.ofEpochMilli(c.captureMs()))
        .setSource(IngestSource.REPLAY)
        .setProfile(ByteBuffer.wrap(bytes))
        .build();
  }

  static ProfileType profileType(String fileType) {
    return switch (fileType.toLowerCase(Locale.ROOT)) {
      case "heap" -> ProfileType.HEAP;
      case "allocs" -> ProfileType.ALLOCS;
      case "goroutine" -> ProfileType.GOROUTINE;
      case "goroutineleak" -> ProfileType.GOROUTINELEAK;
      default -> throw new IllegalArgumentException("unknown profile type in corpus: " + fileType);
    };
  }

  private static void deleteTree(Path dir) {
    try (Stream<Path> s = Files.walk(dir)) {
      s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      // best effort: a left-over temp state dir is harmless
    }
  }
}
