package dev.leakwatch.detect.site;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.leakwatch.detect.ProfileKind;
import dev.leakwatch.detect.Site;
import dev.leakwatch.detect.SuspectKind;
import dev.leakwatch.detect.TestCorpora;
import dev.leakwatch.pprof.Profile;
import dev.leakwatch.pprof.Sample;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The fast site grouping against the plain rules ({@link ReferenceSiteExtractor}) on every recorded
 * heap and goroutine profile of the project's fixtures: same sites, in the same order, with the same
 * ids, values, frames, blamed frame and wait reason.
 */
class SiteGrouperTest {

  @Test
  void shouldGroupEveryRecordedProfileExactlyAsThePlainRulesDo() throws IOException {
    String root = System.getProperty("leakwatch.testdata");
    assumeTrue(root != null, "leakwatch.testdata not set");
    List<Path> files;
    try (Stream<Path> walk = Files.walk(Path.of(root))) {
      files = walk.filter(p -> p.toString().endsWith("-heap.pb.gz") || p.toString().endsWith("-goroutine.pb.gz"))
          .filter(p -> !p.toString().contains("fuzz")).sorted().toList();
    }
    assertTrue(files.size() > 100, "expected the recorded corpus, found " + files.size() + " profiles");
    int sites = 0;
    for (Path file : files) {
      Profile p = TestCorpora.decode(file);
      boolean goroutine = file.toString().endsWith("-goroutine.pb.gz");
      SuspectKind kind = goroutine ? SuspectKind.GOROUTINE : SuspectKind.HEAP;
      int index = p.sampleIndex(goroutine ? "goroutine" : "inuse_space");
      ReferenceSiteExtractor expected = new ReferenceSiteExtractor(kind);
      for (Sample s : p.samples()) {
        expected.add(s, s.value(index));
      }
      List<SiteValue> want = expected.values();
      List<SiteValue> got = List.copyOf(SiteExtractor.extract(p, goroutine ? ProfileKind.GOROUTINE : ProfileKind.HEAP,
          1L).sites().values());
      assertEquals(want.size(), got.size(), file + ": number of sites");
      for (int i = 0; i < want.size(); i++) {
        SiteValue w = want.get(i);
        SiteValue g = got.get(i);
        String where = file + " site " + i + " (" + w.site() + ")";
        assertEquals(w.site().id(), g.id(), where + ": id");
        assertEquals(w.value(), g.value(), where + ": value");
        Site ws = w.site();
        Site gs = g.site();
        assertEquals(ws, gs, where);
        assertEquals(ws.stack(), gs.stack(), where + ": frames");
        assertEquals(ws.siteIndex(), gs.siteIndex(), where + ": blamed frame");
        assertEquals(ws.waitReason(), gs.waitReason(), where + ": wait reason");
        assertEquals(gs.id(), g.id(), where + ": the lazily built site has the id extraction gave");
      }
      sites += want.size();
    }
    assertTrue(sites > 1000, "compared " + sites + " sites");
  }
}
