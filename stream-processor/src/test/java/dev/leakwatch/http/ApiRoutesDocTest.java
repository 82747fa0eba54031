package dev.leakwatch.http;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.leakwatch.query.ApiPaths;
import dev.leakwatch.schemas.testing.DocTables;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * docs/API.md's resources are the query API's: its section headings ({@code ### `GET /path`}) and
 * its list of internal resources name exactly the paths the routes are registered with ({@link
 * ApiPaths}, the health, readiness and metrics paths), and a running server answers each documented
 * one with something other than "no resource". (The web UI's own routes are docs/UI.md's, checked by
 * {@code UiRoutesTest}.)
 */
class ApiRoutesDocTest {
  private static final Pattern HEADING_PATH = Pattern.compile("`(?:(?:GET|POST) )?((?:/|\\.\\.\\./)[^`]*)`");

  /** Paths as API.md gives them; {@code .../x} continues the heading's previous path at its segment x. */
  private static Set<String> documented() {
    Set<String> out = new TreeSet<>();
    String text = DocTables.read("docs/API.md");
    for (String line : text.lines().filter(l -> l.startsWith("### ")).toList()) {
      String previous = null;
      Matcher m = HEADING_PATH.matcher(line);
      while (m.find()) {
        String path = m.group(1);
        if (path.startsWith(".../")) {
          String rest = path.substring(3);
          path = previous.substring(0, previous.lastIndexOf(rest.substring(0, rest.indexOf('/', 1)))) + rest;
        }
        out.add(path);
        previous = path;
      }
    }
    String internal = text.split("### Internal resources", 2)[1].split("\n## ", 2)[0];
    DocTables.code(internal).stream().filter(c -> c.startsWith(ApiPaths.INTERNAL + "/")).forEach(out::add);
    return out;
  }

  /** The paths the server's routes are registered with. */
  private static Set<String> registered() throws IllegalAccessException {
    Set<String> out = new TreeSet<>(List.of(OpsRoutes.HEALTHZ, OpsRoutes.READYZ, OpsRoutes.METRICS));
    for (Field f : ApiPaths.class.getFields()) {
      if (Modifier.isStatic(f.getModifiers()) && f.getType() == String.class
          && !f.getName().equals("PREFIX") && !f.getName().equals("INTERNAL")) {
        out.add((String) f.get(null));
      }
    }
    return out;
  }

  @Test
  void shouldDocumentEveryRouteAndRouteEveryDocumentedResource() throws Exception {
    assertEquals(registered(), documented(), "docs/API.md's resources against the routes");
    try (ProcessorMetrics metrics = new ProcessorMetrics();
        ApiServer server = new ApiServer(new ApiSettings("127.0.0.1", 0, List.of(), false, Duration.ofDays(7),
            Duration.ofSeconds(2), 1 << 20, ApiSettings.DEFAULT_BODY_TIMEOUT, 4), metrics)) {
      int port = server.start();
      server.attach(new StubQueryApi(), "127.0.0.1:" + port);
      for (String path : documented()) {
        HttpResponse<byte[]> r = ApiClient.get(port, path.replaceAll("\\{[^}]+}", "x"), null);
        String body = ApiClient.text(r);
        if (r.statusCode() == 404 && body.contains("no resource")) {
          throw new AssertionError(path + " is documented but answered " + body);
        }
      }
    }
  }
}
