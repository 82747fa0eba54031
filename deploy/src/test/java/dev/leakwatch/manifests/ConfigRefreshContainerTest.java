package dev.leakwatch.manifests;

import static dev.leakwatch.manifests.KubernetesManifests.container;
import static dev.leakwatch.manifests.KubernetesManifests.mountPath;
import static dev.leakwatch.manifests.KubernetesManifests.statefulSet;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The processor pod's {@code config-refresh} container, run as the kubelet runs it: its shell is process 1
 * of a PID namespace of its own ({@code unshare --pid --fork}; skipped where that is not allowed), with its
 * volumes in temporary directories.
 */
class ConfigRefreshContainerTest {

  private static final String POD = "leakwatch-processor-0";

  @TempDir Path dir;

  /**
   * It copies the ConfigMap's edits into the processor's configuration; and it ends on SIGTERM. Process 1
   * of a namespace receives only the signals it handles, so a shell loop without a trap ignores the
   * kubelet's SIGTERM and every pod deletion waits out terminationGracePeriodSeconds for its SIGKILL.
   */
  @Test
  void shouldCopyTemplateEditsAndEndOnSigtermAsProcessOne() throws Exception {
    assumeTrue(canUnshare(), "unshare --pid --fork is not allowed here");
    JsonNode c = container(statefulSet(), "config-refresh");
    List<String> command = new ArrayList<>();
    c.path("command").forEach(a -> command.add(a.asText()));
    assertEquals(List.of("sh", "-c"), command.subList(0, 2));
    Path template = Files.createDirectories(dir.resolve("template"));
    Path config = Files.createDirectories(dir.resolve("config"));
    // the volumes' paths moved here, and a period of 1 s instead of 10 s to keep the test short
    String script = command.get(2)
        .replace(mountPath(c, "config-template"), template.toString())
        .replace(mountPath(c, "config"), config.toString())
        .replaceAll("sleep [0-9]+", "sleep 1");
    Files.writeString(template.resolve("processor.yaml"), "applicationServer: @POD_NAME@:8080\n");
    ProcessBuilder b = new ProcessBuilder("unshare", "--pid", "--fork", "sh", "-c", script).inheritIO();
    b.environment().put("POD_NAME", POD);
    Process p = b.start();
    try {
      Path copy = config.resolve("processor.yaml");
      await().atMost(Duration.ofSeconds(30)).until(() -> read(copy).equals("applicationServer: " + POD + ":8080\n"));
      Files.writeString(template.resolve("processor.yaml"), "applicationServer: @POD_NAME@:8081\n");
      await().atMost(Duration.ofSeconds(30)).until(() -> read(copy).equals("applicationServer: " + POD + ":8081\n"));

      ProcessHandle shell = p.toHandle().children().findFirst().orElseThrow();
      shell.destroy(); // SIGTERM, as the kubelet sends it

      assertTrue(p.waitFor(30, TimeUnit.SECONDS), "config-refresh ignored SIGTERM as process 1");
    } finally {
      p.toHandle().descendants().forEach(ProcessHandle::destroyForcibly);
      p.destroyForcibly();
    }
  }

  private static String read(Path file) throws IOException {
    return Files.exists(file) ? Files.readString(file) : "";
  }

  /** Whether this host lets the test start a PID namespace (that takes CAP_SYS_ADMIN, e.g. root). */
  private static boolean canUnshare() throws InterruptedException {
    try {
      return new ProcessBuilder("unshare", "--pid", "--fork", "true").redirectErrorStream(true)
          .redirectOutput(ProcessBuilder.Redirect.DISCARD).start().waitFor() == 0;
    } catch (IOException e) {
      return false; // no unshare
    }
  }
}
