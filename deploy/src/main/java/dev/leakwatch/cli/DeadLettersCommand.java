package dev.leakwatch.cli;

import dev.leakwatch.topology.DeadLetter;
import dev.leakwatch.topology.TopologyNames;
import java.io.PrintWriter;
import java.time.Instant;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.TypeConversionException;

/**
 * {@code ./leakwatch dead-letters}: prints the processor's dead letters, one line each, and with
 * {@code --redrive} publishes the ones that hold an input back to that input topic (after a fix: an
 * upgraded processor, a raised limit, a corrected clock). Exit codes: 0 when done (listing: after
 * {@code --max} or, with {@code --until}, at the end seen at start; the JVM's 130 / 143 after Ctrl-C /
 * SIGTERM), 1 when a redriven record was not
 * acknowledged, 2 for a usage error, a missing topic or a cluster that does not answer within {@code
 * --connect-timeout}.
 */
@Command(name = "dead-letters", mixinStandardHelpOptions = true,
    description = {
      "Follow the dead-letter topic and print each dead letter on one line: record time (UTC), key, stage"
          + " (and node for processing), source topic/partition@offset, value size, reason.",
      "With --redrive --to TOPIC, publish the selected letters that hold an input of TOPIC back to it (key,"
          + " value, original timestamp and headers), read up to the end seen at start, and print a summary.",
      "A redriven record that fails again is dead-lettered again, at a new offset."
    })
public final class DeadLettersCommand implements Callable<Integer> {

  private static final long PROGRESS_EVERY_NANOS = 5_000_000_000L;
  private static final Set<String> STAGES = Arrays.stream(DeadLetter.Stage.values())
      .map(s -> s.name().toLowerCase(Locale.ROOT)).collect(Collectors.toCollection(java.util.LinkedHashSet::new));

  @Spec CommandSpec spec;

  @Mixin KafkaClientOptions kafka;

  @Option(names = "--topic", defaultValue = TopologyNames.DEAD_LETTER_TOPIC, description = "Default: ${DEFAULT-VALUE}.")
  String topic;

  @Option(names = "--from-beginning", description = "Start at the oldest dead letter (default: only new ones).")
  boolean fromBeginning;

  @Option(names = "--from-offset", paramLabel = "[P:]N[,...]", converter = OffsetsValue.class,
      description = "Start at offset N of every partition, or of partition P (others: from their end).")
  FromOffsets fromOffsets = new FromOffsets(Map.of());

  @Option(names = "--since", paramLabel = "INSTANT", converter = CliValues.InstantValue.class,
      description = "Only dead letters whose record time is at or after INSTANT (e.g. 2026-11-27T18:00:00Z);"
          + " reading starts there.")
  Instant since;

  @Option(names = "--until", paramLabel = "INSTANT", converter = CliValues.InstantValue.class,
      description = "Only dead letters whose record time is before INSTANT; reading stops at the end seen at"
          + " start (no follow).")
  Instant until;

  @Option(names = "--stage", split = ",", paramLabel = "STAGE",
      description = "Only these stages: size, avro, validation, pprof, processing (default: all).")
  List<String> stages = List.of();

  @Option(names = "--max", paramLabel = "N", defaultValue = "-1",
      description = "Exit after N selected dead letters (default: follow until Ctrl-C; --until, --redrive: to the end seen at start).")
  long max;

  @Option(names = "--redrive", description = "Publish the selected letters back to --to (see above).")
  boolean redrive;

  @Option(names = "--to", paramLabel = "TOPIC",
      description = "The topic --redrive publishes to, normally " + TopologyNames.PROFILES_TOPIC
          + " (no default: nothing is republished by accident).")
  String to;

  @Override
  public Integer call() {
    ProcessorLogging.kafkaAt("warn");
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    String usage = usageProblem();
    if (usage != null) {
      err.println("dead-letters: " + usage);
      return 2;
    }
    if (!kafka.holds(err, "dead-letters", topic) || (redrive && !kafka.holds(err, "dead-letters", to))) {
      return 2;
    }
    if (max == 0) {
      return 0;
    }
    DeadLetterReader.Start start = new DeadLetterReader.Start(fromBeginning, fromOffsets.byPartition(), since);
    try (DeadLetterReader reader = new DeadLetterReader(kafka.client(), topic)) {
      // Ctrl-C stops reading; a redrive then still waits for what it sent and prints its summary
      return GracefulStop.run("leakwatch-dead-letters-shutdown", reader::close,
          () -> redrive ? redrive(reader, start, out, err) : list(reader, start, out));
    }
  }

