package dev.leakwatch.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;

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
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine cl = LeakwatchCli.commandLine();
    cl.setOut(new PrintWriter(out, true));
    cl.setErr(new PrintWriter(err, true));

    assertEquals(0, cl.execute("help", "pprof", "top"), err.toString());
    assertTrue(out.toString().startsWith("Usage: leakwatch pprof top "), out.toString());

    assertEquals(2, cl.execute("help", "pprof", "nope"));
    assertTrue(err.toString().contains("'pprof' has no subcommand 'nope'"), err.toString());
  }
}
