package dev.leakwatch.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** The command line's own surface: option spellings. */
class CliSurfaceTest {

  @Test
  void kafkaTailShouldAcceptBothSpellingsOfTheBootstrapServersOption() {
    for (String spelling : new String[] {"--bootstrap-servers", "--bootstrap-server"}) {
      KafkaTailCommand tail = new KafkaTailCommand();
      new CommandLine(tail).parseArgs(spelling, "kafka-1:9092,kafka-2:9092");
      assertEquals("kafka-1:9092,kafka-2:9092", tail.bootstrap, spelling);
    }
  }
}
