package dev.leakwatch.schemas.testing;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import javax.crypto.Cipher;
import javax.crypto.EncryptedPrivateKeyInfo;
import javax.crypto.SecretKey;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;
import javax.crypto.spec.PBEParameterSpec;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * A throw-away certificate authority and certificates it signs, made with the JDK's {@code
 * keytool} (real keys and X.509 certificates, nothing hand-made), written as the PEM files the
 * agent reads, as the JKS / PKCS12 / PEM stores the registry client reads, and as the key stores a
 * test server uses. Every store's password is {@link #PASSWORD}. In the schemas test jar, so the
 * agent's tests and the registry client's share it.
 */
public final class TestPki {
  /** The password of every key store and key made here. */
  public static final String PASSWORD = "changeit";
  private final Path dir;
  private final Path caStore;

  private TestPki(Path dir) {
    this.dir = dir;
    this.caStore = dir.resolve("ca.p12");
  }

  /**
   * A new authority {@code CN=name} under {@code dir} (created if missing); its certificate is
   * {@link #caPem()}.
   */
  public static TestPki create(Path dir, String name) throws Exception {
    Files.createDirectories(dir);
    TestPki pki = new TestPki(dir);
    pki.keytool("-genkeypair", "-alias", "ca", "-keyalg", "EC", "-groupname", "secp256r1",
        "-dname", "CN=" + name, "-ext", "bc:c", "-validity", "2", "-keystore", pki.caStore.toString());
    pki.keytool("-exportcert", "-rfc", "-alias", "ca", "-keystore", pki.caStore.toString(),
        "-file", pki.caPem().toString());
    return pki;
  }

  /** The authority's certificate, PEM. */
  public Path caPem() {
    return dir.resolve("ca.pem");
  }

  /**
   * A key pair {@code name} with a certificate the authority signed, valid for 127.0.0.1 and
   * localhost; its key store holds the chain (leaf, authority).
   */
  public Issued issue(String name) throws Exception {
    return issue(name, "ip:127.0.0.1,dns:localhost");
  }

  /**
   * As {@link #issue(String)}, the certificate valid for {@code san} only (keytool's syntax, e.g.
   * {@code dns:registry.invalid}).
   */
  public Issued issue(String name, String san) throws Exception {
    Path store = dir.resolve(name + ".p12");
    Path csr = dir.resolve(name + ".csr");
    Path crt = dir.resolve(name + ".crt");
    keytool("-genkeypair", "-alias", name, "-keyalg", "EC", "-groupname", "secp256r1",
        "-dname", "CN=" + name, "-validity", "2", "-keystore", store.toString());
    keytool("-certreq", "-alias", name, "-keystore", store.toString(), "-file", csr.toString());
    keytool("-gencert", "-rfc", "-alias", "ca", "-keystore", caStore.toString(),
        "-infile", csr.toString(), "-outfile", crt.toString(), "-validity", "2",
        "-ext", "san=" + san);
    keytool("-importcert", "-noprompt", "-alias", "ca", "-file", caPem().toString(),
        "-keystore", store.toString());
    keytool("-importcert", "-noprompt", "-alias", name, "-file", crt.toString(),
        "-keystore", store.toString());
    return new Issued(name, store);
  }

  /**
   * A trust store of {@code type} ({@code JKS} or {@code PKCS12}) holding only this authority's
   * certificate.
   */
  public Path trustStore(String type) throws Exception {
    Path store = dir.resolve("trust." + type.toLowerCase(Locale.ROOT));
    Files.deleteIfExists(store);
    keytoolFor(type, "-importcert", "-noprompt", "-alias", "ca", "-file", caPem().toString(),
        "-keystore", store.toString());
    return store;
  }

  /**
   * Writes this authority's certificate and {@code client}'s chain and key to {@code target} as
   * {@code ca.pem}, {@code cert.pem} and {@code key.pem}, each replaced by an atomic rename, as a
   * rotation by cert-manager or Vault agent does.
   */
  public void installClientFiles(Issued client, Path target) throws Exception {
    Files.createDirectories(target);
    replace(caPem(), target.resolve("ca.pem"));
    replace(client.chainPem(), target.resolve("cert.pem"));
    replace(client.keyPem(), target.resolve("key.pem"));
  }

