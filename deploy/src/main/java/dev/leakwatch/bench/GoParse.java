package dev.leakwatch.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Go's own {@code profile.Parse} (google/pprof) on the same files, through the harness {@code
 * testdata/goparse/run.sh}: the reference rate of a single core parsing these profiles in Go.
 * Needs {@code go} and Debian's google/pprof source; without them the result says why.
 */
public final class GoParse {

  /**
   * @param profilesPerSecond 10^9 over the mean ns per {@code profile.Parse} call over the files;
   *     NaN when it could not run
   * @param note why it could not run, or empty
   */
  public record Result(double profilesPerSecond, String note) {}

  private GoParse() {}

  /** Runs the harness on {@code files}, {@code time} of measurement per file (after as long a warm-up). */
  public static Result run(Path testdata, List<Path> files, Duration time) {
    Path script = testdata.resolve("goparse").resolve("run.sh");
    if (!Files.isRegularFile(script)) {
      return new Result(Double.NaN, "no harness at " + script);
    }
    List<String> cmd = new ArrayList<>(List.of("bash", script.toString(), "-time", time.toMillis() + "ms"));
    files.forEach(f -> cmd.add(f.toAbsolutePath().toString()));
    try {
      Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!p.waitFor(10, TimeUnit.MINUTES) || p.exitValue() != 0) {
        return new Result(Double.NaN, "goparse failed (is go installed?): " + lastLine(out));
      }
      return new Result(parse(out), "");
    } catch (IOException e) {
      return new Result(Double.NaN, "cannot run bash: " + e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return new Result(Double.NaN, "interrupted");
    }
  }

  /** Rows are {@code | file | gz bytes | Parse ns/op | ...}: 10^9 over the mean ns/op. */
  static double parse(String output) {
    double sum = 0;
    int n = 0;
    for (String line : output.split("\n")) {
      String[] cells = line.split("\\|");
      if (cells.length > 3 && cells[3].trim().matches("\\d+(\\.\\d+)?")) {
        sum += Double.parseDouble(cells[3].trim());
        n++;
      }
    }
    if (n == 0) {
      throw new IllegalStateException("no timing rows in goparse's output:\n" + output);
    }
    return 1e9 / (sum / n);
  }

  private static String lastLine(String out) {
    String[] lines = out.strip().split("\n");
    return lines[lines.length - 1];
  }
}
