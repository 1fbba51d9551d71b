package io.oneshot.cli;

import io.oneshot.action.ActionInputs;
import io.oneshot.action.InputDefinition;
import java.util.List;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * Builds the {@code oneshot} command line from the action's input list, so every input (but secrets
 * and {@code mode}) is an option of the same name: {@code --subnets-tag key:value}. Stateless.
 */
final class CliSpec {
  static final List<String> MODES = List.of("start", "stop", "sweep", "status");

  private CliSpec() {}

  static CommandSpec root() {
    CommandSpec root = CommandSpec.create().name("oneshot").mixinStandardHelpOptions(true).version("oneshot 0.1.0");
    root.usageMessage().description("Ephemeral self-hosted GitHub Actions runners on ECS, Cloud Run and ACI.",
        "Secrets come from the environment, never from options: GITHUB_TOKEN (or GH_TOKEN) for a token,",
        "ONESHOT_APP_PRIVATE_KEY or --app-private-key-file for a GitHub App key, ONESHOT_REGISTRY_PASSWORD.",
        "Exit codes: 0 success, 1 failure, 2 usage error.");
    for (String mode : MODES) {
      root.addSubcommand(mode, mode(mode));
    }
    CommandSpec demo = CommandSpec.create().name("demo").mixinStandardHelpOptions(true);
    demo.usageMessage().description("Runs start, simulated jobs and stop against in-process fakes: no credentials,"
        + " no network.");
    demo.addOption(OptionSpec.builder("--backend").paramLabel("<backend>").type(String.class).defaultValue("ecs")
        .description("the backend to simulate (default: ${DEFAULT-VALUE})").build());
    demo.addOption(OptionSpec.builder("--count").paramLabel("<count>").type(int.class).defaultValue("3")
        .description("how many runners (default: ${DEFAULT-VALUE})").build());
    root.addSubcommand("demo", demo);
    return root;
  }

  private static CommandSpec mode(String mode) {
    CommandSpec spec = CommandSpec.create().name(mode).mixinStandardHelpOptions(true);
    spec.usageMessage().description(switch (mode) {
      case "start" -> "Start runners and wait until they are online; prints the runner_id label jobs use.";
      case "stop" -> "Stop the runners of --runner-id: registrations first, busy runners left unless --force.";
      case "sweep" -> "Reconcile the cloud and GitHub for --context: expired, never-online and orphaned runners.";
      default -> "Show the registrations and containers of --runner-id.";
    });
    for (InputDefinition input : ActionInputs.ALL) {
      if (input.secret() || input.name().equals("mode")) {
        continue;
      }
      spec.addOption(OptionSpec.builder("--" + input.name()).paramLabel("<" + input.name() + ">").type(String.class)
          .description(input.description() + input.defaultValue().map(d -> " (default: " + d + ")").orElse(""))
          .build());
    }
    spec.addOption(OptionSpec.builder("--app-private-key-file").paramLabel("<file>").type(String.class)
        .description("file holding the GitHub App private key (PEM)").build());
    return spec;
  }
}
