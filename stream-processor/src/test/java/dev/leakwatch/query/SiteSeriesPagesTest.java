package dev.leakwatch.query;

import static dev.leakwatch.query.FakeCluster.OTHER;
import static dev.leakwatch.query.FakeCluster.SELF;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.leakwatch.detect.DetectionConfig;
import dev.leakwatch.detect.ProfileKind;
import dev.leakwatch.detect.growth.InstanceDetector;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.streams.state.HostInfo;
import org.junit.jupiter.api.Test;

/**
 * A site's series on a page of live instances, gathered from parts of processor instances of two
 * releases during a rolling upgrade (docs/API.md: what an older instance leaves out of its answer is
 * read as missing, never refused).
 */
class SiteSeriesPagesTest {

  private static final HostInfo NEWER = new HostInfo("c", 3);
  private static final String SITE = "97f858da02d28f4c";
  /** The fake's metadata names one topic: let it be the profiles topic the series store lives on. */
  private static final StoreLayout LAYOUT = new StoreLayout("app", FakeCluster.TOPIC);

  private final FakeCluster cluster = new FakeCluster();

  private SiteSeriesPages pages() {
    Retry once = new Retry(1, 0);
    LocalStores none = new LocalStores(null); // this instance holds no partition: never read
    return new SiteSeriesPages(new Routing(new KeyRouter(cluster, SELF), cluster, once),
        new FanOut(cluster, SELF, cluster, LAYOUT, once), new CatalogQueries(none),
        new SeriesQueries(none, 3_600_000, () -> new InstanceDetector(DetectionConfig.defaults())));
  }

  @Test
  void shouldAnswerNoGrowthForTheInstancesOfAnOlderReleasesPartAndKeepTheNewerPartsFigures() throws IOException {
    String live = "{\"service\":\"svc\",\"latestCapture\":\"2026-11-26T07:11:52.912Z\",\"openSuspects\":1,"
        + "\"candidateSuspects\":0,\"instanceCount\":2,\"count\":2,\"truncated\":false,\"next\":null,\"instances\":["
        + "{\"instance\":\"replica-0\",\"lastSeen\":\"2026-11-26T07:11:52.912Z\",\"memoryLimitBytes\":null,"
        + "\"heapInuseBytes\":8143469},{\"instance\":\"replica-1\",\"lastSeen\":\"2026-11-26T07:11:52.894Z\","
        + "\"memoryLimitBytes\":null,\"heapInuseBytes\":5199127}]}";
    String growth = "{\"ratePerHour\":6.09E8,\"verdict\":\"GROWING\",\"points\":35,"
        + "\"from\":\"2026-11-26T07:11:18.894Z\",\"to\":\"2026-11-26T07:11:52.894Z\"}";
    cluster.owner(OTHER, 0)
        .assign(Map.of(OTHER, Set.of(0, 1), NEWER, Set.of(2, 3)))
        // the older release: its part's entries have no growth field
        .peer(OTHER, path -> path.startsWith(ApiPaths.PART_SERIES) ? json(part(entry("replica-0", null)))
            : json(live))
        .peer(NEWER, path -> json(part(entry("replica-1", growth))));

    SeriesAnswers.SiteSeries page = pages().page("svc", Long.parseUnsignedLong(SITE, 16), ProfileKind.HEAP,
        new RangeSpec("from", null, "to", null, null, null), InstancePage.first(InstancePage.DEFAULT_LIMIT));

    JsonNode answer = new ObjectMapper().readTree(JsonCodec.write(page));
    JsonNode older = answer.path("instances").get(0);
    JsonNode newer = answer.path("instances").get(1);
    assertEquals(List.of("replica-0", "replica-1"), answer.path("instances").findValuesAsText("instance"));
    assertTrue(older.has("growth") && older.path("growth").isNull(), "no figure from the older part: " + older);
    assertEquals(2, older.path("points").size(), "its points kept: " + older);
    assertEquals(new ObjectMapper().readTree(growth), newer.path("growth"), newer.toString());
  }

  /** A series part as an instance writes it for its partitions. */
  private static String part(String... entries) {
    return "{\"service\":\"svc\",\"siteId\":\"" + SITE + "\",\"kind\":\"heap\",\"unit\":\"bytes\",\"instanceCount\":null,"
        + "\"count\":" + entries.length + ",\"truncated\":false,\"next\":null,\"instances\":[" + String.join(",", entries)
        + "]}";
  }

  /** An instance's entry; without {@code growth} (null) in the older release's shape. */
  private static String entry(String instance, String growth) {
    return "{\"service\":\"svc\",\"instance\":\"" + instance + "\",\"kind\":\"heap\",\"siteId\":\"" + SITE + "\","
        + "\"tracked\":true,\"generation\":0,\"generationStart\":\"2026-11-26T07:11:18.894Z\","
        + (growth == null ? "" : "\"growth\":" + growth + ",")
        + "\"points\":[{\"time\":\"2026-11-26T07:11:51.894Z\",\"timeMs\":1795677111894,\"value\":4799910},"
        + "{\"time\":\"2026-11-26T07:11:52.894Z\",\"timeMs\":1795677112894,\"value\":4865686}]}";
  }

  private static PeerResponse json(String body) {
    return new PeerResponse(200, "application/json", body.getBytes(StandardCharsets.UTF_8));
  }
}
