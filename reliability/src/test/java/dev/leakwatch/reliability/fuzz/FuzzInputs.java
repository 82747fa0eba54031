package dev.leakwatch.reliability.fuzz;

import dev.leakwatch.pprof.testing.Bytes;
import dev.leakwatch.pprof.testing.ProfileFixtures;
import dev.leakwatch.schemas.avro.IngestSource;
import dev.leakwatch.schemas.avro.ProfileEnvelope;
import dev.leakwatch.schemas.avro.ProfileType;
import dev.leakwatch.schemas.serde.LeakwatchSerdes;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.stream.Collectors;
import java.util.zip.GZIPInputStream;
import org.apache.kafka.common.serialization.Serializer;

/**
 * The campaigns' inputs, all grown from the recorded Go profiles in {@code testdata/corpus}: the
 * first and last capture of every type and instance are the seeds; inputs are seeds or pool
 * entries (earlier interesting inputs) mutated by {@link ProfileMutator}, {@link ByteMutations}
 * and {@link EnvelopeGenerator}. Skips the calling test when no corpus is present.
 */
final class FuzzInputs {

  /** A pool entry is re-mutated as a profile only if it inflates to at most this. */
  private static final int MAX_REINFLATE = 1 << 20;

  private final List<byte[]> gzipped;
  private final List<String> types;
  private final List<byte[]> protos;
  private final ProfileMutator mutator;
  private final Serializer<ProfileEnvelope> serializer =
      LeakwatchSerdes.profileEnvelope(Map.of(), false).serializer();
  private final List<byte[]> envelopes = new ArrayList<>();
  private final EnvelopeGenerator generator;

  FuzzInputs() {
    gzipped = new ArrayList<>();
    types = new ArrayList<>();
    for (String type : List.of("heap", "goroutine", "allocs")) {
      for (Path file : firstAndLastPerInstance(ProfileFixtures.files(type))) {
        gzipped.add(read(file));
        types.add(type);
      }
    }
    protos = gzipped.stream().map(Bytes::gunzip).toList();
    mutator = new ProfileMutator(protos);
    for (int i = 0; i < gzipped.size(); i++) {
      envelopes.add(envelope(types.get(i), gzipped.get(i)));
    }
    generator = new EnvelopeGenerator(Arrays.copyOf(envelopes.get(0), 10), gzipped);
  }

  int seedCount() {
    return gzipped.size();
  }

  /** pprof bytes: a mutated seed or pool entry, plain or gzip'd. */
  byte[] profile(SplittableRandom rnd, List<byte[]> pool) {
    if (!pool.isEmpty() && rnd.nextBoolean()) {
      byte[] parent = pool.get(rnd.nextInt(pool.size()));
      byte[] proto = inflateSmall(parent);
      return proto == null ? ByteMutations.mutate(parent, rnd) : mutator.wrap(mutator.mutateProto(proto, rnd), rnd);
    }
    return mutator.wrap(mutator.mutateProto(protos.get(rnd.nextInt(protos.size())), rnd), rnd);
  }

  /** Envelope bytes: generated field by field, or a seed or pool entry with byte mutations. */
  byte[] envelope(SplittableRandom rnd, List<byte[]> pool) {
    if (rnd.nextBoolean()) {
      return generator.next(rnd);
    }
    List<byte[]> from = !pool.isEmpty() && rnd.nextBoolean() ? pool : envelopes;
    byte[] out = from.get(rnd.nextInt(from.size()));
    for (int n = 1 + rnd.nextInt(3); n > 0; n--) {
      out = ByteMutations.mutate(out, rnd);
    }
    return out;
  }

  /** For the decode stage: mostly well-formed envelopes whose profile is a mutant. */
  byte[] record(SplittableRandom rnd, List<byte[]> pool) {
    if (rnd.nextInt(10) < 6) {
      int i = rnd.nextInt(gzipped.size());
      return envelope(types.get(i), mutator.wrap(mutator.mutateProto(protos.get(i), rnd), rnd));
    }
    return envelope(rnd, pool);
  }

  private byte[] envelope(String type, byte[] profile) {
    return serializer.serialize(EnvelopeSerdeTarget.TOPIC, ProfileEnvelope.newBuilder()
        .setService("checkout").setInstance("checkout-0")
        .setProfileType(ProfileType.valueOf(type.toUpperCase(Locale.ROOT)))
        .setCaptureTime(Instant.ofEpochMilli(1_700_000_000_000L))
        .setSource(IngestSource.REPLAY)
        .setProfile(ByteBuffer.wrap(profile))
        .build());
  }

  /** Gunzips at most {@link #MAX_REINFLATE} bytes; null when not gzip, corrupt or bigger. */
  private static byte[] inflateSmall(byte[] data) {
    if (data.length < 2 || (data[0] & 0xFF) != 0x1F || (data[1] & 0xFF) != 0x8B) {
      return null;
    }
    try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(data))) {
      byte[] out = in.readNBytes(MAX_REINFLATE + 1);
      return out.length > MAX_REINFLATE ? null : out;
    } catch (IOException | RuntimeException e) {
      return null;
    }
  }

  private static List<Path> firstAndLastPerInstance(List<Path> files) {
    List<Path> out = new ArrayList<>();
    files.stream().collect(Collectors.groupingBy(Path::getParent)).values().forEach(perInstance -> {
      out.add(perInstance.get(0));
      out.add(perInstance.get(perInstance.size() - 1));
    });
    out.sort(null);
    return out;
  }

  private static byte[] read(Path file) {
    try {
      return Files.readAllBytes(file);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
