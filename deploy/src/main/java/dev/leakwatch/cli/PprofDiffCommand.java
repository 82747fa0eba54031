package dev.leakwatch.cli;

import dev.leakwatch.pprof.IncompatibleProfilesException;
import dev.leakwatch.pprof.Profile;
import dev.leakwatch.pprof.ProfileDiff;
import dev.leakwatch.pprof.Top;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/**
 * {@code leakwatch pprof diff BASE FILE}: the top of FILE − BASE, as {@code go tool pprof -top
 * -diff_base=BASE FILE} prints it (percentages relative to the base total).
 */
@Command(name = "diff", mixinStandardHelpOptions = true,
    description = "Print the top functions of FILE minus BASE, like 'go tool pprof -top "
        + "-diff_base=BASE FILE'.")
final class PprofDiffCommand implements Callable<Integer> {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Mixin PprofReportOptions report;

  @Parameters(index = "0", paramLabel = "BASE", description = "The earlier profile.")
  Path base;

  @Parameters(index = "1", paramLabel = "FILE", description = "The later profile.")
  Path file;

  @Override
  public Integer call() {
    try {
      Profile diff;
      try {
        diff = ProfileDiff.diff(PprofInput.decode(base), PprofInput.decode(file));
      } catch (IncompatibleProfilesException e) {
        // the codec says "base" and "target"; the user named files
        return PprofErrors.badInput(spec, "cannot diff " + file + " against " + base + ": "
            + e.getMessage().replaceFirst("^cannot diff: ", ""));
      }
      spec.commandLine().getOut().print(Top.of(diff, report.toTopOptions(diff)).render());
      spec.commandLine().getOut().flush();
      return 0;
    } catch (PprofInput.BadInput | IllegalArgumentException e) {
      return PprofErrors.badInput(spec, e.getMessage());
    }
  }
}
