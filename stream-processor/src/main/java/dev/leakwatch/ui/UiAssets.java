package dev.leakwatch.ui;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;

/**
 * The web UI's static files, read once from the classpath into memory: our own files under {@code
 * ui/} and uPlot's distribution from its webjar. Only the fixed set below is served, so no request
 * path ever reaches the classpath (no traversal, no listing). Immutable and thread-safe.
 */
public final class UiAssets {

  /** URL path of the single page (the router lives in the URL fragment). */
  public static final String INDEX = "/";
  /** URL prefix of every other asset. */
  public static final String PREFIX = "/ui/";

  /** One file as served. */
  public record Asset(String path, String contentType, byte[] bytes) {}

  private static final String OWN = "ui/";
  private static final String UPLOT_POM = "META-INF/maven/org.webjars.npm/uplot/pom.properties";
  private static final Map<String, String> TYPES = Map.of(
      "html", "text/html; charset=utf-8",
      "js", "text/javascript; charset=utf-8",
      "css", "text/css; charset=utf-8",
      "svg", "image/svg+xml");
  /** Our files, relative to {@code ui/} on the classpath and to {@link #PREFIX} in URLs. */
  private static final Set<String> OWN_FILES = Set.of(
      "app.css", "js/main.js", "js/api.js", "js/hashstate.js", "js/format.js", "js/dom.js", "js/range.js",
      "js/charts.js", "js/flame.js", "js/flametree.js", "js/views/overview.js", "js/views/suspect.js",
      "js/views/flameview.js", "js/views/diffview.js", "js/views/service.js", "js/views/login.js");

  private final Map<String, Asset> byPath;

  private UiAssets(Map<String, Asset> byPath) {
    this.byPath = Map.copyOf(byPath);
  }

  /**
   * Loads every asset.
   *
   * @throws IllegalStateException naming the resource when one is missing from the classpath (a
   *     broken build, not a runtime condition)
   */
  public static UiAssets load() {
    ClassLoader cl = UiAssets.class.getClassLoader();
    Map<String, Asset> out = new LinkedHashMap<>();
    out.put(INDEX, asset(cl, INDEX, OWN + "index.html"));
    for (String f : OWN_FILES) {
      out.put(PREFIX + f, asset(cl, PREFIX + f, OWN + f));
    }
    String dist = "META-INF/resources/webjars/uplot/" + uplotVersion(cl) + "/dist/";
    out.put(PREFIX + "vendor/uPlot.min.js", asset(cl, PREFIX + "vendor/uPlot.min.js", dist + "uPlot.iife.min.js"));
    out.put(PREFIX + "vendor/uPlot.min.css", asset(cl, PREFIX + "vendor/uPlot.min.css", dist + "uPlot.min.css"));
    return new UiAssets(out);
  }

  /** The asset served at {@code path}, if any. */
  public Optional<Asset> find(String path) {
    return Optional.ofNullable(byPath.get(path));
  }

  /** Every URL path served, {@link #INDEX} first. */
  public Set<String> paths() {
    return byPath.keySet();
  }

  private static String uplotVersion(ClassLoader cl) {
    Properties p = new Properties();
    try (InputStream in = cl.getResourceAsStream(UPLOT_POM)) {
      if (in == null) {
        throw new IllegalStateException("uPlot's webjar is not on the classpath (no " + UPLOT_POM + ")");
      }
      p.load(in);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return p.getProperty("version");
  }

  private static Asset asset(ClassLoader cl, String path, String resource) {
    try (InputStream in = cl.getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalStateException("UI resource missing from the classpath: " + resource);
      }
      String ext = resource.substring(resource.lastIndexOf('.') + 1);
      return new Asset(path, TYPES.getOrDefault(ext, "application/octet-stream"), in.readAllBytes());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read UI resource " + resource, e);
    }
  }
}
