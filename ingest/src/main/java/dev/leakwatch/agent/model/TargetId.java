package dev.leakwatch.agent.model;

import java.util.Objects;
import java.util.Optional;

/**
 * Identity of one scraped or pushing process: its service and instance. Two targets with the
 * same identity cannot coexist in an agent.
 *
 * @param service logical service name, non-blank
 * @param instance instance within the service (host:port, pod name), non-blank
 */
public record TargetId(String service, String instance) {
  public TargetId {
    Objects.requireNonNull(service, "service");
    Objects.requireNonNull(instance, "instance");
  }

  /** Longest service or instance name accepted. */
  public static final int MAX_NAME_LENGTH = 255;

  /**
   * Checks names before an identity is made from untrusted input: both non-blank, at most {@link
   * #MAX_NAME_LENGTH} characters, no control characters, and no {@code /} in the service (it
   * separates service from instance in the record key).
   *
   * @return empty if acceptable, else what is wrong
   */
  public static Optional<String> problem(String service, String instance) {
    Optional<String> p = nameProblem("service", service);
    if (p.isPresent()) {
      return p;
    }
    if (service.indexOf('/') >= 0) {
      return Optional.of("service must not contain '/'");
    }
    return nameProblem("instance", instance);
  }

  private static Optional<String> nameProblem(String what, String v) {
    if (v == null || v.isBlank()) {
      return Optional.of(what + " is required");
    }
    if (v.length() > MAX_NAME_LENGTH) {
      return Optional.of(what + " is longer than " + MAX_NAME_LENGTH + " characters");
    }
    if (v.chars().anyMatch(Character::isISOControl)) {
      return Optional.of(what + " contains control characters");
    }
    return Optional.empty();
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
