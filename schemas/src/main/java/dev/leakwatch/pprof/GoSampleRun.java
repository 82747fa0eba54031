package dev.leakwatch.pprof;

/**
 * Reads a run of consecutive sample records (Go writes all samples one after the other) laid out
 * as Go writes them, without the general reader's per-record bookkeeping: for each, its offset and
 * size go into the {@link RawProfile} and its content, through {@link GoLayoutReader#sample}, into
 * {@link RawProfile#goSamples}.
 *
 * <p>Like {@link GoLayoutReader} it decides nothing about validity and never throws: it stops
 * before the first record that is not a sample with a one-byte tag and a length of at most two bytes
 * that fits the input, and before the sample that would pass the sample limit, leaving them to the
 * general reader, which reports problems exactly. A sample whose content {@code GoLayoutReader}
 * does not take abandons the flat samples.
 */
final class GoSampleRun {
  private static final int SAMPLE_TAG = 2 << 3 | WireReader.LEN;

  private final byte[] buf;
  private final int base;
  // absolute index of the end of the protobuf
  private final int limit;
  private final GoLayoutReader reader;
  private final PackedSampleReader packed;

  /** Reads the protobuf in {@code buf[base, base + length)} with {@code reader}. */
  GoSampleRun(byte[] buf, int base, int length, GoLayoutReader reader) {
    this.buf = buf;
    this.base = base;
    this.limit = base + length;
    this.reader = reader;
    this.packed = new PackedSampleReader(buf);
  }

  /**
   * Reads the samples from the tag at protobuf offset {@code at} on into {@code raw}, as long as
   * there are fewer than {@code maxSamples}; returns the offset where it stopped ({@code at} if it
   * read none).
   */
  int read(int at, RawProfile raw, int maxSamples) {
    GoSamples sink = raw.goSamples;
    IntList offsets = raw.sampleOffset;
    byte[] b = buf;
    int p = base + at;
    int bytes = 0;
    while (p < limit - 1 && b[p] == SAMPLE_TAG && offsets.size() < maxSamples) {
      int q = p + 1;
      int len = b[q++];
      if (len < 0) {
        int hi = q < limit ? b[q++] : -1;
        if (hi < 0) {
          break;
        }
        len = (len & 0x7f) | hi << 7;
      }
      if (len > limit - q) {
        break;
      }
      if (!packed.sample(q, q + len, base, sink)
          && !reader.sample(q - base, q - base + len, sink)) {
        sink.abandon();
        break;
      }
      offsets.add(p - base);
      bytes += len;
      p = q + len;
      if (!sink.usable()) {
        break; // the sample just read abandoned the flat samples (GoSamples#endSample)
      }
    }
    raw.sampleBytes += bytes;
    return p - base;
  }
}
