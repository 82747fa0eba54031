package dev.leakwatch.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** What the query bench reports an answer read, from the answer's own words. */
class QueryCallsTest {

  private static String touched(String path, String json) {
    return QueryCalls.touched(path, json.getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void shouldReportWindowsCapturesAndInstancesOfARangeAnswer() {
    assertEquals("31 windows, 1551 captures, 100 instances", touched("/api/v1/services/s/top",
        "{\"range\":{\"windows\":31},\"captures\":1551,\"instanceCount\":100,\"instances\":[\"a\"],\"top\":[]}"));
  }

  @Test
  void shouldReportBothSidesOfADiff() {
    assertEquals("base 2 windows, 9 captures, 9 instances; target 46 windows, 151 captures, 10 instances",
        touched("/api/v1/services/s/diff", "{\"base\":{\"range\":{\"windows\":2},\"captures\":9,\"instanceCount\":9},"
            + "\"target\":{\"range\":{\"windows\":46},\"captures\":151,\"instanceCount\":10}}"));
  }

  @Test
  void shouldCountListedInstancesOfAServicePage() {
    assertEquals("2 services, 3 instances listed", touched("/api/v1/services",
        "{\"count\":2,\"services\":[{\"instances\":[{},{}]},{\"instances\":[{}]}]}"));
  }

  @Test
  void shouldCountPointsAndGrowthRatesOfASeriesPage() {
    assertEquals("2 of 5 instances, 3 points, 1 growth rates", touched("/api/v1/services/s/sites/ab/series",
        "{\"siteId\":\"ab\",\"instanceCount\":5,\"count\":2,\"instances\":["
            + "{\"points\":[{},{}],\"growth\":{\"ratePerHour\":1}},{\"points\":[{}],\"growth\":null}]}"));
  }

  @Test
  void shouldLeaveOutTheInstanceCountWhenOneInstanceWasAsked() {
    assertEquals("1 instances, 2 points, 0 growth rates", touched("/api/v1/services/s/sites/ab/series?instance=i",
        "{\"siteId\":\"ab\",\"instanceCount\":null,\"count\":1,\"instances\":[{\"points\":[{},{}],\"growth\":null}]}"));
  }
}
