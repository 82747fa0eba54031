package dev.leakwatch.detect;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.leakwatch.detect.eval.CorpusScenario;
import dev.leakwatch.pprof.Profile;
import dev.leakwatch.pprof.ProfileDecoder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Locates the recorded Go profiles for tests: the project's fixtures ({@code testdata/corpus}, system
 * property {@code leakwatch.testdata}) and the developer corpus ({@code leakwatch.shared.corpus}, present
 * only beside a development checkout). Missing corpora skip the calling test.
 */
public final class TestCorpora {
    private TestCorpora() {
    }

    /** A scenario of the project's fixture corpus, e.g. {@code G_session-store}. */
    public static CorpusScenario fixture(String scenarioDir) {
        return scenario("leakwatch.testdata", "corpus", scenarioDir);
    }

    /** A scenario of the shared developer corpus, e.g. {@code C_session-gateway}; skips when absent. */
    public static CorpusScenario shared(String scenarioDir) {
        return scenario("leakwatch.shared.corpus", null, scenarioDir);
    }

    private static CorpusScenario scenario(String property, String child, String scenarioDir) {
        String root = System.getProperty(property);
        assumeTrue(root != null, property + " not set");
        Path dir = child == null ? Path.of(root, scenarioDir) : Path.of(root, child, scenarioDir);
        assumeTrue(Files.isRegularFile(dir.resolve("manifest.json")), dir + " absent");
        try {
            return CorpusScenario.load(dir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Decodes a recorded profile file. */
    public static Profile decode(Path file) {
        try {
            return ProfileDecoder.decode(Files.readAllBytes(file));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
