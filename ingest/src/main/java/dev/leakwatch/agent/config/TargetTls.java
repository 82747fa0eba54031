package dev.leakwatch.agent.config;

import java.nio.file.Path;
import java.util.Set;
import javax.net.ssl.SSLContext;

/**
 * How the agent talks TLS to {@code https} targets, from {@code scrape.tls}: which certificate
 * authorities it trusts, and the client certificate it shows to targets that ask for one. The
 * files are read once, when the configuration is loaded (a rotated file takes effect at the next
 * start); a file that cannot be read or parsed is a configuration error naming its key.
 *
 * @param caFile PEM file of the certificate authorities to trust instead of the JVM's, or null for
 *     the JVM's trust store
 * @param certFile PEM client certificate chain (leaf first), or null for none
 * @param keyFile PEM PKCS#8 private key of {@code certFile}'s leaf, or null for none
 * @param context the TLS context built from the files, or null when none is set (the JVM default)
 */
public record TargetTls(Path caFile, Path certFile, Path keyFile, SSLContext context) {

  /** No settings: the JVM's trust store, no client certificate. */
  public static final TargetTls JVM_DEFAULT = new TargetTls(null, null, null, null);

  static TargetTls parse(ConfigNode n, Path baseDir) {
    if (!n.isSet()) {
      return JVM_DEFAULT;
    }
    n.rejectUnknownKeys(Set.of("caFile", "certFile", "keyFile"));
    Path ca = file(n, "caFile", baseDir);
    Path cert = file(n, "certFile", baseDir);
    Path key = file(n, "keyFile", baseDir);
    if ((cert == null) != (key == null)) {
      throw new ConfigException(
          n.path() + ": certFile and keyFile go together (a client certificate needs its key)");
    }
    if (ca == null && cert == null) {
      return JVM_DEFAULT;
    }
    return new TargetTls(ca, cert, key, PemTlsContext.build(n.path(), ca, cert, key));
  }

  private static Path file(ConfigNode n, String key, Path baseDir) {
    String s = n.string(key, null);
    return s == null ? null : baseDir.resolve(s);
  }
}
