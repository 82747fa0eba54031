package dev.leakwatch.ui;

import dev.leakwatch.pprof.DecodeLimits;
import dev.leakwatch.pprof.Function;
import dev.leakwatch.pprof.Profile;
import dev.leakwatch.pprof.ProfileDecoder;
import dev.leakwatch.pprof.ProfileWriter;
import dev.leakwatch.topology.eval.CorpusScenario;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * DELIBERATELY HOSTILE INPUT. Derives a scenario from a recorded one (same captures, times and values)
 * whose service, instance, function and file names are replaced by strings an attacker could send
 * through the push endpoint, which accepts any well-formed pprof: markup and script payloads, bidi
 * overrides, names thousands of characters long. The derived profiles are written as files, so {@link
 * DemoProcessor#publishAll()} publishes them as it publishes the recorded ones.
 */
final class HostileCorpus {

  /** A function's new name and, when not null, its new source file. */
  record Rename(String function, String file) {}

  private HostileCorpus() {}

  /**
   * The recorded scenario under a new service name, its instances and functions renamed (anything
   * not in a map keeps its name), every profile rewritten under {@code dir}.
   */
  static CorpusScenario derive(CorpusScenario recorded, String service, Map<String, String> instances,
      Map<String, Rename> functions, Path dir) {
    List<CorpusScenario.Capture> captures = new ArrayList<>();
    try {
      Files.createDirectories(dir);
      int n = 0;
      for (CorpusScenario.Capture c : recorded.captures()) {
        Path file = dir.resolve(n++ + "-" + c.type() + ".pb.gz");
        Files.write(file, rename(Files.readAllBytes(c.file()), functions));
        captures.add(new CorpusScenario.Capture(instances.getOrDefault(c.instance(), c.instance()), c.type(),
            c.captureMs(), file));
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    List<String> sites = recorded.leakSiteFunctions().stream()
        .map(f -> functions.containsKey(f) ? functions.get(f).function() : f).toList();
    return new CorpusScenario(recorded.id(), service, recorded.leak(), recorded.leakKind(), sites,
        recorded.watchFunctions(), recorded.earliestLeakStartMs(), captures);
  }

  /**
   * The profile with its function table renamed (name and system name alike); locations refer to
   * functions by id, which stay.
   */
  private static byte[] rename(byte[] pprof, Map<String, Rename> functions) {
    Profile p = ProfileDecoder.decode(pprof, DecodeLimits.defaults());
    List<Function> renamed = p.functions().stream().map(f -> {
      Rename r = functions.get(f.name());
      return r == null ? f : new Function(f.id(), r.function(), r.function(),
          r.file() == null ? f.file() : r.file(), f.startLine());
    }).toList();
    return ProfileWriter.write(p.toBuilder().functions(renamed).build());
  }
}
