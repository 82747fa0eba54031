package dev.leakwatch.topology;

import dev.leakwatch.detect.ProfileKind;
import dev.leakwatch.detect.site.CaptureSnapshot;
import dev.leakwatch.detect.site.ProfileShapeException;
import dev.leakwatch.detect.site.ProfileStacks;
import dev.leakwatch.detect.site.SiteExtractor;
import dev.leakwatch.naming.InvalidNameException;
import dev.leakwatch.naming.Names;
import dev.leakwatch.pprof.DecodeLimits;
import dev.leakwatch.pprof.Profile;
import dev.leakwatch.pprof.ProfileDecodeException;
import dev.leakwatch.pprof.ProfileDecoder;
import dev.leakwatch.schemas.avro.ProfileEnvelope;
import dev.leakwatch.schemas.avro.ProfileType;
import dev.leakwatch.schemas.registry.SchemaRegistryException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.apache.kafka.common.serialization.Deserializer;

/**
 * Turns one input record's bytes into a {@link DecodedProfile} or a {@link DeadLetter}; never
 * throws for bad input. Throws {@link RegistryUnavailableException} when the schema registry could
 * not be asked for the record's schema: that is not the record's fault, and dead-lettering it would
 * lose a good profile.
 *
 * <p>Checks, in order: value size ({@link TopologyConfig#maxEnvelopeBytes()}), Avro framing and
 * schema, envelope fields (service and instance names by the shared rule of {@link Names}, a known
 * profile type, a positive capture time at most {@link TopologyConfig#maxFutureSkew()} after the
 * record's own timestamp and after the processor's clock, a key equal to {@code service/instance}),
 * the pprof bytes within
 * {@link DecodeLimits}, and the sample types the profile type needs; finally detection's site
 * extraction, whose shape errors are dead-lettered too. A dead letter carries the input's value,
 * except for a value over the size limit, which stays only at its source offset.
 */
public final class EnvelopeDecoder {

  private static final List<String> HEAP_TYPES =
      List.of("alloc_objects", "alloc_space", "inuse_objects", "inuse_space");

  private final Deserializer<ProfileEnvelope> envelopes;
  private final TopologyConfig config;

  public EnvelopeDecoder(Deserializer<ProfileEnvelope> envelopes, TopologyConfig config) {
    this.envelopes = Objects.requireNonNull(envelopes, "envelopes");
    this.config = Objects.requireNonNull(config, "config");
  }

  /**
   * Decodes one record.
   *
   * @param key record key bytes, may be null
   * @param value record value bytes, may be null (a tombstone is rejected)
   * @param source where the record was read (its timestamp bounds the capture time)
   * @param nowMs the processor's wall clock, ms since the Unix epoch: it bounds the capture time too,
   *     because the record timestamp is usually stamped by the same clock as the capture time (the
   *     agent's), and a capture stamped ahead would make the instance's later, honest captures look
   *     older than it (ignored) until real time passed it
   * @throws RegistryUnavailableException when the record's schema had to be asked of a schema
   *     registry that could not be asked
   */
  public DecodeOutcome decode(byte[] key, byte[] value, SourcePosition source, long nowMs) {
    if (value == null) {
      return reject(DeadLetter.Stage.SIZE, new EnvelopeValidationException(
          "record value is null (tombstone); expected a ProfileEnvelope"), source, key, value);
    }
    if (value.length > config.maxEnvelopeBytes()) {
      // Left out of the dead letter: a value over the limit is bounded only by the input topic, and
      // a dead letter too large for the dead-letter topic would stop the pipeline at this record.
      return reject(DeadLetter.Stage.SIZE, new EnvelopeValidationException(
          "envelope of " + value.length + " bytes exceeds limit maxEnvelopeBytes="
              + config.maxEnvelopeBytes() + "; the value is left out of this dead letter (see its source offset)"),
          source, key, null);
    }
    ProfileEnvelope envelope;
    try {
      envelope = envelopes.deserialize(source.topic(), value);
    } catch (RuntimeException e) {
      SchemaRegistryException outage = registryOutage(e);
      if (outage != null) {
        throw new RegistryUnavailableException(source, outage);
      }
      return reject(DeadLetter.Stage.AVRO, e, source, key, value);
    }
    try {
      validate(envelope, key, source, nowMs);
    } catch (EnvelopeValidationException e) {
      return reject(DeadLetter.Stage.VALIDATION, e, source, key, value);
    }
    long captureMs = envelope.getCaptureTime().toEpochMilli();
    Profile profile;
    ProfileStacks stacks;
    CaptureSnapshot sites;
    try {
      profile = ProfileDecoder.decode(bytesOf(envelope.getProfile()), config.decodeLimits());
      requireSampleTypes(envelope.getProfileType(), profile);
      ProfileKind kind = ProfileKinds.of(envelope.getProfileType());
      if (kind == ProfileKind.ALLOCS) {
        // not analysed (the heap profile has the same records): its totals, not its stacks
        stacks = null;
        sites = SiteExtractor.totals(profile, kind, captureMs);
      } else {
        stacks = ProfileStacks.of(profile);
        sites = SiteExtractor.extract(stacks, kind, captureMs);
      }
    } catch (ProfileDecodeException | EnvelopeValidationException | ProfileShapeException e) {
      return reject(DeadLetter.Stage.PPROF, e, source, key, value);
    }
    return new DecodeOutcome.Decoded(new DecodedProfile(envelope.getService(), envelope.getInstance(),
        envelope.getProfileType(), captureMs, envelope.getMemoryLimitBytes(),
        envelope.getLabels() == null ? Map.of() : envelope.getLabels(), profile, stacks, sites, source));
  }

