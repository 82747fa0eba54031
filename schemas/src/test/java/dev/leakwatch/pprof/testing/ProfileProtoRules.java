package dev.leakwatch.pprof.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.leakwatch.pprof.proto.Function;
import dev.leakwatch.pprof.proto.Label;
import dev.leakwatch.pprof.proto.Line;
import dev.leakwatch.pprof.proto.Location;
import dev.leakwatch.pprof.proto.Mapping;
import dev.leakwatch.pprof.proto.Profile;
import dev.leakwatch.pprof.proto.Sample;
import dev.leakwatch.pprof.proto.ValueType;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.zip.GZIPInputStream;

/**
 * Checks a written profile, read with the generated protobuf classes rather than the codec's
 * decoder, against the rules profile.proto states: string_table[0] is "", every string index is in
 * the table, mapping, location and function ids are non-zero and unique and every reference to one
 * resolves, each sample has one value per sample type, a label has a string or a number but not
 * both, and the default sample type names one of the sample types.
 */
public final class ProfileProtoRules {

  private ProfileProtoRules() {}

  /** Fails the calling test unless the gzip'd {@code written} profile holds to every rule. */
  public static void assertHolds(byte[] written) {
    Profile p;
    try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(written))) {
      p = Profile.parseFrom(in);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    int strings = p.getStringTableCount();
    assertTrue(strings > 0 && p.getStringTable(0).isEmpty(), "string_table[0] is \"\"");
    List<Long> indexes = new ArrayList<>(List.of(p.getDropFrames(), p.getKeepFrames(),
        p.getDefaultSampleType(), p.getDocUrl(), p.getPeriodType().getType(),
        p.getPeriodType().getUnit()));
    indexes.addAll(p.getCommentList());
    for (ValueType t : p.getSampleTypeList()) {
      indexes.addAll(List.of(t.getType(), t.getUnit()));
    }
    Set<Long> mappings = ids("mapping", p.getMappingList().stream().map(Mapping::getId).toList());
    for (Mapping m : p.getMappingList()) {
      indexes.addAll(List.of(m.getFilename(), m.getBuildId()));
    }
    Set<Long> functions = ids("function",
        p.getFunctionList().stream().map(Function::getId).toList());
    for (Function f : p.getFunctionList()) {
      indexes.addAll(List.of(f.getName(), f.getSystemName(), f.getFilename()));
    }
    Set<Long> locations = ids("location", p.getLocationList().stream().map(Location::getId).toList());
    for (Location l : p.getLocationList()) {
      assertTrue(l.getMappingId() == 0 || mappings.contains(l.getMappingId()), "mapping of " + l);
      for (Line line : l.getLineList()) {
        assertTrue(functions.contains(line.getFunctionId()), "function of " + l);
      }
    }
    for (Sample s : p.getSampleList()) {
      assertEquals(p.getSampleTypeCount(), s.getValueCount(), "one value per sample type");
      assertTrue(locations.containsAll(s.getLocationIdList()), "locations of " + s);
      for (Label label : s.getLabelList()) {
        assertFalse(label.getStr() != 0 && label.getNum() != 0, "str and num both set: " + label);
        indexes.addAll(List.of(label.getKey(), label.getStr(), label.getNumUnit()));
      }
    }
    assertTrue(indexes.stream().allMatch(i -> i >= 0 && i < strings),
        "string index out of [0, " + strings + ")");
    if (p.getDefaultSampleType() != 0) {
      long named = p.getDefaultSampleType();
      assertTrue(p.getSampleTypeList().stream().anyMatch(t -> t.getType() == named),
          "default_sample_type names a sample type");
    }
  }

  private static Set<Long> ids(String table, List<Long> ids) {
    Set<Long> unique = new HashSet<>(ids);
    assertEquals(ids.size(), unique.size(), table + " ids are unique");
    assertFalse(unique.contains(0L), table + " ids are non-zero");
    return unique;
  }
}
