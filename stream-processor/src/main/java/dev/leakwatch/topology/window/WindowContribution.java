package dev.leakwatch.topology.window;

import dev.leakwatch.detect.site.StackIds;
import dev.leakwatch.detect.SiteFrame;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What one heap or goroutine capture of one instance adds to its service's window.
 *
 * @param instance instance name
 * @param goroutine true for a goroutine capture, false for heap
 * @param captureMs capture time, ms since the Unix epoch: selects the window
 * @param stacks per-stack values (at most the configured cap, the rest summed under
 *     {@link StackIds#OTHER}); one entry per stack id, in no particular order
 * @param newStacks frames (leaf first) of the stacks the instance's previous capture did not have,
 *     for the stack dictionary; the others are already there
 */
public record WindowContribution(
    String instance,
    boolean goroutine,
    long captureMs,
    List<StackValues> stacks,
    Map<Long, List<SiteFrame>> newStacks) {

  public WindowContribution {
    Objects.requireNonNull(instance, "instance");
    stacks = List.copyOf(stacks);
    newStacks = Map.copyOf(newStacks);
  }
}
