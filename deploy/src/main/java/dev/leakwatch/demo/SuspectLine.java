package dev.leakwatch.demo;

import dev.leakwatch.schemas.avro.LeakSuspect;
import dev.leakwatch.schemas.avro.StackFrame;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Locale;

/**
 * One line per {@link LeakSuspect} event, as a human reads it:
 *
 * <pre>
 * 2026-11-26T07:11:40Z OPEN     session-store HEAP session.(*Store).Remember (session/store.go:42) +1.1 GiB/hour now 5.2 MiB, instances replica-0,replica-1, OOM at 2026-11-26T07:25:03Z (limit 256 MiB)
 * </pre>
 *
 * Times are the event's capture time ({@code detectedAt}) in UTC, to the second. The site is the
 * blamed frame: function without its package path, and the last two elements of its file.
 */
public final class SuspectLine {

  private SuspectLine() {}

  public static String format(LeakSuspect e) {
    StringBuilder b = new StringBuilder();
    b.append(seconds(e.getDetectedAt())).append(' ')
        .append(String.format(Locale.ROOT, "%-8s", e.getStatus())).append(' ')
        .append(e.getService()).append(' ')
        .append(e.getKind()).append(' ')
        .append(site(e.getSite()));
    if (e.getWaitReason() != null) {
      b.append(" [").append(e.getWaitReason()).append(']');
    }
    b.append(' ').append(rate(e))
        .append(" now ").append(Amounts.format(e.getCurrentValue(), e.getValueUnit()))
        .append(", instances ").append(String.join(",", e.getInstances()))
        .append(", ").append(oom(e));
    return b.toString();
  }

  /** The growth rate with its sign and unit, e.g. {@code +582 MiB/hour}. */
  public static String rate(LeakSuspect e) {
    return (e.getGrowthRate() >= 0 ? "+" : "") + Amounts.format(e.getGrowthRate(), e.getGrowthUnit());
  }

  /** {@code package.Function (dir/file.go:line)}, or just the function when no file is known. */
  public static String site(StackFrame f) {
    return site(f.getFunction(), f.getFile(), f.getLine());
  }

  /**
   * The same from a frame's parts (as the query API writes them).
   *
   * @param file null or empty when not known
   * @param line 0 when not known
   */
  public static String site(String function, String file, long line) {
    String shortFn = function.substring(function.lastIndexOf('/') + 1);
    if (file == null || file.isEmpty()) {
      return shortFn;
    }
    int last = file.lastIndexOf('/');
    int previous = last <= 0 ? -1 : file.lastIndexOf('/', last - 1);
    return shortFn + " (" + file.substring(previous + 1) + (line > 0 ? ":" + line : "") + ")";
  }

  private static String oom(LeakSuspect e) {
    // heap and goroutine suspects alike: a goroutine suspect's projection counts its stacks' memory
    if (e.getProjectedExhaustion() != null) {
      return "OOM at " + seconds(e.getProjectedExhaustion()) + " (limit "
          + Amounts.bytes(e.getMemoryLimitBytes() == null ? 0 : e.getMemoryLimitBytes()) + ")";
    }
    return e.getMemoryLimitBytes() == null ? "OOM n/a (no memory limit known)" : "no OOM projected";
  }

  private static String seconds(Instant t) {
    return t.truncatedTo(ChronoUnit.SECONDS).toString();
  }
}
