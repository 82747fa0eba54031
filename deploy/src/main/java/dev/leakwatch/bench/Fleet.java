package dev.leakwatch.bench;

import dev.leakwatch.schemas.avro.IngestSource;
import dev.leakwatch.schemas.avro.ProfileEnvelope;
import dev.leakwatch.schemas.avro.ProfileType;
import dev.leakwatch.schemas.serde.LeakwatchSerdes;
import dev.leakwatch.topology.DecodedProfile;
import dev.leakwatch.topology.TopologyNames;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;
import org.apache.kafka.common.serialization.Serializer;

/**
 * A simulated fleet of Go service instances that publish heap profiles, as the agent would: the
 * records (key {@code service/instance}, value an Avro {@code ProfileEnvelope} in the bundled
 * single-object encoding) that the processor reads.
 *
 * <p>Instance {@code i} belongs to service {@code i % services} and replays sequence {@code i % n}
 * of the profile set, capture after capture; with {@code staggered}, instances start at different
 * points of their sequence (so a round of the fleet mixes small and large profiles). An instance
 * whose sequence wraps around looks like a restarted process, as it would in a real fleet.
 *
 * <p>Not thread-safe (one serializer); one publisher thread per fleet.
 */
public final class Fleet {

  private final BenchProfiles profiles;
  private final String prefix;
  private final int services;
  private final int instances;
  private final boolean staggered;
  private final Serializer<ProfileEnvelope> serializer =
      LeakwatchSerdes.profileEnvelope(Map.of(), false).serializer();

  /**
   * @param profiles what the instances publish
   * @param prefix service name prefix, e.g. {@code svc}: services are {@code svc-000}, {@code svc-001} ...
   * @param services number of services, at least 1
   * @param instances number of instances, at least {@code services}
   * @param staggered whether instances start at different captures of their sequence
   */
  public Fleet(BenchProfiles profiles, String prefix, int services, int instances, boolean staggered) {
    if (services < 1 || instances < services) {
      throw new IllegalArgumentException("need 1 <= services <= instances, got " + services + " services, "
          + instances + " instances");
    }
    this.profiles = profiles;
    this.prefix = prefix;
    this.services = services;
    this.instances = instances;
    this.staggered = staggered;
  }

  public int size() {
    return instances;
  }

  public BenchProfiles profiles() {
    return profiles;
  }

  /** The service of instance {@code i}. */
  public String service(int i) {
    return String.format("%s-%03d", prefix, i % services);
  }

  /** The instance name of instance {@code i}. */
  public String instance(int i) {
    return String.format("%s-i%06d", prefix, i);
  }

  /** The record key of instance {@code i}: {@code service/instance}, UTF-8. */
  public byte[] key(int i) {
    return DecodedProfile.instanceKey(service(i), instance(i)).getBytes(StandardCharsets.UTF_8);
  }

  /** The gzip'd profile instance {@code i} publishes as its capture number {@code capture} (from 0). */
  public byte[] profile(int i, int capture) {
    int seqs = profiles.sequences().size();
    int start = staggered ? (i / seqs) * 7 : 0;
    return profiles.profile(i % seqs, start + capture);
  }

  /**
   * The record value of instance {@code i}'s capture number {@code capture}, captured at {@code
   * captureMs} (ms since the Unix epoch).
   */
  public byte[] envelope(int i, int capture, long captureMs) {
    return envelope(i, profile(i, capture), captureMs);
  }

  /** The record value of instance {@code i} publishing {@code gz} captured at {@code captureMs}. */
  public byte[] envelope(int i, byte[] gz, long captureMs) {
    ProfileEnvelope e = ProfileEnvelope.newBuilder()
        .setService(service(i))
        .setInstance(instance(i))
        .setProfileType(ProfileType.HEAP)
        .setCaptureTime(Instant.ofEpochMilli(captureMs))
        .setSource(IngestSource.SCRAPE)
        .setAgent("leakwatch-bench")
        .setProfile(ByteBuffer.wrap(gz))
        .build();
    return serializer.serialize(TopologyNames.PROFILES_TOPIC, e);
  }
}
