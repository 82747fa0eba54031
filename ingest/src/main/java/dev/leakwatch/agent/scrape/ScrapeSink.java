package dev.leakwatch.agent.scrape;

import dev.leakwatch.agent.model.ProfileKind;
import dev.leakwatch.agent.model.Target;
import java.time.Instant;

/** Receives every profile that was fetched and passed the pprof check. */
@FunctionalInterface
public interface ScrapeSink {

  /**
   * @param captureTime when the request for this profile was sent
   * @param body the body exactly as served (not copied; the sink may keep it)
   */
  void accept(Target target, ProfileKind kind, Instant captureTime, byte[] body);
}
