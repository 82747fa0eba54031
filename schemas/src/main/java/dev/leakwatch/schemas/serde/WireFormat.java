package dev.leakwatch.schemas.serde;

import dev.leakwatch.schemas.registry.SchemaRegistry.IdKind;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.apache.kafka.common.errors.SerializationException;

/**
 * The two framings a Leakwatch Avro record travels in, told apart by the first byte.
 *
 * <ul>
 *   <li>Confluent wire format: {@code 0x00}, schema id as 4-byte big-endian int, Avro binary.
 *   <li>Avro single-object encoding: {@code 0xC3 0x01}, CRC-64-AVRO fingerprint of the writer
 *       schema as 8-byte little-endian long, Avro binary.
 * </ul>
 */
final class WireFormat {

  static final byte CONFLUENT_MAGIC = 0x00;
  static final int CONFLUENT_HEADER_BYTES = 5;
  static final byte SINGLE_OBJECT_MARKER_0 = (byte) 0xC3;
  static final byte SINGLE_OBJECT_MARKER_1 = 0x01;
  static final int SINGLE_OBJECT_HEADER_BYTES = 10;
  private static final int BYTES_SHOWN = 16;

  private WireFormat() {}

  /** Where the Avro body starts and which schema wrote it. */
  record Header(IdKind kind, long schemaId, int bodyOffset) {}

  /** Writes the header naming {@code schemaId} in the framing that {@code kind} uses. */
  static void writeHeader(ByteArrayOutputStream out, IdKind kind, long schemaId) {
    if (kind == IdKind.REGISTRY_ID) {
      if (schemaId < 0 || schemaId > Integer.MAX_VALUE) {
        throw new SerializationException("registry schema id " + schemaId
            + " does not fit the Confluent wire format's 4-byte id");
      }
      out.write(CONFLUENT_MAGIC);
      out.writeBytes(ByteBuffer.allocate(4).order(ByteOrder.BIG_ENDIAN).putInt((int) schemaId)
          .array());
    } else {
      out.write(SINGLE_OBJECT_MARKER_0);
      out.write(SINGLE_OBJECT_MARKER_1);
      out.writeBytes(ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(schemaId)
          .array());
    }
  }

  /**
   * Reads the header of a non-null record value.
   *
   * @throws SerializationException naming the topic, the first bytes and the expected framings
   */
  static Header readHeader(String topic, byte[] data) {
    if (data.length > 0 && data[0] == CONFLUENT_MAGIC) {
      requireLength(topic, data, CONFLUENT_HEADER_BYTES, "Confluent wire format");
      long id = Integer.toUnsignedLong(ByteBuffer.wrap(data, 1, 4).order(ByteOrder.BIG_ENDIAN)
          .getInt());
      return new Header(IdKind.REGISTRY_ID, id, CONFLUENT_HEADER_BYTES);
    }
    if (data.length > 1 && data[0] == SINGLE_OBJECT_MARKER_0 && data[1] == SINGLE_OBJECT_MARKER_1) {
      requireLength(topic, data, SINGLE_OBJECT_HEADER_BYTES, "Avro single-object encoding");
      long fingerprint = ByteBuffer.wrap(data, 2, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
      return new Header(IdKind.FINGERPRINT, fingerprint, SINGLE_OBJECT_HEADER_BYTES);
    }
    throw new SerializationException(describe(topic, data) + ": unknown framing; expected magic "
        + "byte 0x00 (Confluent wire format) or 0xC3 0x01 (Avro single-object encoding)");
  }

  private static void requireLength(String topic, byte[] data, int needed, String framing) {
    if (data.length < needed) {
      throw new SerializationException(describe(topic, data) + ": truncated " + framing
          + "; expected a " + needed + "-byte header before the Avro body");
    }
  }

  /** @return "topic 'x', N bytes starting 00 01 ..." for error messages */
  static String describe(String topic, byte[] data) {
    StringBuilder text = new StringBuilder("topic '").append(topic).append("', ")
        .append(data.length).append(" bytes");
    if (data.length > 0) {
      text.append(" starting");
      for (int i = 0; i < Math.min(BYTES_SHOWN, data.length); i++) {
        text.append(' ').append(String.format("%02x", data[i]));
      }
      if (data.length > BYTES_SHOWN) {
        text.append(" ...");
      }
    }
    return text.toString();
  }
}
