package dev.leakwatch.reliability.fuzz;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.leakwatch.pprof.testing.GoTool;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * google/pprof's own parser ({@code profile.Parse}, Debian's source, run through
 * {@code testdata/fuzz/goverdict}) as an independent judge of which inputs are profiles. Skips the
 * calling test when {@code go} or the pprof source is missing.
 */
final class GoVerdict {

  /** Debian's GOPATH for packaged Go source (golang-github-google-pprof-dev). */
  private static final Path GOPATH = Path.of("/usr/share/gocode");

  private GoVerdict() {}

  /** For each file: null when Go accepts it, else Go's error message. */
  static Map<Path, String> judge(Path program, List<Path> files) {
    GoTool.assumeAvailable();
    assumeTrue(Files.isDirectory(GOPATH.resolve("src/github.com/google/pprof/profile")),
        "google/pprof source not installed (apt-get install golang-github-google-pprof-dev)");
    List<String> cmd = new ArrayList<>(List.of("go", "run", program.resolve("main.go").toString()));
    files.forEach(f -> cmd.add(f.toString()));
    try {
      Path err = Files.createTempFile("goverdict", ".err");
      try {
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectError(err.toFile());
        pb.environment().put("GO111MODULE", "off");
        pb.environment().put("GOPATH", GOPATH.toString());
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(5, TimeUnit.MINUTES) || p.exitValue() != 0) {
          p.destroyForcibly();
          throw new AssertionError("goverdict failed: " + Files.readString(err));
        }
        return parse(out);
      } finally {
        Files.deleteIfExists(err);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted", e);
    }
  }

  private static Map<Path, String> parse(String out) {
    Map<Path, String> verdicts = new HashMap<>();
    for (String line : out.split("\n")) {
      String[] f = line.split("\t", 3);
      if (f.length >= 2) {
        verdicts.put(Path.of(f[1]), f[0].equals("ok") ? null : (f.length == 3 ? f[2] : "error"));
      }
    }
    return verdicts;
  }
}
