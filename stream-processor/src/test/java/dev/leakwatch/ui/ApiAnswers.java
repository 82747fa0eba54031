package dev.leakwatch.ui;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Query API answers in the shapes docs/API.md documents, for {@link ScriptedApi}: service {@code svc},
 * times around {@link #T0}, bytes.
 */
final class ApiAnswers {

  static final long T0 = Instant.parse("2026-11-26T07:11:40Z").toEpochMilli();

  private ApiAnswers() {}

  static String range(long fromMs, long toMs) {
    return "{\"from\":\"" + Instant.ofEpochMilli(fromMs) + "\",\"to\":\"" + Instant.ofEpochMilli(toMs)
        + "\",\"fromMs\":" + fromMs + ",\"toMs\":" + toMs + ",\"windowMs\":5000,\"windows\":" + (toMs - fromMs) / 5000 + "}";
  }

  static String frame(String function) {
    return "{\"function\":\"" + function + "\",\"file\":\"/src/" + function.replace('.', '/') + ".go\",\"line\":7}";
  }

  /** A top row: frames leaf first, its value per capture (one capture, so sum = perCapture). */
  static String row(String id, double perCapture, double total, String... frames) {
    List<String> fs = new ArrayList<>();
    for (String f : frames) {
      fs.add(frame(f));
    }
    return "{\"stackId\":\"" + id + "\",\"leaf\":" + fs.get(0) + ",\"depth\":" + frames.length + ",\"frames\":["
        + String.join(",", fs) + "],\"sum\":" + perCapture + ",\"perCapture\":" + perCapture + ",\"share\":"
        + perCapture / total + "}";
  }

  static String top(long fromMs, long toMs, int captures, double total, List<String> rows) {
    return top(fromMs, toMs, captures, total, rows, rows.size());
  }

  /** @param stacks the answer's count of stacks with a value: more than the rows when the limit cut some */
  static String top(long fromMs, long toMs, int captures, double total, List<String> rows, int stacks) {
    return "{\"service\":\"svc\",\"metric\":\"inuse_space\",\"unit\":\"bytes\",\"range\":" + range(fromMs, toMs)
        + ",\"captures\":" + captures + ",\"instances\":" + (captures == 0 ? "[]" : "[\"replica-0\"]")
        + ",\"instanceCount\":" + (captures == 0 ? 0 : 1) + ",\"instancesTruncated\":false,\"totalSum\":" + total * captures
        + ",\"totalPerCapture\":" + total + ",\"stacks\":" + stacks + ",\"top\":[" + String.join(",", rows) + "]}";
  }

  static String side(long fromMs, long toMs, int captures, double total) {
    return "{\"range\":" + range(fromMs, toMs) + ",\"captures\":" + captures + ",\"instances\":[],\"instanceCount\":"
        + (captures == 0 ? 0 : 1) + ",\"instancesTruncated\":false,\"totalPerCapture\":" + total + "}";
  }

  static String diff(String base, String target) {
    return "{\"service\":\"svc\",\"metric\":\"inuse_space\",\"unit\":\"bytes\",\"base\":" + base + ",\"target\":"
        + target + ",\"grewMost\":[],\"grewMostRelative\":[]}";
  }

  static String oneStackTop(long fromMs, long toMs) {
    return top(fromMs, toMs, 1, 1000, List.of(row("00000000000000a1", 1000, 1000, "main.alpha", "main.main")));
  }

  /** A suspect of svc growing on {@code growing} at 720,000,000 bytes/hour (200,000 bytes a second). */
  static String suspect(String id, String... growing) {
    return "{\"suspect\":{\"suspectId\":\"" + id + "\",\"service\":\"svc\",\"kind\":\"HEAP\",\"state\":\"open\","
        + "\"lastStatus\":\"OPEN\",\"siteId\":\"97f858da02d28f4c\",\"seriesKind\":\"heap\",\"site\":" + frame("main.alpha")
        + ",\"stack\":[" + frame("main.alpha") + "],\"waitReason\":null,\"instances\":[\"" + String.join("\",\"", growing)
        + "\"],\"growthRate\":720000000,\"growthUnit\":\"bytes/hour\",\"currentValue\":1600000,\"valueUnit\":\"bytes\","
        + "\"firstGrowthSeen\":\"" + Instant.ofEpochMilli(T0) + "\",\"openedAt\":\"" + Instant.ofEpochMilli(T0 + 3000)
        + "\",\"detectedAt\":\"" + Instant.ofEpochMilli(T0 + 3000) + "\",\"statistic\":\"mann-kendall\",\"statisticValue\":3,"
        + "\"confidence\":0.9,\"evidence\":[],\"projectedExhaustion\":null,\"memoryLimitBytes\":null},\"events\":[]}";
  }

  /** {@link #suspect}, with the answer's {@code labels} section ({@code labels}: its JSON, or null). */
  static String suspectWithLabels(String id, String labels, String... growing) {
    String plain = suspect(id, growing);
    return plain.substring(0, plain.length() - 1) + ",\"labels\":" + labels + "}";
  }

  /** {@link #suspect}, naming {@code related} in its {@code relatedSuspects}. */
  static String suspectWithRelated(String id, List<String> related, String... growing) {
    String list = related.isEmpty() ? "[]" : "[\"" + String.join("\",\"", related) + "\"]";
    return suspect(id, growing).replace("\"memoryLimitBytes\":null}", "\"memoryLimitBytes\":null,\"relatedSuspects\":" + list + "}");
  }

  /** The site's series on {@code instances}, each 4 captures a second apart from T0, growing 200,000 bytes a second. */
  static String series(String... instances) {
    return seriesOf(java.util.Arrays.stream(instances).map(i -> entry(i, 200_000, null)).toArray(String[]::new));
  }

  /** A page of the site's series holding the instance entries given ({@link #entry}), in order. */
  static String seriesOf(String... entries) {
    return "{\"service\":\"svc\",\"siteId\":\"97f858da02d28f4c\",\"kind\":\"heap\",\"unit\":\"bytes\",\"instanceCount\":"
        + entries.length + ",\"count\":" + entries.length + ",\"truncated\":false,\"next\":null,\"instances\":["
        + String.join(",", entries) + "]}";
  }

  /**
   * An instance's entry: 4 captures a second apart from T0, rising {@code perSecond} bytes a second
   * from 1,000,000, with the growth figure {@code growth} (its JSON, or null: no rate).
   */
  static String entry(String instance, long perSecond, String growth) {
    return entry(instance, perSecond, growth, "null", false);
  }

  /** The same, with the instance's labels ({@code labels}: their JSON object, or null) as the API writes them. */
  static String entry(String instance, long perSecond, String growth, String labels, boolean labelsTruncated) {
    List<String> points = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      points.add("{\"time\":\"" + Instant.ofEpochMilli(T0 + i * 1000L) + "\",\"timeMs\":" + (T0 + i * 1000L)
          + ",\"value\":" + (1_000_000 + i * perSecond) + "}");
    }
    return "{\"service\":\"svc\",\"instance\":\"" + instance + "\",\"kind\":\"heap\",\"siteId\":\"97f858da02d28f4c\","
        + "\"tracked\":true,\"generation\":0,\"generationStart\":\"" + Instant.ofEpochMilli(T0) + "\",\"growth\":" + growth
        + ",\"points\":[" + String.join(",", points) + "],\"labels\":" + labels + ",\"labelsTruncated\":"
        + labelsTruncated + "}";
  }

  /** A growth figure over the 4 captures of {@link #entry}: {@code ratePerHour}, judged {@code verdict}. */
  static String growth(double ratePerHour, String verdict) {
    return "{\"ratePerHour\":" + ratePerHour + ",\"verdict\":\"" + verdict + "\",\"points\":4,\"from\":\""
        + Instant.ofEpochMilli(T0) + "\",\"to\":\"" + Instant.ofEpochMilli(T0 + 3000) + "\"}";
  }
}
