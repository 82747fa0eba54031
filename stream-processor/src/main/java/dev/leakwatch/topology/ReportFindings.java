package dev.leakwatch.topology;

import dev.leakwatch.detect.EvidencePoint;
import dev.leakwatch.detect.SiteFrame;
import dev.leakwatch.detect.growth.GrowthFinding;
import dev.leakwatch.detect.growth.InstanceReport;
import dev.leakwatch.detect.growth.InstanceReportCodec;
import dev.leakwatch.detect.series.Utf8;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * Holds an {@link InstanceReport}'s findings to what its repartition record ({@link ServiceReportSerde})
 * has room for and its reader accepts. Each finding carries its site's whole stack, and the decoder's
 * limits admit 1,024 frames with names of up to 64 KiB (a name repeated by reference costs the input
 * nothing): one finding could be 128 MiB, over the 16 MiB record the processor writes, and a goroutine
 * leak profile makes every site with leaked goroutines a finding, more than the reader's {@link
 * InstanceReportCodec#MAX_FINDINGS}. A record the producer refuses, or the reader cannot read, stops
 * the pipeline at that input.
 *
 * <p>So a finding whose encoding would pass {@link #MAX_FINDING_BYTES} is left out, and of the others
 * the first ranked (most confident, then steepest, then largest, then by site id) are kept while they
 * fit {@link #MAX_BYTES} and {@link InstanceReportCodec#MAX_FINDINGS}. A finding left out reads as its
 * site not growing on this instance at this capture. Recorded Go sites are tens of KiB, and an instance
 * has at most {@code maxTrackedSites} (default 64) growing ones: far within both bounds.
 */
final class ReportFindings {

  /** Largest finding kept, bytes as encoded (site frames, evidence and figures). */
  static final int MAX_FINDING_BYTES = 1 << 20;
  /**
   * Most bytes of findings one report keeps: with the window contribution's frames (at most 8 MiB,
   * {@code ShippedFrames}) and values, the record stays under 16 MiB.
   */
  static final int MAX_BYTES = 6 << 20;
  // varint length prefixes and numbers, at their widest
  private static final int VARINT = 10;

  private static final Comparator<GrowthFinding> RANKED =
      Comparator.comparingDouble(GrowthFinding::confidence).reversed()
          .thenComparing(Comparator.comparingDouble(GrowthFinding::slopePerHour).reversed())
          .thenComparing(Comparator.comparingLong(GrowthFinding::currentValue).reversed())
          .thenComparingLong(f -> f.site().id());

  private ReportFindings() {}

  /** {@code r} itself when its findings fit, else a copy with the first-ranked findings that do. */
  static InstanceReport within(InstanceReport r) {
    List<GrowthFinding> findings = r.findings();
    int n = findings.size();
    if (n == 0) {
      return r;
    }
    // names are shared by reference (one decoded string table): each measured once
    Map<String, Integer> utf8 = new IdentityHashMap<>();
    long[] sizes = new long[n];
    long total = 0;
    boolean oversized = false;
    for (int i = 0; i < n; i++) {
      sizes[i] = bytes(findings.get(i), utf8);
      total += sizes[i];
      oversized |= sizes[i] > MAX_FINDING_BYTES;
    }
    if (!oversized && total <= MAX_BYTES && n <= InstanceReportCodec.MAX_FINDINGS) {
      return r;
    }
    Integer[] ranked = new Integer[n];
    for (int i = 0; i < n; i++) {
      ranked[i] = i;
    }
    Arrays.sort(ranked, (a, b) -> RANKED.compare(findings.get(a), findings.get(b)));
    boolean[] keep = new boolean[n];
    int count = 0;
    long used = 0;
    for (int i : ranked) {
      if (sizes[i] > MAX_FINDING_BYTES) {
        continue;
      }
      if (count == InstanceReportCodec.MAX_FINDINGS || used + sizes[i] > MAX_BYTES) {
        break;
      }
      keep[i] = true;
      count++;
      used += sizes[i];
    }
    List<GrowthFinding> kept = new ArrayList<>(count);
    for (int i = 0; i < n; i++) {
      if (keep[i]) {
        kept.add(findings.get(i)); // as detection listed them
      }
    }
    return new InstanceReport(r.service(), r.instance(), r.kind(), r.captureTimeMs(), r.memoryLimitBytes(),
        r.totalValue(), r.update(), kept);
  }

  /** An upper bound of {@code f}'s encoded bytes ({@code InstanceReportCodec}), without encoding it. */
  private static long bytes(GrowthFinding f, Map<String, Integer> utf8) {
    long n = 4 * VARINT + 3 * 8 + VARINT + Utf8.length(f.statistic());
    for (SiteFrame frame : f.site().stack()) {
      n += 3 * VARINT + utf8.computeIfAbsent(frame.function(), Utf8::length)
          + utf8.computeIfAbsent(frame.file(), Utf8::length);
    }
    n += VARINT;
    for (EvidencePoint p : f.evidence()) {
      n += 2 * VARINT + 8 + Utf8.length(p.instance());
    }
    return n;
  }
}
