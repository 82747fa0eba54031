package dev.leakwatch.demo;

/**
 * A stop (Ctrl-C, or the caller's) came while the broker or the processor was still starting: the start
 * was given up, what it had started is stopped and the run directory removed. The cause is what the
 * interrupted start threw.
 */
public final class StoppedWhileStartingException extends RuntimeException {

  StoppedWhileStartingException(Throwable cause) {
    super("stopped while starting; the broker and the processor were stopped before they were up", cause);
  }
}
