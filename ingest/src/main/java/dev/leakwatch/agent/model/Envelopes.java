package dev.leakwatch.agent.model;

import dev.leakwatch.schemas.avro.IngestSource;
import dev.leakwatch.schemas.avro.ProfileEnvelope;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;

/** Builds the {@link ProfileEnvelope}s the agent publishes. */
public final class Envelopes {
  private Envelopes() {}

  /**
   * An envelope for a profile the agent scraped.
   *
   * @param captureTime when the request for this profile was sent (truncated to milliseconds)
   * @param body the body exactly as served (gzip'd or plain profile.proto); not copied
   */
  public static ProfileEnvelope scraped(
      Target target, ProfileKind kind, Instant captureTime, byte[] body, String agentId) {
    return build(
        target.id(), kind, captureTime, target.labels(), target.memoryLimitBytes(),
        IngestSource.SCRAPE, body, agentId);
  }

  /**
   * An envelope for a profile pushed to {@code POST /ingest}.
   *
   * @param memoryLimitBytes the pusher's memory limit, or null when not given
   */
  public static ProfileEnvelope pushed(
      TargetId id,
      ProfileKind kind,
      Instant captureTime,
      Map<String, String> labels,
      Long memoryLimitBytes,
      byte[] body,
      String agentId) {
    return build(id, kind, captureTime, labels, memoryLimitBytes, IngestSource.PUSH, body, agentId);
  }

  /**
   * An envelope for a recorded profile replayed from a corpus (source {@code REPLAY}).
   *
   * @param captureTime the capture time to publish (the recorded one, possibly shifted)
   * @param memoryLimitBytes the memory limit to report, or null when unknown
   */
  public static ProfileEnvelope replayed(
      TargetId id, ProfileKind kind, Instant captureTime, Long memoryLimitBytes, byte[] body, String agentId) {
    return build(id, kind, captureTime, Map.of(), memoryLimitBytes, IngestSource.REPLAY, body, agentId);
  }

  private static ProfileEnvelope build(
      TargetId id,
      ProfileKind kind,
      Instant captureTime,
      Map<String, String> labels,
      Long memoryLimitBytes,
      IngestSource source,
      byte[] body,
      String agentId) {
    return ProfileEnvelope.newBuilder()
        .setService(id.service())
        .setInstance(id.instance())
        .setProfileType(kind.wireType())
        .setCaptureTime(captureTime.truncatedTo(ChronoUnit.MILLIS))
        .setLabels(Map.copyOf(labels))
        .setMemoryLimitBytes(memoryLimitBytes)
        .setSource(source)
        .setAgent(agentId)
        .setProfile(ByteBuffer.wrap(body))
        .build();
  }
}
