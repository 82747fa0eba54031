package dev.leakwatch.pprof.testing;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Runs {@code go tool pprof} for tests; tests using it skip when {@code go} is not on PATH. */
public final class GoTool {
  /** A sample line of {@code -raw}: its values, then a colon and the location ids. */
  private static final Pattern RAW_SAMPLE = Pattern.compile("^\\s*(-?\\d+(?:\\s+-?\\d+)*):");
  private static Boolean available;

  private GoTool() {}

  /** Skips the calling test unless {@code go} runs. */
  public static void assumeAvailable() {
    if (available == null) {
      available = runs();
    }
    assumeTrue(available, "go is not on PATH");
  }

  private static boolean runs() {
    try {
      Process p = new ProcessBuilder("go", "version").redirectErrorStream(true).start();
      p.getInputStream().readAllBytes();
      return p.waitFor(60, TimeUnit.SECONDS) && p.exitValue() == 0;
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  /** Stdout of {@code go tool pprof <args>}; fails on a non-zero exit, with its stderr. */
  public static String pprof(List<String> args) {
    assumeAvailable();
    List<String> cmd = new ArrayList<>(List.of("go", "tool", "pprof"));
    cmd.addAll(args);
    try {
      Path err = Files.createTempFile("pprof", ".err");
      try {
        Process p = new ProcessBuilder(cmd).redirectError(err.toFile()).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
          p.destroyForcibly();
          throw new AssertionError("go tool pprof did not finish: " + cmd);
        }
        if (p.exitValue() != 0) {
          throw new AssertionError("go tool pprof failed (" + p.exitValue() + "): " + cmd + "\n"
              + Files.readString(err));
        }
        return out;
      } finally {
        Files.deleteIfExists(err);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted", e);
    }
  }

  /**
   * Per sample type, the sum of the sample values {@code go tool pprof -raw ARGS} lists: what Go's
   * own reader makes of the files' samples, signed, before any report drops nodes. Samples without
   * a location (Go's goroutine profiles have one) are not listed by {@code -raw}, though {@code
   * -top} counts them in its total.
   *
   * @param args the files, and options such as {@code -diff_base=FILE}
   */
  public static long[] rawTotals(List<String> args) {
    List<String> cmd = new ArrayList<>(List.of("-raw"));
    cmd.addAll(args);
    long[] totals = null;
    boolean inSamples = false;
    for (String line : pprof(cmd).split("\n")) {
      if (line.equals("Samples:")) {
        inSamples = true;
      } else if (inSamples && totals == null) {
        totals = new long[line.trim().split("\\s+").length]; // the sample types' header
      } else if (inSamples) {
        Matcher sample = RAW_SAMPLE.matcher(line);
        if (sample.find()) {
          String[] values = sample.group(1).trim().split("\\s+");
          for (int i = 0; i < totals.length; i++) {
            totals[i] += Long.parseLong(values[i]);
          }
        } else if (!line.startsWith(" ")) {
          break; // the next section: Locations
        }
      }
    }
    if (totals == null) {
      throw new AssertionError("no Samples: section in go tool pprof " + cmd);
    }
    return totals;
  }
}
