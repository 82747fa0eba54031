package dev.leakwatch.topology;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.leakwatch.detect.ProfileKind;
import dev.leakwatch.detect.SiteFrame;
import dev.leakwatch.detect.StateFormatException;
import dev.leakwatch.detect.growth.InstanceReport;
import dev.leakwatch.detect.series.SeriesUpdate;
import dev.leakwatch.detect.state.StateWriter;
import dev.leakwatch.topology.window.ServiceWindow;
import dev.leakwatch.topology.window.StackDictionary;
import dev.leakwatch.topology.window.StackValues;
import dev.leakwatch.topology.window.WindowContribution;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.errors.SerializationException;
import org.junit.jupiter.api.Test;

/** The topology's own store and repartition formats: round trips, caps and precise errors. */
class CodecsTest {

  private static final List<SiteFrame> FRAMES = List.of(
      new SiteFrame("runtime.mallocgc", "/usr/lib/go/src/runtime/malloc.go", 1020),
      new SiteFrame("example.com/app.(*Cache).Put", "/src/app/cache.go", 42));

  @Test
  void shouldRoundTripServiceReportWithWindowContribution() {
    InstanceReport report = new InstanceReport("svc", "i-1", ProfileKind.HEAP, 1_000, 512L << 20, 4096,
        SeriesUpdate.APPENDED, List.of());
    WindowContribution window = new WindowContribution("i-1", false, 1_000,
        List.of(StackValues.heap(7, 100, 2, 300, 4), StackValues.heap(0, 1, 1, 1, 1)), Map.of(7L, FRAMES));
    ServiceReportSerde serde = new ServiceReportSerde();

    byte[] bytes = serde.serializer().serialize("t", new ServiceReport(report, window));
    ServiceReport back = serde.deserializer().deserialize("t", bytes);

    assertEquals(report, back.report());
    assertEquals(window, back.window());
  }

  @Test
  void shouldWriteEachFunctionAndFileOnceForAllNewStacksOfAReport() {
    InstanceReport report = new InstanceReport("svc", "i-1", ProfileKind.HEAP, 1_000, null, 1,
        SeriesUpdate.APPENDED, List.of());
    List<SiteFrame> other = List.of(FRAMES.get(0),
        new SiteFrame("example.com/app.(*Cache).Evict", "/src/app/cache.go", 77));
    WindowContribution window = new WindowContribution("i-1", false, 1_000,
        List.of(StackValues.heap(7, 1, 1, 1, 1), StackValues.heap(8, 1, 1, 1, 1)), Map.of(7L, FRAMES, 8L, other));
    ServiceReportSerde serde = new ServiceReportSerde();

    byte[] bytes = serde.serializer().serialize("t", new ServiceReport(report, window));

    assertEquals(window, serde.deserializer().deserialize("t", bytes).window());
    String text = new String(bytes, java.nio.charset.StandardCharsets.ISO_8859_1);
    assertEquals(1, text.split("/usr/lib/go/src/runtime/malloc.go", -1).length - 1, "runtime file once");
    assertEquals(1, text.split("/src/app/cache.go", -1).length - 1, "app file once");
  }

  @Test
  void shouldStillReadVersionOneReportsOfThePreviousRelease() {
    InstanceReport report = new InstanceReport("svc", "i-1", ProfileKind.HEAP, 1_000, null, 1,
        SeriesUpdate.APPENDED, List.of());
    // version 1 as the previous release wrote it: one dictionary entry per new stack
    byte[] v1 = new StateWriter().writeByte('L').writeByte('S').writeByte(1).writeBytes(report.toBytes())
        .writeByte(1).writeString("i-1").writeByte(0).writeSignedVarLong(1_000).writeVarInt(1)
        .writeFixed64(7).writeVarLong(100).writeVarLong(2).writeVarLong(300).writeVarLong(4).writeVarLong(0)
        .writeVarInt(1).writeFixed64(7).writeBytes(StackDictionary.encode(FRAMES)).toByteArray();

    ServiceReport back = new ServiceReportSerde().deserializer().deserialize("t", v1);

    assertEquals(report, back.report());
    assertEquals(new WindowContribution("i-1", false, 1_000, List.of(StackValues.heap(7, 100, 2, 300, 4)),
        Map.of(7L, FRAMES)), back.window());
  }

  @Test
  void shouldRejectAFrameThatNamesAStringBeyondTheReportsTable() {
    InstanceReport report = new InstanceReport("svc", "i-1", ProfileKind.HEAP, 1_000, null, 1,
        SeriesUpdate.APPENDED, List.of());
    byte[] bad = new StateWriter().writeByte('L').writeByte('S').writeByte(2).writeBytes(report.toBytes())
        .writeByte(1).writeString("i-1").writeByte(0).writeSignedVarLong(1_000).writeVarInt(0)
        .writeVarInt(1).writeString("f").writeVarInt(1).writeFixed64(7).writeVarInt(1)
        .writeVarInt(0).writeVarInt(3).writeVarLong(1).toByteArray();

    SerializationException e = assertThrows(SerializationException.class,
        () -> new ServiceReportSerde().deserializer().deserialize("reports", bad));
    assertTrue(e.getMessage().contains("file index 3 exceeds limit 0"), e.getMessage());
  }

