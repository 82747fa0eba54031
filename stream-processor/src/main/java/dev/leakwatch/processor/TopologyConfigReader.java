package dev.leakwatch.processor;

import dev.leakwatch.detect.DetectionConfig;
import dev.leakwatch.detect.DetectionPolicy;
import dev.leakwatch.pprof.DecodeLimits;
import dev.leakwatch.topology.TopologyConfig;
import java.lang.reflect.RecordComponent;
import java.util.Arrays;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Reads the topology part of {@code processor.yaml} ({@code topics}, {@code windows},
 * {@code limits}, {@code detection}, {@code lifecycleTick}, {@code serde}) over
 * {@link TopologyConfig#defaults()}: every key is optional.
 */
final class TopologyConfigReader {

  private TopologyConfigReader() {}

  /**
   * @param topics the {@code topics} section (the caller reads its other keys first)
   * @param detection the {@code detection} section (the caller reads {@code reloadInterval} first)
   */
  static TopologyConfig read(YamlSection root, YamlSection topics, YamlSection detection) {
    TopologyConfig d = TopologyConfig.defaults();
    YamlSection windows = root.section("windows");
    YamlSection limits = root.section("limits");
    YamlSection decode = limits.section("decode");
    DecodeLimits decodeLimits = decodeLimits(decode, d.decodeLimits());
    DetectionPolicy policy = detection(detection, d.detection());
    try {
      TopologyConfig c = d
          .withTopics(topics.string("profiles", d.profilesTopic()),
              topics.string("deadLetters", d.deadLetterTopic()),
              topics.string("suspects", d.suspectsTopic()),
              topics.optionalString("audit", d.auditTopic()))
          .withWindows(windows.duration("size", d.windowSize()),
              windows.duration("retention", d.windowRetention()),
              windows.integer("maxStacks", d.maxStacksPerWindow()))
          .withLimits(decodeLimits,
              limits.bytes("maxEnvelopeBytes", d.maxEnvelopeBytes()),
              limits.duration("maxFutureSkew", d.maxFutureSkew()))
          .withDetection(policy)
          .withLifecycleTick(root.duration("lifecycleTick", d.lifecycleTick()))
          .withSerdeConfig(root.properties("serde"));
      topics.rejectUnknown();
      windows.rejectUnknown();
      decode.rejectUnknown();
      limits.rejectUnknown();
      return c;
    } catch (IllegalArgumentException e) {
      throw ConfigError.fromValidation("(topology)", e.getMessage(), TOPOLOGY_KEYS::get);
    }
  }

  /** The key of each {@link TopologyConfig} field this reader sets from its own key. */
  private static final Map<String, String> TOPOLOGY_KEYS = Map.ofEntries(
      Map.entry("profilesTopic", "topics.profiles"), Map.entry("deadLetterTopic", "topics.deadLetters"),
      Map.entry("suspectsTopic", "topics.suspects"), Map.entry("auditTopic", "topics.audit"),
      Map.entry("windowSize", "windows.size"), Map.entry("windowRetention", "windows.retention"),
      Map.entry("maxStacksPerWindow", "windows.maxStacks"), Map.entry("maxEnvelopeBytes", "limits.maxEnvelopeBytes"),
      Map.entry("maxFutureSkew", "limits.maxFutureSkew"), Map.entry("lifecycleTick", "lifecycleTick"),
      Map.entry("maxStringBytes", "limits.decode.maxStringBytes"),
      Map.entry("maxStackDepth", "limits.decode.maxStackDepth"));

  private static final Set<String> DECODE_KEYS = Set.of("maxCompressedBytes", "maxDecompressedBytes",
      "maxSamples", "maxLocations", "maxFunctions", "maxStackDepth", "maxStrings", "maxStringBytes",
      "maxMappings", "maxLabelsPerSample", "maxLines", "maxLabels");

  /** Every {@link DetectionConfig} field, each its own key under {@code detection}. */
  static final Set<String> DETECTION_KEYS = Arrays.stream(DetectionConfig.class.getRecordComponents())
      .map(RecordComponent::getName).collect(Collectors.toUnmodifiableSet());

  private static DecodeLimits decodeLimits(YamlSection s, DecodeLimits d) {
    try {
      return readDecodeLimits(s, d);
    } catch (IllegalArgumentException e) {
      throw ConfigError.fromValidation("limits.decode", e.getMessage(), DECODE_KEYS);
    }
  }

  private static DecodeLimits readDecodeLimits(YamlSection s, DecodeLimits d) {
    return d.withMaxCompressedBytes(s.bytes("maxCompressedBytes", d.maxCompressedBytes()))
        .withMaxDecompressedBytes(s.bytes("maxDecompressedBytes", d.maxDecompressedBytes()))
        .withMaxSamples(s.integer("maxSamples", d.maxSamples()))
        .withMaxLocations(s.integer("maxLocations", d.maxLocations()))
        .withMaxFunctions(s.integer("maxFunctions", d.maxFunctions()))
        .withMaxStackDepth(s.integer("maxStackDepth", d.maxStackDepth()))
        .withMaxStrings(s.integer("maxStrings", d.maxStrings()))
        // a size like its siblings (docs: "64 KiB"); beyond an int it is over the 64 KiB bound anyway
        .withMaxStringBytes((int) Math.min(Integer.MAX_VALUE, s.bytes("maxStringBytes", d.maxStringBytes())))
        .withMaxMappings(s.integer("maxMappings", d.maxMappings()))
        .withMaxLabelsPerSample(s.integer("maxLabelsPerSample", d.maxLabelsPerSample()))
        .withMaxLines(s.integer("maxLines", d.maxLines()))
        .withMaxLabels(s.integer("maxLabels", d.maxLabels()));
  }

  private static DetectionPolicy detection(YamlSection s, DetectionConfig d) {
    DetectionConfig c;
    try {
      c = readDetection(s, d);
    } catch (IllegalArgumentException e) {
      throw ConfigError.fromValidation("detection", e.getMessage(), DETECTION_KEYS);
    }
    DetectionPolicy policy = DetectionRulesReader.read(s.sections(DetectionRulesReader.KEY), c);
    s.rejectUnknown();
    return policy;
  }

  static DetectionConfig readDetection(YamlSection s, DetectionConfig d) {
    return d.toBuilder()
        .windowCaptures(s.integer("windowCaptures", d.windowCaptures()))
        .maxTrackedSites(s.integer("maxTrackedSites", d.maxTrackedSites()))
        .minCaptures(s.integer("minCaptures", d.minCaptures()))
        .minSpan(s.duration("minSpan", d.minSpan()))
        .maxGap(s.duration("maxGap", d.maxGap()))
        .minTrendZ(s.decimal("minTrendZ", d.minTrendZ()))
        .heapMinBytesPerHour(s.decimal("heapMinBytesPerHour", d.heapMinBytesPerHour()))
        .heapMinRelativePerHour(s.decimal("heapMinRelativePerHour", d.heapMinRelativePerHour()))
        .heapMinRiseSamplingPeriods(s.decimal("heapMinRiseSamplingPeriods", d.heapMinRiseSamplingPeriods()))
        .goroutineMinPerHour(s.decimal("goroutineMinPerHour", d.goroutineMinPerHour()))
        .goroutineMinRelativePerHour(s.decimal("goroutineMinRelativePerHour", d.goroutineMinRelativePerHour()))
        .goroutineMinRise(s.longValue("goroutineMinRise", d.goroutineMinRise()))
        .minRecentRiseRatio(s.decimal("minRecentRiseRatio", d.minRecentRiseRatio()))
        .goroutineResetDropFraction(s.decimal("goroutineResetDropFraction", d.goroutineResetDropFraction()))
        .warmup(s.duration("warmup", d.warmup()))
        .warmupQuietSignificance(s.decimal("warmupQuietSignificance", d.warmupQuietSignificance()))
        .updateInterval(s.duration("updateInterval", d.updateInterval()))
        .resolveAfter(s.duration("resolveAfter", d.resolveAfter()))
        .instanceGoneAfter(s.duration("instanceGoneAfter", d.instanceGoneAfter()))
        .evidencePerInstance(s.integer("evidencePerInstance", d.evidencePerInstance()))
        .maxReportedFrames(s.integer("maxReportedFrames", d.maxReportedFrames()))
        .build();
  }
}
