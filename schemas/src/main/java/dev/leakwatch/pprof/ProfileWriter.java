package dev.leakwatch.pprof;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPOutputStream;

/**
 * Writes a {@link Profile} as gzip'd {@code profile.proto}, the format {@code go tool pprof} and
 * {@link ProfileDecoder} read. Ids of mappings, locations and functions are kept, so {@code
 * decode(write(p))} equals {@code p}.
 *
 * <p>Labels whose value is the empty string or a number 0 without unit cannot be told apart from
 * "no label" in the format; like pprof, the decoder drops them.
 */
public final class ProfileWriter {
  private ProfileWriter() {}

  /** The gzip'd encoding. */
  public static byte[] write(Profile profile) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    write(profile, out);
    return out.toByteArray();
  }

  /** Writes the gzip'd encoding to {@code out} (not closed). */
  public static void write(Profile profile, OutputStream out) {
    try {
      GZIPOutputStream gz = new GZIPOutputStream(out, 64 * 1024);
      toProto(profile).writeTo(gz);
      gz.finish();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The plain (uncompressed) protobuf encoding. */
  public static byte[] writeUncompressed(Profile profile) {
    return toProto(profile).toByteArray();
  }

  private static dev.leakwatch.pprof.proto.Profile toProto(Profile p) {
    Strings strings = new Strings();
    var b = dev.leakwatch.pprof.proto.Profile.newBuilder();
    for (ValueType st : p.sampleTypes()) {
      b.addSampleType(valueType(st, strings));
    }
    for (Sample s : p.samples()) {
      b.addSample(sample(s, strings));
    }
    for (Mapping m : p.mappings()) {
      b.addMapping(dev.leakwatch.pprof.proto.Mapping.newBuilder()
          .setId(m.id()).setMemoryStart(m.memoryStart()).setMemoryLimit(m.memoryLimit())
          .setFileOffset(m.fileOffset()).setFilename(strings.index(m.file()))
          .setBuildId(strings.index(m.buildId())).setHasFunctions(m.hasFunctions())
          .setHasFilenames(m.hasFilenames()).setHasLineNumbers(m.hasLineNumbers())
          .setHasInlineFrames(m.hasInlineFrames()));
    }
    for (Location l : p.locations()) {
      var lb = dev.leakwatch.pprof.proto.Location.newBuilder()
          .setId(l.id()).setAddress(l.address()).setIsFolded(l.isFolded());
      if (l.mapping() != null) {
        lb.setMappingId(l.mapping().id());
      }
      for (Line line : l.lines()) {
        lb.addLine(dev.leakwatch.pprof.proto.Line.newBuilder()
            .setFunctionId(line.function().id()).setLine(line.line()).setColumn(line.column()));
      }
      b.addLocation(lb);
    }
    for (Function f : p.functions()) {
      b.addFunction(dev.leakwatch.pprof.proto.Function.newBuilder()
          .setId(f.id()).setName(strings.index(f.name()))
          .setSystemName(strings.index(f.systemName())).setFilename(strings.index(f.file()))
          .setStartLine(f.startLine()));
    }
    if (!p.periodType().type().isEmpty() || !p.periodType().unit().isEmpty()) {
      b.setPeriodType(valueType(p.periodType(), strings));
    }
    for (String c : p.comments()) {
      b.addComment(strings.index(c));
    }
    b.setPeriod(p.period())
        .setTimeNanos(p.timeNanos())
        .setDurationNanos(p.durationNanos())
        .setDropFrames(strings.index(p.dropFrames()))
        .setKeepFrames(strings.index(p.keepFrames()))
        .setDefaultSampleType(strings.index(p.defaultSampleType()))
        .setDocUrl(strings.index(p.docUrl()))
        .addAllStringTable(strings.table);
    return b.build();
  }

  private static dev.leakwatch.pprof.proto.ValueType valueType(ValueType v, Strings strings) {
    return dev.leakwatch.pprof.proto.ValueType.newBuilder()
        .setType(strings.index(v.type())).setUnit(strings.index(v.unit())).build();
  }

  private static dev.leakwatch.pprof.proto.Sample sample(Sample s, Strings strings) {
    var sb = dev.leakwatch.pprof.proto.Sample.newBuilder();
    for (Location l : s.locations()) {
      sb.addLocationId(l.id());
    }
    for (int i = 0; i < s.valueCount(); i++) {
      sb.addValue(s.value(i));
    }
    s.labels().forEach((key, values) -> {
      for (String v : values) {
        sb.addLabel(dev.leakwatch.pprof.proto.Label.newBuilder()
            .setKey(strings.index(key)).setStr(strings.index(v)));
      }
    });
    s.numLabels().forEach((key, values) -> {
      List<String> units = s.numUnits().getOrDefault(key, List.of());
      for (int i = 0; i < values.size(); i++) {
        String unit = i < units.size() ? units.get(i) : "";
        sb.addLabel(dev.leakwatch.pprof.proto.Label.newBuilder()
            .setKey(strings.index(key)).setNum(values.get(i)).setNumUnit(strings.index(unit)));
      }
    });
    return sb.build();
  }

  /** The string table being built; entry 0 is "". */
  private static final class Strings {
    final java.util.ArrayList<String> table = new java.util.ArrayList<>(List.of(""));
    final Map<String, Integer> index = new HashMap<>(Map.of("", 0));

    long index(String s) {
      return index.computeIfAbsent(s, k -> {
        table.add(k);
        return table.size() - 1;
      });
    }
  }
}
