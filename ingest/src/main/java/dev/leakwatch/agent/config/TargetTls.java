package dev.leakwatch.agent.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;
import javax.net.ssl.SSLContext;

/**
 * How the agent talks TLS to {@code https} targets, from {@code scrape.tls}: which certificate
 * authorities it trusts, and the client certificate it shows to targets that ask for one. The
 * files are read when the configuration is loaded, and a file that cannot be read or parsed then
 * is a configuration error naming its key. While the agent runs they are read again every {@code
 * refreshInterval} ({@link #read()}, {@link #build(Contents)}: see {@code scrape.TlsReloader}), so
 * rotated certificates take effect without a restart.
 *
 * @param caFile PEM file of the certificate authorities to trust instead of the JVM's, or null for
 *     the JVM's trust store
 * @param certFile PEM client certificate chain (leaf first), or null for none
 * @param keyFile PEM PKCS#8 private key of {@code certFile}'s leaf, or null for none
 * @param refreshInterval how often the files are read again to find a rotation (default 10 s)
 * @param loaded what the files held when {@code context} was built from them, or null when none
 *     is set
 * @param context the TLS context built from the files, or null when none is set (the JVM default)
 */
public record TargetTls(
    Path caFile,
    Path certFile,
    Path keyFile,
    Duration refreshInterval,
    Contents loaded,
    SSLContext context) {

  /** The configuration path of the section, for messages. */
  public static final String SECTION = "scrape.tls";

  public static final Duration DEFAULT_REFRESH_INTERVAL = Duration.ofSeconds(10);

  /** No settings: the JVM's trust store, no client certificate. */
  public static final TargetTls JVM_DEFAULT =
      new TargetTls(null, null, null, DEFAULT_REFRESH_INTERVAL, null, null);

  /** What the files held at one read; equal when every file held the same bytes. */
  public record Contents(PemFile ca, PemFile cert, PemFile key) {}

  static TargetTls parse(ConfigNode n, Path baseDir) {
    if (!n.isSet()) {
      return JVM_DEFAULT;
    }
    n.rejectUnknownKeys(Set.of("caFile", "certFile", "keyFile", "refreshInterval"));
    Path ca = file(n, "caFile", baseDir);
    Path cert = file(n, "certFile", baseDir);
    Path key = file(n, "keyFile", baseDir);
    Duration refresh =
        n.duration("refreshInterval", DEFAULT_REFRESH_INTERVAL, Duration.ofMillis(100));
    if ((cert == null) != (key == null)) {
      throw new ConfigException(
          n.path() + ": certFile and keyFile go together (a client certificate needs its key)");
    }
    if (ca == null && cert == null) {
      return JVM_DEFAULT;
    }
    TargetTls files = new TargetTls(ca, cert, key, refresh, null, null);
    Contents contents = files.read();
    return new TargetTls(ca, cert, key, refresh, contents, files.build(contents));
  }

  /** True when files are set, so that {@link #context()} may be replaced by a rotation. */
  public boolean hasFiles() {
    return caFile != null || certFile != null;
  }

  /** Reads the files now; may block as long as the file system does. */
  public Contents read() {
    return new Contents(PemFile.read(caFile), PemFile.read(certFile), PemFile.read(keyFile));
  }

  /**
   * A context made of {@code contents} (read from this section's files).
   *
   * @throws ConfigException naming the key and file, if a file could not be read or parsed, or the
   *     key does not belong to the certificate
   */
  public SSLContext build(Contents contents) {
    return PemTlsContext.build(SECTION, contents.ca(), contents.cert(), contents.key());
  }

  private static Path file(ConfigNode n, String key, Path baseDir) {
    String s = n.string(key, null);
    return s == null ? null : baseDir.resolve(s);
  }
}
