package dev.leakwatch.schemas.serde;

import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Set;
import org.apache.avro.Schema;
import org.apache.kafka.common.errors.SerializationException;

/**
 * Refuses writer schemas whose records a few bytes could make expensive to decode.
 *
 * <p>An Avro array is written as a count and then its items; Avro checks a count against the bytes
 * left only when each item takes at least one byte. An array whose items take none ({@code null},
 * a {@code fixed} of size 0, a record of nothing else) lets a 20-byte record claim hundreds of
 * millions of items, which Avro then allocates or walks one by one (its own cap is a fraction of
 * the heap: seconds of CPU per record, every time the record is read). No Leakwatch schema has such
 * an array, and no useful one does; a writer schema with one is refused before any body is read.
 * Maps are not affected: each entry carries a key of at least one byte.
 */
final class WriterSchemaBounds {

  private WriterSchemaBounds() {}

  /**
   * @param label how the schema is named on the wire, for the message
   * @throws SerializationException naming the array's path if {@code writer} has one of items that
   *     take no bytes
   */
  static void check(Schema writer, String label) {
    String path = zeroByteArray(writer, writer.getName(), newSet());
    if (path != null) {
      throw new SerializationException("writer schema " + writer.getFullName() + " (" + label
          + ") has an array of items that take no bytes at " + path + ": a few bytes could claim "
          + "hundreds of millions of them, so records of this schema are refused");
    }
  }

  /** The path of the first array of zero-byte items within {@code schema}, or null. */
  private static String zeroByteArray(Schema schema, String path, Set<Schema> seen) {
    if (!seen.add(schema)) {
      return null; // a recursive reference: its content is checked where it was first met
    }
    switch (schema.getType()) {
      case ARRAY -> {
        if (takesNoBytes(schema.getElementType(), newSet())) {
          return path + "[]";
        }
        return zeroByteArray(schema.getElementType(), path + "[]", seen);
      }
      case MAP -> {
        return zeroByteArray(schema.getValueType(), path + "{}", seen);
      }
      case UNION -> {
        for (Schema branch : schema.getTypes()) {
          String found = zeroByteArray(branch, path, seen);
          if (found != null) {
            return found;
          }
        }
        return null;
      }
      case RECORD -> {
        for (Schema.Field field : schema.getFields()) {
          String found = zeroByteArray(field.schema(), path + "." + field.name(), seen);
          if (found != null) {
            return found;
          }
        }
        return null;
      }
      default -> {
        return null;
      }
    }
  }

  /** Whether every value of {@code schema} is encoded in zero bytes. */
  private static boolean takesNoBytes(Schema schema, Set<Schema> visiting) {
    return switch (schema.getType()) {
      case NULL -> true;
      case FIXED -> schema.getFixedSize() == 0;
      // a record that contains itself without a union in between has no finite value at all
      case RECORD -> visiting.add(schema)
          && schema.getFields().stream().allMatch(f -> takesNoBytes(f.schema(), visiting));
      default -> false; // every other type writes at least a count, an index or a value byte
    };
  }

  private static Set<Schema> newSet() {
    return Collections.newSetFromMap(new IdentityHashMap<>());
  }
}
