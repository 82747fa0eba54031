package dev.leakwatch.agent.model;

import dev.leakwatch.naming.Names;
import java.util.Objects;
import java.util.Optional;

/**
 * Identity of one scraped or pushing process: its service and instance. Two targets with the
 * same identity cannot coexist in an agent.
 *
 * @param service logical service name (see {@link #problem} for the rule)
 * @param instance instance within the service (host:port, pod name)
 */
public record TargetId(String service, String instance) {
  public TargetId {
    Objects.requireNonNull(service, "service");
    Objects.requireNonNull(instance, "instance");
  }

  /** Longest service or instance name accepted, in characters (the shared rule's). */
  public static final int MAX_NAME_LENGTH = Names.MAX_LENGTH;

  /**
   * Checks names before an identity is made from untrusted input, by the one rule every part of
   * Leakwatch applies ({@link Names}): 1 to 255 characters, no control, format (bidi) or separator
   * characters, no U+FFFD, no {@code \}, no surrounding whitespace, not {@code .} or {@code ..}, and
   * no {@code /} in the service (it separates service from instance in the record key).
   *
   * @return empty if acceptable, else what is wrong, e.g. {@code service must not be '..'}
   */
  public static Optional<String> problem(String service, String instance) {
    Optional<String> p = Names.problem(Names.Kind.SERVICE, service).map(v -> "service " + v);
    return p.isPresent() ? p : Names.problem(Names.Kind.INSTANCE, instance).map(v -> "instance " + v);
  }

  /**
   * The Kafka record key, {@code service/instance}: all profiles of one instance land on one
   * partition (kept in order), while a fleet's instances spread over every partition.
   */
  public String recordKey() {
    return service + "/" + instance;
  }

  @Override
  public String toString() {
    return recordKey();
  }
}
