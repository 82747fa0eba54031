package dev.leakwatch.http;

import dev.leakwatch.ui.UiAssets;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.regex.Pattern;

/**
 * The web UI: its single page at {@code /}, its assets under {@code /ui/}, and a browser login.
 * Pages and scripts hold no data and are public; every datum comes from {@code /api/**} with the
 * API's authentication. A browser cannot send the bearer header on navigation, so with tokens
 * configured it logs in once, either by opening {@code /?token=<token>} (the token is checked,
 * stored in an HttpOnly, SameSite=Strict cookie and removed from the address by a redirect) or by
 * posting the UI's login form to {@link #LOGIN}. The cookie is {@code Secure} whenever the request
 * came over HTTPS (directly or per {@code X-Forwarded-Proto}).
 */
final class UiRoutes {

  static final String LOGIN = "/ui/login";
  static final String LOGOUT = "/ui/logout";
  /** How long a login lasts in the browser. */
  static final Duration SESSION = Duration.ofHours(12);
  /** Longest token accepted from a form or query (tokens are short secrets). */
  static final int MAX_TOKEN_CHARS = 512;

  /** The UI's own routes: a fragment of letters, digits and URL punctuation, no CR/LF or quotes. */
  private static final Pattern FRAGMENT = Pattern.compile("#/[A-Za-z0-9._~!$&'()*+,;=:@/?%-]{0,2000}");
  private static final String CSP = "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
      + "img-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; "
      + "frame-ancestors 'none'";

  private final UiAssets assets;
  private final BearerAuth auth;
  private final UiAssets.Asset page;

  UiRoutes(UiAssets assets, BearerAuth auth) {
    this.assets = assets;
    this.auth = auth;
    this.page = auth.enabled() ? assets.find(UiAssets.INDEX).orElseThrow() : withoutLogin(assets);
  }

  /**
   * The page of a server without tokens, marked so (its {@code body} has {@code data-auth="off"}): there
   * is nothing to log in to or out of, so the page hides its "Log out" button.
   */
  private static UiAssets.Asset withoutLogin(UiAssets assets) {
    UiAssets.Asset index = assets.find(UiAssets.INDEX).orElseThrow();
    String html = new String(index.bytes(), StandardCharsets.UTF_8);
    if (!html.contains("<body>")) {
      throw new IllegalStateException(UiAssets.INDEX + " has no <body> to mark");
    }
    return new UiAssets.Asset(index.path(), index.contentType(),
        html.replace("<body>", "<body data-auth=\"off\">").getBytes(StandardCharsets.UTF_8));
  }

  void register(RoutesConfig routes) {
    for (String path : assets.paths()) {
      UiAssets.Asset a = assets.find(path).orElseThrow();
      routes.get(path, path.equals(UiAssets.INDEX) ? this::index : ctx -> serve(ctx, a));
    }
    routes.post(LOGIN, this::login);
    routes.post(LOGOUT, ctx -> {
      ctx.header("Set-Cookie", cookie(ctx, "", 0));
      ctx.redirect("/", HttpStatus.SEE_OTHER);
    });
  }

  private void index(Context ctx) {
    String token = ctx.queryParam("token");
    if (token == null) {
      serve(ctx, page);
      return;
    }
    // The browser keeps the address's fragment across this redirect, so a pasted view survives.
    signIn(ctx, token, "/");
  }

  private void login(Context ctx) {
    String next = ctx.formParam("next");
    signIn(ctx, ctx.formParam("token"), next != null && FRAGMENT.matcher(next).matches() ? "/" + next : "/");
  }

  private void signIn(Context ctx, String token, String location) {
    if (!auth.enabled()) {
      ctx.redirect(location, HttpStatus.SEE_OTHER);
      return;
    }
    if (token == null || token.isEmpty() || token.length() > MAX_TOKEN_CHARS || !auth.accepts(token)) {
      throw new BearerAuth.AuthException(403, "token not accepted (at most " + MAX_TOKEN_CHARS + " characters)");
    }
    ctx.header("Set-Cookie", cookie(ctx, token, SESSION.toSeconds()));
    ctx.header("Referrer-Policy", "no-referrer");
    ctx.redirect(location, HttpStatus.SEE_OTHER);
  }

  private static String cookie(Context ctx, String value, long maxAgeSeconds) {
    boolean https = "https".equalsIgnoreCase(ctx.scheme())
        || "https".equalsIgnoreCase(ctx.header("X-Forwarded-Proto"));
    // Tokens are URL-safe secrets in practice; refuse anything a cookie value cannot carry as is.
    if (!value.chars().allMatch(c -> c > 0x20 && c < 0x7f && c != '"' && c != ',' && c != ';' && c != '\\')) {
      throw new BearerAuth.AuthException(403, "token has characters a cookie cannot carry");
    }
    return BearerAuth.COOKIE + "=" + value + "; Path=/; Max-Age=" + maxAgeSeconds + "; HttpOnly; SameSite=Strict"
        + (https ? "; Secure" : "");
  }

  private static void serve(Context ctx, UiAssets.Asset a) {
    if (!ctx.queryParamMap().isEmpty() && !a.path().equals(UiAssets.INDEX)) {
      ctx.status(400).contentType("text/plain").result("static assets take no query parameters");
      return;
    }
    ctx.header("Cache-Control", "no-cache")
        .header("X-Content-Type-Options", "nosniff")
        .header("Referrer-Policy", "no-referrer");
    if (a.path().equals(UiAssets.INDEX)) {
      ctx.header("Content-Security-Policy", CSP).header("X-Frame-Options", "DENY");
    }
    ctx.status(200).contentType(a.contentType()).result(a.bytes());
  }
}