  private void validate(ProfileEnvelope envelope, byte[] key, SourcePosition source, long nowMs) {
    if (envelope == null) {
      throw new EnvelopeValidationException("deserializer returned no envelope");
    }
    requireName(Names.Kind.SERVICE, envelope.getService());
    requireName(Names.Kind.INSTANCE, envelope.getInstance());
    if (envelope.getProfileType() == null || envelope.getProfileType() == ProfileType.UNKNOWN) {
      throw new EnvelopeValidationException(
          "profileType is " + envelope.getProfileType() + "; expected HEAP, ALLOCS, GOROUTINE or GOROUTINELEAK");
    }
    long capture = envelope.getCaptureTime() == null ? 0 : envelope.getCaptureTime().toEpochMilli();
    if (capture <= 0) {
      throw new EnvelopeValidationException("captureTime " + capture + " ms is not after the Unix epoch");
    }
    long skew = config.maxFutureSkew().toMillis();
    if (source.timestamp() >= 0 && capture - source.timestamp() > skew) {
      throw new EnvelopeValidationException("captureTime " + capture + " ms is "
          + (capture - source.timestamp()) + " ms after the record timestamp " + source.timestamp()
          + " ms; limit maxFutureSkew=" + skew + " ms");
    }
    if (capture - nowMs > skew) {
      throw new EnvelopeValidationException("captureTime " + capture + " ms is " + (capture - nowMs)
          + " ms ahead of the processor's clock (" + nowMs + " ms; is the agent's clock wrong?); limit maxFutureSkew="
          + skew + " ms");
    }
    String expected = DecodedProfile.instanceKey(envelope.getService(), envelope.getInstance());
    String actual = key == null ? null : new String(key, StandardCharsets.UTF_8);
    if (!expected.equals(actual)) {
      throw new EnvelopeValidationException("record key " + (actual == null ? "null" : "'" + actual + "'")
          + " does not match the envelope's service/instance '" + expected + "'");
    }
    if (envelope.getProfile() == null) {
      throw new EnvelopeValidationException("profile bytes are missing");
    }
  }

  /** The name rule every part of Leakwatch applies, so that what is stored can be queried. */
  private static void requireName(Names.Kind kind, String value) {
    Names.problem(kind, value).ifPresent(problem -> {
      throw new EnvelopeValidationException(new InvalidNameException(kind, value, problem).getMessage());
    });
  }

  private static void requireSampleTypes(ProfileType type, Profile profile) {
    if (type == ProfileType.GOROUTINE || type == ProfileType.GOROUTINELEAK) {
      ProfileKind kind = ProfileKinds.of(type);
      if (SiteExtractor.goroutineSampleIndex(profile, kind) < 0) {
        throw new EnvelopeValidationException(type + " profile lacks sample type "
            + String.join(" or ", SiteExtractor.goroutineSampleTypes(kind)) + " (has " + profile.sampleTypes() + ")");
      }
      return;
    }
    for (String name : HEAP_TYPES) {
      if (profile.sampleIndex(name) < 0) {
        throw new EnvelopeValidationException(type + " profile lacks sample type " + name
            + " (has " + profile.sampleTypes() + ")");
      }
    }
  }

  /** The registry error in {@code e}'s causes that says the registry could not be asked, or null. */
  private static SchemaRegistryException registryOutage(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof SchemaRegistryException r && r.registryUnavailable()) {
        return r;
      }
    }
    return null;
  }

  private static byte[] bytesOf(ByteBuffer buffer) {
    ByteBuffer copy = buffer.duplicate();
    byte[] out = new byte[copy.remaining()];
    copy.get(out);
    return out;
  }

  private static DecodeOutcome reject(
      DeadLetter.Stage stage, Exception e, SourcePosition source, byte[] key, byte[] value) {
    return new DecodeOutcome.Rejected(DeadLetter.of(stage, e), source, key, value);
  }
}
