package dev.leakwatch.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Each benchmark on a tiny workload: it runs end to end and its numbers are sane (non-zero, every
 * record accounted for). Timing is never asserted: that is what the benchmarks themselves report.
 */
class BenchSmokeTest {
  @TempDir Path dir;

  private static BenchProfiles profiles(String set) {
    Path testdata = BenchProfiles.defaultTestdata();
    assumeTrue(Files.isDirectory(testdata.resolve("corpus")), "no recorded profiles at " + testdata);
    return BenchProfiles.load(testdata, set);
  }

  @Test
  void shouldMeasureTopologyDecodeAndFirstStageRatesWithEveryRecordProcessed() {
    TopologyBench.Result r = TopologyBench.run(profiles(BenchProfiles.TYPICAL),
        new TopologyBench.Settings(20, 2, 40, 60, Duration.ofMinutes(5), Duration.ofMillis(100), 3), dir);
    assertEquals(60, r.topology().profiles());
    assertEquals(60, r.processed());
    assertEquals(0, r.deadLetters());
    assertTrue(r.decode().perSecond() > 0 && r.envelope().perSecond() > 0 && r.topology().perSecond() > 0);
    assertTrue(r.topology().gzBytes() > 60 * 1000, "typical profiles are several KB each");
    assertTrue(r.ratio() > 0 && Double.isFinite(r.ratio()));
    assertEquals(3, r.interleaved().rounds());
    assertTrue(r.interleaved().decodeMicros() > 0 && r.interleaved().topologyMicros() > 0, r.interleaved().toString());
  }

  @Test
  void shouldEndTheTopologyMeasurementAfterOneChunkWhenItsTimeIsUp() {
    TopologyBench.Result r = TopologyBench.run(profiles(BenchProfiles.TYPICAL),
        new TopologyBench.Settings(20, 2, 20, 1000, Duration.ZERO, Duration.ofMillis(50)), dir);
    assertEquals(TopologyBench.CHUNK, r.topology().profiles());
    assertEquals(TopologyBench.CHUNK, r.processed());
    assertEquals(null, r.interleaved(), "no interleaved rounds asked for");
  }

  @Test
  void shouldMeasureHeapAndStateOfEveryTrackedSeries() throws InterruptedException {
    StateBench.Result r = StateBench.run(profiles("sites-300"), new StateBench.Settings(20, 2, 3, 2), dir);
    assertEquals(20, r.series(), "one heap series per instance");
    assertEquals(60, r.processed());
    assertTrue(r.heapAfterGc() > 0 && r.rss() > 0 && r.peakRss() >= r.rss());
    assertTrue(r.rocksDbBytes() > 0);
    assertEquals(StateBench.STORES, List.copyOf(r.storeBytes().keySet()), "every store measured, in order");
    long perStore = r.storeBytes().values().stream().mapToLong(Long::longValue).sum();
    assertTrue(perStore > 0 && perStore <= r.rocksDbBytes(), "stores are part of the state directories");
    assertTrue(r.liveSstBytes() + r.memTableBytes() > 0, "RocksDB's own size metrics are read");
    assertTrue(r.storedBytesPerSeries() > 0);
  }

  @Test
  void shouldRefuseMoreCapturesThanOneProcessRecorded() {
    BenchProfiles p = profiles("sites-300");
    StateBench.Settings tooMany = new StateBench.Settings(2, 1, p.shortestSequence() + 1, 1);
    IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
        () -> StateBench.run(p, tooMany, dir));
    assertTrue(e.getMessage().contains("restart"), e.getMessage());
  }

  @Test
  void shouldMeasureSustainedRateAndHalfLoadLatencyOnTheLocalBroker() {
    EndToEndBench.Settings s = new EndToEndBench.Settings(20, 2, 1, 2, 1, "512m", List.of(),
        Map.of("producer.max.request.size", "18874368"),
        Duration.ofSeconds(2), 2, Duration.ofSeconds(4), Duration.ofSeconds(6), 50);
    EndToEndBench.Result r = EndToEndBench.run(profiles(BenchProfiles.TYPICAL), profiles(BenchProfiles.LEAKING), s,
        dir, config -> List.of("dev.leakwatch.cli.LeakwatchCli", "processor", "--config", config.toString()));
    assertTrue(r.sustained().profiles() > 0 && r.sustained().perSecond() > 0);
    assertTrue(r.processorCpuNanos() > 0 && r.brokerCpuNanos() > 0);
    assertTrue(r.halfLoadRate() > 0);
    assertTrue(r.processed().count() > 0, "latencies recorded at half load");
    assertTrue(r.processed().percentileMs(50) > 0);
    assertTrue(r.processed().percentileMs(99) >= r.processed().percentileMs(50));
    assertTrue(r.processorHeap() > 0 && r.processorPeakRss() > 0 && r.brokerPeakRss() > 0);
    assertTrue(r.stateBytes() > 0);
  }

  @Test
  void shouldTimeEveryQueryEndpointOverHttpAfterFillingTheProcessorsStores() {
    QueryBench.Settings s = new QueryBench.Settings(2, 6, 16, Duration.ofMinutes(4), 2, 2, "512m", List.of(), 2, 1,
        Duration.ofSeconds(5), 100);
    QueryBench.Result r = QueryBench.run(profiles("sites-300"), profiles(BenchProfiles.LEAKING), s, dir,
        config -> List.of("dev.leakwatch.cli.LeakwatchCli", "processor", "--config", config.toString()));
    assertEquals((6 + 2) * 16, r.records(), "every capture of every instance, leaking ones included");
    assertEquals(Duration.ofMinutes(60), r.span());
    List<String> asked = r.calls().stream().map(QueryBench.Timing::name).toList();
    assertTrue(asked.containsAll(List.of("services (page of 1000, 100 instances each)", "top, whole retention",
        "diff, whole retention (halves)", "profile (merged heap), whole retention", "suspects (open)",
        "site series (page of 1000)")), asked.toString());
    for (QueryBench.Timing t : r.calls()) {
      assertEquals(2, t.latencies().count(), t.name() + ": two measured calls");
      assertTrue(t.bytes() > 0 && !t.touched().isEmpty(), t.toString());
    }
    QueryBench.Timing top = r.calls().stream().filter(t -> t.name().equals("top, whole retention")).findFirst()
        .orElseThrow();
    assertTrue(top.touched().contains("48 captures, 3 instances"), top.touched());
    QueryBench.Timing services = r.calls().get(0);
    assertTrue(services.touched().startsWith("4 services, 9 instances listed"), services.touched());
  }

  @Test
  void shouldMeasureGoProfileParseOnTheSameFiles() {
    BenchProfiles p = profiles(BenchProfiles.TYPICAL);
    GoParse.Result r = GoParse.run(BenchProfiles.defaultTestdata(), p.sampleFiles(1), Duration.ofMillis(100));
    assumeTrue(r.note().isEmpty(), "Go harness unavailable: " + r.note());
    assertTrue(r.profilesPerSecond() > 0);
  }
}
