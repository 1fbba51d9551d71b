package io.oneshot.core;

import io.oneshot.spi.InvalidSettingsException;
import io.oneshot.spi.OwnershipTags;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * What to launch: how many runners, their name prefix and labels, group, timeouts and owner. Built
 * with {@link #builder(String)}; {@code build()} checks everything and reports every problem at once.
 *
 * @param owner the ownership tag value (label-safe); the sweep only touches resources with it
 * @param prefix the name prefix: runner names are {@code <prefix>-<8 random>}, the batch label
 *     {@code <prefix>-<16 random>}
 * @param labels user labels added to every runner
 * @param count how many runners
 * @param runnerGroup the runner group name
 * @param architecture the architecture label ({@code X64}, {@code ARM64} or {@code ARM})
 * @param workFolder the runner's work folder
 * @param registration JIT (default) or registration token
 * @param onlineTimeout how long to wait for every runner to be online
 * @param waitForOnline whether {@link RunnerFleet#start} waits at all
 * @param maxLifetime the longest a container may live
 * @param idleTimeout how long a runner waits for a job
 * @param maxAttemptsPerRunner containers tried per runner on retryable failures (at least 1)
 * @param extraEnv more (non-secret) environment for the containers
 */
public record FleetRequest(
    String owner,
    String prefix,
    List<String> labels,
    int count,
    String runnerGroup,
    String architecture,
    String workFolder,
    RegistrationMode registration,
    Duration onlineTimeout,
    boolean waitForOnline,
    Duration maxLifetime,
    Duration idleTimeout,
    int maxAttemptsPerRunner,
    Map<String, String> extraEnv) {

  /** The most runners one request may start. */
  public static final int MAX_COUNT = 100;
  /** The most labels GitHub accepts on a JIT runner. */
  public static final int MAX_LABELS = 100;
  /** Accepted name prefixes; short enough that names and labels stay valid tag values. */
  public static final Pattern PREFIX = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,29}");
  /** Accepted labels: no whitespace or commas, at most 100 characters. */
  public static final Pattern LABEL = Pattern.compile("[^\\s,]{1,100}");
  private static final Set<String> ARCHITECTURES = Set.of("X64", "ARM64", "ARM");

  public FleetRequest {
    labels = List.copyOf(labels);
    extraEnv = Map.copyOf(extraEnv);
    Objects.requireNonNull(registration, "registration");
  }

  /** What is wrong with an owner value, if anything. */
  public static Optional<String> ownerProblem(String owner) {
    return owner != null && OwnershipTags.isSafe(owner) ? Optional.empty()
        : Optional.of("owner '" + owner + "' is not a valid tag value; use 1 to 63 characters of [a-z0-9_-]");
  }

  /** What is wrong with a name prefix (the {@code name} input), if anything. */
  public static Optional<String> prefixProblem(String prefix) {
    return prefix != null && PREFIX.matcher(prefix).matches() ? Optional.empty()
        : Optional.of("name '" + prefix + "' is not a valid runner name prefix; use 1 to 30 letters, digits,"
            + " '.', '_' or '-', starting with a letter or digit");
  }

  /** A builder with the defaults of the action's inputs. */
  public static Builder builder(String owner) {
    return new Builder(owner);
  }

  /** Builds a {@link FleetRequest}; not thread-safe. */
  public static final class Builder {
    private final String owner;
    private String prefix = "oneshot";
    private List<String> labels = List.of();
    private int count = 1;
    private String runnerGroup = "Default";
    private String architecture = "X64";
    private String workFolder = "_work";
    private RegistrationMode registration = RegistrationMode.JIT;
    private Duration onlineTimeout = Duration.ofMinutes(5);
    private boolean waitForOnline = true;
    private Duration maxLifetime = Duration.ofHours(6);
    private Duration idleTimeout = Duration.ofMinutes(10);
    private int maxAttemptsPerRunner = 3;
    private Map<String, String> extraEnv = Map.of();

    private Builder(String owner) {
      this.owner = owner;
    }

    public Builder prefix(String prefix) {
      this.prefix = prefix;
      return this;
    }

    public Builder labels(List<String> labels) {
      this.labels = labels;
      return this;
    }

    public Builder count(int count) {
      this.count = count;
      return this;
    }

    public Builder runnerGroup(String runnerGroup) {
      this.runnerGroup = runnerGroup;
      return this;
    }

    public Builder architecture(String architecture) {
      this.architecture = architecture;
      return this;
    }

    public Builder workFolder(String workFolder) {
      this.workFolder = workFolder;
      return this;
    }

    public Builder registration(RegistrationMode registration) {
      this.registration = registration;
      return this;
    }

    public Builder onlineTimeout(Duration onlineTimeout) {
      this.onlineTimeout = onlineTimeout;
      return this;
    }

    public Builder waitForOnline(boolean waitForOnline) {
      this.waitForOnline = waitForOnline;
      return this;
    }

    public Builder maxLifetime(Duration maxLifetime) {
      this.maxLifetime = maxLifetime;
      return this;
    }

    public Builder idleTimeout(Duration idleTimeout) {
      this.idleTimeout = idleTimeout;
      return this;
    }

    public Builder maxAttemptsPerRunner(int maxAttemptsPerRunner) {
      this.maxAttemptsPerRunner = maxAttemptsPerRunner;
      return this;
    }

    public Builder extraEnv(Map<String, String> extraEnv) {
      this.extraEnv = extraEnv;
      return this;
    }

    /**
     * Checks every field and builds the request.
     *
     * @throws InvalidSettingsException listing every problem, each naming the input and the accepted form
     */
    public FleetRequest build() {
      List<String> problems = new ArrayList<>();
      ownerProblem(owner).ifPresent(problems::add);
      prefixProblem(prefix).ifPresent(problems::add);
      if (count < 1 || count > MAX_COUNT) {
        problems.add("count " + count + " is out of range; use a whole number from 1 to " + MAX_COUNT);
      }
      for (String label : labels) {
        if (!LABEL.matcher(label).matches()) {
          problems.add("labels: '" + label + "' is not a valid label; use 1 to 100 characters without spaces"
              + " or commas");
        }
      }
      int total = RunnerLabels.forRunner(architecture == null ? "X64" : architecture, prefix == null ? "" : prefix,
          labels, "batch").size();
      if (total > MAX_LABELS) {
        problems.add("labels: " + labels.size() + " labels make " + total + " in all with oneshot's own;"
            + " GitHub takes at most " + MAX_LABELS + " per runner");
      }
      if (runnerGroup == null || runnerGroup.isBlank()) {
        problems.add("runner-group is empty; use the name of a runner group, for example Default");
      }
      if (architecture == null || !ARCHITECTURES.contains(architecture)) {
        problems.add("architecture '" + architecture + "' is not supported; use X64, ARM64 or ARM");
      }
      if (workFolder == null || workFolder.isBlank() || workFolder.contains("..")) {
        problems.add("workdir '" + workFolder + "' is not a valid work folder; use a relative folder such as _work");
      }
      requirePositive(problems, "timeout", onlineTimeout);
      requirePositive(problems, "max-lifetime", maxLifetime);
      requirePositive(problems, "idle-timeout", idleTimeout);
      if (maxAttemptsPerRunner < 1 || maxAttemptsPerRunner > 10) {
        problems.add("max attempts per runner " + maxAttemptsPerRunner + " is out of range; use 1 to 10");
      }
      if (!problems.isEmpty()) {
        throw new InvalidSettingsException(problems);
      }
      return new FleetRequest(owner, prefix, labels, count, runnerGroup, architecture, workFolder, registration,
          onlineTimeout, waitForOnline, maxLifetime, idleTimeout, maxAttemptsPerRunner, extraEnv);
    }

    private static void requirePositive(List<String> problems, String input, Duration value) {
      if (value == null || value.isNegative() || value.isZero()) {
        problems.add(input + " '" + value + "' must be a positive duration such as 90s, 5m or 1h30m");
      }
    }
  }
}