  @Test
  void shouldRoundTripServiceReportWithoutWindow() {
    InstanceReport report = new InstanceReport("svc", "i-1", ProfileKind.ALLOCS, 1_000, null, 0,
        SeriesUpdate.IGNORED, List.of());
    ServiceReportSerde serde = new ServiceReportSerde();

    ServiceReport back = serde.deserializer().deserialize("t", serde.serializer().serialize("t", new ServiceReport(report, null)));

    assertNull(back.window());
    assertEquals(report, back.report());
  }

  @Test
  void shouldRejectTruncatedServiceReportNamingTopicAndOffset() {
    InstanceReport report = new InstanceReport("svc", "i-1", ProfileKind.HEAP, 1_000, null, 1,
        SeriesUpdate.APPENDED, List.of());
    ServiceReportSerde serde = new ServiceReportSerde();
    byte[] bytes = serde.serializer().serialize("t", new ServiceReport(report, null));

    SerializationException e = assertThrows(SerializationException.class,
        () -> serde.deserializer().deserialize("reports", Arrays.copyOf(bytes, bytes.length - 1)));
    assertTrue(e.getMessage().startsWith("topic reports: bad service report at offset "), e.getMessage());
  }

  @Test
  void shouldSumContributionsAndAverageOverCaptures() {
    ServiceWindow w = new ServiceWindow();
    w.add(new WindowContribution("a", false, 0, List.of(StackValues.heap(5, 100, 10, 1000, 20)), Map.of()), 10);
    w.add(new WindowContribution("b", false, 0, List.of(StackValues.heap(5, 300, 30, 500, 5)), Map.of()), 10);
    w.add(new WindowContribution("b", true, 0, List.of(StackValues.goroutine(9, 12)), Map.of()), 10);

    ServiceWindow back = ServiceWindow.fromBytes(w.toBytes());

    assertEquals(2, back.heapCaptures());
    assertEquals(1, back.goroutineCaptures());
    assertEquals(List.of("a", "b"), List.copyOf(back.instances()));
    assertEquals(StackValues.heap(5, 400, 40, 1500, 25), back.heapStacks().get(5L));
    assertEquals(200.0, back.averageInuseBytes(5), 0.0);
    assertEquals(20.0, back.averageInuseObjects(5), 0.0);
    assertEquals(12.0, back.averageGoroutines(9), 0.0);
  }

  @Test
  void shouldWriteEveryInstanceOfAWindowThatGainedOneSinceItWasLastWritten() {
    ServiceWindow w = new ServiceWindow();
    w.add(new WindowContribution("b", false, 0, List.of(StackValues.heap(5, 100, 10, 1000, 20)), Map.of()), 10);
    byte[] first = w.toBytes();
    w.add(new WindowContribution("b", false, 0, List.of(StackValues.heap(5, 100, 10, 1000, 20)), Map.of()), 10);
    assertEquals(List.of("b"), List.copyOf(ServiceWindow.fromBytes(w.toBytes()).instances()));
    w.add(new WindowContribution("a", false, 0, List.of(StackValues.heap(5, 100, 10, 1000, 20)), Map.of()), 10);
    w.add(new WindowContribution("c", true, 0, List.of(StackValues.goroutine(9, 12)), Map.of()), 10);

    ServiceWindow back = ServiceWindow.fromBytes(w.toBytes());
    assertEquals(List.of("a", "b", "c"), List.copyOf(back.instances()));
    assertEquals(3, back.heapCaptures());
    // the bytes are those a fresh encoding gives, whatever was written before
    assertTrue(Arrays.equals(back.toBytes(), w.toBytes()));
    assertEquals(List.of("b"), List.copyOf(ServiceWindow.fromBytes(first).instances()));
  }

  @Test
  void shouldFoldTheLightestStacksIntoOtherWhenAWindowIsFull() {
    ServiceWindow w = new ServiceWindow();
    w.add(new WindowContribution("a", true, 0, List.of(StackValues.goroutine(1, 50), StackValues.goroutine(2, 5),
        StackValues.goroutine(3, 7), StackValues.goroutine(4, 1)), Map.of()), 2);

    Map<Long, StackValues> kept = w.goroutineStacks();
    assertEquals(3, kept.size(), "two heaviest plus OTHER: " + kept);
    assertEquals(50, kept.get(1L).goroutines());
    assertEquals(7, kept.get(3L).goroutines());
    assertEquals(6, kept.get(0L).goroutines(), "OTHER holds the rest, nothing is lost");
  }

  @Test
  void shouldRoundTripDictionaryEntries() {
    assertEquals(FRAMES, StackDictionary.decode(StackDictionary.encode(FRAMES)));
    assertEquals("svc#000000000000002a", StackDictionary.key("svc", 42));
  }

  @Test
  void shouldRejectStoreValuesOfAnotherFormatPrecisely() {
    byte[] window = new ServiceWindow().toBytes();

    StateFormatException e = assertThrows(StateFormatException.class, () -> StackDictionary.decode(window));
    assertTrue(e.getMessage().startsWith("stack dictionary entry: bad magic"), e.getMessage());
    StateFormatException v = assertThrows(StateFormatException.class,
        () -> ServiceWindow.fromBytes(new byte[] {'L', 'W', 9}));
    assertTrue(v.getMessage().contains("unsupported version 9"), v.getMessage());
  }
}
