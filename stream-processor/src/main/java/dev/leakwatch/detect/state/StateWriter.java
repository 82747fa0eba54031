package dev.leakwatch.detect.state;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * Appends the primitives of Leakwatch's compact state formats: LEB128 varints, zigzag varints for signed
 * values, IEEE doubles (8 bytes, big-endian) and length-prefixed UTF-8 strings. Not thread-safe.
 */
public final class StateWriter {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream(256);

    /** Writes a raw byte (magic numbers, versions, flags). */
    public StateWriter writeByte(int b) {
        out.write(b);
        return this;
    }

    /** Writes an unsigned varint; {@code v} is treated as unsigned 64-bit. */
    public StateWriter writeVarLong(long v) {
        while ((v & ~0x7FL) != 0) {
            out.write((int) ((v & 0x7F) | 0x80));
            v >>>= 7;
        }
        out.write((int) v);
        return this;
    }

    /** Writes a non-negative int as a varint. */
    public StateWriter writeVarInt(int v) {
        if (v < 0) {
            throw new IllegalArgumentException("negative count " + v);
        }
        return writeVarLong(v);
    }

    /** Writes a signed value as a zigzag varint (small magnitudes take few bytes). */
    public StateWriter writeSignedVarLong(long v) {
        return writeVarLong((v << 1) ^ (v >> 63));
    }

    /** Writes 8 bytes, big-endian IEEE 754. */
    public StateWriter writeDouble(double d) {
        return writeFixed64(Double.doubleToLongBits(d));
    }

    /** Writes 8 bytes, big-endian. */
    public StateWriter writeFixed64(long bits) {
        for (int shift = 56; shift >= 0; shift -= 8) {
            out.write((int) (bits >>> shift));
        }
        return this;
    }

    /** Writes a length-prefixed UTF-8 string; null is not allowed (see {@link #writeNullableString}). */
    public StateWriter writeString(String s) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        writeVarInt(b.length);
        out.write(b, 0, b.length);
        return this;
    }

    /** Writes a presence flag and, when present, the string. */
    public StateWriter writeNullableString(String s) {
        writeByte(s == null ? 0 : 1);
        return s == null ? this : writeString(s);
    }

    /** The bytes written so far. */
    public byte[] toByteArray() {
        return out.toByteArray();
    }
}
