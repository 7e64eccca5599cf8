package org.finwidth.sim.cli;

import java.io.PrintWriter;
import java.util.concurrent.Callable;
import org.finwidth.sim.experiment.UniversalityExperiment;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The top-level {@code finwidth} command. Subcommands are registered in {@link #SUBCOMMANDS};
 * with no subcommand it runs the main job.
 *
 * <p>Exit codes: 0 success, 1 a run that failed (I/O, divergence, interruption), 2 bad input
 * (unknown command, bad flag, bad value). Errors are one line on stderr, never a stack trace;
 * set {@code FINWIDTH_DEBUG=1} to see the trace as well.
 */
@Command(
    name = "finwidth",
    mixinStandardHelpOptions = true,
    versionProvider = Version.class,
    description = "Statistics of randomly initialised deep networks at finite width: theory and Monte Carlo side by side.",
    subcommands = {CommandLine.HelpCommand.class})
public final class FinwidthCommand implements Callable<Integer> {
  public static final int EXIT_OK = 0;
  public static final int EXIT_FAILURE = 1;
  public static final int EXIT_USAGE = 2;

  /** Every subcommand, in the order {@code --help} lists them. */
  static final Class<?>[] SUBCOMMANDS = {
    ActivationsCommand.class, CriticalityCommand.class, TheoryCommand.class, SimulateCommand.class,
    ExperimentCommand.class, MergeCommand.class, CampaignCommand.class};

  @picocli.CommandLine.Spec picocli.CommandLine.Model.CommandSpec spec;

  /** The main job's first line, before the output of {@code experiment universality --quick}. */
  static final String MAIN_JOB_BANNER = "finwidth: the quick tour — universality classes at criticality, theory and"
      + " Monte Carlo (experiment universality --quick; the full-size run: ./run.sh experiment universality)";

  /**
   * The main job: the quick tour, {@code experiment universality --quick} (about a minute on two
   * cores), into results/universality/.
   */
  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    out.println(MAIN_JOB_BANNER);
    out.flush();
    ExperimentCommand.run(new UniversalityExperiment(), true, null, null, 1, false, out, spec.commandLine().getErr());
    return EXIT_OK;
  }

  /** Builds the command tree with the error handling every command shares. */
  public static CommandLine commandLine() {
    CommandLine cl = new CommandLine(new FinwidthCommand());
    for (Class<?> sub : SUBCOMMANDS) {
      cl.addSubcommand(sub);
    }
    cl.setCaseInsensitiveEnumValuesAllowed(true);
    // after the subcommands: a converter reaches the commands present when it is registered
    cl.registerConverter(Integer.class, FinwidthCommand::parseInt);
    cl.registerConverter(int.class, FinwidthCommand::parseInt);
    cl.registerConverter(Long.class, FinwidthCommand::parseLong);
    cl.registerConverter(long.class, FinwidthCommand::parseLong);
    cl.setParameterExceptionHandler(FinwidthCommand::onParameterException);
    cl.setExecutionExceptionHandler(FinwidthCommand::onExecutionException);
    return cl;
  }

  /** ASCII digits with an optional sign: Integer.parseInt alone also takes other scripts' digits ("٤"). */
  private static final java.util.regex.Pattern ASCII_INTEGER = java.util.regex.Pattern.compile("[+-]?[0-9]+");

  private static Integer parseInt(String text) {
    if (ASCII_INTEGER.matcher(text).matches()) {
      try {
        return Integer.parseInt(text);
      } catch (NumberFormatException e) {
        // out of range: the line below
      }
    }
    throw new CommandLine.TypeConversionException("'" + shown(text) + "' is not an int");
  }

  private static Long parseLong(String text) {
    if (ASCII_INTEGER.matcher(text).matches()) {
      try {
        return Long.parseLong(text);
      } catch (NumberFormatException e) {
        // out of range: the line below
      }
    }
    throw new CommandLine.TypeConversionException("'" + shown(text) + "' is not a long");
  }

  /** A user's value as an error message quotes it: in full up to 60 characters, else its start and length. */
  static String shown(String text) {
    return text.length() <= 60 ? text : text.substring(0, 60) + "... (" + text.length() + " characters)";
  }

  /** Runs the command line and returns the exit code (used by {@link org.finwidth.sim.Main} and tests). */
  public static int run(String... args) {
    return commandLine().execute(args);
  }

  private static int onParameterException(CommandLine.ParameterException ex, String[] args) {
    PrintWriter err = ex.getCommandLine().getErr();
    err.println("finwidth: " + oneLine(ex.getMessage()) + " (see '" + qualifiedName(ex.getCommandLine()) + " --help')");
    err.flush();
    return EXIT_USAGE;
  }

  private static int onExecutionException(Exception ex, CommandLine cl, CommandLine.ParseResult parsed) {
    PrintWriter err = cl.getErr();
    if (System.getenv("FINWIDTH_DEBUG") != null) {
      ex.printStackTrace(err);
    }
    int code;
    String message;
    if (ex instanceof IllegalArgumentException || ex instanceof CommandLine.ParameterException) {
      code = EXIT_USAGE;
      message = ex.getMessage();
    } else if (ex instanceof java.io.IOException || ex instanceof java.io.UncheckedIOException) {
      code = EXIT_FAILURE;
      message = ex.getMessage();
    } else if (ex instanceof IllegalStateException) {
      code = EXIT_FAILURE;
      message = ex.getMessage();
    } else {
      code = EXIT_FAILURE;
      message = "internal error: " + ex + " (please report it; FINWIDTH_DEBUG=1 shows the trace)";
    }
    err.println("finwidth: " + oneLine(message));
    err.flush();
    return code;
  }

  private static String qualifiedName(CommandLine cl) {
    return cl.getCommandSpec().qualifiedName();
  }

  /** Collapses a message to one line so that every error is exactly one line on stderr. */
  static String oneLine(String message) {
    if (message == null || message.isBlank()) {
      return "unknown error";
    }
    return message.strip().replaceAll("\\s*\\R\\s*", "; ");
  }
}
