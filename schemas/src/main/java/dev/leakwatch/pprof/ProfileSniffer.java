package dev.leakwatch.pprof;

import java.io.ByteArrayInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.util.zip.GZIPInputStream;

/**
 * A cheap check that a response body is a pprof profile, for agents deciding whether to publish
 * it: gzip magic or plain protobuf, at most {@value #PREFIX_BYTES} bytes inflated (never the whole
 * body), and the first fields must be Profile fields with the wire types the format gives them.
 *
 * <p>Stateless and thread-safe. It recognises the usual mistakes by name (HTML error pages, JSON,
 * the text output of {@code ?debug=1}, empty bodies, and bodies cut off within the first {@value
 * #PREFIX_BYTES} inflated bytes). A body cut off later passes: the sniff never reads that far (the
 * agent's own check reads a gzip'd body to its trailer). Passing the sniff does not make a profile
 * valid: {@link ProfileDecoder} still checks everything.
 */
public final class ProfileSniffer {
  /** How many decompressed bytes the sniffer looks at. */
  public static final int PREFIX_BYTES = 4096;

  private ProfileSniffer() {}

  /** Looks at the start of {@code body}; never throws for any input (null reads as empty). */
  public static SniffResult sniff(byte[] body) {
    if (body == null || body.length == 0) {
      return SniffResult.no("empty body");
    }
    boolean gzip = BoundedGunzip.isGzip(body);
    byte[] prefix;
    int n;
    boolean complete;
    if (gzip) {
      prefix = new byte[PREFIX_BYTES];
      try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(body), 512)) {
        n = in.readNBytes(prefix, 0, PREFIX_BYTES);
        complete = n < PREFIX_BYTES || in.read() < 0;
      } catch (EOFException e) {
        return SniffResult.no("gzip stream is truncated (" + body.length + " bytes)");
      } catch (IOException e) {
        return SniffResult.no("corrupt gzip stream: " + e.getMessage());
      }
      if (n == 0) {
        return SniffResult.no("gzip stream inflates to nothing");
      }
    } else {
      prefix = body;
      n = Math.min(body.length, PREFIX_BYTES);
      complete = body.length <= PREFIX_BYTES;
    }
    String text = TextSniff.describe(prefix, n);
    if (text != null) {
      return SniffResult.no(text);
    }
    String bad = checkFields(prefix, n, complete);
    if (bad != null) {
      return SniffResult.no("not a profile.proto: " + bad);
    }
    return SniffResult.yes(gzip ? "gzip'd profile.proto" : "plain profile.proto");
  }

  /** Null if the fields in {@code buf[0, n)} look like a Profile's, else why not. */
  private static String checkFields(byte[] buf, int n, boolean complete) {
    WireReader r = new WireReader(buf, 0, n);
    boolean first = true;
    try {
      for (int tag = r.tag(); tag != 0; tag = r.tag()) {
        int field = tag >>> 3;
        int wire = tag & 7;
        Integer expected = expectedWireType(field);
        if (first && expected == null) {
          return "first field " + field + " is not a Profile field";
        }
        if (expected != null && expected != wire && !(field == 13 && wire == WireReader.VARINT)) {
          return "field " + field + " has wire type " + wire + ", expected " + expected;
        }
        first = false;
        r.skip(tag);
      }
    } catch (ProfileDecodeException e) {
      // Running off the end of the prefix is expected when the body goes on past it.
      boolean truncation = e.reason() == ProfileDecodeException.Reason.TRUNCATED_FIELD
          || e.reason() == ProfileDecodeException.Reason.TRUNCATED_VARINT;
      if (complete || !truncation) {
        return e.getMessage();
      }
    }
    return null;
  }

  /** The wire type of each Profile field (13, comment, is packed or not), null if unknown. */
  private static Integer expectedWireType(int field) {
    if (field >= 1 && field <= 6 || field == 11 || field == 13) {
      return WireReader.LEN;
    }
    if (field >= 7 && field <= 15) {
      return WireReader.VARINT;
    }
    return null;
  }
}
