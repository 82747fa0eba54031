package dev.leakwatch.detect.site;

import dev.leakwatch.detect.Site;
import dev.leakwatch.detect.SiteFrame;
import dev.leakwatch.detect.SuspectKind;
import dev.leakwatch.detect.WaitReason;
import dev.leakwatch.pprof.Frame;
import dev.leakwatch.pprof.Sample;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The site rules of {@link SiteExtractor} written the plain way, frame by frame and sample by sample,
 * with {@link FrameRules} applied to each frame's name and sites grouped by {@link Site#keyOf}: the
 * oracle that the fast grouping ({@link SiteGrouper}) must agree with.
 */
final class ReferenceSiteExtractor {
  private final SuspectKind kind;
  private final Map<String, Site> sites = new LinkedHashMap<>();
  private final Map<String, Long> sums = new LinkedHashMap<>();

  ReferenceSiteExtractor(SuspectKind kind) {
    this.kind = kind;
  }

  void add(Sample s, long value) {
    List<Frame> stack = s.stack();
    if (stack.isEmpty() || value < 0) {
      return;
    }
    List<String> functions = stack.stream().map(Frame::function).toList();
    int blamed = FrameRules.blamedIndex(functions);
    WaitReason wait = null;
    if (kind == SuspectKind.GOROUTINE) {
      wait = WaitReason.OTHER;
      for (String f : functions) {
        WaitReason r = FrameRules.waitReasonOf(f);
        if (r != null) {
          wait = r;
          break;
        }
        if (!FrameRules.isMachinery(f)) {
          break;
        }
      }
    }
    String key = Site.keyOf(kind, wait, functions.subList(blamed, functions.size()));
    if (!sites.containsKey(key)) {
      List<SiteFrame> frames = new ArrayList<>();
      for (Frame f : stack) {
        frames.add(new SiteFrame(f.function(), f.file(), f.line()));
      }
      sites.put(key, new Site(kind, frames, blamed, wait));
    }
    sums.merge(key, value, Long::sum);
  }

  List<SiteValue> values() {
    List<SiteValue> out = new ArrayList<>();
    sites.forEach((key, site) -> out.add(new SiteValue(site, sums.get(key))));
    return out;
  }
}
