package dev.leakwatch.agent.testing;

import dev.leakwatch.agent.config.AgentConfig;
import dev.leakwatch.agent.config.AgentConfigLoader;
import dev.leakwatch.agent.config.ScrapeSettings;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.regex.Pattern;

/** Agent configurations for tests, written in the same YAML users write. */
public final class TestConfigs {
  private TestConfigs() {}

  /** A {@code kafka:} section pointing at {@code bootstrap}, without topic creation. */
  public static String kafka(String bootstrap) {
    return "kafka:\n  createTopic: false\n  client:\n    bootstrap.servers: " + bootstrap + "\n";
  }

  /** An address where nothing listens (a port just released). */
  public static String unreachableBootstrap() {
    return "127.0.0.1:" + freePort();
  }

  public static int freePort() {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The {@code scrape:} defaults of a configuration that sets none. */
  public static ScrapeSettings scrapeDefaults() {
    return parse(kafka("127.0.0.1:9"), Path.of(".")).scrape();
  }

  /** Parses {@code yaml}, with an ephemeral HTTP port and no shutdown grace unless it says so. */
  public static AgentConfig parse(String yaml, Path baseDir) {
    String withDefaults = yaml;
    if (!Pattern.compile("(?m)^http:").matcher(yaml).find()) {
      withDefaults += "http:\n  port: 0\n";
    }
    if (!Pattern.compile("(?m)^agent:").matcher(yaml).find()) {
      withDefaults += "agent:\n  id: test-agent\n  shutdownGrace: 0s\n";
    }
    return AgentConfigLoader.parse(withDefaults, baseDir);
  }
}
