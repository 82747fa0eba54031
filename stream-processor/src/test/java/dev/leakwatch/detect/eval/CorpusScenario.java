package dev.leakwatch.detect.eval;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.leakwatch.detect.ProfileKind;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.OptionalLong;
import java.util.stream.Stream;

/**
 * One scenario (service) of a labelled corpus in the shared-corpus layout: what replay may see (service,
 * instance, kind, capture time, file) kept apart from the ground truth used only for scoring.
 */
public record CorpusScenario(Path dir, String id, String service, String label, String leakKind,
        List<String> leakSiteFunctions, List<String> watchFunctions, List<Capture> captures,
        OptionalLong earliestLeakStartMs) {

    /** What an agent would know about one capture, plus where its bytes are. */
    public record Capture(String instance, ProfileKind kind, long timeMs, Path file) {
    }

    public boolean isLeak() {
        return "leak".equals(label);
    }

    /** All scenarios below a corpus root (directories holding a manifest.json), sorted by name. */
    public static List<CorpusScenario> loadAll(Path root) throws IOException {
        List<CorpusScenario> out = new ArrayList<>();
        try (Stream<Path> dirs = Files.list(root)) {
            for (Path d : dirs.sorted().toList()) {
                if (Files.isRegularFile(d.resolve("manifest.json"))) {
                    out.add(load(d));
                }
            }
        }
        return out;
    }

    public static CorpusScenario load(Path dir) throws IOException {
        JsonNode m = new ObjectMapper().readTree(dir.resolve("manifest.json").toFile());
        List<Capture> captures = new ArrayList<>();
        long earliest = Long.MAX_VALUE;
        for (JsonNode inst : m.path("instances")) {
            String name = inst.path("name").asText();
            for (JsonNode c : inst.path("captures")) {
                long t = c.path("unix_ms").asLong();
                c.path("files").properties().forEach(f -> captures.add(
                        new Capture(name, ProfileKind.fromName(f.getKey()), t, dir.resolve(f.getValue().asText()))));
            }
            for (JsonNode ls : inst.path("leak_starts")) {
                earliest = Math.min(earliest, ls.path("unix_ms").asLong());
            }
        }
        captures.sort(Comparator.comparingLong(Capture::timeMs).thenComparing(Capture::instance)
                .thenComparing(Capture::kind));
        return new CorpusScenario(dir, m.path("scenario_id").asText(), m.path("service").asText(),
                m.path("label").asText(), m.path("leak_kind").asText(), texts(m.path("leak_site_functions")),
                texts(m.path("watch_functions")), captures,
                earliest == Long.MAX_VALUE ? OptionalLong.empty() : OptionalLong.of(earliest));
    }

    private static List<String> texts(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.asText()));
        return out;
    }
}
