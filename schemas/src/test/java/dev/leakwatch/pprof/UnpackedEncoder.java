package dev.leakwatch.pprof;

import com.google.protobuf.CodedOutputStream;
import com.google.protobuf.WireFormat;
import dev.leakwatch.pprof.proto.Function;
import dev.leakwatch.pprof.proto.Label;
import dev.leakwatch.pprof.proto.Location;
import dev.leakwatch.pprof.proto.Mapping;
import dev.leakwatch.pprof.proto.Profile;
import dev.leakwatch.pprof.proto.Sample;
import dev.leakwatch.pprof.proto.ValueType;
import java.io.ByteArrayOutputStream;
import java.io.IOException;

/**
 * Re-encodes a profile with its repeated scalars unpacked (one tag per element), which proto3
 * readers must accept although Go and the generated code write them packed.
 */
final class UnpackedEncoder {
  private UnpackedEncoder() {}

  static byte[] encode(Profile p) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    CodedOutputStream out = CodedOutputStream.newInstance(bytes);
    for (ValueType st : p.getSampleTypeList()) {
      out.writeMessage(1, st);
    }
    for (Sample s : p.getSampleList()) {
      out.writeTag(2, WireFormat.WIRETYPE_LENGTH_DELIMITED);
      out.writeUInt32NoTag(unpackedSize(s));
      for (long id : s.getLocationIdList()) {
        out.writeUInt64(1, id);
      }
      for (long v : s.getValueList()) {
        out.writeInt64(2, v);
      }
      for (Label l : s.getLabelList()) {
        out.writeMessage(3, l);
      }
    }
    for (Mapping m : p.getMappingList()) {
      out.writeMessage(3, m);
    }
    for (Location l : p.getLocationList()) {
      out.writeMessage(4, l);
    }
    for (Function f : p.getFunctionList()) {
      out.writeMessage(5, f);
    }
    for (String s : p.getStringTableList()) {
      out.writeString(6, s);
    }
    out.writeInt64(7, p.getDropFrames());
    out.writeInt64(8, p.getKeepFrames());
    out.writeInt64(9, p.getTimeNanos());
    out.writeInt64(10, p.getDurationNanos());
    if (p.hasPeriodType()) {
      out.writeMessage(11, p.getPeriodType());
    }
    out.writeInt64(12, p.getPeriod());
    for (long c : p.getCommentList()) {
      out.writeInt64(13, c);
    }
    out.writeInt64(14, p.getDefaultSampleType());
    out.writeInt64(15, p.getDocUrl());
    out.flush();
    return bytes.toByteArray();
  }

  private static int unpackedSize(Sample s) {
    int n = 0;
    for (long id : s.getLocationIdList()) {
      n += CodedOutputStream.computeUInt64Size(1, id);
    }
    for (long v : s.getValueList()) {
      n += CodedOutputStream.computeInt64Size(2, v);
    }
    for (Label l : s.getLabelList()) {
      n += CodedOutputStream.computeMessageSize(3, l);
    }
    return n;
  }
}
