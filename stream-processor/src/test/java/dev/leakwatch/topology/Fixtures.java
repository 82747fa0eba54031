package dev.leakwatch.topology;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.leakwatch.schemas.avro.IngestSource;
import dev.leakwatch.schemas.avro.ProfileEnvelope;
import dev.leakwatch.schemas.avro.ProfileType;
import dev.leakwatch.topology.eval.CorpusReader;
import dev.leakwatch.topology.eval.CorpusScenario;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.function.Predicate;
import java.util.stream.Stream;

/**
 * The project's recorded Go profiles ({@code testdata/corpus}, located through the system property
 * {@code leakwatch.testdata} that surefire sets) and the shared corpus ({@code
 * leakwatch.shared.corpus}, present only beside a development checkout). Tests skip when absent.
 */
public final class Fixtures {

  private Fixtures() {}

  /** {@code testdata/corpus}; skips the test when it is not there. */
  public static Path corpus() {
    return testdata("corpus");
  }

  /** A directory of recordings under {@code testdata} (e.g. {@code related}); skips the test when it is not there. */
  public static Path testdata(String dir) {
    String root = System.getProperty("leakwatch.testdata");
    assumeTrue(root != null, "system property leakwatch.testdata not set");
    Path recorded = Path.of(root, dir);
    assumeTrue(Files.isDirectory(recorded), "no recordings at " + recorded);
    return recorded;
  }

  /** The shared developer corpus; skips the test when it is not there. */
  static Path sharedCorpus() {
    String root = System.getProperty("leakwatch.shared.corpus");
    assumeTrue(root != null && Files.isDirectory(Path.of(root)), "shared corpus not present");
    return Path.of(root);
  }

  /** The recorded scenario whose directory starts with {@code id + "_"} (e.g. {@code G}). */
  public static CorpusScenario scenario(String id) {
    return CorpusReader.read(corpus()).stream().filter(s -> s.id().equals(id)).findFirst()
        .orElseThrow(() -> new IllegalStateException("no recorded scenario " + id));
  }

  /** The manifest of a recorded scenario, for ground truth the topology never sees. */
  public static JsonNode manifest(String id) {
    try (Stream<Path> dirs = Files.list(corpus())) {
      Path dir = dirs.filter(d -> d.getFileName().toString().startsWith(id + "_")).findFirst()
          .orElseThrow(() -> new IllegalStateException("no recorded scenario " + id));
      return new ObjectMapper().readTree(dir.resolve("manifest.json").toFile());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The scenario's captures that pass {@code filter}, in capture-time order. */
  static List<CorpusScenario.Capture> captures(CorpusScenario s, Predicate<CorpusScenario.Capture> filter) {
    return s.captures().stream().filter(filter)
        .sorted(Comparator.comparingLong(CorpusScenario.Capture::captureMs)
            .thenComparing(CorpusScenario.Capture::instance).thenComparing(CorpusScenario.Capture::type))
        .toList();
  }

  public static byte[] bytes(Path file) {
    try {
      return Files.readAllBytes(file);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The envelope an agent would publish for a capture (optionally re-timed). */
  public static ProfileEnvelope envelope(String service, CorpusScenario.Capture c, long captureMs) {
    return ProfileEnvelope.newBuilder()
        .setService(service)
        .setInstance(c.instance())
        .setProfileType(ProfileType.valueOf(c.type().toUpperCase(Locale.ROOT)))
        .setCaptureTime(Instant.ofEpochMilli(captureMs))
        .setSource(IngestSource.REPLAY)
        .setProfile(ByteBuffer.wrap(bytes(c.file())))
        .build();
  }
}
