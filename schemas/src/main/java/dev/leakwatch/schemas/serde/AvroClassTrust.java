package dev.leakwatch.schemas.serde;

import dev.leakwatch.schemas.avro.LeakSuspect;
import dev.leakwatch.schemas.avro.ProfileEnvelope;
import java.util.List;
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
 */
public final class AvroClassTrust {

  /** The package of the classes generated from {@code schemas/src/main/avro}. */
  public static final String TRUSTED_PACKAGE = "dev.leakwatch.schemas.avro";

  private static final ClassSecurityPredicate GENERATED_PACKAGE =
      type -> type.getName().startsWith(TRUSTED_PACKAGE + ".");
  /** Classes that stand for the package when checking whether the global predicate trusts it. */
  private static final List<Class<?>> PROBES = List.of(ProfileEnvelope.class, LeakSuspect.class);

  private AvroClassTrust() {}

  /** Makes Avro trust {@link #TRUSTED_PACKAGE} from now on; safe to call from any thread, often. */
  public static synchronized void ensureTrusted() {
    ClassSecurityPredicate current = ClassSecurityValidator.getGlobal();
    if (PROBES.stream().allMatch(current::isTrusted)) {
      return;
    }
    ClassSecurityValidator.setGlobal(ClassSecurityValidator.composite(current, GENERATED_PACKAGE));
  }
}
