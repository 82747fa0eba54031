package dev.leakwatch.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** The command line's own surface: option spellings, help. */
class CliSurfaceTest {

  @Test
  void kafkaTailShouldAcceptBothSpellingsOfTheBootstrapServersOption() {
    for (String spelling : new String[] {"--bootstrap-servers", "--bootstrap-server"}) {
      KafkaTailCommand tail = new KafkaTailCommand();
      new CommandLine(tail).parseArgs(spelling, "kafka-1:9092,kafka-2:9092");
      assertEquals("kafka-1:9092,kafka-2:9092", tail.bootstrap, spelling);
    }
  }

  @Test
  void helpShouldExplainTheSubcommandNamedByTheWholePath() {
    CliRun cli = new CliRun();

    assertEquals(0, cli.run("help", "pprof", "top"), cli.err());
    assertTrue(cli.out().startsWith("Usage: leakwatch pprof top "), cli.out());

    assertEquals(2, cli.run("help", "pprof", "nope"));
    assertTrue(cli.err().contains("'pprof' has no subcommand 'nope'"), cli.err());
  }

  @Test
  void shouldReportAMisspeltRequiredOptionAsUnknownWithTheSpellingItResembles() {
    CliRun cli = new CliRun();

    assertEquals(2, cli.run("local", "--target", "targets.yaml"));

    assertTrue(cli.err().startsWith("Unknown options: '--target', 'targets.yaml'"), cli.err());
    assertTrue(cli.err().contains("Possible solutions: --targets"), cli.err());
    assertFalse(cli.err().contains("Missing required option"), cli.err());
  }

  @Test
  void shouldStillNameAMissingRequiredOptionWhenNothingElseIsWrong() {
    CliRun cli = new CliRun();

    assertEquals(2, cli.run("local"));

    assertTrue(cli.err().startsWith("Missing required option: '--targets=FILE'"), cli.err());
    assertTrue(cli.err().contains("Usage: leakwatch local "), cli.err());
  }
}
