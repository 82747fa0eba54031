package dev.leakwatch.cli;

import dev.leakwatch.pprof.Profile;
import dev.leakwatch.pprof.ProfileMerge;
import dev.leakwatch.pprof.ProfileWriter;
import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
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
 * Every failure (an unusable input, profiles of different kinds, an output that cannot be
 * written) is one line naming the file, and exit code 2.
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
        Profile p = PprofInput.decode(f);
        if (!profiles.isEmpty()) {
          requireSameKind(f, p, files.get(0), profiles.get(0));
        }
        profiles.add(p);
      }
      merged = ProfileMerge.merge(profiles);
    } catch (PprofInput.BadInput | IllegalArgumentException e) {
      return PprofErrors.badInput(spec, e.getMessage());
    }
    Path dir = output.toAbsolutePath().getParent();
    if (!Files.isDirectory(dir)) {
      return PprofErrors.badInput(spec, "cannot write " + output + ": directory " + dir + " does not exist");
    }
    try {
      Path tmp = Files.createTempFile(dir, ".merge-", ".pb.gz");
      try {
        Files.write(tmp, ProfileWriter.write(merged));
        Files.move(tmp, output, StandardCopyOption.REPLACE_EXISTING,
            StandardCopyOption.ATOMIC_MOVE);
      } finally {
        Files.deleteIfExists(tmp);
      }
    } catch (IOException e) {
      return PprofErrors.badInput(spec, "cannot write " + output + ": " + reason(e));
    }
    spec.commandLine().getErr().println("leakwatch pprof merge: wrote " + output + " ("
        + merged.samples().size() + " samples from " + files.size() + " profiles)");
    return 0;
  }

  /** Profiles of different kinds cannot be merged; the message names both files. */
  private static void requireSameKind(Path file, Profile p, Path firstFile, Profile first) throws PprofInput.BadInput {
    if (!p.sampleTypes().equals(first.sampleTypes())) {
      throw new PprofInput.BadInput(file + " has sample types " + p.sampleTypes() + " but " + firstFile + " has "
          + first.sampleTypes() + "; only profiles of one kind can be merged", null);
    }
    if (!p.periodType().equals(first.periodType())) {
      throw new PprofInput.BadInput(file + " has period type " + p.periodType() + " but " + firstFile + " has "
          + first.periodType() + "; only profiles of one kind can be merged", null);
    }
  }

  /** Why writing failed, without the name of the temporary file it happened on. */
  private static String reason(IOException e) {
    if (e instanceof AccessDeniedException) {
      return "permission denied";
    }
    if (e instanceof FileSystemException f && f.getReason() != null) {
      return f.getReason();
    }
    return e.getMessage();
  }
}