  private String usageProblem() {
    List<String> unknown = stages.stream().filter(s -> !STAGES.contains(s)).toList();
    if (!unknown.isEmpty()) {
      return "unknown stage " + String.join(", ", unknown) + " (stages: " + String.join(", ", STAGES) + ")";
    }
    int starts = (fromBeginning ? 1 : 0) + (fromOffsets.byPartition().isEmpty() ? 0 : 1) + (since == null ? 0 : 1);
    if (starts > 1) {
      return "give one of --from-beginning, --from-offset and --since";
    }
    if (!redrive) {
      return to == null ? null : "--to is for --redrive";
    }
    if (to == null || to.isBlank()) {
      return "--redrive needs --to TOPIC, the input topic to publish to (normally " + TopologyNames.PROFILES_TOPIC
          + "); it has no default";
    }
    if (to.equals(topic)) {
      return "--to " + to + " is the dead-letter topic itself";
    }
    return new DeadLetterReader.Start(fromBeginning, fromOffsets.byPartition(), since).given() ? null
        : "--redrive needs where to start: --from-beginning, --from-offset or --since";
  }

  private boolean selected(DeadLetterView letter) {
    long t = letter.record().timestamp();
    return (stages.isEmpty() || stages.contains(letter.stage()))
        && (since == null || t >= since.toEpochMilli())
        && (until == null || t < until.toEpochMilli());
  }

  /**
   * Follows, unless {@code --until} bounds the time: then it is a report of the past and reads only up
   * to the end offsets seen at start (letters written later, a redrive's included, are not waited for).
   */
  private int list(DeadLetterReader reader, DeadLetterReader.Start start, PrintWriter out) {
    AtomicLong seen = new AtomicLong();
    reader.run(start, until != null, r -> {
      DeadLetterView letter = DeadLetterView.of(r);
      if (!selected(letter)) {
        return true;
      }
      out.println(letter.line());
      out.flush();
      return seen.incrementAndGet() != max;
    });
    return 0;
  }

  private int redrive(DeadLetterReader reader, DeadLetterReader.Start start, PrintWriter out, PrintWriter err) {
    AtomicLong read = new AtomicLong();
    AtomicLong chosen = new AtomicLong();
    long[] lastProgress = {System.nanoTime()};
    try (DeadLetterRedrive redrive = new DeadLetterRedrive(kafka.client(), to)) {
      reader.run(start, true, r -> {
        read.incrementAndGet();
        DeadLetterView letter = DeadLetterView.of(r);
        boolean more = true;
        if (selected(letter)) {
          redrive.offer(letter);
          more = chosen.incrementAndGet() != max;
        }
        if (System.nanoTime() - lastProgress[0] >= PROGRESS_EVERY_NANOS) {
          lastProgress[0] = System.nanoTime();
          err.println("dead-letters: read " + read + ", selected " + chosen + ", sent " + redrive.sent()
              + ", skipped " + redrive.skippedCount() + " so far");
          err.flush();
        }
        return more;
      });
      redrive.flush();
      String failure = redrive.firstFailure();
      String skipped = redrive.skippedByReason();
      out.println("dead-letters: read " + read + ", selected " + chosen + ", redriven " + redrive.acknowledged()
          + " to " + to + ", skipped " + redrive.skippedCount() + (skipped.isEmpty() ? "" : " (" + skipped + ")")
          + (failure == null ? "" : ", failed " + (redrive.sent() - redrive.acknowledged()) + " (" + failure + ")")
          + resumeHint(reader));
      out.flush();
      return failure == null ? 0 : 1;
    }
  }

  /** Where a later run starts to take only newer letters: {@code ; next --from-offset 0:12,1:40}. */
  private static String resumeHint(DeadLetterReader reader) {
    if (reader.positions().isEmpty()) {
      return "";
    }
    return "; next --from-offset " + reader.positions().entrySet().stream()
        .sorted(Map.Entry.comparingByKey((a, b) -> Integer.compare(a.partition(), b.partition())))
        .map(e -> e.getKey().partition() + ":" + e.getValue()).collect(Collectors.joining(","));
  }

  /** The first offset per partition; key -1: every partition. (A map option would read KEY=VALUE.) */
  record FromOffsets(Map<Integer, Long> byPartition) {}

  /** {@code N} (every partition) or {@code P:N,...} (those partitions). */
  static final class OffsetsValue implements ITypeConverter<FromOffsets> {
    @Override
    public FromOffsets convert(String text) {
      Map<Integer, Long> out = new HashMap<>();
      try {
        for (String part : text.split(",")) {
          String[] pn = part.trim().split(":", -1);
          long offset = Long.parseLong(pn[pn.length - 1].trim());
          int partition = pn.length == 1 ? -1 : Integer.parseInt(pn[0].trim());
          if (pn.length > 2 || offset < 0 || partition < -1 || pn.length == 1 && text.contains(",")) {
            throw new NumberFormatException();
          }
          out.put(partition, offset);
        }
      } catch (NumberFormatException e) {
        throw new TypeConversionException("'" + text + "' is not an offset (N, or PARTITION:N[,PARTITION:N...])");
      }
      return new FromOffsets(Map.copyOf(out));
    }
  }
}
