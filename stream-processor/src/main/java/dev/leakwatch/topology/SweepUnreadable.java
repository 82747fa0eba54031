package dev.leakwatch.topology;

import dev.leakwatch.detect.StateFormatException;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Decodes the entries a sweep reads, and says how many it could not: once a pass, and only when that
 * number changed since the last pass. A sweep leaves an unreadable entry alone (a newer release's,
 * after a downgrade, which that release may read again) and so finds it again at every pass: logged
 * per entry as {@link StoredState} does, that was a line per entry every pass, for good.
 */
final class SweepUnreadable {
  private static final Logger LOG = LoggerFactory.getLogger(SweepUnreadable.class);
  private final String what;
  private long found;
  private long said;
  private String example;

  /** @param what the entries, in the plural ({@code "instance series"}) */
  SweepUnreadable(String what) {
    this.what = what;
  }

  /** {@code bytes} decoded, or null when null or unreadable (counted). */
  <T> T decode(String key, byte[] bytes, Function<byte[], T> decode) {
    if (bytes == null) {
      return null;
    }
    try {
      return decode.apply(bytes);
    } catch (StateFormatException e) {
      if (found++ == 0) {
        example = key + ": " + e.getMessage();
      }
      return null;
    }
  }

  /** Ends a pass over every entry: logs the count if it changed. */
  void passEnded() {
    if (found > 0 && found != said) {
      LOG.warn("{} {} unreadable by this release (a newer release's or damaged; e.g. {}): left alone by the sweep,"
          + " which says so again only when their number changes", found, what, example);
    }
    said = found;
    found = 0;
  }
}
