package dev.leakwatch.topology;

import dev.leakwatch.detect.DetectionConfig;
import dev.leakwatch.detect.DetectionPolicy;
import dev.leakwatch.detect.LivePolicy;
import dev.leakwatch.detect.state.SiteCodec;
import dev.leakwatch.pprof.DecodeLimits;
import dev.leakwatch.topology.window.ServiceWindow;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;

/**
 * Everything {@link LeakwatchTopology#build} needs, already parsed and validated (YAML parsing
 * lives in {@code dev.leakwatch.processor}). Immutable; {@link #defaults()} then {@code withX}.
 *
 * @param profilesTopic input topic of {@code ProfileEnvelope}s keyed {@code service/instance};
 *     default {@value TopologyNames#PROFILES_TOPIC}
 * @param deadLetterTopic where rejected input goes with its original bytes; default {@value
 *     TopologyNames#DEAD_LETTER_TOPIC}
 * @param suspectsTopic output topic of Avro {@code LeakSuspect}s keyed by service; default {@value
 *     TopologyNames#SUSPECTS_TOPIC}
 * @param auditTopic one record per processed input ({@code topic/partition/offset}); null disables
 *     it; default {@value TopologyNames#AUDIT_TOPIC}
 * @param serdeConfig configuration of the Avro serdes (e.g. {@code schema.registry.url}); empty
 *     means single-object encoding with the bundled schemas
 * @param decodeLimits pprof decode limits; default {@link DecodeLimits#defaults()}
 * @param maxEnvelopeBytes largest accepted record value, bytes; default the compressed-profile
 *     limit plus 64 KiB for the envelope's other fields
 * @param maxFutureSkew how far a capture time may lie after its record's timestamp and after the
 *     processor's clock; default 5 min. Bounds the damage a wrong agent clock does to stream time (a
 *     far-future capture would otherwise expire every window and suspect) and to its instances'
 *     series (whose later, honest captures would look older and be ignored)
 * @param livePolicy detection tunables and their per-service rules, as a holder whose owner may swap them
 *     while the topology runs (the processor re-reads its file, docs/DETECTION.md §6); every capture is judged
 *     by the policy in force when it is processed. The fields outside {@link DetectionPolicy#PER_SERVICE_FIELDS}
 *     are read once, when a task starts, and must not change. Default every service judged by {@link
 *     DetectionConfig#defaults()}
 * @param windowSize tumbling window size of the service windows; default 1 min
 * @param windowRetention how long service windows are kept (event time); default 7 days
 * @param maxStacksPerWindow most stacks per section of a window (and per contribution); the rest
 *     are summed under id 0; default 2000
 * @param lifecycleTick stream-time interval at which quiet suspects and gone instances are
 *     expired even when their service sends nothing; default 1 min
 */
