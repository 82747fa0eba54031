package dev.leakwatch.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import picocli.CommandLine;

/** The {@code alerts} command's own checks (the bridge itself: AlertBridgeTest, DemoRunnerTest). */
class AlertsCommandTest {

  @TempDir Path dir;

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', value = {
      "--alertmanager ftp://am:9093|--alertmanager ftp://am:9093 is not an http(s) URL",
      "--ui nowhere|--ui nowhere is not an http(s) URL",
      "--runbook-url docs/OPERATIONS.md#leakwatchleaksuspect|--runbook-url docs/OPERATIONS.md#leakwatchleaksuspect is not an http(s) URL",
      "--interval 60s --hold 2m|--hold 120s is shorter than 3 intervals (180s): alerts would end between rounds",
      "--label severity=low|--label severity: the bridge sets that label itself",
      "--label 9lives=x|--label: label '9lives': name starts with a digit at index 0",
      "--label __meta=x|--label __meta: names starting with '__' are reserved",
      "--label team-a=x|--label: label 'team-a': name contains '-' at index 4",
  })
  void shouldExitWith2NamingTheOptionThatIsWrong(String args, String message) {
    CliRun cli = new CliRun();
    String[] common = {"alerts", "--api", "http://127.0.0.1:9", "--alertmanager", "http://127.0.0.1:9", "--once"};
    String[] all = java.util.stream.Stream.concat(java.util.Arrays.stream(common), java.util.Arrays.stream(args.split(" ")))
        .toArray(String[]::new);

    assertEquals(2, cli.run(all), cli.err());
    assertTrue(cli.err().startsWith("alerts: " + message), cli.err());
  }

  @Test
  void shouldPassTheRunbookUrlToTheBridgeAsGivenAndNoneWithoutTheOption() {
    String[] required = {"--api", "http://leakwatch-processor:8080", "--alertmanager", "http://alertmanager:9093"};
    AlertsCommand without = new AlertsCommand();
    new CommandLine(without).parseArgs(required);
    assertNull(without.settings(null).runbookUrl());

    AlertsCommand with = new AlertsCommand();
    new CommandLine(with).parseArgs(java.util.stream.Stream.concat(java.util.Arrays.stream(required),
        java.util.stream.Stream.of("--runbook-url", "https://docs.example/leakwatch/OPERATIONS.md#leakwatchleaksuspect"))
        .toArray(String[]::new));
    assertEquals(URI.create("https://docs.example/leakwatch/OPERATIONS.md#leakwatchleaksuspect"),
        with.settings(null).runbookUrl());
  }

  @Test
  void shouldExitWith2WhenTheTokenFileHoldsNoTokenOrIsMissing() throws Exception {
    Path empty = Files.writeString(dir.resolve("token"), "# the API's tokens\n\n");
    CliRun cli = new CliRun();
    assertEquals(2, cli.run("alerts", "--api", "http://127.0.0.1:9", "--alertmanager", "http://127.0.0.1:9",
        "--once", "--token-file", empty.toString()), cli.err());
    assertEquals("alerts: --token-file " + empty + ": holds no token (one per line; blank lines and lines starting"
        + " with '#' are skipped)", cli.err().strip());

    CliRun missing = new CliRun();
    assertEquals(2, missing.run("alerts", "--api", "http://127.0.0.1:9", "--alertmanager", "http://127.0.0.1:9",
        "--once", "--token-file", dir.resolve("nope").toString()), missing.err());
    assertEquals("alerts: --token-file " + dir.resolve("nope") + ": no such file", missing.err().strip());
  }

  @Test
  void shouldSayWhyWhenTheTokenFileCannotBeRead() {
    CliRun cli = new CliRun();
    assertEquals(2, cli.run("alerts", "--api", "http://127.0.0.1:9", "--alertmanager", "http://127.0.0.1:9",
        "--once", "--token-file", dir.toString()), cli.err());
    assertTrue(cli.err().startsWith("alerts: --token-file " + dir + ": cannot read: "), cli.err());
  }

  /**
   * Java's HTTP client sends no {@code user:password@} of a URL: every request would fail 401, and
   * each round's problem line, quoting the URL, would put the password in the bridge's log.
   */
  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "--api|http://bridge:s3cret@127.0.0.1:9|http://127.0.0.1:9",
      "--alertmanager|http://bridge:s3cret@127.0.0.1:9|http://127.0.0.1:9",
      "--alertmanager|http://bridge:s3cret^@127.0.0.1:9|http://127.0.0.1:9",
      "--ui|http://bridge:s3cret@127.0.0.1:9|http://127.0.0.1:9",
  })
  void shouldRefuseCredentialsInAUrlWithoutRepeatingThemWhenGivenOne(String option, String url, String plain) {
    CliRun cli = new CliRun();
    java.util.Map<String, String> args = new java.util.LinkedHashMap<>(java.util.Map.of(
        "--api", plain, "--alertmanager", plain));
    args.put(option, url);
    java.util.List<String> all = new java.util.ArrayList<>(java.util.List.of("alerts", "--once", "--timeout", "2s"));
    args.forEach((k, v) -> all.addAll(java.util.List.of(k, v)));

    assertEquals(2, cli.run(all.toArray(String[]::new)), cli.err());
    assertTrue(cli.err().contains(option), cli.err());
    assertTrue(!cli.err().contains("s3cret"), cli.err());
  }

  @Test
  void shouldExitWith1AndSayNothingWasResolvedWhenTheApiCannotBeReached() {
    CliRun cli = new CliRun();

    int code = cli.run("alerts", "--api", "http://127.0.0.1:9", "--alertmanager", "http://127.0.0.1:9", "--once",
        "--timeout", "2s");

    assertEquals(1, code, cli.err());
    assertTrue(cli.err().startsWith("alerts: 0 firing (0 new), 0 resolved; suspects not read, nothing resolved:"
        + " cannot reach http://127.0.0.1:9/api/v1/suspects?status=open&limit=1000"), cli.err());
  }
}
