package dev.leakwatch.schemas.serde;

import dev.leakwatch.schemas.avro.LeakSuspect;
import dev.leakwatch.schemas.avro.ProfileEnvelope;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.avro.Schema;
import org.apache.avro.util.ClassSecurityValidator;
import org.apache.avro.util.ClassSecurityValidator.ClassSecurityPredicate;

/**
 * Puts Leakwatch's generated Avro package on Avro's class allow-list.
 *
 * <p>Avro 1.12 refuses to load any SpecificRecord class outside its allow-list while decoding
 * ({@code SecurityException: Forbidden ...}). The system property {@code
 * org.apache.avro.SERIALIZABLE_PACKAGES} is read once, when Avro's class first initialises, so setting
 * it from code is unreliable; instead this widens Avro's global predicate, keeping whatever it already
 * trusts. Every serde entry point calls {@link #ensureTrusted()}, which is cheap and idempotent, and
 * re-applies the extension if other code replaced the global predicate since.
 *
 * <p>A reader class the caller names (a consumer's own generated class in its own package) is trusted
 * too, with the classes of every named type in its schema ({@link #trustReader}): the allow-list guards
 * against classes named by untrusted data, and a reader schema is chosen by configuration, not read
 * from the data (Avro loads classes by the reader schema's names).
 */
public final class AvroClassTrust {

  /** The package of the classes generated from {@code schemas/src/main/avro}. */
  public static final String TRUSTED_PACKAGE = "dev.leakwatch.schemas.avro";

  /** Full names of the named types of reader schemas given to {@link #trustReader}. */
  private static final Set<String> READER_TYPES = ConcurrentHashMap.newKeySet();
  private static final ClassSecurityPredicate OURS =
      type -> type.getName().startsWith(TRUSTED_PACKAGE + ".") || READER_TYPES.contains(type.getName());
  /** Classes that stand for the package when checking whether the global predicate trusts it. */
  private static final List<Class<?>> PROBES = List.of(ProfileEnvelope.class, LeakSuspect.class);
  /** The predicate this class last made global; null until it had to. */
  private static ClassSecurityPredicate installed;

  private AvroClassTrust() {}

  /** Makes Avro trust {@link #TRUSTED_PACKAGE} from now on; safe to call from any thread, often. */
  public static synchronized void ensureTrusted() {
    ClassSecurityPredicate current = ClassSecurityValidator.getGlobal();
    if (current != installed && !PROBES.stream().allMatch(current::isTrusted)) {
      install(current);
    }
  }

  /**
   * Makes Avro trust the classes of {@code readerSchema}'s record and of every record, enum and fixed
   * type within it, besides {@link #TRUSTED_PACKAGE}; safe to call from any thread, often.
   */
  public static synchronized void trustReader(Schema readerSchema) {
    Set<String> types = namedTypes(readerSchema);
    if (types.stream().allMatch(name -> name.startsWith(TRUSTED_PACKAGE + "."))) {
      ensureTrusted();
      return;
    }
    READER_TYPES.addAll(types);
    ClassSecurityPredicate current = ClassSecurityValidator.getGlobal();
    if (current != installed) {
      install(current);
    }
  }

  /** Widens {@code current} by our predicate, keeping all it trusts. */
  private static void install(ClassSecurityPredicate current) {
    installed = ClassSecurityValidator.composite(current, OURS);
    ClassSecurityValidator.setGlobal(installed);
  }

  /** Full names of the records, enums and fixed types in {@code schema}, itself included. */
  private static Set<String> namedTypes(Schema schema) {
    Deque<Schema> pending = new ArrayDeque<>(List.of(schema));
    Set<String> named = new HashSet<>();
    while (!pending.isEmpty()) {
      Schema s = pending.pop();
      switch (s.getType()) {
        case RECORD -> {
          if (named.add(s.getFullName())) {
            s.getFields().forEach(f -> pending.push(f.schema()));
          }
        }
        case ENUM, FIXED -> named.add(s.getFullName());
        case ARRAY -> pending.push(s.getElementType());
        case MAP -> pending.push(s.getValueType());
        case UNION -> s.getTypes().forEach(pending::push);
        default -> { }
      }
    }
    return named;
  }
}
