package dev.leakwatch.processor;

import dev.leakwatch.detect.DetectionConfig;
import dev.leakwatch.pprof.DecodeLimits;
import dev.leakwatch.topology.TopologyConfig;

/**
 * Reads the topology part of {@code processor.yaml} ({@code topics}, {@code windows},
 * {@code limits}, {@code detection}, {@code lifecycleTick}, {@code serde}) over
 * {@link TopologyConfig#defaults()}: every key is optional.
 */
final class TopologyConfigReader {

  private TopologyConfigReader() {}

  /** @param topics the {@code topics} section (the caller reads its other keys first) */
  static TopologyConfig read(YamlSection root, YamlSection topics) {
    TopologyConfig d = TopologyConfig.defaults();
    YamlSection windows = root.section("windows");
    YamlSection limits = root.section("limits");
    YamlSection decode = limits.section("decode");
    try {
      TopologyConfig c = d
          .withTopics(topics.string("profiles", d.profilesTopic()),
              topics.string("deadLetters", d.deadLetterTopic()),
              topics.string("suspects", d.suspectsTopic()),
              topics.optionalString("audit", d.auditTopic()))
          .withWindows(windows.duration("size", d.windowSize()),
              windows.duration("retention", d.windowRetention()),
              windows.integer("maxStacks", d.maxStacksPerWindow()))
          .withLimits(decodeLimits(decode, d.decodeLimits()),
              limits.bytes("maxEnvelopeBytes", d.maxEnvelopeBytes()),
              limits.duration("maxFutureSkew", d.maxFutureSkew()))
          .withDetection(detection(root.section("detection"), d.detection()))
          .withLifecycleTick(root.duration("lifecycleTick", d.lifecycleTick()))
          .withSerdeConfig(root.properties("serde"));
      topics.rejectUnknown();
      windows.rejectUnknown();
      decode.rejectUnknown();
      limits.rejectUnknown();
      return c;
    } catch (IllegalArgumentException e) {
      throw new ConfigError("(topology)", e.getMessage());
    }
  }

  private static DecodeLimits decodeLimits(YamlSection s, DecodeLimits d) {
    return d.withMaxCompressedBytes(s.bytes("maxCompressedBytes", d.maxCompressedBytes()))
        .withMaxDecompressedBytes(s.bytes("maxDecompressedBytes", d.maxDecompressedBytes()))
        .withMaxSamples(s.integer("maxSamples", d.maxSamples()))
        .withMaxLocations(s.integer("maxLocations", d.maxLocations()))
        .withMaxFunctions(s.integer("maxFunctions", d.maxFunctions()))
        .withMaxStackDepth(s.integer("maxStackDepth", d.maxStackDepth()))
        .withMaxStrings(s.integer("maxStrings", d.maxStrings()))
        .withMaxStringBytes(s.integer("maxStringBytes", d.maxStringBytes()))
        .withMaxMappings(s.integer("maxMappings", d.maxMappings()))
        .withMaxLabelsPerSample(s.integer("maxLabelsPerSample", d.maxLabelsPerSample()));
  }

  private static DetectionConfig detection(YamlSection s, DetectionConfig d) {
    DetectionConfig c = d.toBuilder()
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
        .updateInterval(s.duration("updateInterval", d.updateInterval()))
        .resolveAfter(s.duration("resolveAfter", d.resolveAfter()))
        .instanceGoneAfter(s.duration("instanceGoneAfter", d.instanceGoneAfter()))
        .evidencePerInstance(s.integer("evidencePerInstance", d.evidencePerInstance()))
        .maxReportedFrames(s.integer("maxReportedFrames", d.maxReportedFrames()))
        .build();
    s.rejectUnknown();
    return c;
  }
}
