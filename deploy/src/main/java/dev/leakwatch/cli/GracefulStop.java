package dev.leakwatch.cli;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * Runs a long-lived body so that Ctrl-C (SIGINT/SIGTERM) stops it cleanly: the JVM's shutdown hook
 * asks the body to stop and then waits for it to finish its own clean-up (stopping child processes,
 * deleting scratch data) before the JVM exits.
 */
final class GracefulStop {

  private static final long CLEANUP_WAIT_SECONDS = 60;

  private GracefulStop() {}

  /**
   * @param name thread name of the hook
   * @param stop asks the body to stop; called from the hook thread
   * @param body the work; returns when stopped or finished
   */
  static <T> T run(String name, Runnable stop, Supplier<T> body) {
    CountDownLatch finished = new CountDownLatch(1);
    Thread hook = new Thread(() -> {
      stop.run();
      try {
        finished.await(CLEANUP_WAIT_SECONDS, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }, name);
    Runtime.getRuntime().addShutdownHook(hook);
    try {
      return body.get();
    } finally {
      finished.countDown();
      try {
        Runtime.getRuntime().removeShutdownHook(hook);
      } catch (IllegalStateException shuttingDown) {
        // the hook is running: it has just been released by the countDown above
      }
    }
  }
}
