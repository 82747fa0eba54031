package dev.leakwatch.pprof;

import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A computed {@link Top} report and its text, laid out exactly as {@code go tool pprof -top} prints
 * it: header lines ({@code File:}, {@code Type:}, {@code Time:}, …), the "Showing nodes accounting
 * for" summary, dropped-node and top-N notes, the column header and one line per row.
 *
 * <p>Values are scaled to one unit chosen like pprof does (from the smallest row value and the
 * total), e.g. {@code 512.19kB} or {@code 1.50MB}; counts print as plain integers. {@code Time:}
 * uses the JVM's default time zone, as pprof uses the local one.
 */
public final class TopReport {
  private static final DateTimeFormatter TIME =
      DateTimeFormatter.ofPattern("MMM d, yyyy 'at' h:mm", Locale.ENGLISH);

  private final Profile profile;
  private final ValueType sampleType;
  private final List<TopRow> rows;
  private final long total;
  private final int droppedNodes;
  private final long dropCutoff;
  private final int originalCount;
  private final String outputUnit;

  TopReport(Profile profile, int sampleIndex, List<TopRow> rows, long total, int droppedNodes,
      long dropCutoff, int originalCount) {
    this.profile = profile;
    this.sampleType = profile.sampleTypes().get(sampleIndex);
    this.rows = List.copyOf(rows);
    this.total = total;
    this.droppedNodes = droppedNodes;
    this.dropCutoff = dropCutoff;
    this.originalCount = originalCount;
    this.outputUnit = outputUnit();
  }

  /** The reported sample type, e.g. {@code inuse_space/bytes}. */
  public ValueType sampleType() {
    return sampleType;
  }

  /** The rows in report order. */
  public List<TopRow> rows() {
    return rows;
  }

  /** The report total (sum of |value| over samples, or over the base of a diff). */
  public long total() {
    return total;
  }

  /** Sum of the flat values of the rows shown. */
  public long shownFlat() {
    return rows.stream().mapToLong(TopRow::flat).sum();
  }

  /** Functions dropped for a |cum| below the node fraction. */
  public int droppedNodes() {
    return droppedNodes;
  }

  /** Functions left after dropping, before the node count was applied. */
  public int originalCount() {
    return originalCount;
  }

  /** {@code value} printed in the report's unit, e.g. {@code 1.50MB}. */
  public String format(long value) {
    return Units.label(value, sampleType.unit(), outputUnit);
  }

  /** Picks the display unit: that of the smallest row value, unless it is under 1% of the total. */
  private String outputUnit() {
    if (rows.isEmpty()) {
      return "minimum";
    }
    long min = 0;
    for (TopRow r : rows) {
      long v = r.flat() != 0 ? Math.abs(r.flat()) : Math.abs(r.cum());
      if (v > 0 && (min == 0 || v < min)) {
        min = v;
      }
    }
    long max = total;
    if (min == 0) {
      min = max;
    }
    String unit = sampleType.unit();
    String minUnit = Units.scale(min, unit, "minimum").unit();
    String maxUnit = Units.scale(max, unit, "minimum").unit();
    String chosen = minUnit;
    if (!minUnit.equals(maxUnit) && min * 100 < max) {
      chosen = Units.scale(100 * min, unit, "minimum").unit();
    }
    return chosen.isEmpty() ? unit : chosen;
  }

  /** The lines above the column header. */
  public List<String> headerLines() {
    List<String> out = new ArrayList<>();
    if (!profile.mappings().isEmpty()) {
      Mapping main = profile.mappings().get(0);
      if (!main.file().isEmpty()) {
        out.add("File: " + main.file().substring(main.file().lastIndexOf('/') + 1));
      }
      if (!main.buildId().isEmpty()) {
        out.add("Build ID: " + main.buildId());
      }
    }
    for (String c : profile.comments()) {
      if (!c.startsWith("#")) {
        out.add(c);
      }
    }
    out.add("Type: " + sampleType.type());
    if (profile.timeNanos() != 0) {
      out.add("Time: " + time(profile.timeNanos()));
    }
    if (profile.durationNanos() != 0) {
      out.add(durationLine());
    }
    long shown = shownFlat();
    out.add("Showing nodes accounting for " + format(shown) + ", "
        + GoFormat.percentage(shown, total).trim() + " of " + format(total) + " total");
    if (total != 0) {
      if (droppedNodes > 0) {
        out.add("Dropped " + droppedNodes + (droppedNodes > 1 ? " nodes" : " node") + " (cum <= "
            + format(dropCutoff) + ")");
      }
      if (!rows.isEmpty() && rows.size() < originalCount) {
        out.add("Showing top " + rows.size() + " nodes out of " + originalCount);
      }
    }
    return out;
  }

  private String durationLine() {
    long d = profile.durationNanos();
    Units.Scaled totalNanos = Units.scale(total, sampleType.unit(), "nanoseconds");
    String ratio = "";
    if (totalNanos.unit().equals("ns") && totalNanos.value() != 0) {
      ratio = "(" + GoFormat.percentage((long) totalNanos.value(), d) + ")";
    }
    return "Duration: " + Units.label(d, "nanoseconds", "auto") + ", Total samples = "
        + format(total) + " " + ratio;
  }

  private static String time(long nanos) {
    ZonedDateTime t = Instant.ofEpochSecond(0, nanos).atZone(ZoneId.systemDefault());
    String ampm = t.getHour() < 12 ? "am" : "pm";
    String zone = DateTimeFormatter.ofPattern("zzz", Locale.ENGLISH).format(t);
    return TIME.format(t) + ampm + " (" + zone + ")";
  }

  /** The whole report as {@code go tool pprof -top} prints it, each line ending in a newline. */
  public String render() {
    StringBuilder sb = new StringBuilder();
    for (String h : headerLines()) {
      sb.append(h).append('\n');
    }
    sb.append(String.format("%10s %5s%% %5s%% %10s %5s%%%n", "flat", "flat", "sum", "cum", "cum")
        .replace(System.lineSeparator(), "\n"));
    long running = 0;
    for (TopRow r : rows) {
      running += r.flat();
      sb.append(GoFormat.pad(format(r.flat()), 10)).append(' ')
          .append(GoFormat.percentage(r.flat(), total)).append(' ')
          .append(GoFormat.percentage(running, total)).append(' ')
          .append(GoFormat.pad(format(r.cum()), 10)).append(' ')
          .append(GoFormat.percentage(r.cum(), total)).append("  ")
          .append(r.function());
      if (r.inlining() != TopRow.Inlining.NONE) {
        sb.append(' ').append(r.inlining().label());
      }
      sb.append('\n');
    }
    return sb.toString();
  }
}
