package dev.leakwatch.topology.eval;

import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.OptionalLong;

/**
 * One labelled scenario (= one service) of a corpus in the layout of the shared corpus
 * ({@code <ID>_<service>/manifest.json} + {@code <instance>/<seq>-<type>.pb.gz}).
 *
 * <p>Only {@link #captures()} reach the topology; the labels are for scoring.
 *
 * @param id scenario id, e.g. {@code C}
 * @param service service name
 * @param leak true when the manifest's label is {@code leak}
 * @param leakKind {@code heap}, {@code goroutine}, {@code both} or {@code none}
 * @param leakSiteFunctions functions whose stacks carry the leak
 * @param watchFunctions functions that must not be blamed
 * @param earliestLeakStartMs earliest {@code leak_starts[].unix_ms} over instances, if any
 * @param captures every capture file, in manifest order
 */
public record CorpusScenario(
    String id,
    String service,
    boolean leak,
    String leakKind,
    List<String> leakSiteFunctions,
    List<String> watchFunctions,
    OptionalLong earliestLeakStartMs,
    List<Capture> captures) {

  public CorpusScenario {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(service, "service");
    leakSiteFunctions = List.copyOf(leakSiteFunctions);
    watchFunctions = List.copyOf(watchFunctions);
    captures = List.copyOf(captures);
  }

  /**
   * One profile file as an agent would have captured it: nothing else is fed to the topology.
   *
   * @param instance instance name
   * @param type profile type as in the file name ({@code heap}, {@code goroutine}, {@code allocs},
   *     {@code goroutineleak})
   * @param captureMs the manifest's capture {@code unix_ms}
   * @param file the profile file
   */
  public record Capture(String instance, String type, long captureMs, Path file) {}
}
