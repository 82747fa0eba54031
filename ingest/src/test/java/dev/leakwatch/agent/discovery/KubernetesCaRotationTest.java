package dev.leakwatch.agent.discovery;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.leakwatch.agent.config.KubernetesSettings;
import dev.leakwatch.agent.testing.FakeKubernetes;
import dev.leakwatch.agent.testing.TestConfigs;
import dev.leakwatch.agent.testing.TestPods;
import dev.leakwatch.schemas.testing.TestPki;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The API server's CA file is read again before every request, as the token is: a rotated CA
 * (the projected {@code ca.crt} updated) is trusted without a restart. Against a protocol double
 * of the API server over HTTPS, not a real one.
 */
class KubernetesCaRotationTest {
  @TempDir Path dir;

  @Test
  void shouldTrustTheNewAuthoritiesFromTheNextRequestOnWhenTheCaFileChanges() throws Exception {
    TestPki serving = TestPki.create(dir.resolve("serving"), "apiserver-ca-new");
    TestPki old = TestPki.create(dir.resolve("old"), "apiserver-ca-old");
    Path caFile = dir.resolve("ca.crt");
    Files.copy(old.caPem(), caFile);
    try (FakeKubernetes server = FakeKubernetes.https(serving.issue("apiserver").serverContext())) {
      server.add(TestPods.scraped("prod", "api-0").build());
      KubernetesApi api = new KubernetesApi(settings(server.url()), 5);
      assertEquals(0, assertThrows(ApiException.class, () -> api.list(null, null, false)).status(),
          "the server's certificate is not trusted yet");

      replace(caFile, Files.readString(serving.caPem()));
      assertEquals(1, api.list(null, null, false).items().size(), "trusted once the file holds its CA");

      replace(caFile, "-----BEGIN CERTIFICATE-----\ntruncated");
      assertEquals(1, api.list(null, null, false).items().size(), "a file that does not parse keeps the last good CA");
    }
  }

  private KubernetesSettings settings(String url) {
    return TestConfigs.parse(
            TestConfigs.kafka(TestConfigs.unreachableBootstrap())
                + "discovery:\n  kubernetes:\n    apiServer: " + url + "\n    tokenFile: token\n"
                + "    caFile: ca.crt\n",
            dir)
        .discovery()
        .kubernetes();
  }

  /** Replaces the file at once, as a projected volume's symlink swap does. */
  private void replace(Path file, String content) throws Exception {
    Path tmp = dir.resolve("ca.tmp");
    Files.writeString(tmp, content);
    Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
  }
}
