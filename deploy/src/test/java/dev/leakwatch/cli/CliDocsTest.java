package dev.leakwatch.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.leakwatch.schemas.testing.DocTables;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * Every option of every command is named where the docs describe the command (README.md and the
 * docs its commands table links for it), unless those docs send readers to the command's own
 * {@code --help}; and every {@code --option} the docs write after {@code ./leakwatch COMMAND} is one
 * the command takes.
 */
class CliDocsTest {
  private static final Pattern LINK = Pattern.compile("\\(docs/([A-Z-]+\\.md)");
  /** A command line in the docs, up to where a shell would end it (a pipe, a comment, a closing quote). */
  private static final Pattern INVOCATION = Pattern.compile("\\./leakwatch ([^`|#;&)\"'\\n]*)");
  private static final Pattern OPTION = Pattern.compile("(?<![\\w-])--[a-z][a-z-]*");

  /** Every command by its path ({@code pprof top}), the help command aside. */
  private static Map<String, CommandSpec> commands() {
    Map<String, CommandSpec> out = new LinkedHashMap<>();
    List<CommandLine> todo = new ArrayList<>(LeakwatchCli.commandLine().getSubcommands().values());
    while (!todo.isEmpty()) {
      CommandSpec spec = todo.remove(0).getCommandSpec();
      String path = spec.qualifiedName(" ").substring("leakwatch ".length());
      if (!path.equals("help")) {
        out.putIfAbsent(path, spec);
        todo.addAll(spec.subcommands().values());
      }
    }
    return out;
  }

  /** README.md and every docs file README's commands table links for {@code command} (a top-level name). */
  private static String docsOf(String command) {
    StringBuilder text = new StringBuilder(DocTables.read("README.md"));
    for (List<String> row : DocTables.table("README.md", "## Commands")) {
      if (DocTables.code(row.get(0)).get(0).split(" ")[0].equals(command)) {
        Matcher m = LINK.matcher(row.get(2));
        while (m.find()) {
          text.append(DocTables.read("docs/" + m.group(1)));
        }
      }
    }
    return text.toString();
  }

  @Test
  void shouldNameEveryOptionOfACommandWhereTheDocsDescribeIt() {
    List<String> missing = new ArrayList<>();
    commands().forEach((path, spec) -> {
      String docs = docsOf(path.split(" ")[0]);
      if (docs.contains("leakwatch " + path + " --help") || docs.contains("leakwatch help " + path)) {
        return;
      }
      for (OptionSpec o : spec.options()) {
        if (o.usageHelp() || o.versionHelp()) {
          continue;
        }
        boolean named = false;
        for (String name : o.names()) {
          named |= Pattern.compile("(?<![\\w-])" + Pattern.quote(name) + "(?![\\w-])").matcher(docs).find();
        }
        if (!named) {
          missing.add(path + " " + o.longestName());
        }
      }
    });
    assertEquals(List.of(), missing, "options the command's docs do not name");
  }

  @Test
  void shouldTakeEveryOptionTheDocsWriteAfterACommand() {
    Map<String, CommandSpec> commands = commands();
    Set<String> unknown = new TreeSet<>();
    StringBuilder docs = new StringBuilder(DocTables.read("README.md"));
    for (String f : List.of("API.md", "DEMO.md", "DETECTION.md", "INGEST.md", "OPERATIONS.md", "PERFORMANCE.md",
        "PROCESSOR.md", "SCHEMAS.md", "UI.md")) {
      docs.append(DocTables.read("docs/" + f));
    }
    Matcher m = INVOCATION.matcher(docs);
    while (m.find()) {
      String[] words = m.group(1).strip().split("\\s+");
      String path = null;
      for (int n = words.length; n > 0 && path == null; n--) {
        String candidate = String.join(" ", List.of(words).subList(0, n));
        path = commands.containsKey(candidate) ? candidate : null;
      }
      if (path == null) {
        continue; // ./leakwatch --help, or a placeholder such as COMMAND
      }
      Matcher o = OPTION.matcher(m.group(1));
      while (o.find()) {
        if (commands.get(path).findOption(o.group()) == null) {
          unknown.add("./leakwatch " + path + " " + o.group());
        }
      }
    }
    assertEquals(Set.of(), unknown, "options the docs give a command that it does not take");
  }
}
