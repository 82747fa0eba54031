package dev.leakwatch.schemas.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import org.apache.avro.AvroRuntimeException;
import org.apache.avro.Schema;

/**
 * A Confluent-compatible schema registry over its REST API: Confluent Schema Registry, Apicurio's
 * {@code /apis/ccompat/v7} API, Karapace and Redpanda all answer the three calls used here.
 *
 * <ul>
 *   <li>register: {@code POST /subjects/{subject}/versions} with {@code {"schema": "..."}} →
 *       {@code {"id": n}};
 *   <li>lookup: {@code POST /subjects/{subject}} with the same body → {@code {"id": n, ...}};
 *   <li>schema by id: {@code GET /schemas/ids/{id}} → {@code {"schema": "..."}}.
 * </ul>
 *
 * <p>Ids by (subject, schema) and schemas by id are cached (bounded, least recently used evicted), so
 * steady traffic costs no registry calls. Ids are immutable in these registries, so the caches never
 * need invalidating. Thread-safe.
 */
public final class RestSchemaRegistry implements SchemaRegistry {

  private final RegistryHttpClient http;
  private final BoundedCache<SubjectSchema, Long> registered;
  private final BoundedCache<SubjectSchema, Long> lookedUp;
  private final BoundedCache<Long, Schema> schemasById;

  RestSchemaRegistry(RegistryHttpClient http, int cacheCapacity) {
    this.http = http;
    this.registered = new BoundedCache<>(cacheCapacity);
    this.lookedUp = new BoundedCache<>(cacheCapacity);
    this.schemasById = new BoundedCache<>(cacheCapacity);
  }

  @Override
  public IdKind idKind() {
    return IdKind.REGISTRY_ID;
  }

  @Override
  public long register(String subject, Schema schema) {
    return registered.get(new SubjectSchema(subject, schema),
        key -> idFrom(http.post(subjectPath(subject) + "/versions", schemaBody(schema)),
            "POST " + subjectPath(subject) + "/versions"));
  }

  @Override
  public long lookup(String subject, Schema schema) {
    return lookedUp.get(new SubjectSchema(subject, schema),
        key -> idFrom(http.post(subjectPath(subject), schemaBody(schema)),
            "POST " + subjectPath(subject)));
  }

  @Override
  public Schema schemaById(long id) {
    if (id < 0 || id > Integer.MAX_VALUE) {
      throw new SchemaRegistryException("schema id " + id + " is outside the registry id range");
    }
    return schemasById.get(id, key -> parseSchema(http.get("/schemas/ids/" + id), id));
  }

  private static ObjectNode schemaBody(Schema schema) {
    return JsonNodeFactory.instance.objectNode().put("schema", schema.toString());
  }

  private static long idFrom(JsonNode answer, String request) {
    JsonNode id = answer.path("id");
    if (!id.canConvertToInt() || id.intValue() < 0) {
      throw new SchemaRegistryException("registry answered " + request
          + " without a valid non-negative 32-bit \"id\": " + abbreviate(answer.toString()));
    }
    return id.intValue();
  }

  private static Schema parseSchema(JsonNode answer, long id) {
    String type = answer.path("schemaType").asText("AVRO");
    if (!type.equals("AVRO")) {
      throw new SchemaRegistryException("schema id " + id + " is a " + type
          + " schema, expected AVRO");
    }
    JsonNode text = answer.path("schema");
    if (!text.isTextual()) {
      throw new SchemaRegistryException("registry answered GET /schemas/ids/" + id
          + " without a \"schema\" string: " + abbreviate(answer.toString()));
    }
    try {
      return new Schema.Parser().parse(text.textValue());
    } catch (AvroRuntimeException e) { // SchemaParseException, and AvroTypeException for a bad default
      throw new SchemaRegistryException("schema id " + id + " is not a valid Avro schema: "
          + e.getMessage(), e);
    }
  }

  /** {@code /subjects/} plus the subject, percent-encoded as one path segment. */
  static String subjectPath(String subject) {
    StringBuilder path = new StringBuilder("/subjects/");
    for (byte b : subject.getBytes(StandardCharsets.UTF_8)) {
      int c = b & 0xff;
      boolean unreserved = c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
          || c == '-' || c == '.' || c == '_' || c == '~';
      if (unreserved) {
        path.append((char) c);
      } else {
        path.append('%').append(Character.toUpperCase(Character.forDigit(c >> 4, 16)))
            .append(Character.toUpperCase(Character.forDigit(c & 0xf, 16)));
      }
    }
    return path.toString();
  }

  private static String abbreviate(String text) {
    return text.length() <= 200 ? text : text.substring(0, 200) + "...";
  }

  /** Cache key; Avro's {@link Schema} has value equality and caches its hash code. */
  private record SubjectSchema(String subject, Schema schema) {}
}
