package io.oneshot.core;

import io.oneshot.spi.InvalidSettingsException;
import io.oneshot.spi.OwnershipTags;
import io.oneshot.spi.SettingProblems;
import java.time.Duration;
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
 * @param workflowRun the GitHub Actions workflow run that starts the batch ({@code GITHUB_RUN_ID}), when
 *     known: every container is tagged {@link OwnershipTags#RUN} and every registration labelled
 *     {@link RunnerLabels#runLabel(String)} with it, so {@link RunnerFleet#stopRun} finds them
 * @param replaceTakenRunners whether a runner that starts a job while the batch is still being waited for is
 *     taken to be consumed by a job it was not started for and replaced (when attempts remain): true where the
 *     batch's own jobs cannot have been queued yet, as in the action, whose label is only handed out after the
 *     wait; the taken runner is left alone (never stopped under a job)
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
    Map<String, String> extraEnv,
    Optional<String> workflowRun,
    boolean replaceTakenRunners) {

  /** The shortest accepted online-wait {@code timeout}. */
  public static final Duration MIN_ONLINE_TIMEOUT = Duration.ofSeconds(10);
  /** The longest accepted online-wait {@code timeout}. */
  public static final Duration MAX_ONLINE_TIMEOUT = Duration.ofHours(6);
  /** The shortest accepted {@code idle-timeout}. */
  public static final Duration MIN_IDLE_TIMEOUT = Duration.ofSeconds(30);
  /** The longest accepted {@code idle-timeout}. */
  public static final Duration MAX_IDLE_TIMEOUT = Duration.ofHours(24);
  /** The shortest accepted {@code max-lifetime}. */
  public static final Duration MIN_MAX_LIFETIME = Duration.ofMinutes(5);
  /**
   * The longest accepted {@code max-lifetime}: Cloud Run's task-timeout ceiling (168 h), well inside
   * the 9 digits of seconds the runner image accepts.
   */
  public static final Duration MAX_MAX_LIFETIME = Duration.ofHours(168);
  /** Accepted workflow run ids ({@code GITHUB_RUN_ID}): digits only. */
  public static final Pattern WORKFLOW_RUN = Pattern.compile("[0-9]{1,20}");

  /** The most runners one request may start. */
  public static final int MAX_COUNT = 100;
  /** The most labels GitHub accepts on a JIT runner. */
  public static final int MAX_LABELS = 100;
  /** Accepted name prefixes; short enough that names and labels stay valid tag values. */
  public static final Pattern PREFIX = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,29}");
  /** The longest label GitHub takes. */
  public static final int MAX_LABEL_LENGTH = 100;
  /** Accepted labels: no whitespace or commas, at most 100 characters. */
  public static final Pattern LABEL = Pattern.compile("[^\\s,]{1,100}");
  private static final Set<String> ARCHITECTURES = Set.of("X64", "ARM64", "ARM");

  public FleetRequest {
    labels = List.copyOf(labels);
    extraEnv = Map.copyOf(extraEnv);
    Objects.requireNonNull(registration, "registration");
    Objects.requireNonNull(workflowRun, "workflowRun");
  }

  /**
   * This request for another owner, for example the one a {@link RunnerFleet} derives from its GitHub scope and
   * its launcher's scope ({@link RunnerFleet#owner()}), which is known only once the launcher exists.
   *
   * @throws InvalidSettingsException when the owner is not a valid tag value
   */
  public FleetRequest withOwner(String newOwner) {
    ownerProblem(newOwner).ifPresent(problem -> {
      throw InvalidSettingsException.of("owner", problem);
    });
    return new FleetRequest(newOwner, prefix, labels, count, runnerGroup, architecture, workFolder, registration,
        onlineTimeout, waitForOnline, maxLifetime, idleTimeout, maxAttemptsPerRunner, extraEnv, workflowRun,
        replaceTakenRunners);
  }

  /**
   * What is wrong with a duration input, if anything: out of {@code [min, max]}. {@code shown} is the value as the
   * message should quote it (the text the user wrote, already quoted, or the duration formatted).
   */
  public static Optional<String> durationRangeProblem(String input, String shown, Duration value, Duration min,
      Duration max) {
    return value.compareTo(min) < 0 || value.compareTo(max) > 0
        ? Optional.of(input + " " + shown + " is out of range; use " + Durations.format(min) + " to "
            + Durations.format(max))
        : Optional.empty();
  }

  /** What is wrong with a workflow run id ({@code GITHUB_RUN_ID}), if anything. */
  public static Optional<String> workflowRunProblem(String runId) {
    return runId != null && WORKFLOW_RUN.matcher(runId).matches() ? Optional.empty()
        : Optional.of("GITHUB_RUN_ID '" + runId + "' is not a workflow run id; use the digits GitHub sets");
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
    private String workflowRun;
    private boolean replaceTakenRunners;

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
     * The workflow run that starts the batch ({@code GITHUB_RUN_ID}); optional. {@code null} or blank
     * means none.
     */
    /**
     * Whether a runner that starts a job before the wait is over is replaced (see the record's
     * {@code replaceTakenRunners}); default false.
     */
    public Builder replaceTakenRunners(boolean replace) {
      this.replaceTakenRunners = replace;
      return this;
    }

    public Builder workflowRun(String runId) {
      this.workflowRun = runId == null || runId.isBlank() ? null : runId.trim();
      return this;
    }

    /**
     * Checks every field and builds the request.
     *
     * @throws InvalidSettingsException listing every problem, each naming the input and the accepted form
     */
    public FleetRequest build() {
      SettingProblems problems = new SettingProblems();
      ownerProblem(owner).ifPresent(problem -> problems.add("owner", problem));
      prefixProblem(prefix).ifPresent(problem -> problems.add("name", problem));
      if (count < 1 || count > MAX_COUNT) {
        problems.add("count", "count " + count + " is out of range; use a whole number from 1 to " + MAX_COUNT);
      }
      for (String label : labels) {
        if (!LABEL.matcher(label).matches()) {
          problems.add("labels", "labels: '" + label + "' is not a valid label; use 1 to 100 characters without"
              + " spaces or commas");
        } else if (RunnerLabels.isReserved(label)) {
          problems.add("labels", "labels: '" + label + "' starts with a prefix oneshot reserves for its own labels ("
              + String.join(", ", RunnerLabels.RESERVED_PREFIXES) + "); use another label");
        }
      }
      // the batch's labels, the owner label and the created label each registration adds
      int total = RunnerLabels.withCreated(RunnerLabels.forRunner(architecture == null ? "X64" : architecture,
          prefix == null ? "" : prefix, labels, "batch",
          Optional.ofNullable(workflowRun).filter(WORKFLOW_RUN.asMatchPredicate()),
          owner == null ? "" : owner), java.time.Instant.EPOCH).size();
      if (total > MAX_LABELS) {
        problems.add("labels", "labels: " + labels.size() + " labels make " + total + " in all with oneshot's own;"
            + " GitHub takes at most " + MAX_LABELS + " per runner");
      }
      if (runnerGroup == null || runnerGroup.isBlank()) {
        problems.add("runner-group", "runner-group is empty; use the name of a runner group, for example Default");
      }
      if (architecture == null || !ARCHITECTURES.contains(architecture)) {
        problems.add("architecture", "architecture '" + architecture + "' is not supported; use X64, ARM64 or ARM");
      }
      if (workFolder == null || workFolder.isBlank() || workFolder.contains("..")) {
        problems.add("workdir", "workdir '" + workFolder + "' is not a valid work folder; use a relative folder"
            + " such as _work");
      }
      boolean timesValid = requireWithin(problems, "timeout", onlineTimeout, MIN_ONLINE_TIMEOUT, MAX_ONLINE_TIMEOUT);
      boolean idleValid = requireWithin(problems, "idle-timeout", idleTimeout, MIN_IDLE_TIMEOUT, MAX_IDLE_TIMEOUT);
      boolean lifetimeValid = requireWithin(problems, "max-lifetime", maxLifetime, MIN_MAX_LIFETIME, MAX_MAX_LIFETIME);
      if (timesValid && idleValid && lifetimeValid && idleTimeout.compareTo(maxLifetime) > 0) {
        problems.add("idle-timeout", "idle-timeout '" + Durations.format(idleTimeout) + "' is longer than max-lifetime '"
            + Durations.format(maxLifetime) + "'; use an idle-timeout no longer than the max-lifetime");
      }
      if (maxAttemptsPerRunner < 1 || maxAttemptsPerRunner > 10) {
        problems.add("max-attempts", "max attempts per runner " + maxAttemptsPerRunner
            + " is out of range; use 1 to 10");
      }
      if (workflowRun != null) {
        workflowRunProblem(workflowRun).ifPresent(problem -> problems.add("GITHUB_RUN_ID", problem));
      }
      problems.throwIfAny();
      return new FleetRequest(owner, prefix, labels, count, runnerGroup, architecture, workFolder, registration,
          onlineTimeout, waitForOnline, maxLifetime, idleTimeout, maxAttemptsPerRunner, extraEnv,
          Optional.ofNullable(workflowRun), replaceTakenRunners);
    }

    /** Adds a problem unless {@code value} is within the bounds (inclusive); returns whether it is. */
    private static boolean requireWithin(SettingProblems problems, String input, Duration value, Duration min,
        Duration max) {
      String range = "; use " + Durations.format(min) + " to " + Durations.format(max);
      if (value == null) {
        problems.add(input, input + " is missing" + range);
        return false;
      }
      Optional<String> problem = durationRangeProblem(input, "'" + Durations.format(value) + "'", value, min, max);
      problem.ifPresent(message -> problems.add(input, message));
      return problem.isEmpty();
    }
  }
}
