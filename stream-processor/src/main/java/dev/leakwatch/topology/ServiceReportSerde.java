package dev.leakwatch.topology;

import dev.leakwatch.detect.SiteFrame;
import dev.leakwatch.detect.StateFormatException;
import dev.leakwatch.detect.growth.InstanceReport;
import dev.leakwatch.detect.state.StateReader;
import dev.leakwatch.detect.state.StateWriter;
import dev.leakwatch.topology.window.ShippedFrames;
import dev.leakwatch.topology.window.StackDictionary;
import dev.leakwatch.topology.window.StackValues;
import dev.leakwatch.topology.window.WindowContribution;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;

/**
 * Binary serde of {@link ServiceReport} for the internal repartition topic.
 *
 * <p>Version 1: {@code 'L' 'S' 1}; the instance report (varint length + {@link
 * InstanceReport#toBytes()}); a presence byte for the window contribution, then instance, kind
 * (0 heap, 1 goroutine), capture time (zigzag ms), stack count and per stack id (8 bytes) and
 * counters (five varints: in-use bytes, in-use objects, alloc bytes, alloc objects, goroutines),
 * new-stack count and per new stack its id and frames ({@link StackDictionary} entry, length
 * prefixed).
 *
 * <p>Version 2 (written now; both are read): the same, but the new stacks share one string table,
 * since the stacks of one capture repeat the same functions and files: string count and strings,
 * then per new stack its id (8 bytes), frame count and per frame function and file (string table
 * indexes) and line (varints). An instance's first capture ships every stack's frames, and this
 * makes that record several times smaller than one dictionary entry per stack. Internal topics are
 * written and read by the same release, but the version byte lets a rolling upgrade read the
 * previous version and reject what it cannot read with a precise error.
 */
public final class ServiceReportSerde implements Serde<ServiceReport> {

  /** Most stacks accepted in one contribution on read. */
  static final int MAX_STACKS = 100_000;
  private static final int MAX_PART_BYTES = 64 << 20;

  @Override
  public Serializer<ServiceReport> serializer() {
    return (topic, report) -> report == null ? null : encode(report);
  }

  @Override
  public Deserializer<ServiceReport> deserializer() {
    return (topic, bytes) -> {
      if (bytes == null) {
        return null;
      }
      try {
        return decode(bytes);
      } catch (StateFormatException e) {
        throw new SerializationException("topic " + topic + ": bad service report at offset "
            + e.offset() + ": " + e.getMessage(), e);
      }
    };
  }

  static byte[] encode(ServiceReport r) {
    StateWriter w = new StateWriter().writeByte('L').writeByte('S').writeByte(2);
    w.writeBytes(r.report().toBytes());
    WindowContribution c = r.window();
    w.writeByte(c == null ? 0 : 1);
    if (c != null) {
      w.writeString(c.instance()).writeByte(c.goroutine() ? 1 : 0).writeSignedVarLong(c.captureMs());
      w.writeVarInt(c.stacks().size());
      for (StackValues v : c.stacks()) {
        w.writeFixed64(v.stackId()).writeVarLong(v.inuseBytes()).writeVarLong(v.inuseObjects())
            .writeVarLong(v.allocBytes()).writeVarLong(v.allocObjects()).writeVarLong(v.goroutines());
      }
      writeNewStacks(w, c.newStacks());
    }
    return w.toByteArray();
  }

  private static void writeNewStacks(StateWriter w, Map<Long, List<SiteFrame>> newStacks) {
    Map<String, Integer> index = new HashMap<>();
    List<String> strings = new ArrayList<>();
    for (List<SiteFrame> frames : newStacks.values()) {
      for (SiteFrame f : frames.subList(0, Math.min(frames.size(), StackDictionary.MAX_FRAMES))) {
        for (String text : new String[] {f.function(), f.file()}) {
          if (index.putIfAbsent(text, strings.size()) == null) {
            strings.add(text);
          }
        }
      }
    }
    w.writeVarInt(strings.size());
    strings.forEach(w::writeString);
    w.writeVarInt(newStacks.size());
    for (Map.Entry<Long, List<SiteFrame>> e : newStacks.entrySet()) {
      List<SiteFrame> frames = e.getValue();
      int n = Math.min(frames.size(), StackDictionary.MAX_FRAMES);
      w.writeFixed64(e.getKey()).writeVarInt(n);
      for (SiteFrame f : frames.subList(0, n)) {
        w.writeVarInt(index.get(f.function())).writeVarInt(index.get(f.file()))
            .writeVarLong(Math.max(0, f.line()));
      }
    }
  }

  private static Map<Long, List<SiteFrame>> readNewStacks(StateReader r) {
    int k = r.readCount("string count", ShippedFrames.MAX_STRINGS);
    String[] strings = new String[k];
    for (int i = 0; i < k; i++) {
      strings[i] = r.readString("string", 64 * 1024);
    }
    int m = r.readCount("new stack count", MAX_STACKS);
    Map<Long, List<SiteFrame>> newStacks = new HashMap<>(m * 2);
    for (int i = 0; i < m; i++) {
      long id = r.readFixed64("new stack id");
      int n = r.readCount("frame count", StackDictionary.MAX_FRAMES);
      List<SiteFrame> frames = new ArrayList<>(n);
      for (int j = 0; j < n; j++) {
        String function = strings[r.readCount("function index", k - 1)];
        String file = strings[r.readCount("file index", k - 1)];
        frames.add(new SiteFrame(function, file, r.readVarLong("line")));
      }
      newStacks.put(id, frames);
    }
    return newStacks;
  }

  static ServiceReport decode(byte[] bytes) {
    StateReader r = new StateReader(bytes);
    int version = r.expectHeader('L', 'S', 1, 2, "service report");
    InstanceReport report = InstanceReport.fromBytes(readBytes(r, "instance report"));
    WindowContribution window = null;
    if (r.readByte("window presence") == 1) {
      String instance = r.readString("instance", 1024);
      boolean goroutine = r.readByte("window kind") == 1;
      long captureMs = r.readSignedVarLong("captureMs");
      int n = r.readCount("stack count", MAX_STACKS);
      List<StackValues> stacks = new ArrayList<>(n);
      for (int i = 0; i < n; i++) {
        stacks.add(new StackValues(r.readFixed64("stack id"), r.readVarLong("inuse bytes"),
            r.readVarLong("inuse objects"), r.readVarLong("alloc bytes"), r.readVarLong("alloc objects"),
            r.readVarLong("goroutines")));
      }
      Map<Long, List<SiteFrame>> newStacks = version == 1 ? readNewStacksV1(r) : readNewStacks(r);
      window = new WindowContribution(instance, goroutine, captureMs, stacks, newStacks);
    }
    r.expectEnd("service report");
    return new ServiceReport(report, window);
  }

  private static Map<Long, List<SiteFrame>> readNewStacksV1(StateReader r) {
    int m = r.readCount("new stack count", MAX_STACKS);
    Map<Long, List<SiteFrame>> newStacks = new HashMap<>(m * 2);
    for (int i = 0; i < m; i++) {
      long id = r.readFixed64("new stack id");
      newStacks.put(id, StackDictionary.decode(readBytes(r, "new stack frames")));
    }
    return newStacks;
  }

  private static byte[] readBytes(StateReader r, String field) {
    return r.readBytes(field, MAX_PART_BYTES);
  }
}
