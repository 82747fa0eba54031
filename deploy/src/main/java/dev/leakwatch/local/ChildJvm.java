package dev.leakwatch.local;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.jar.JarFile;
import java.util.jar.Manifest;

/**
 * Starts Java child processes on this JVM's own classpath, so the broker runs from the project's
 * Maven dependencies with nothing else installed. A classpath given through a manifest-only jar
 * (as Maven Surefire does) is expanded to the jars it names.
 */
public final class ChildJvm {
  private ChildJvm() {}

  /** {@code java -cp <ours> <jvmArgs> <mainClass> <args>}. */
  public static List<String> command(List<String> jvmArgs, String mainClass, List<String> args) {
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.add("-cp");
    cmd.add(classpath());
    cmd.addAll(jvmArgs);
    cmd.add(mainClass);
    cmd.addAll(args);
    return cmd;
  }

  /**
   * Stops a child started with {@link #command} and watched by {@link ParentWatch}: SIGTERM (a clean
   * shutdown), then SIGKILL if it has not exited within {@code grace}; finally closes its stdin, the
   * lifeline {@link ParentWatch} reads. Restores the interrupt flag when interrupted (and kills).
   *
   * @return true when the child exited within {@code grace} (or had already), false when it was killed
   */
  public static boolean stop(Process child, Duration grace) {
    boolean clean = true;
    child.destroy();
    try {
      if (!child.waitFor(grace.toMillis(), TimeUnit.MILLISECONDS)) {
        clean = false;
        child.destroyForcibly().waitFor(grace.toMillis(), TimeUnit.MILLISECONDS);
      }
    } catch (InterruptedException e) {
      clean = false;
      child.destroyForcibly();
      Thread.currentThread().interrupt();
    } finally {
      try {
        child.getOutputStream().close();
      } catch (IOException e) {
        // the child is gone; nothing to tell it
      }
    }
    return clean;
  }

  static String classpath() {
    Set<String> out = new LinkedHashSet<>();
    for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
      if (entry.isEmpty()) {
        continue;
      }
      out.add(entry);
      out.addAll(manifestClassPath(Path.of(entry)));
    }
    return String.join(File.pathSeparator, out);
  }

  private static List<String> manifestClassPath(Path jar) {
    List<String> out = new ArrayList<>();
    if (!Files.isRegularFile(jar) || !jar.toString().endsWith(".jar")) {
      return out;
    }
    try (JarFile jf = new JarFile(jar.toFile())) {
      Manifest m = jf.getManifest();
      String cp = m == null ? null : m.getMainAttributes().getValue("Class-Path");
      if (cp == null) {
        return out;
      }
      URI base = jar.toAbsolutePath().getParent().toUri();
      for (String e : cp.trim().split("\\s+")) {
        if (!e.isEmpty()) {
          out.add(Path.of(base.resolve(e)).toString());
        }
      }
      return out;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the manifest of " + jar, e);
    }
  }
}
