package dev.leakwatch.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code local --config}: a configuration the processor cannot run with is bad input, as for {@code processor}. */
class LocalConfigTest {

  @TempDir Path dir;

  @Test
  void shouldExitWith2NamingTheSettingWhenKafkaRefusesAStreamsSettingOfTheConfig() throws Exception {
    Path targets = Files.writeString(dir.resolve("targets.yaml"), "- {service: orders, url: 'http://127.0.0.1:1'}\n");
    Path config = Files.writeString(dir.resolve("processor.yaml"),
        "streams: {default.timestamp.extractor: no.such.Extractor}\n");
    CliRun cli = new CliRun();
    int code = cli.run("local", "--targets", targets.toString(), "--config", config.toString(), "--api-port", "0",
        "--duration", "5");
    assertEquals(2, code, cli.err());
    assertTrue(cli.err().startsWith("local: ") && cli.err().contains("no.such.Extractor"), cli.err());
    assertFalse(cli.err().contains("\tat "), "no stack trace: " + cli.err());
  }
}
