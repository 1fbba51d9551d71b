package io.oneshot.pool;

import io.oneshot.core.FleetRequest;
import io.oneshot.spi.SettingProblems;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * What one {@link RunnerPool} serves: the scale set (name, runner group, labels), its bounds, and the
 * runners' time limits. Built by {@link #builder(String)}, which checks every value before anything calls
 * GitHub or a cloud and names the setting (as the CLI spells it) in each problem. Immutable.
 *
 * @param scaleSetName the scale set's name, also the first label jobs use in {@code runs-on}
 * @param runnerGroup the runner group's name ({@code Default} unless set)
 * @param labels extra labels after the name
 * @param minRunners runners kept even without jobs
 * @param maxRunners never more runners than this
 * @param bootTimeout a runner not registered this long after its launch is stopped and removed
 * @param registrationGrace a registration with no container is counted as booting this long, then removed
 * @param maxLifetime the longest a runner container lives
 * @param idleTimeout how long a runner waits for a job before exiting by itself
 * @param janitorInterval how often the janitor runs (and once when the session is taken)
 * @param sessionRetry the wait between attempts to take a session another replica holds (plus jitter)
 * @param sessionRetryJitter the most random time added to {@code sessionRetry}
 * @param launchParallelism how many launches run at once
 * @param extraEnv more (non-secret) environment for the runner containers
 * @param workFolder the runners' work folder
 * @param sessionOwner the owner name the session shows (host name unless set)
 */