  /**
   * Installs {@code client}'s files as Kubernetes updates a mounted secret: written into a new
   * directory, then {@code link} (a symbolic link, made if absent) switched to it in one rename.
   */
  public void swapInClientFiles(Issued client, Path link) throws Exception {
    Path dir = Files.createTempDirectory(link.toAbsolutePath().getParent(), link.getFileName() + "-");
    installClientFiles(client, dir);
    Path swap = link.resolveSibling(link.getFileName() + ".swap");
    Files.deleteIfExists(swap);
    Files.createSymbolicLink(swap, dir.getFileName());
    Files.move(swap, link, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
  }

  private static void replace(Path from, Path to) throws IOException {
    Path tmp = Files.copy(from, to.resolveSibling(to.getFileName() + ".tmp"),
        StandardCopyOption.REPLACE_EXISTING);
    Files.move(tmp, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
  }

  /** A key pair and its certificate chain. */
  public final class Issued {
    private final String alias;
    private final Path store;

    private Issued(String alias, Path store) {
      this.alias = alias;
      this.store = store;
    }

    /** Its PKCS12 key store: the key with its chain (alias the name) and the authority's certificate. */
    public Path pkcs12() {
      return store;
    }

    /** A copy of {@link #pkcs12()} as a JKS key store. */
    public Path jks() throws Exception {
      Path jks = dir.resolve(alias + ".jks");
      Files.deleteIfExists(jks);
      keytoolFor("PKCS12", "-importkeystore", "-srckeystore", store.toString(), "-srcstoretype", "PKCS12",
          "-srcstorepass", PASSWORD, "-destkeystore", jks.toString(), "-deststoretype", "JKS",
          "-deststorepass", PASSWORD);
      return jks;
    }

    /** The key and its chain in one PEM file, as Kafka's PEM key store type reads it. */
    public Path keyAndChainPem() throws Exception {
      return write(alias + "-keystore.pem", Files.readString(keyPem()) + Files.readString(chainPem()));
    }

    /**
     * The key, encrypted with {@code password} (PKCS#8, PBES1: PBEWithSHA1AndDESede, which Kafka's
     * PEM loader reads on JDK 17), and its chain in one PEM file.
     */
    public Path encryptedKeyAndChainPem(String password) throws Exception {
      PrivateKey key = (PrivateKey) load(store).getKey(alias, PASSWORD.toCharArray());
      String algorithm = "PBEWithSHA1AndDESede";
      SecretKey secret = SecretKeyFactory.getInstance(algorithm)
          .generateSecret(new PBEKeySpec(password.toCharArray()));
      Cipher cipher = Cipher.getInstance(algorithm);
      byte[] salt = {1, 2, 3, 4, 5, 6, 7, 8};
      cipher.init(Cipher.ENCRYPT_MODE, secret, new PBEParameterSpec(salt, 2048));
      byte[] encrypted = new EncryptedPrivateKeyInfo(cipher.getParameters(),
          cipher.doFinal(key.getEncoded())).getEncoded();
      return write(alias + "-encrypted-keystore.pem",
          pem("ENCRYPTED PRIVATE KEY", encrypted) + Files.readString(chainPem()));
    }

    /** A server context showing this certificate and trusting the authority (for client certs). */
    public SSLContext serverContext() throws Exception {
      KeyStore ks = load(store);
      KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
      kmf.init(ks, PASSWORD.toCharArray());
      KeyStore trust = KeyStore.getInstance("PKCS12");
      trust.load(null, null);
      trust.setCertificateEntry("ca", ks.getCertificate("ca"));
      TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      tmf.init(trust);
      SSLContext ctx = SSLContext.getInstance("TLS");
      ctx.init(kmf.getKeyManagers(), tmf.getTrustManagers(), null);
      return ctx;
    }

    /** The chain, leaf first, as a PEM file. */
    public Path chainPem() throws Exception {
      StringBuilder pem = new StringBuilder();
      for (Certificate c : load(store).getCertificateChain(alias)) {
        pem.append(pem("CERTIFICATE", c.getEncoded()));
      }
      return write(alias + "-chain.pem", pem.toString());
    }

    /** The private key as an unencrypted PKCS#8 PEM file ({@code BEGIN PRIVATE KEY}). */
    public Path keyPem() throws Exception {
      PrivateKey key = (PrivateKey) load(store).getKey(alias, PASSWORD.toCharArray());
      return write(alias + "-key.pem", pem("PRIVATE KEY", key.getEncoded()));
    }
  }

  private Path write(String name, String text) throws IOException {
    return Files.writeString(dir.resolve(name), text, StandardCharsets.US_ASCII);
  }

  private static String pem(String type, byte[] der) {
    return "-----BEGIN " + type + "-----\n"
        + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(der)
        + "\n-----END " + type + "-----\n";
  }

  private static KeyStore load(Path store) throws Exception {
    KeyStore ks = KeyStore.getInstance("PKCS12");
    try (InputStream in = Files.newInputStream(store)) {
      ks.load(in, PASSWORD.toCharArray());
    }
    return ks;
  }

  private void keytool(String... args) throws Exception {
    keytoolFor("PKCS12", args);
  }

  /** Runs keytool on a store of {@code storeType}; -importkeystore names its stores' types itself. */
  private void keytoolFor(String storeType, String... args) throws Exception {
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
    cmd.addAll(List.of(args));
    if (!List.of(args).contains("-importkeystore")) {
      cmd.addAll(List.of("-storepass", PASSWORD, "-storetype", storeType));
    }
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
      throw new IllegalStateException("keytool " + String.join(" ", args) + " failed: " + output);
    }
  }
}
