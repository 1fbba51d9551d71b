package io.oneshot.core;

import io.oneshot.github.AuthenticationToken;
import io.oneshot.github.DeleteOutcome;
import io.oneshot.github.GitHubClient;
import io.oneshot.github.JitConfigRequest;
import io.oneshot.github.JitRunner;
import io.oneshot.github.Runner;
import io.oneshot.spi.RunnerCredential;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.OptionalLong;

/**
 * Registers and deregisters the runners of one batch: one fresh JIT config per container attempt, or
 * in token mode a registration token shared by the batch (renewed when it nears expiry). Blocks on
 * GitHub; thread-safe.
 */
final class Registrar {
  private static final Duration TOKEN_MARGIN = Duration.ofMinutes(5);

  private final GitHubClient github;
  private final FleetRequest request;
  private final List<String> labels;
  private final long runnerGroupId;
  private final Clock clock;
  private AuthenticationToken batchToken;

  private Registrar(GitHubClient github, FleetRequest request, List<String> labels, long runnerGroupId, Clock clock) {
    this.github = github;
    this.request = request;
    this.labels = labels;
    this.runnerGroupId = runnerGroupId;
    this.clock = clock;
  }

  /** Resolves the runner group once (an unknown group fails here, before anything is created). */
  static Registrar prepare(GitHubClient github, FleetRequest request, List<String> labels, Clock clock) {
    return new Registrar(github, request, labels, github.runnerGroupId(request.runnerGroup()), clock);
  }

  List<String> labels() {
    return labels;
  }

  /** Registers one runner under that name, labelled with the batch's labels and the time of registering. */
  Registration register(String runnerName) {
    List<String> registered = RunnerLabels.withCreated(labels, clock.instant());
    if (request.registration() == RegistrationMode.JIT) {
      JitRunner jit = github.generateJitConfig(
          new JitConfigRequest(runnerName, runnerGroupId, registered, request.workFolder()));
      return new Registration(runnerName, OptionalLong.of(jit.runner().id()),
          new RunnerCredential.JitConfig(jit.encodedJitConfig()), registered);
    }
    return new Registration(runnerName, OptionalLong.empty(), new RunnerCredential.RegistrationToken(
        batchToken().token(), github.registrationUrl(), request.runnerGroup(), request.workFolder()), registered);
  }

  /**
   * Deletes the runner's registration: by id when known, else by name (token mode). A runner that
   * never registered counts as already gone.
   */
  DeleteOutcome deregister(String runnerName, OptionalLong githubRunnerId) {
    if (githubRunnerId.isPresent()) {
      return github.deleteRunner(githubRunnerId.getAsLong());
    }
    DeleteOutcome outcome = DeleteOutcome.ALREADY_GONE;
    for (Runner runner : github.listRunnersNamed(runnerName)) {
      DeleteOutcome deleted = github.deleteRunner(runner.id());
      if (deleted != DeleteOutcome.ALREADY_GONE) {
        outcome = deleted;
      }
    }
    return outcome;
  }

  private synchronized AuthenticationToken batchToken() {
    if (batchToken == null || !clock.instant().isBefore(batchToken.expiresAt().minus(TOKEN_MARGIN))) {
      batchToken = github.createRegistrationToken();
    }
    return batchToken;
  }
}
