package dev.leakwatch.http;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.leakwatch.pprof.DecodeLimits;
import dev.leakwatch.pprof.Profile;
import dev.leakwatch.pprof.ProfileDecoder;
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
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The project's recorded Go profiles ({@code testdata/corpus}, system property {@code
 * leakwatch.testdata}); tests skip when absent. Ground truth the processor never sees (which
 * process took a capture) comes from the manifests.
 */
final class RecordedCorpus {

  private RecordedCorpus() {}

  static Path root() {
    String root = System.getProperty("leakwatch.testdata");
    assumeTrue(root != null, "system property leakwatch.testdata not set");
    Path corpus = Path.of(root, "corpus");
    assumeTrue(Files.isDirectory(corpus), "no recorded corpus at " + corpus);
    return corpus;
  }

  static CorpusScenario scenario(String id) {
    return CorpusReader.read(root()).stream().filter(s -> s.id().equals(id)).findFirst()
        .orElseThrow(() -> new IllegalStateException("no recorded scenario " + id));
  }

  /** Per instance, per capture time: the id of the Go process that served the capture (manifest). */
  static Map<String, Map<Long, String>> processes(String id) {
    try (Stream<Path> dirs = Files.list(root())) {
      Path dir = dirs.filter(d -> d.getFileName().toString().startsWith(id + "_")).findFirst().orElseThrow();
      JsonNode m = new ObjectMapper().readTree(dir.resolve("manifest.json").toFile());
      Map<String, Map<Long, String>> out = new HashMap<>();
      for (JsonNode inst : m.path("instances")) {
        Map<Long, String> byTime = out.computeIfAbsent(inst.path("name").asText(), k -> new HashMap<>());
        for (JsonNode c : inst.path("captures")) {
          byTime.put(c.path("unix_ms").asLong(), c.path("process_instance_id").asText());
        }
      }
      return out;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static byte[] bytes(Path file) {
    try {
      return Files.readAllBytes(file);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static Profile decode(CorpusScenario.Capture c) {
    return ProfileDecoder.decode(bytes(c.file()), DecodeLimits.defaults());
  }

  static Profile decode(byte[] gz) {
    return ProfileDecoder.decode(gz, DecodeLimits.defaults());
  }

  /** The envelope an agent would publish for a capture. */
  static ProfileEnvelope envelope(String service, CorpusScenario.Capture c) {
    return ProfileEnvelope.newBuilder()
        .setService(service)
        .setInstance(c.instance())
        .setProfileType(ProfileType.valueOf(c.type().toUpperCase(Locale.ROOT)))
        .setCaptureTime(Instant.ofEpochMilli(c.captureMs()))
        .setSource(IngestSource.REPLAY)
        .setProfile(ByteBuffer.wrap(bytes(c.file())))
        .build();
  }

  /** Captures of one type, by capture time then instance. */
  static List<CorpusScenario.Capture> of(CorpusScenario s, String type) {
    return s.captures().stream().filter(c -> c.type().equals(type))
        .sorted(java.util.Comparator.comparingLong(CorpusScenario.Capture::captureMs)
            .thenComparing(CorpusScenario.Capture::instance))
        .toList();
  }
}
