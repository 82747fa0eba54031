package dev.leakwatch.agent.config;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.cert.Certificate;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * Builds a client {@link SSLContext} from PEM files, as the usual tooling (openssl, cert-manager,
 * Kubernetes secrets) writes them. Every failure is a {@link ConfigException} naming the key and
 * file, with what is wrong: unreadable, no certificate in it, a key format Java cannot read
 * without help (PKCS#1 or SEC1, encrypted), or a key that does not belong to the certificate.
 */
final class PemTlsContext {
  private static final Pattern BLOCK =
      Pattern.compile("-----BEGIN ([A-Z0-9 ]+)-----([^-]*)-----END \\1-----");
  private static final char[] NO_PASSWORD = new char[0];

  private PemTlsContext() {}

  /**
   * Builds from what the files held at one read, never reading them again: a context is made of
   * the very bytes that were compared to tell a change.
   *
   * @param path the configuration path of the {@code tls} section, for messages
   * @param ca trusted authorities, or null for the JVM's trust store
   * @param cert client certificate chain, or null (then {@code key} is null too)
   * @param key the chain's private key
   */
  static SSLContext build(String path, PemFile ca, PemFile cert, PemFile key) {
    try {
      TrustManagerFactory tmf = null;
      if (ca != null) {
        KeyStore trust = emptyStore();
        List<X509Certificate> cas = certificates(path + ".caFile", ca);
        for (int i = 0; i < cas.size(); i++) {
          trust.setCertificateEntry("ca-" + i, cas.get(i));
        }
        tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
      }
      KeyManagerFactory kmf = null;
      if (cert != null) {
        List<X509Certificate> chain = certificates(path + ".certFile", cert);
        PrivateKey pk = privateKey(path + ".keyFile", key);
        requireMatch(path, chain.get(0), pk, cert.path(), key.path());
        KeyStore keys = emptyStore();
        keys.setKeyEntry("client", pk, NO_PASSWORD, chain.toArray(new Certificate[0]));
        kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(keys, NO_PASSWORD);
      }
      SSLContext ctx = SSLContext.getInstance("TLS");
      ctx.init(
          kmf == null ? null : kmf.getKeyManagers(),
          tmf == null ? null : tmf.getTrustManagers(),
          null);
      return ctx;
    } catch (GeneralSecurityException | IOException e) {
      throw new ConfigException(path + ": cannot set up TLS: " + e.getMessage(), e);
    }
  }

  private static KeyStore emptyStore() throws GeneralSecurityException, IOException {
    KeyStore ks = KeyStore.getInstance("PKCS12");
    ks.load(null, null);
    return ks;
  }

  private static List<X509Certificate> certificates(String key, PemFile pem) {
    byte[] bytes = pem.bytes(key);
    Path file = pem.path();
    List<X509Certificate> out = new ArrayList<>();
    try {
      for (Certificate c :
          CertificateFactory.getInstance("X.509")
              .generateCertificates(new ByteArrayInputStream(bytes))) {
        out.add((X509Certificate) c);
      }
    } catch (CertificateException e) {
      throw new ConfigException(
          key + ": " + file + " is not a PEM certificate file: " + e.getMessage(), e);
    }
    if (out.isEmpty()) {
      throw new ConfigException(key + ": " + file + " holds no certificate");
    }
    return out;
  }

  private static PrivateKey privateKey(String key, PemFile pem) {
    Path file = pem.path();
    String text = new String(pem.bytes(key), StandardCharsets.US_ASCII);
    Matcher m = BLOCK.matcher(text);
    while (m.find()) {
      String type = m.group(1);
      if (type.equals("PRIVATE KEY")) {
        byte[] der;
        try {
          der = Base64.getMimeDecoder().decode(m.group(2));
        } catch (IllegalArgumentException e) {
          throw new ConfigException(key + ": " + file + ": the PRIVATE KEY block is not base64");
        }
        return pkcs8(key, file, der);
      }
      if (type.endsWith("PRIVATE KEY")) {
        throw new ConfigException(
            key + ": " + file + " holds a " + type + " block; give an unencrypted PKCS#8 key"
                + " (BEGIN PRIVATE KEY), e.g. openssl pkcs8 -topk8 -nocrypt -in KEY -out KEY.pk8");
      }
    }
    throw new ConfigException(key + ": " + file + " holds no PEM PRIVATE KEY block");
  }

  private static PrivateKey pkcs8(String key, Path file, byte[] der) {
    for (String algorithm : List.of("RSA", "EC", "Ed25519", "Ed448")) {
      try {
        return KeyFactory.getInstance(algorithm).generatePrivate(new PKCS8EncodedKeySpec(der));
      } catch (GeneralSecurityException e) {
        // not this algorithm; try the next
      }
    }
    throw new ConfigException(
        key + ": " + file + ": not an RSA, EC or EdDSA private key in PKCS#8 form");
  }

  /**
   * Signs with the key and verifies with the certificate: a key of another certificate would
   * otherwise surface only as handshakes that targets refuse.
   */
  private static void requireMatch(
      String path, X509Certificate leaf, PrivateKey pk, Path cert, Path key) {
    String algorithm =
        switch (pk.getAlgorithm()) {
          case "RSA" -> "SHA256withRSA";
          case "EC" -> "SHA256withECDSA";
          default -> pk.getAlgorithm();
        };
    boolean matches;
    try {
      byte[] probe = new byte[32];
      new SecureRandom().nextBytes(probe);
      Signature s = Signature.getInstance(algorithm);
      s.initSign(pk);
      s.update(probe);
      byte[] signature = s.sign();
      Signature v = Signature.getInstance(algorithm);
      v.initVerify(leaf.getPublicKey());
      v.update(probe);
      matches = v.verify(signature);
    } catch (GeneralSecurityException e) {
      matches = false;
    }
    if (!matches) {
      throw new ConfigException(
          path + ": the key in " + key + " does not belong to the first certificate in " + cert);
    }
  }
}
