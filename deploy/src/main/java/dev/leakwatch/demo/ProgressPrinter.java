package dev.leakwatch.demo;

import java.io.PrintWriter;
import java.time.Duration;
import java.util.Locale;
import java.util.function.Consumer;

/**
 * Prints a replay's progress at most once per {@code every} (and always for the last capture),
 * e.g. {@code replay: 616/1232 profiles (50%), 598 acknowledged, capture time 2026-11-26T07:11:36Z}.
 */
public final class ProgressPrinter implements Consumer<ReplayProgress> {

  private final PrintWriter out;
  private final long everyNanos;
  private long lastNanos;

  public ProgressPrinter(PrintWriter out, Duration every) {
    this.out = out;
    this.everyNanos = every.toNanos();
    this.lastNanos = System.nanoTime();
  }

  @Override
  public void accept(ReplayProgress p) {
    long now = System.nanoTime();
    if (p.offered() < p.total() && now - lastNanos < everyNanos) {
      return;
    }
    lastNanos = now;
    out.println(String.format(Locale.ROOT, "replay: %d/%d profiles (%d%%), %d acknowledged, capture time %s",
        p.offered(), p.total(), p.percent(), p.published(), p.captureTime()));
    out.flush();
  }
}
