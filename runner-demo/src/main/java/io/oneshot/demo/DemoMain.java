package io.oneshot.demo;

import java.io.PrintStream;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.ParseResult;

/**
 * {@code oneshot demo [--backend ecs|cloudrun|aci] [--count N]} and {@code oneshot demo serve [--jobs N]}: the
 * sandbox demos, in a jar of its own
 * ({@code runner-demo/target/oneshot-demo.jar}, which {@code ./oneshot demo} runs) so that the action and
 * its image never carry the fakes. Exit codes: 0 nothing left behind, 1 failure, 2 usage error. Blocks
 * until the demo ends.
 */
public final class DemoMain {
  /** Exit code of a usage error. */
  public static final int USAGE = 2;

  private DemoMain() {}

  public static void main(String[] args) {
    System.exit(run(args, System.out, System.err));
  }

  /** Runs the demo and returns its exit code; a leading {@code demo} argument is accepted and ignored. */
  public static int run(String[] args, PrintStream out, PrintStream err) {
    String[] rest = args.length > 0 && args[0].equals("demo") ? java.util.Arrays.copyOfRange(args, 1, args.length)
        : args;
    if (rest.length > 0 && rest[0].equals("serve")) {
      return serve(java.util.Arrays.copyOfRange(rest, 1, rest.length), out, err);
    }
    CommandSpec spec = CommandSpec.create().name("oneshot demo").mixinStandardHelpOptions(true);
    spec.usageMessage().description("Runs start, simulated jobs and stop against in-process fakes: no credentials,"
        + " no network.");
    spec.addOption(OptionSpec.builder("--backend").paramLabel("<backend>").type(String.class).defaultValue("ecs")
        .description("the backend to simulate: ecs, cloudrun or aci (default: ${DEFAULT-VALUE})").build());
    spec.addOption(OptionSpec.builder("--count").paramLabel("<count>").type(int.class).defaultValue("3")
        .description("how many runners, 1 to 20 (default: ${DEFAULT-VALUE})").build());
    Parsed parsed = parse(spec, rest, out, err);
    if (parsed.exitCode() != null) {
      return parsed.exitCode();
    }
    return new Demo(out, err).run(parsed.result().matchedOptionValue("--backend", "ecs"),
        parsed.result().matchedOptionValue("--count", 3));
  }

  /** {@code oneshot demo serve [--backend ecs|cloudrun|aci] [--jobs N]}. */
  private static int serve(String[] args, PrintStream out, PrintStream err) {
    CommandSpec spec = CommandSpec.create().name("oneshot demo serve").mixinStandardHelpOptions(true);
    spec.usageMessage().description("Runs oneshot serve against in-process fakes: jobs queue, runners launch, run"
        + " the jobs and go; no credentials, no network.");
    spec.addOption(OptionSpec.builder("--backend").paramLabel("<backend>").type(String.class).defaultValue("ecs")
        .description("the backend to simulate: ecs, cloudrun or aci (default: ${DEFAULT-VALUE})").build());
    spec.addOption(OptionSpec.builder("--jobs").paramLabel("<jobs>").type(int.class).defaultValue("5")
        .description("how many jobs to queue, 1 to 20 (default: ${DEFAULT-VALUE})").build());
    Parsed parsed = parse(spec, args, out, err);
    if (parsed.exitCode() != null) {
      return parsed.exitCode();
    }
    return new ServeDemo(out, err).run(parsed.result().matchedOptionValue("--backend", "ecs"),
        parsed.result().matchedOptionValue("--jobs", 5));
  }

  /** Parsed options, or the exit code of a usage error or a help request already answered. */
  private record Parsed(ParseResult result, Integer exitCode) {}

  private static Parsed parse(CommandSpec spec, String[] args, PrintStream out, PrintStream err) {
    CommandLine commandLine = new CommandLine(spec);
    commandLine.setOut(new java.io.PrintWriter(out, true));
    commandLine.setErr(new java.io.PrintWriter(err, true));
    ParseResult parsed;
    try {
      parsed = commandLine.parseArgs(args);
    } catch (CommandLine.ParameterException e) {
      err.println(spec.name() + ": " + e.getMessage());
      commandLine.usage(err);
      return new Parsed(null, USAGE);
    }
    return new Parsed(parsed, CommandLine.executeHelpRequest(parsed));
  }
}
