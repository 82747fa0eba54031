package dev.leakwatch.schemas.registry;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URL;
import java.util.ArrayList;
import java.util.List;
import org.apache.avro.Schema;
import org.apache.avro.SchemaParseException;

/**
 * The released versions of a record's schema, shipped in the jar as {@code
 * avro-history/<RecordName>/v1.avsc}, {@code v2.avsc}, ... numbered consecutively from 1; loading stops
 * at the first missing number.
 *
 * <p>The directory is named by the simple name only: a record of another namespace with the same
 * simple name (a consumer's own reader class, say {@code com.example.alerts.LeakSuspect}) has no
 * released versions here, which shows in {@code v1.avsc} holding Leakwatch's record. A packaging
 * mistake (an unparsable file, a later version holding another record than {@code v1.avsc}) is a bug
 * in the build, not bad input, so it fails loudly with {@link IllegalStateException} naming the
 * resource.
 */
public final class SchemaHistory {

  /** Classpath directory holding one sub-directory per record, named by the record's simple name. */
  public static final String ROOT = "avro-history";
  /** Upper bound on versions read per record; reaching it means the numbering is broken. */
  static final int MAX_VERSIONS = 10_000;

  private SchemaHistory() {}

  /** @return the classpath resource of version {@code version} of record {@code simpleName} */
  public static String resourceName(String simpleName, int version) {
    return ROOT + "/" + simpleName + "/v" + version + ".avsc";
  }

  /**
   * Loads every released version of the record named {@code fullName}, oldest first.
   *
   * @param fullName the record's full name, e.g. {@code dev.leakwatch.schemas.avro.ProfileEnvelope}
   * @param loader where to find the resources
   * @return the versions, oldest first; empty when none was ever released, or the directory of
   *     its simple name holds another record's history
   */
  public static List<Schema> load(String fullName, ClassLoader loader) {
    String simpleName = fullName.substring(fullName.lastIndexOf('.') + 1);
    List<Schema> versions = new ArrayList<>();
    for (int version = 1; version <= MAX_VERSIONS; version++) {
      String resource = resourceName(simpleName, version);
      URL url = loader.getResource(resource);
      if (url == null) {
        return versions;
      }
      Schema schema = parse(url, resource);
      if (!schema.getFullName().equals(fullName)) {
        if (version == 1) {
          return versions; // the history of another record with the same simple name
        }
        throw new IllegalStateException(resource + " holds " + schema.getFullName()
            + ", expected " + fullName);
      }
      versions.add(schema);
    }
    throw new IllegalStateException("more than " + MAX_VERSIONS + " versions under " + ROOT + "/"
        + simpleName);
  }

  private static Schema parse(URL url, String resource) {
    try (InputStream in = url.openStream()) {
      return new Schema.Parser().parse(in);
    } catch (SchemaParseException e) {
      throw new IllegalStateException(resource + " is not a valid Avro schema: " + e.getMessage(), e);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + resource, e);
    }
  }
}
