package io.oneshot.cli;

import io.oneshot.action.ActionInputs;
import io.oneshot.action.InputDefinition;
import io.oneshot.action.Mode;
import io.oneshot.action.ServeRequestParser;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import picocli.CommandLine.Model.ArgGroupSpec;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * Builds the {@code oneshot} command line from the action's inputs ({@link ActionInputs}), so every
 * input a mode reads (but secrets and {@code mode}) is an option of that subcommand with the same
 * name: {@code --subnets-tag key:value}; booleans are flags ({@code --force}, {@code --[no-]wait});
 * backend settings are grouped under a heading per backend. Stateless.
 */
final class CliSpec {
  /** The modes that are subcommands, in help order. */
  static final List<Mode> MODES = List.of(Mode.START, Mode.STOP, Mode.SWEEP, Mode.STATUS);
  /** The CLI-only option that selects the report format of start and status. */
  static final String OUTPUT = "--output";

  private CliSpec() {}

  static CommandSpec root(ActionInputs inputs) {
    CommandSpec root = CommandSpec.create().name("oneshot").mixinStandardHelpOptions(true).version("oneshot 0.1.0");
    root.usageMessage().description("Ephemeral self-hosted GitHub Actions runners on " + String.join(", ",
            inputs.backendIds()) + ".",
        "Secrets come from the environment, never from options: GITHUB_TOKEN (or GH_TOKEN) for a token,",
        "ONESHOT_APP_PRIVATE_KEY or --app-private-key-file for a GitHub App key, ONESHOT_REGISTRY_PASSWORD.",
        "Exit codes: 0 success, 1 failure, 2 usage error.");
    for (Mode mode : MODES) {
      root.addSubcommand(name(mode), mode(mode, inputs));
    }
    root.addSubcommand("serve", serve(inputs));
    CommandSpec completion = CommandSpec.create().name("completion").mixinStandardHelpOptions(true);
    completion.usageMessage().description("Prints a bash/zsh completion script for oneshot:",
        "  source <(oneshot completion)");
    root.addSubcommand("completion", completion);
    return root;
  }

  static String name(Mode mode) {
    return mode.name().toLowerCase(Locale.ROOT);
  }

  private static CommandSpec mode(Mode mode, ActionInputs inputs) {
    CommandSpec spec = CommandSpec.create().name(name(mode)).mixinStandardHelpOptions(true);
    spec.usageMessage().description(switch (mode) {
      case START -> "Start runners and wait until they are online; prints the runner_id label jobs use.";
      case STOP -> "Stop the runners of --runner-id: registrations first, busy runners left unless --force.";
      case SWEEP -> "Reconcile the cloud and GitHub for --context: expired, never-online and orphaned runners.";
      case STATUS -> "Show the registrations and containers of --runner-id.";
    });
    Map<Set<String>, ArgGroupSpec.Builder> groups = new LinkedHashMap<>();
    for (InputDefinition input : inputs.all()) {
      if (input.secret() || input.name().equals("mode") || !input.readIn(mode)) {
        continue;
      }
      OptionSpec option = option(input);
      if (input.isBackendSetting()) {
        groups.computeIfAbsent(input.backends(), backends -> ArgGroupSpec.builder().exclusive(false)
            .multiplicity("0..1").heading(String.join(" and ", backends) + " options:%n")).addArg(option);
      } else {
        spec.addOption(option);
      }
    }
    if (mode == Mode.START || mode == Mode.STATUS) {
      spec.addOption(OptionSpec.builder(OUTPUT).paramLabel("<format>").type(OutputFormat.class)
          .defaultValue("text").description("text (a table on stderr) or json (a document on stdout);"
              + " default: ${DEFAULT-VALUE}").build());
    }
    spec.addOption(OptionSpec.builder("--app-private-key-file").paramLabel("<file>").type(String.class)
        .description("file holding the GitHub App private key (PEM)").build());
    groups.values().forEach(group -> spec.addArgGroup(group.build()));
    return spec;
  }

  /**
   * {@code oneshot serve}: GitHub's options as start has them, the backend's start settings, and the pool's
   * own ({@link ServeRequestParser#OPTIONS}).
   */
  private static CommandSpec serve(ActionInputs inputs) {
    CommandSpec spec = CommandSpec.create().name("serve").mixinStandardHelpOptions(true);
    spec.usageMessage().description("Serve a runner scale set: runners are launched as jobs queue for --scale-set"
        + " and removed when idle, until SIGTERM. See docs/serve.md.");
    Map<Set<String>, ArgGroupSpec.Builder> groups = new LinkedHashMap<>();
    for (InputDefinition input : inputs.all()) {
      if (input.secret() || !input.readIn(Mode.START)) {
        continue;
      }
      if (input.isBackendSetting()) {
        groups.computeIfAbsent(input.backends(), backends -> ArgGroupSpec.builder().exclusive(false)
            .multiplicity("0..1").heading(String.join(" and ", backends) + " options:%n")).addArg(option(input));
      } else if (ServeRequestParser.COMMON.contains(input.name())) {
        spec.addOption(option(input));
      }
    }
    for (ServeRequestParser.Option serveOption : ServeRequestParser.OPTIONS) {
      spec.addOption(OptionSpec.builder("--" + serveOption.name()).paramLabel("<" + serveOption.name() + ">")
          .type(String.class).description(serveOption.description()
              + serveOption.defaultValue().map(d -> " (default: " + d + ")").orElse("")).build());
    }
    spec.addOption(OptionSpec.builder("--app-private-key-file").paramLabel("<file>").type(String.class)
        .description("file holding the GitHub App private key (PEM)").build());
    groups.values().forEach(group -> spec.addArgGroup(group.build()));
    return spec;
  }

  private static OptionSpec option(InputDefinition input) {
    String description = input.description() + input.defaultValue().map(d -> " (default: " + d + ")").orElse("");
    if (input.isBoolean()) {
      boolean defaultTrue = input.defaultValue().orElseThrow().equals("true");
      return OptionSpec.builder("--" + input.name()).type(boolean.class).arity("0").negatable(defaultTrue)
          .description(description).build();
    }
    return OptionSpec.builder("--" + input.name()).paramLabel("<" + input.name() + ">").type(String.class)
        .description(description).build();
  }

  /** How start and status print their report. */
  enum OutputFormat {
    text,
    json
  }
}
