package dev.leakwatch.manifests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.leakwatch.cli.LeakwatchCli;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * deploy/Dockerfile: the {@code leakwatch} command it writes onto the image's PATH, run here with
 * {@code sh} against a stand-in {@code java} that prints its arguments (no Docker needed).
 */
class DockerfileTest {

  private static final String DOCKERFILE = Manifests.read(Manifests.DEPLOY.resolve("Dockerfile"));
  private static final String WRAPPER = "/usr/local/bin/leakwatch";

  @TempDir Path tmp;

  /** Writes the wrapper as the Dockerfile's RUN does, to {@code tmp}; returns its path. */
  private Path wrapper() throws IOException, InterruptedException {
    Matcher printf = Pattern.compile("printf ('[^']*')\\s*\\\\?\\s*>\\s*" + Pattern.quote(WRAPPER)).matcher(DOCKERFILE);
    assertTrue(printf.find(), "the Dockerfile writes " + WRAPPER + " with printf");
    Path script = tmp.resolve("leakwatch");
    run(List.of("sh", "-c", "printf " + printf.group(1) + " > '" + script + "'"), null);
    Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-xr-x"));
    return script;
  }

  /** Runs {@code command} with a stand-in {@code java} first on the PATH; returns its output lines. */
  private List<String> run(List<String> command, String javaOpts) throws IOException, InterruptedException {
    Path bin = Files.createDirectories(tmp.resolve("bin"));
    Path java = bin.resolve("java");
    if (!Files.exists(java)) {
      Files.writeString(java, "#!/bin/sh\nfor a in \"$@\"; do printf '%s\\n' \"$a\"; done\n");
      Files.setPosixFilePermissions(java, PosixFilePermissions.fromString("rwxr-xr-x"));
    }
    ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
    pb.environment().put("PATH", bin + ":" + System.getenv("PATH"));
    pb.environment().remove("LEAKWATCH_JAVA_OPTS");
    if (javaOpts != null) {
      pb.environment().put("LEAKWATCH_JAVA_OPTS", javaOpts);
    }
    Process p = pb.start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertEquals(0, p.waitFor(), String.join(" ", command) + ": " + out);
    return out.isEmpty() ? List.of() : Arrays.asList(out.split("\n"));
  }

  @Test
  void shouldPassLeakwatchJavaOptsToTheJvmAsTheLauncherDoes() throws Exception {
    Path leakwatch = wrapper();
    List<String> args = run(List.of(leakwatch.toString(), "processor", "--config", "a b.yaml"),
        "-Dorg.slf4j.simpleLogger.defaultLogLevel=debug -Djdk.httpclient.keepalive.timeout=5");
    int main = args.indexOf(LeakwatchCli.class.getName());
    assertTrue(main > 0, args.toString());
    List<String> jvm = args.subList(0, main);
    assertTrue(jvm.contains("-Dorg.slf4j.simpleLogger.defaultLogLevel=debug")
        && jvm.contains("-Djdk.httpclient.keepalive.timeout=5"), "JVM options: " + jvm);
    assertEquals(List.of("processor", "--config", "a b.yaml"), args.subList(main + 1, args.size()),
        "the command's own arguments, unsplit");
    assertTrue(Manifests.read(Manifests.DEPLOY.resolveSibling("leakwatch")).contains("${LEAKWATCH_JAVA_OPTS:-}"),
        "the launcher reads the same variable");
  }
}
