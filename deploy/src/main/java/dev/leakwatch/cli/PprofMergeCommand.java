package dev.leakwatch.cli;

import dev.leakwatch.pprof.Profile;
import dev.leakwatch.pprof.ProfileMerge;
import dev.leakwatch.pprof.ProfileWriter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code leakwatch pprof merge -o OUT FILE...}: writes the merge of profiles of one kind as a
 * gzip'd profile that {@code go tool pprof} reads. OUT is replaced atomically, only on success.
 */
@Command(name = "merge", mixinStandardHelpOptions = true,
    description = "Merge profiles of one kind into a gzip'd profile file.")
final class PprofMergeCommand implements Callable<Integer> {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Option(names = {"-o", "--output"}, required = true, paramLabel = "OUT",
      description = "File to write (gzip'd profile.proto).")
  Path output;

  @Parameters(arity = "1..*", paramLabel = "FILE", description = "Profiles to merge.")
  List<Path> files;

  @Override
  public Integer call() {
    Profile merged;
    try {
      List<Profile> profiles = new ArrayList<>();
      for (Path f : files) {
        profiles.add(PprofInput.decode(f));
      }
      merged = ProfileMerge.merge(profiles);
    } catch (PprofInput.BadInput | IllegalArgumentException e) {
      return PprofErrors.badInput(spec, e.getMessage());
    }
    try {
      Path dir = output.toAbsolutePath().getParent();
      Path tmp = Files.createTempFile(dir, ".merge-", ".pb.gz");
      try {
        Files.write(tmp, ProfileWriter.write(merged));
        Files.move(tmp, output, StandardCopyOption.REPLACE_EXISTING,
            StandardCopyOption.ATOMIC_MOVE);
      } finally {
        Files.deleteIfExists(tmp);
      }
    } catch (IOException e) {
      spec.commandLine().getErr().println("leakwatch pprof merge: cannot write " + output + ": "
          + e.getMessage());
      return 1;
    }
    spec.commandLine().getErr().println("leakwatch pprof merge: wrote " + output + " ("
        + merged.samples().size() + " samples from " + files.size() + " profiles)");
    return 0;
  }
}
