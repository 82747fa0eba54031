package dev.leakwatch.reliability.http;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * HTTP/1.1 over a plain socket to a loopback port, for requests no well-behaved client sends:
 * raw request lines, lying or conflicting lengths, control characters, bodies that never end,
 * clients that send a byte at a time. Every read is bounded by a socket timeout.
 */
final class RawHttp implements AutoCloseable {

  /** A parsed response; {@code status} -1 when the server closed without answering. */
  record Response(int status, Map<String, String> headers, String body) {
    String header(String name) {
      return headers.get(name.toLowerCase(Locale.ROOT));
    }
  }

  private static final int MAX_RESPONSE_BYTES = 1 << 20;

  private final Socket socket;
  private final OutputStream out;
  private final InputStream in;

  RawHttp(int port, Duration readTimeout) {
    try {
      socket = new Socket(InetAddress.getLoopbackAddress(), port);
      socket.setSoTimeout((int) readTimeout.toMillis());
      out = socket.getOutputStream();
      in = socket.getInputStream();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Sends {@code text} as ISO-8859-1 bytes (so any byte value can be written). */
  void send(String text) throws IOException {
    send(text.getBytes(StandardCharsets.ISO_8859_1));
  }

  void send(byte[] bytes) throws IOException {
    out.write(bytes);
    out.flush();
  }

  /** The connection's output, for writers of their own pace. */
  OutputStream output() {
    return out;
  }

  /** No more bytes from this side (the server sees end of stream). */
  void finishSending() throws IOException {
    socket.shutdownOutput();
  }

  /** One whole exchange: sends the request, reads the response. */
  static Response exchange(int port, String request) {
    try (RawHttp c = new RawHttp(port, Duration.ofSeconds(10))) {
      c.send(request);
      return c.read();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Reads one response: status line, headers, then a Content-Length body or, without one, up to
   * the close. Fails with {@link SocketTimeoutException} if the server stays silent.
   */
  Response read() throws IOException {
    String head = readHead();
    if (head == null) {
      return new Response(-1, Map.of(), "");
    }
    String[] lines = head.split("\r\n");
    String[] statusLine = lines[0].split(" ", 3);
    Map<String, String> headers = new LinkedHashMap<>();
    for (int i = 1; i < lines.length; i++) {
      int colon = lines[i].indexOf(':');
      if (colon > 0) {
        headers.put(lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT), lines[i].substring(colon + 1).trim());
      }
    }
    String length = headers.get("content-length");
    byte[] body = length != null
        ? in.readNBytes((int) Math.min(MAX_RESPONSE_BYTES, Long.parseLong(length)))
        : "chunked".equalsIgnoreCase(headers.get("transfer-encoding")) ? readChunked() : new byte[0];
    return new Response(Integer.parseInt(statusLine[1]), headers, new String(body, StandardCharsets.UTF_8));
  }

  /** The status line and headers, or null when the stream ends before any byte. */
  private String readHead() throws IOException {
    ByteArrayOutputStream head = new ByteArrayOutputStream();
    int matched = 0;
    while (matched < 4) {
      int b = in.read();
      if (b < 0) {
        return head.size() == 0 ? null : head.toString(StandardCharsets.ISO_8859_1);
      }
      head.write(b);
      matched = (b == '\r' && matched % 2 == 0) || (b == '\n' && matched % 2 == 1) ? matched + 1 : 0;
      if (head.size() > MAX_RESPONSE_BYTES) {
        throw new IOException("response head larger than " + MAX_RESPONSE_BYTES + " bytes");
      }
    }
    return head.toString(StandardCharsets.ISO_8859_1);
  }

  private byte[] readChunked() throws IOException {
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    while (body.size() <= MAX_RESPONSE_BYTES) {
      StringBuilder size = new StringBuilder();
      for (int b = in.read(); b != '\n'; b = in.read()) {
        if (b < 0) {
          return body.toByteArray();
        }
        size.append((char) b);
      }
      int n = Integer.parseInt(size.toString().trim().split(";")[0], 16);
      if (n == 0) {
        return body.toByteArray();
      }
      body.write(in.readNBytes(n));
      in.readNBytes(2);
    }
    return body.toByteArray();
  }

  @Override
  public void close() {
    try {
      socket.close();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