public record TopologyConfig(
    String profilesTopic,
    String deadLetterTopic,
    String suspectsTopic,
    String auditTopic,
    Map<String, Object> serdeConfig,
    DecodeLimits decodeLimits,
    long maxEnvelopeBytes,
    Duration maxFutureSkew,
    LivePolicy livePolicy,
    Duration windowSize,
    Duration windowRetention,
    int maxStacksPerWindow,
    Duration lifecycleTick) {

  public TopologyConfig {
    requireTopic("profilesTopic", profilesTopic);
    requireTopic("deadLetterTopic", deadLetterTopic);
    requireTopic("suspectsTopic", suspectsTopic);
    if (auditTopic != null) {
      requireTopic("auditTopic", auditTopic);
    }
    serdeConfig = Map.copyOf(Objects.requireNonNull(serdeConfig, "serdeConfig"));
    Objects.requireNonNull(decodeLimits, "decodeLimits");
    Objects.requireNonNull(livePolicy, "livePolicy");
    require(maxEnvelopeBytes > 0, "maxEnvelopeBytes must be positive");
    require(maxFutureSkew != null && !maxFutureSkew.isNegative(), "maxFutureSkew must not be negative");
    require(windowSize != null && windowSize.toMillis() >= 1000, "windowSize must be at least 1 s");
    require(windowRetention != null && windowRetention.compareTo(windowSize) >= 0,
        "windowRetention must be at least windowSize");
    require(maxStacksPerWindow >= 1, "maxStacksPerWindow must be positive");
    // what is written must read back: the stores' and the repartition topic's readers refuse more
    require(maxStacksPerWindow <= ServiceWindow.MAX_STACKS_READ, "maxStacksPerWindow must be at most "
        + ServiceWindow.MAX_STACKS_READ + ", the most a stored window is read back with");
    require(decodeLimits.maxStringBytes() <= SiteCodec.MAX_NAME_BYTES, "maxStringBytes must be at most "
        + SiteCodec.MAX_NAME_BYTES + ", the longest function or file name the state stores read back");
    require(decodeLimits.maxStackDepth() <= SiteCodec.MAX_FRAMES, "maxStackDepth must be at most "
        + SiteCodec.MAX_FRAMES + ", the deepest stack the state stores read back");
    require(lifecycleTick != null && lifecycleTick.toMillis() >= 1000, "lifecycleTick must be at least 1 s");
  }

  /** The documented defaults. */
  public static TopologyConfig defaults() {
    DecodeLimits limits = DecodeLimits.defaults();
    return new TopologyConfig(TopologyNames.PROFILES_TOPIC, TopologyNames.DEAD_LETTER_TOPIC,
        TopologyNames.SUSPECTS_TOPIC, TopologyNames.AUDIT_TOPIC, Map.of(), limits,
        limits.maxCompressedBytes() + 64 * 1024, Duration.ofMinutes(5),
        new LivePolicy(DetectionPolicy.of(DetectionConfig.defaults())),
        Duration.ofMinutes(1), Duration.ofDays(7), 2000, Duration.ofMinutes(1));
  }

  public TopologyConfig withTopics(String profiles, String deadLetters, String suspects, String audit) {
    return new TopologyConfig(profiles, deadLetters, suspects, audit, serdeConfig, decodeLimits,
        maxEnvelopeBytes, maxFutureSkew, livePolicy, windowSize, windowRetention, maxStacksPerWindow,
        lifecycleTick);
  }

  public TopologyConfig withSerdeConfig(Map<String, Object> v) {
    return new TopologyConfig(profilesTopic, deadLetterTopic, suspectsTopic, auditTopic, v, decodeLimits,
        maxEnvelopeBytes, maxFutureSkew, livePolicy, windowSize, windowRetention, maxStacksPerWindow,
        lifecycleTick);
  }

  public TopologyConfig withLimits(DecodeLimits limits, long envelopeBytes, Duration futureSkew) {
    return new TopologyConfig(profilesTopic, deadLetterTopic, suspectsTopic, auditTopic, serdeConfig,
        limits, envelopeBytes, futureSkew, livePolicy, windowSize, windowRetention, maxStacksPerWindow,
        lifecycleTick);
  }

  /** The detection policy in force now ({@link #livePolicy()}'s). */
  public DetectionPolicy detectionPolicy() {
    return livePolicy.get();
  }

  /** The configuration of every global detection field, and of services no per-service rule covers (now). */
  public DetectionConfig detection() {
    return detectionPolicy().base();
  }

  /** This configuration with every service judged by {@code v} (no per-service rules). */
  public TopologyConfig withDetection(DetectionConfig v) {
    return withDetection(DetectionPolicy.of(v));
  }

  /** This configuration with a holder of its own, holding {@code v}. */
  public TopologyConfig withDetection(DetectionPolicy v) {
    return withDetection(new LivePolicy(v));
  }

  /** This configuration judging by whatever {@code v} holds when each capture is processed. */
  public TopologyConfig withDetection(LivePolicy v) {
    return new TopologyConfig(profilesTopic, deadLetterTopic, suspectsTopic, auditTopic, serdeConfig,
        decodeLimits, maxEnvelopeBytes, maxFutureSkew, v, windowSize, windowRetention, maxStacksPerWindow,
        lifecycleTick);
  }

  public TopologyConfig withWindows(Duration size, Duration retention, int maxStacks) {
    return new TopologyConfig(profilesTopic, deadLetterTopic, suspectsTopic, auditTopic, serdeConfig,
        decodeLimits, maxEnvelopeBytes, maxFutureSkew, livePolicy, size, retention, maxStacks, lifecycleTick);
  }

  public TopologyConfig withLifecycleTick(Duration v) {
    return new TopologyConfig(profilesTopic, deadLetterTopic, suspectsTopic, auditTopic, serdeConfig,
        decodeLimits, maxEnvelopeBytes, maxFutureSkew, livePolicy, windowSize, windowRetention,
        maxStacksPerWindow, v);
  }

  private static void requireTopic(String field, String topic) {
    require(topic != null && !topic.isBlank() && topic.length() <= 249
        && topic.chars().allMatch(c -> Character.isLetterOrDigit(c) || c == '.' || c == '_' || c == '-'),
        field + " '" + topic + "' is not a legal Kafka topic name");
  }

  private static void require(boolean ok, String message) {
    if (!ok) {
      throw new IllegalArgumentException(message);
    }
  }
}
