package dev.leakwatch.manifests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The repository's {@code ./leakwatch} launcher picks its JVM ({@code $JAVA_HOME}'s, else the
 * PATH's) and refuses one older than 17 with one line, before building or running anything. Run
 * with {@code LEAKWATCH_NO_BUILD=1} against stand-in JDKs: a {@code bin/java} that prints its
 * arguments and a {@code release} file naming its version.
 */
class LauncherScriptTest {

  private static final Path LAUNCHER = Manifests.DEPLOY.resolveSibling("leakwatch");

  @TempDir Path tmp;

  /** A stand-in JDK named {@code name}: {@code bin/java} echoes "{@code name}: args". */
  private Path jdk(String name, String releaseVersion) throws IOException {
    Path home = tmp.resolve(name);
    Path java = Files.createDirectories(home.resolve("bin")).resolve("java");
    Files.writeString(java, "#!/bin/sh\necho \"" + name + ": $*\"\n");
    Files.setPosixFilePermissions(java, PosixFilePermissions.fromString("rwxr-xr-x"));
    if (releaseVersion != null) {
      Files.writeString(home.resolve("release"), "IMPLEMENTOR=\"test\"\nJAVA_VERSION=\"" + releaseVersion + "\"\n");
    }
    return home;
  }

  /**
   * A PATH holding only the tools the launcher uses, and {@code javaHome}'s bin when not null, so
   * the machine's own java is never found by accident.
   */
  private String path(Path javaHome) throws IOException {
    Path tools = Files.createDirectories(tmp.resolve("tools"));
    for (String tool : List.of("dirname", "readlink", "sed", "find", "env")) {
      Path link = tools.resolve(tool);
      if (!Files.exists(link)) {
        Files.createSymbolicLink(link, Path.of(which(tool)));
      }
    }
    return (javaHome == null ? "" : javaHome.resolve("bin") + ":") + tools;
  }

  private static String which(String tool) {
    for (String dir : List.of("/usr/bin", "/bin")) {
      if (Files.isExecutable(Path.of(dir, tool))) {
        return dir + "/" + tool;
      }
    }
    throw new IllegalStateException(tool + " not found in /usr/bin or /bin");
  }

  private record Run(int exit, String out) {}

  private Run launch(Map<String, String> env) throws IOException, InterruptedException {
    ProcessBuilder pb = new ProcessBuilder(which("bash"), LAUNCHER.toString(), "--version").redirectErrorStream(true);
    pb.environment().remove("JAVA_HOME");
    pb.environment().remove("LEAKWATCH_JAVA_OPTS");
    pb.environment().put("LEAKWATCH_NO_BUILD", "1");
    pb.environment().putAll(env);
    Process p = pb.start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
    return new Run(p.waitFor(), out);
  }

  @Test
  void shouldRunJavaHomesJavaRatherThanThePathsWhenJavaHomeIsSet() throws Exception {
    Path onPath = jdk("path-jdk", "17.0.9");
    Path home = jdk("home-jdk", "21.0.1");
    Run run = launch(Map.of("JAVA_HOME", home.toString(), "PATH", path(onPath)));
    assertEquals(0, run.exit(), run.out());
    assertTrue(run.out().startsWith("home-jdk: -cp "), run.out());
    assertTrue(run.out().endsWith("dev.leakwatch.cli.LeakwatchCli --version"), run.out());
  }

  @Test
  void shouldRunThePathsJavaWhenJavaHomeIsUnset() throws Exception {
    Run run = launch(Map.of("PATH", path(jdk("path-jdk", "17.0.9"))));
    assertEquals(0, run.exit(), run.out());
    assertTrue(run.out().startsWith("path-jdk: -cp "), run.out());
  }

  @Test
  void shouldRefuseAJavaOlderThan17WithOneLineNamingIt() throws Exception {
    for (String old : List.of("11.0.2", "1.8.0_292")) {
      Path home = jdk("old-" + old, old);
      Run run = launch(Map.of("JAVA_HOME", home.toString(), "PATH", path(null)));
      assertEquals(1, run.exit(), run.out());
      assertEquals("leakwatch: needs Java 17 or newer; " + home.resolve("bin/java") + " is Java " + old
          + " (set JAVA_HOME to a JDK 17)", run.out());
    }
  }

  @Test
  void shouldRunAJavaWithoutAReleaseFileUnchecked() throws Exception {
    Run run = launch(Map.of("PATH", path(jdk("bare-jre", null))));
    assertEquals(0, run.exit(), run.out());
    assertTrue(run.out().startsWith("bare-jre: -cp "), run.out());
  }

  @Test
  void shouldSayWhatIsMissingWhenThereIsNoJava() throws Exception {
    Path empty = Files.createDirectories(tmp.resolve("not-a-jdk"));
    Run badHome = launch(Map.of("JAVA_HOME", empty.toString(), "PATH", path(null)));
    assertEquals(1, badHome.exit(), badHome.out());
    assertEquals("leakwatch: JAVA_HOME=" + empty + " has no bin/java; set JAVA_HOME to a JDK 17 or newer",
        badHome.out());

    Run none = launch(Map.of("PATH", path(null)));
    assertEquals(1, none.exit(), none.out());
    assertEquals("leakwatch: no java on the PATH; install a JDK 17 or newer, or set JAVA_HOME", none.out());
  }
}
