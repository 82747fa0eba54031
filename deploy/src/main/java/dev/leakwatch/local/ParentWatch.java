package dev.leakwatch.local;

import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.InvocationTargetException;
import java.util.Arrays;

/**
 * Main class of the broker child process: runs the real main class given as first argument, and
 * exits (running the broker's shutdown hook) as soon as its standard input closes. The parent keeps
 * that pipe open, so when the parent dies for any reason, even {@code kill -9}, the broker does not
 * linger holding the ports.
 */
public final class ParentWatch {
  private ParentWatch() {}

  public static void main(String[] args) throws Exception {
    if (args.length == 0) {
      throw new IllegalArgumentException("usage: ParentWatch <main class> [args...]");
    }
    Thread watch =
        new Thread(
            () -> {
              try {
                InputStream in = System.in;
                byte[] buf = new byte[256];
                while (in.read(buf) >= 0) {
                  // the parent never writes; any bytes are ignored
                }
              } catch (IOException e) {
                // a broken pipe means the same as EOF
              }
              System.exit(0);
            },
            "parent-watch");
    watch.setDaemon(true);
    watch.start();
    try {
      Class.forName(args[0])
          .getMethod("main", String[].class)
          .invoke(null, (Object) Arrays.copyOfRange(args, 1, args.length));
    } catch (InvocationTargetException e) {
      throw e.getCause() instanceof Exception ? (Exception) e.getCause() : e;
    }
  }
}
