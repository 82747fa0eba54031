package dev.leakwatch.local;

/** A main class that never returns on its own, to show {@link ParentWatch} ends its process. */
public final class SleepForever {
  private SleepForever() {}

  public static void main(String[] args) throws InterruptedException {
    Thread.sleep(Long.MAX_VALUE);
  }
}
