package dev.leakwatch.cli;

import dev.leakwatch.pprof.Profile;
import dev.leakwatch.pprof.ProfileMerge;
import dev.leakwatch.pprof.Top;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/**
 * {@code leakwatch pprof top FILE...}: the rows and totals {@code go tool pprof -top} prints;
 * several files are merged first, as {@code go tool pprof} does.
 */
@Command(name = "top", mixinStandardHelpOptions = true,
    description = "Print the top functions of a profile, like 'go tool pprof -top'.")
final class PprofTopCommand implements Callable<Integer> {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Mixin PprofReportOptions report;

  @Parameters(arity = "1..*", paramLabel = "FILE", description = "Profile files (gzip'd or not).")
  List<Path> files;

  @Override
  public Integer call() {
    try {
      List<Profile> profiles = new ArrayList<>();
      for (Path f : files) {
        profiles.add(PprofInput.decode(f));
      }
      Profile p = profiles.size() == 1 ? profiles.get(0) : ProfileMerge.merge(profiles);
      spec.commandLine().getOut().print(Top.of(p, report.toTopOptions(p)).render());
      spec.commandLine().getOut().flush();
      return 0;
    } catch (PprofInput.BadInput | IllegalArgumentException e) {
      // IllegalArgumentException: incompatible profiles or an unknown sample type
      return PprofErrors.badInput(spec, e.getMessage());
    }
  }
}
