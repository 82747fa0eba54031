package dev.leakwatch.agent.discovery;

import dev.leakwatch.agent.model.Target;
import java.util.Objects;

/**
 * What discovery made of one opted-in pod: a target, a pod not ready to be one yet, or a pod
 * skipped for a reason. This is all that is kept per pod, so tens of thousands of pods cost
 * little more than their targets.
 *
 * @param target the target, or null
 * @param reason why the pod is skipped ({@link SkipReason}), or null
 * @param detail the skip reason in words, naming the pod and the annotation or value at fault
 */
record PodOutcome(Target target, SkipReason reason, String detail) {

  /** Why an opted-in pod is not scraped; the {@code reason} tag of the skip counter. */
  enum SkipReason {
    /** Neither {@code leakwatch.dev/port} nor a container port named {@code pprof}. */
    NO_PORT("no_port"),
    /** A {@code leakwatch.dev/} annotation with a value that cannot be used. */
    BAD_ANNOTATION("bad_annotation"),
    /** A memory limit that is not a usable Kubernetes quantity. */
    BAD_MEMORY_LIMIT("bad_memory_limit"),
    /** A service or instance name that breaks the naming rule. */
    BAD_NAME("bad_name"),
    /** A label (copied from the pod) that breaks the label rule. */
    BAD_LABEL("bad_label"),
    /** Another pod or a configured target has the same service and instance. */
    DUPLICATE("duplicate");

    private final String tag;

    SkipReason(String tag) {
      this.tag = tag;
    }

    String tag() {
      return tag;
    }
  }

  /** Opted in, but not running, without an IP or terminating: neither a target nor a problem. */
  static final PodOutcome WAITING = new PodOutcome(null, null, null);

  static PodOutcome target(Target t) {
    return new PodOutcome(Objects.requireNonNull(t), null, null);
  }

  static PodOutcome skipped(SkipReason reason, String detail) {
    return new PodOutcome(null, reason, detail);
  }

  boolean isTarget() {
    return target != null;
  }

  boolean isSkipped() {
    return reason != null;
  }
}