public record PoolSettings(String scaleSetName, String runnerGroup, List<String> labels, int minRunners,
    int maxRunners, Duration bootTimeout, Duration registrationGrace, Duration maxLifetime, Duration idleTimeout,
    Duration janitorInterval, Duration sessionRetry, Duration sessionRetryJitter, int launchParallelism,
    Map<String, String> extraEnv, String workFolder, String sessionOwner) {

  /** The shortest boot timeout. */
  public static final Duration MIN_BOOT_TIMEOUT = Duration.ofMinutes(1);
  /** The longest boot timeout. */
  public static final Duration MAX_BOOT_TIMEOUT = Duration.ofHours(1);
  /**
   * The longest idle timeout: a pool's runner may wait for a job its whole life (a start's runner at most
   * {@link FleetRequest#MAX_IDLE_TIMEOUT}, since nothing scales it down).
   */
  public static final Duration MAX_IDLE_TIMEOUT = FleetRequest.MAX_MAX_LIFETIME;

  /** The longest scale-set name: the runner names it prefixes must stay within GitHub's 64 characters. */
  public static final int MAX_NAME_LENGTH = 45;
  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0," + (MAX_NAME_LENGTH - 1) + "}");
  private static final Pattern LABEL = Pattern.compile("[^\\s,]{1,100}");

  public PoolSettings {
    labels = List.copyOf(labels);
    extraEnv = Map.copyOf(extraEnv);
    Objects.requireNonNull(scaleSetName, "scaleSetName");
    Objects.requireNonNull(runnerGroup, "runnerGroup");
  }

  /** A builder with the defaults for the scale set of that name. */
  public static Builder builder(String scaleSetName) {
    return new Builder(scaleSetName);
  }

  /** How many runners the pool wants for that many jobs assigned to it: {@code clamp(min + assigned, 0, max)}. */
  public int desiredRunners(int assignedJobs) {
    long wanted = (long) minRunners + Math.max(0, assignedJobs);
    return (int) Math.max(0, Math.min(wanted, maxRunners));
  }

  /** Collects and checks the settings. Not thread-safe. */
  public static final class Builder {
    private final String scaleSetName;
    private String runnerGroup = "Default";
    private List<String> labels = List.of();
    private int minRunners;
    private int maxRunners = 10;
    private Duration bootTimeout = Duration.ofMinutes(5);
    private Duration registrationGrace = Duration.ofMinutes(2);
    private Duration maxLifetime = Duration.ofHours(6);
    private Duration idleTimeout;
    private Duration janitorInterval = Duration.ofMinutes(1);
    private Duration sessionRetry = Duration.ofSeconds(30);
    private Duration sessionRetryJitter = Duration.ofSeconds(10);
    private int launchParallelism = 16;
    private Map<String, String> extraEnv = Map.of();
    private String workFolder = "_work";
    private String sessionOwner;

    private Builder(String scaleSetName) {
      this.scaleSetName = scaleSetName;
    }

    public Builder runnerGroup(String runnerGroup) {
      this.runnerGroup = runnerGroup;
      return this;
    }

    public Builder labels(List<String> labels) {
      this.labels = List.copyOf(labels);
      return this;
    }

    public Builder minRunners(int minRunners) {
      this.minRunners = minRunners;
      return this;
    }

    public Builder maxRunners(int maxRunners) {
      this.maxRunners = maxRunners;
      return this;
    }

    public Builder bootTimeout(Duration bootTimeout) {
      this.bootTimeout = bootTimeout;
      return this;
    }

    public Builder registrationGrace(Duration registrationGrace) {
      this.registrationGrace = registrationGrace;
      return this;
    }

    public Builder maxLifetime(Duration maxLifetime) {
      this.maxLifetime = maxLifetime;
      return this;
    }

    /** How long an idle runner waits before exiting by itself; default: the max lifetime (the pool scales down). */
    public Builder idleTimeout(Duration idleTimeout) {
      this.idleTimeout = idleTimeout;
      return this;
    }

    public Builder janitorInterval(Duration janitorInterval) {
      this.janitorInterval = janitorInterval;
      return this;
    }

    public Builder sessionRetry(Duration sessionRetry, Duration jitter) {
      this.sessionRetry = sessionRetry;
      this.sessionRetryJitter = jitter;
      return this;
    }

    public Builder launchParallelism(int launchParallelism) {
      this.launchParallelism = launchParallelism;
      return this;
    }

    public Builder extraEnv(Map<String, String> extraEnv) {
      this.extraEnv = Map.copyOf(extraEnv);
      return this;
    }

    public Builder workFolder(String workFolder) {
      this.workFolder = workFolder;
      return this;
    }

    public Builder sessionOwner(String sessionOwner) {
      this.sessionOwner = sessionOwner;
      return this;
    }

    /**
     * The settings, checked.
     *
     * @throws io.oneshot.spi.InvalidSettingsException naming each bad setting ({@code scale-set},
     *     {@code labels}, {@code min-runners}, {@code max-runners}, {@code boot-timeout}, {@code max-lifetime},
     *     {@code idle-timeout}, {@code runner-group})
     */
    public PoolSettings build() {
      SettingProblems problems = new SettingProblems();
      if (scaleSetName == null || !NAME.matcher(scaleSetName).matches()) {
        problems.add("scale-set", "scale-set '" + scaleSetName + "' is not a scale-set name; use 1 to "
            + MAX_NAME_LENGTH + " characters of [A-Za-z0-9._-], starting with a letter or digit");
      }
      if (runnerGroup == null || runnerGroup.isBlank()) {
        problems.add("runner-group", "runner-group is empty; give a runner group's name (Default unless you made one)");
      }
      List<String> bad = new ArrayList<>();
      labels.forEach(label -> {
        if (!LABEL.matcher(label).matches()) {
          bad.add("'" + label + "'");
        }
      });
      if (!bad.isEmpty()) {
        problems.add("labels", "labels " + String.join(", ", bad) + " are not labels; use a comma-separated"
            + " list of 1 to 100 characters each, no spaces");
      }
      if (minRunners < 0) {
        problems.add("min-runners", "min-runners " + minRunners + " is negative; use 0 or more");
      }
      if (maxRunners < 1 || maxRunners > 1000) {
        problems.add("max-runners", "max-runners " + maxRunners + " is out of range; use 1 to 1000");
      } else if (minRunners > maxRunners) {
        problems.add("min-runners", "min-runners " + minRunners + " is more than max-runners " + maxRunners
            + "; use at most max-runners");
      }
      range(problems, "boot-timeout", bootTimeout, MIN_BOOT_TIMEOUT, MAX_BOOT_TIMEOUT);
      range(problems, "max-lifetime", maxLifetime, FleetRequest.MIN_MAX_LIFETIME, FleetRequest.MAX_MAX_LIFETIME);
      Duration idle = idleTimeout != null ? idleTimeout : maxLifetime;
      if (idleTimeout != null) {
        range(problems, "idle-timeout", idleTimeout, FleetRequest.MIN_IDLE_TIMEOUT, MAX_IDLE_TIMEOUT);
      }
      if (launchParallelism < 1) {
        problems.add("launch-parallelism", "launch-parallelism " + launchParallelism + " must be at least 1");
      }
      problems.throwIfAny();
      return new PoolSettings(scaleSetName, runnerGroup, labels, minRunners, maxRunners, bootTimeout,
          registrationGrace, maxLifetime, idle, janitorInterval, sessionRetry, sessionRetryJitter, launchParallelism,
          extraEnv, workFolder, sessionOwner != null ? sessionOwner : hostName());
    }

    private static void range(SettingProblems problems, String input, Duration value, Duration min, Duration max) {
      if (value == null) {
        problems.add(input, input + " is missing");
        return;
      }
      FleetRequest.durationRangeProblem(input, "'" + io.oneshot.core.Durations.format(value) + "'", value, min, max)
          .ifPresent(message -> problems.add(input, message));
    }

    private static String hostName() {
      try {
        return "oneshot-" + InetAddress.getLocalHost().getHostName();
      } catch (UnknownHostException e) {
        return "oneshot-" + java.util.UUID.randomUUID();
      }
    }
  }
}
