package dev.leakwatch.detect.lifecycle;

/**
 * What the lifecycle remembers about one instance of a service.
 *
 * @param lastSeenMs       capture time of the instance's latest profile of any kind
 * @param memoryLimitBytes latest known memory limit, null when unknown
 * @param heapInuseBytes   total in-use heap at the latest heap capture, -1 when none yet
 */
public record InstanceInfo(long lastSeenMs, Long memoryLimitBytes, long heapInuseBytes) {
}
