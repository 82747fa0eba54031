package dev.leakwatch.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * What the benchmarks ran on, for the report: CPU model and count, memory, JVM, and the load average
 * (other jobs sharing the CPUs skew wall-clock rates; see {@link ProcessStats} for CPU time).
 */
public final class Machine {

  private Machine() {}

  /** One line: cores, CPU model, RAM, JVM and max heap. */
  public static String describe() {
    return Runtime.getRuntime().availableProcessors() + " CPUs (" + cpuModel() + "), "
        + memTotalGb() + " GB RAM, Java " + System.getProperty("java.version") + " ("
        + System.getProperty("java.vm.name") + "), max heap " + (Runtime.getRuntime().maxMemory() >> 20) + " MB";
  }

  /** The 1, 5 and 15 minute load averages, as {@code /proc/loadavg} gives them; "?" when unknown. */
  public static String loadAverage() {
    try {
      String[] f = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
      return f[0] + " " + f[1] + " " + f[2];
    } catch (IOException | RuntimeException e) {
      return "?";
    }
  }

  private static String cpuModel() {
    return procField("/proc/cpuinfo", "model name");
  }

  private static String memTotalGb() {
    String kb = procField("/proc/meminfo", "MemTotal").replace("kB", "").trim();
    try {
      return Long.toString(Math.round(Long.parseLong(kb) / 1024.0 / 1024.0));
    } catch (NumberFormatException e) {
      return "?";
    }
  }

  private static String procField(String file, String name) {
    try {
      List<String> lines = Files.readAllLines(Path.of(file));
      for (String line : lines) {
        if (line.startsWith(name)) {
          return line.substring(line.indexOf(':') + 1).trim();
        }
      }
    } catch (IOException e) {
      // not Linux: unknown
    }
    return "?";
  }
}
