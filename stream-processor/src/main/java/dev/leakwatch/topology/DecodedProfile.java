package dev.leakwatch.topology;

import dev.leakwatch.detect.site.CaptureSnapshot;
import dev.leakwatch.detect.site.ProfileStacks;
import dev.leakwatch.pprof.Profile;
import dev.leakwatch.schemas.avro.ProfileType;
import java.util.Map;
import java.util.Objects;

/**
 * A profile envelope that passed decoding and validation, as it flows between processors of one
 * sub-topology (in memory only: it is never serialized).
 *
 * @param service service name, non-blank
 * @param instance instance name, non-blank
 * @param type profile type, never {@link ProfileType#UNKNOWN}
 * @param captureMs capture time, ms since the Unix epoch (the record timestamp downstream)
 * @param memoryLimitBytes memory limit of the target in bytes, null when unknown
 * @param labels the envelope's labels as Avro read them (version, region, ...), never null; the
 *     per-instance stage keeps them, bounded, in the instance's series for the query API
 * @param profile the decoded pprof profile
 * @param stacks its stacks read ({@link ProfileStacks#profile()} is {@code profile}); null for an
 *     allocs profile, which nothing downstream reads stacks of (detection ignores allocs profiles:
 *     they hold the same records as heap profiles, and windows take heap and goroutine profiles)
 * @param sites detection's view of the profile (sites and totals), extracted at decode time so
 *     that a profile detection cannot read is dead-lettered rather than failing a later stage
 * @param source where the envelope was read from, for audit
 */
public record DecodedProfile(
    String service,
    String instance,
    ProfileType type,
    long captureMs,
    Long memoryLimitBytes,
    Map<String, String> labels,
    Profile profile,
    ProfileStacks stacks,
    CaptureSnapshot sites,
    SourcePosition source) {

  public DecodedProfile {
    Objects.requireNonNull(service, "service");
    Objects.requireNonNull(instance, "instance");
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(labels, "labels");
    Objects.requireNonNull(profile, "profile");
    if (stacks != null && stacks.profile() != profile) {
      throw new IllegalArgumentException("stacks of another profile");
    }
    Objects.requireNonNull(sites, "sites");
    Objects.requireNonNull(source, "source");
  }

  /** The input record key this envelope must carry: {@code service/instance}. */
  public String instanceKey() {
    return instanceKey(service, instance);
  }

  /** The input record key of an instance: {@code service/instance}. */
  public static String instanceKey(String service, String instance) {
    return service + "/" + instance;
  }
}
