package dev.leakwatch.agent.scrape;

import dev.leakwatch.naming.Names;
import dev.leakwatch.schemas.settings.UrlCredentials;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The redirects of one profile request, followed by {@link HttpProfileFetcher} itself rather than
 * by the JDK client, so that a redirect it will not follow is reported with where it led instead
 * of as a bare {@code HTTP 302}. The rules are the JDK's {@code Redirect.NORMAL}: 301, 302, 303,
 * 307 and 308 are followed (always as a GET, the only method the agent sends), at most {@value
 * #MAX_REDIRECTS} times, to {@code http} or {@code https} only, and never from {@code https} to
 * {@code http} (the profile would then cross the network unencrypted). Every refusal is a {@link
 * ScrapeFailure.Reason#REDIRECT} whose message starts with {@code GET <requested url>:}.
 *
 * <p>One instance per request; not thread-safe (the hops of a request run one after the other).
 */
final class RedirectChain {
  /** Redirects followed per request, the JDK client's default limit. */
  static final int MAX_REDIRECTS = 5;

  private static final int MAX_PORT = 65535;

  /** The requested URI, then each URI a redirect led to. */
  private final List<URI> hops = new ArrayList<>();

  RedirectChain(URI requested) {
    hops.add(requested);
  }

  /** The URI of the latest request. */
  URI current() {
    return hops.get(hops.size() - 1);
  }

  /** True once a redirect has been followed. */
  boolean redirected() {
    return hops.size() > 1;
  }

  /** True for the statuses that are followed (the JDK's set: not 300, 304, 305, 306). */
  static boolean isRedirect(int status) {
    return status == 301 || status == 302 || status == 303 || status == 307 || status == 308;
  }

  /**
   * Where the redirect answered to {@link #current()} leads, recorded as the next hop.
   *
   * @param status a status for which {@link #isRedirect} holds
   * @param location the response's {@code Location} header, if any
   * @throws ScrapeFailure {@link ScrapeFailure.Reason#REDIRECT} when the redirect is not followed
   */
  URI follow(int status, Optional<String> location) {
    URI from = current();
    if (location.isEmpty() || location.get().isBlank()) {
      throw refused("HTTP " + status + " without a Location header" + at());
    }
    URI next = resolve(status, location.get());
    String scheme = next.getScheme() == null ? "" : next.getScheme().toLowerCase();
    if (!scheme.equals("http") && !scheme.equals("https")) {
      throw refused(
          "HTTP " + status + " to " + next + at() + ": a scheme the agent does not follow (only"
              + " http and https)");
    }
    if (next.getRawUserInfo() != null) {
      // as a target's url may not hold them (the agent sends none); quoted hidden, as the refusal
      // is shown on /targets and in log lines
      throw refused(
          "HTTP " + status + " to " + UrlCredentials.hide(next.toString()) + at() + ": a Location with"
              + " credentials (user:password@), which the agent does not follow");
    }
    if (next.getHost() == null || next.getPort() == 0 || next.getPort() > MAX_PORT) {
      throw refused("HTTP " + status + " to " + next + at() + ", which names no usable host and port");
    }
    if (from.getScheme().equalsIgnoreCase("https") && scheme.equals("http")) {
      throw refused(
          "HTTP " + status + " from https to " + next + at() + ": the agent does not follow a"
              + " redirect from https to http");
    }
    if (hops.size() > MAX_REDIRECTS) {
      throw refused(
          (loops(next) ? "redirect loop, more than " : "more than ") + MAX_REDIRECTS
              + " redirects (via " + hops.subList(1, hops.size()).stream().map(URI::toString)
              .collect(Collectors.joining(", ")) + "; last Location: " + next + ")");
    }
    hops.add(next);
    return next;
  }

  /** Appends the hop a refusal happened at, when that is not the requested URI. */
  private String at() {
    return redirected() ? " (at " + current() + ")" : "";
  }

  /** True when {@code next} or any hop before it repeats an earlier URI of the chain. */
  private boolean loops(URI next) {
    List<URI> all = new ArrayList<>(hops);
    all.add(next);
    return new HashSet<>(all).size() < all.size();
  }

  /**
   * The Location resolved against the current URI, without a fragment: one is never sent, so
   * {@code /a#x} and {@code /a} are the same request (and a loop between them is a loop).
   */
  private URI resolve(int status, String location) {
    try {
      URI resolved = current().resolve(new URI(location.trim()));
      if (resolved.getRawFragment() == null) {
        return resolved;
      }
      String s = resolved.toString();
      return new URI(s.substring(0, s.indexOf('#')));
    } catch (URISyntaxException e) {
      throw refused(
          "HTTP " + status + at() + " with a Location that is not a URL: "
              + Names.quote(UrlCredentials.hide(location))
              + " (" + e.getReason() + ")");
    }
  }

  private ScrapeFailure refused(String what) {
    return new ScrapeFailure(ScrapeFailure.Reason.REDIRECT, "GET " + hops.get(0) + ": " + what);
  }
}
