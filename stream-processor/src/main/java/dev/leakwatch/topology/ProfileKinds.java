package dev.leakwatch.topology;

import dev.leakwatch.detect.ProfileKind;
import dev.leakwatch.schemas.avro.ProfileType;

/** Maps the wire enum {@link ProfileType} to detection's {@link ProfileKind}. */
final class ProfileKinds {

  private ProfileKinds() {}

  /**
   * @throws IllegalArgumentException for {@link ProfileType#UNKNOWN}, which the envelope decoder
   *     rejects before this is reached
   */
  static ProfileKind of(ProfileType type) {
    return switch (type) {
      case HEAP -> ProfileKind.HEAP;
      case ALLOCS -> ProfileKind.ALLOCS;
      case GOROUTINE -> ProfileKind.GOROUTINE;
      case GOROUTINELEAK -> ProfileKind.GOROUTINE_LEAK;
      case UNKNOWN -> throw new IllegalArgumentException("profile type UNKNOWN has no detection kind");
    };
  }
}
