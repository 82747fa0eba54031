package dev.leakwatch.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.util.List;
import java.util.function.Predicate;

/**
 * Resource readings of this JVM and its child processes (Linux {@code /proc}; values that cannot be
 * read are -1). CPU time is what makes numbers comparable on a machine shared with other jobs:
 * profiles per CPU-second do not depend on how much of the wall clock others took.
 */
public final class ProcessStats {

  private ProcessStats() {}

  /** Heap in use after a full collection, bytes: what the live objects need. */
  public static long heapAfterGc() {
    MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
    // Two rounds: the first may only queue finalizable and reference-held objects.
    for (int i = 0; i < 2; i++) {
      System.gc();
    }
    return memory.getHeapMemoryUsage().getUsed();
  }

  /** Resident set size of this process now, bytes ({@code VmRSS}). */
  public static long rssBytes() {
    return statusKb("VmRSS");
  }

  /** Peak resident set size of this process, bytes ({@code VmHWM}). */
  public static long peakRssBytes() {
    return statusKb("VmHWM");
  }

  /** Peak resident set size of process {@code pid}, bytes ({@code VmHWM}). */
  public static long peakRssBytes(long pid) {
    return statusKb(pid, "VmHWM");
  }

  /** CPU time this JVM used so far (all threads, user + system), ns; -1 if unknown. */
  public static long cpuNanos() {
    return ProcessHandle.current().info().totalCpuDuration().map(Duration::toNanos).orElse(-1L);
  }

  /** CPU time used so far by the direct child processes (e.g. the local broker), ns. */
  public static long childrenCpuNanos() {
    return ProcessHandle.current().children()
        .mapToLong(p -> p.info().totalCpuDuration().map(Duration::toNanos).orElse(0L)).sum();
  }

  /** Resident set size of the direct child processes, bytes. */
  public static long childrenRssBytes() {
    return ProcessHandle.current().children().mapToLong(p -> statusKb(p.pid(), "VmRSS")).filter(v -> v > 0).sum();
  }

  /** Bytes of every regular file under {@code dir} (0 when it does not exist). */
  public static long directoryBytes(Path dir) {
    return fileBytes(dir, relative -> true);
  }

  /**
   * Bytes of Kafka Streams store {@code store} under state directory {@code stateDir}: every file
   * below a directory named after the store ({@code rocksdb/<store>/}) or one of its segments
   * ({@code <store>.<segment>/}, window stores).
   */
  public static long storeBytes(Path stateDir, String store) {
    return fileBytes(stateDir, relative -> belongsTo(relative, store));
  }

  /**
   * Bytes of the regular files under {@code dir} whose path relative to it {@code include} accepts.
   * The directory may be in use: files that RocksDB deletes during the walk (compaction) are skipped.
   */
  private static long fileBytes(Path dir, Predicate<Path> include) {
    if (!Files.isDirectory(dir)) {
      return 0;
    }
    long[] sum = {0};
    try {
      Files.walkFileTree(dir, new SimpleFileVisitor<>() {
        @Override
        public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
          if (attrs.isRegularFile() && include.test(dir.relativize(file))) {
            sum[0] += attrs.size();
          }
          return FileVisitResult.CONTINUE;
        }

        @Override
        public FileVisitResult visitFileFailed(Path file, IOException e) {
          return FileVisitResult.CONTINUE; // deleted meanwhile
        }
      });
    } catch (IOException e) {
      throw new UncheckedIOException("cannot measure " + dir, e);
    }
    return sum[0];
  }

  private static boolean belongsTo(Path relative, String store) {
    for (Path part : relative) {
      String name = part.toString();
      if (name.equals(store) || name.startsWith(store + ".")) {
        return true;
      }
    }
    return false;
  }

  private static long statusKb(String field) {
    return statusKb(ProcessHandle.current().pid(), field);
  }

  private static long statusKb(long pid, String field) {
    try {
      List<String> lines = Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"));
      for (String line : lines) {
        if (line.startsWith(field + ":")) {
          String[] parts = line.substring(field.length() + 1).trim().split("\\s+");
          return Long.parseLong(parts[0]) * 1024;
        }
      }
      return -1;
    } catch (IOException | RuntimeException e) {
      return -1;
    }
  }
}
