package dev.leakwatch.agent.model;

import dev.leakwatch.schemas.avro.ProfileType;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The {@code net/http/pprof} profiles the agent collects, with the endpoint name each is served
 * under ({@code /debug/pprof/<endpoint>}) and its wire enum.
 */
public enum ProfileKind {
  HEAP("heap", ProfileType.HEAP, false),
  GOROUTINE("goroutine", ProfileType.GOROUTINE, false),
  ALLOCS("allocs", ProfileType.ALLOCS, false),
  /**
   * Leaked goroutines as found by the GC (Go 1.26+, and only when the program enables it): a
   * target that answers 404 simply does not serve it, which is not a failure.
   */
  GOROUTINELEAK("goroutineleak", ProfileType.GOROUTINELEAK, true);

  /** What a target is asked for when its configuration does not list profiles. */
  public static final List<ProfileKind> DEFAULTS = List.of(HEAP, GOROUTINE, ALLOCS, GOROUTINELEAK);

  private final String endpoint;
  private final ProfileType wireType;
  private final boolean optional;

  ProfileKind(String endpoint, ProfileType wireType, boolean optional) {
    this.endpoint = endpoint;
    this.wireType = wireType;
    this.optional = optional;
  }

  /** The path segment under {@code /debug/pprof/}, e.g. {@code heap}. */
  public String endpoint() {
    return endpoint;
  }

  /** The Avro enum value written into {@code ProfileEnvelope.profileType}. */
  public ProfileType wireType() {
    return wireType;
  }

  /** True if a target may legitimately not serve this profile (HTTP 404 is "not served"). */
  public boolean optional() {
    return optional;
  }

  /** Looks a kind up by endpoint name, case-insensitively. */
  public static Optional<ProfileKind> byEndpoint(String name) {
    String n = name == null ? "" : name.trim().toLowerCase(Locale.ROOT);
    return Arrays.stream(values()).filter(k -> k.endpoint.equals(n)).findFirst();
  }

  /** The accepted endpoint names, for error messages. */
  public static String names() {
    return Arrays.stream(values()).map(ProfileKind::endpoint).collect(Collectors.joining(", "));
  }
}
