package dev.leakwatch.pprof;

/**
 * Profiles of different kinds were given to {@link ProfileMerge} or {@link ProfileDiff}: their
 * sample types or period types differ. The message names the profiles (by position) and both
 * types.
 */
public class IncompatibleProfilesException extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;

  public IncompatibleProfilesException(String message) {
    super(message);
  }
}
