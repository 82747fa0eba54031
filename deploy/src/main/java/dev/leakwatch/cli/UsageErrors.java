package dev.leakwatch.cli;

import java.io.PrintWriter;
import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.MissingParameterException;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.UnmatchedArgumentException;

/**
 * Reports a command line that does not parse, as picocli's default handler does (the message, then
 * suggestions for an unknown option or else the command's usage; exit code 2), with one difference:
 * a misspelt required option ({@code local --target FILE}) is reported as the unknown option it is,
 * with the spelling it resembles, not as the required option it leaves out. picocli checks required
 * options before unknown ones, so without this the user is told "Missing required option
 * '--targets=FILE'" about a flag they did type.
 */
final class UsageErrors implements CommandLine.IParameterExceptionHandler {

  @Override
  public int handleParseException(ParameterException ex, String[] args) {
    CommandLine cmd = ex.getCommandLine();
    PrintWriter err = cmd.getErr();
    List<String> unmatched = cmd.getUnmatchedArguments();
    ParameterException reported = ex instanceof MissingParameterException && !unmatched.isEmpty()
        ? new UnmatchedArgumentException(cmd, unmatched)
        : ex;
    err.println(reported.getMessage());
    if (!UnmatchedArgumentException.printSuggestions(reported, err)) {
      cmd.usage(err, cmd.getColorScheme());
    }
    err.flush();
    CommandLine.IExitCodeExceptionMapper mapper = cmd.getExitCodeExceptionMapper();
    return mapper != null ? mapper.getExitCode(reported) : cmd.getCommandSpec().exitCodeOnInvalidInput();
  }
}
