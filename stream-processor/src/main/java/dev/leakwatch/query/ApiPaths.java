package dev.leakwatch.query;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

/**
 * The API's resource paths, shared by the HTTP routes and by instances asking each other (nested
 * lookups and fan-out parts). Version 1; path parameters in braces.
 */
public final class ApiPaths {

  public static final String PREFIX = "/api/v1";
  public static final String SERVICES = PREFIX + "/services";
  public static final String SERVICE = SERVICES + "/{service}";
  public static final String INSTANCES = SERVICE + "/instances";
  public static final String TOP = SERVICE + "/top";
  public static final String DIFF = SERVICE + "/diff";
  public static final String PROFILE = SERVICE + "/profile";
  public static final String PROFILE_DIFF = SERVICE + "/profile/diff";
  public static final String SERVICE_SUSPECTS = SERVICE + "/suspects";
  public static final String SERVICE_HISTORY = SERVICE + "/suspects/history";
  public static final String SERVICE_SUSPECT = SERVICE + "/suspects/{id}";
  public static final String SUSPECT_SERIES = SERVICE + "/suspects/{id}/series";
  public static final String SITE_SERIES = SERVICE + "/sites/{siteId}/series";
  public static final String SUSPECTS = PREFIX + "/suspects";
  public static final String SUSPECT = SUSPECTS + "/{id}";
  /** Parts of fan-outs: one instance's answer for the partitions it is asked about. */
  public static final String INTERNAL = PREFIX + "/internal";
  public static final String PART_SERVICES = INTERNAL + "/services";
  public static final String PART_SUSPECTS = INTERNAL + "/suspects";
  public static final String PART_SERIES = INTERNAL + "/series";
  public static final String PART_LABELS = INTERNAL + "/labels";
  public static final String PART_SUSPECT = INTERNAL + "/suspects/{id}";

  private ApiPaths() {}

  /**
   * {@code template} with each {@code {name}} replaced, in order, by the next value, encoded as a
   * path segment.
   */
  public static String fill(String template, String... values) {
    StringBuilder out = new StringBuilder();
    int i = 0;
    int at = 0;
    while (true) {
      int open = template.indexOf('{', at);
      if (open < 0) {
        return out.append(template.substring(at)).toString();
      }
      int close = template.indexOf('}', open);
      out.append(template, at, open).append(segment(values[i++]));
      at = close + 1;
    }
  }

  /** A value encoded for a path segment (spaces as %20, never '+'). */
  public static String segment(String value) {
    return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
  }

  /** A value encoded for a query string. */
  public static String query(String value) {
    return URLEncoder.encode(value, StandardCharsets.UTF_8);
  }
}
