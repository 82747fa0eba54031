package dev.leakwatch.cli;

import dev.leakwatch.demo.DemoRunner;
import dev.leakwatch.demo.LocalSession;
import dev.leakwatch.demo.ReplayTiming;
import dev.leakwatch.processor.ProcessorConfig;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code ./leakwatch demo}: the whole pipeline on this machine, fed with profiles recorded from the
 * project's Go demo services. Exit codes: 0 after {@code --duration} or {@code --exit-when-done},
 * the JVM's 130 / 143 after Ctrl-C / SIGTERM (everything stopped and cleaned up first); 1 when the broker, the processor or the replay failed; 2 for bad input
 * (corpus, configuration) or a port that is taken.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
    description = {
      "Start a local Kafka broker and the processor, and replay profiles recorded from the project's Go demo"
          + " services (leaking heap, leaking goroutines, healthy ones) faster than real time.",
      "Leak suspects are printed as they are found; a summary per service at the end. Ctrl-C stops everything."
    })
public final class DemoCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Mixin LocalStackOptions stack;

  @Option(names = "--corpus", paramLabel = "DIR",
      description = "Recorded corpus to replay (default: testdata/corpus of this checkout).")
  Path corpus;

  @Option(names = "--speed", paramLabel = "FACTOR", defaultValue = "2", converter = CliValues.SpeedValue.class,
      description = "Replay speed relative to the recording (default: ${DEFAULT-VALUE}; max = no pacing).")
  double speed;

  @Option(names = "--memory-limit", paramLabel = "SIZE", defaultValue = "256MiB", converter = CliValues.SizeValue.class,
      description = "Memory limit given to every replayed instance, for the OOM projection (default: ${DEFAULT-VALUE};"
          + " none to omit).")
  Long memoryLimit;

  @Option(names = "--exit-when-done",
      description = "Exit once every replayed profile has been processed and its suspects printed.")
  boolean exitWhenDone;

  @Override
  public Integer call() {
    ProcessorLogging.kafkaAt("error");
    // The demo's own lines tell what happens; the components' INFO logs would interleave with them.
    ProcessorLogging.loggerAt("dev.leakwatch", "warn");
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    Path root = corpus != null ? corpus : LeakwatchHome.dir().resolve("testdata").resolve("corpus");
    if (!Files.isDirectory(root)) {
      err.println("demo: recorded profiles not found at " + root + "; run ./leakwatch from a checkout"
          + " (or set LEAKWATCH_HOME to one), or pass --corpus DIR");
      return 2;
    }
    // The recording spans 35 s: 5 s windows give the UI's flame graphs and diffs something to compare.
    ProcessorConfig processor = stack.processorConfig(err, "demo", "windows: {size: 5s}");
    if (processor == null) {
      return 2;
    }
    DemoRunner runner = new DemoRunner(new DemoRunner.Settings(root, new ReplayTiming(speed, false),
        stack.duration, exitWhenDone, memoryLimit, LocalStackOptions.workBase("demo"), processor,
        stack.apiPort(processor)), out, err);
    return LocalStackOptions.run("demo", err, runner::stop, () -> {
      DemoRunner.Report report = runner.run();
      return report.ending() == LocalSession.Ending.FAILED || report.replay() == null ? 1 : 0;
    });
  }
}
