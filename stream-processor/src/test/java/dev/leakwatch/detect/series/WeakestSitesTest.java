package dev.leakwatch.detect.series;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.leakwatch.detect.DetectionConfig;
import dev.leakwatch.detect.ProfileKind;
import dev.leakwatch.detect.TestCorpora;
import dev.leakwatch.detect.eval.CorpusScenario;
import dev.leakwatch.detect.site.SiteExtractor;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The precomputed eviction keys pick the site the comparator's definition picks, round after round. */
class WeakestSitesTest {

  @Test
  void shouldPickTheSiteTheComparatorPicksWhileSitesAreEvictedAndAdmitted() {
    DetectionConfig config = DetectionConfig.defaults();
    int compared = 0;
    for (String scenario : new String[] {"N_profile-heavy", "G_session-store", "I_product-cache"}) {
      CorpusScenario n = TestCorpora.fixture(scenario);
      for (String replica : List.of("replica-0", "replica-1")) {
        InstanceSeries s = InstanceSeries.empty(ProfileKind.HEAP);
        for (CorpusScenario.Capture c : n.captures()) {
          if (!c.instance().equals(replica) || c.kind() != ProfileKind.HEAP) {
            continue;
          }
          s.append(SiteExtractor.extract(TestCorpora.decode(c.file()), c.kind(), c.timeMs()), config);
          List<TrackedSite> sites = new ArrayList<>(s.sites());
          WeakestSites weak = new WeakestSites(sites);
          // evict down to one site, as an admission round would, checking every pick
          while (sites.size() > 1) {
            TrackedSite expected = Collections.min(sites, TrackedSite.WEAKEST_FIRST);
            int picked = weak.weakest();
            assertEquals(sites.indexOf(expected), picked, scenario + " " + c.file());
            assertEquals(expected.retentionFloor(), weak.floor(picked));
            sites.remove(picked);
            weak.remove(picked);
            compared++;
          }
        }
      }
    }
    assertTrue(compared > 500, "compared " + compared + " picks");
  }
}
