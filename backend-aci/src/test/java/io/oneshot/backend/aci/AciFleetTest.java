package io.oneshot.backend.aci;

import static org.assertj.core.api.Assertions.assertThat;

import io.oneshot.core.BatchResult;
import io.oneshot.core.FleetRequest;
import io.oneshot.core.OutcomeKind;
import io.oneshot.core.RunnerFleet;
import io.oneshot.core.StopReport;
import io.oneshot.core.SweepActionKind;
import io.oneshot.core.SweepFinding;
import io.oneshot.core.SweepReport;
import io.oneshot.github.GitHubClient;
import io.oneshot.spi.RunnerEnvironment;
import io.oneshot.spi.RunnerLauncher;
import io.oneshot.testkit.GitHubOrg;
import io.oneshot.fakes.TestClock;
import io.oneshot.fakes.aci.AciFaults;
import io.oneshot.fakes.github.FakeGitHub;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The whole fleet on ACI: runners online through real Azure SDK calls to the fake ARM, then stopped. */
class AciFleetTest {
  private static final Pattern SECURE_JIT = Pattern.compile("\"name\":\"" + RunnerEnvironment.JIT_CONFIG
      + "\",\"secureValue\":\"([^\"]+)\"");
  private final GitHubOrg org = new GitHubOrg("octo", 2);
  private final TestClock clock = org.clock();
  private final FakeGitHub github = org.github();
  private final GitHubClient client = org.client();
  private final AciFixture fixture = new AciFixture(github, clock);

  @AfterEach
  void close() {
    try {
      fixture.close();
    } finally {
      org.close();
    }
  }

  private RunnerFleet fleet(RunnerLauncher launcher) {
    return org.fleet(launcher, 4);
  }

  @Test
  void tenRunnersComeOnlineAndStopLeavingNoContainerGroup() {
    try (RunnerLauncher launcher = fixture.launcher("subnet-ids", AciFixture.SUBNET)) {
      RunnerFleet fleet = fleet(launcher);

      BatchResult batch = fleet.start(FleetRequest.builder("team").prefix("aci").count(10).build());
      assertThat(batch.withKind(OutcomeKind.ONLINE)).hasSize(10);
      assertThat(github.runners("orgs/octo")).hasSize(10).allMatch(r -> r.online());
      assertThat(batch.runners()).allSatisfy(r -> {
        assertThat(r.container().orElseThrow().resourceId()).contains("/containerGroups/aci-");
        assertThat(r.container().orElseThrow().privateIp()).as("the group's private IP, learned while waiting")
            .isPresent();
      });
      assertThat(fixture.aci.groups()).hasSize(10);

      StopReport stop = fleet.stop("team", batch.batchLabel(), false);
      clock.advance(Duration.ofMinutes(1));

      assertThat(stop.runners()).hasSize(10);
      assertThat(github.runners("orgs/octo")).isEmpty();
      assertThat(fixture.aci.groups()).isEmpty();
      assertThat(launcher.listOwned("team")).isEmpty();
      assertThat(fixture.aci.rejectedRequests()).isEmpty();
    }
  }

  @Test
  void theSweepDeletesTerminatedContainerGroupsOfItsOwnerOnly() {
    try (RunnerLauncher launcher = fixture.launcher()) {
      RunnerFleet fleet = fleet(launcher);
      BatchResult batch = fleet.start(fleet.request().prefix("aci").count(1).build());
      String done = batch.runners().get(0).container().orElseThrow().resourceId();
      fixture.aci.runner(done).orElseThrow().acceptJob();
      fixture.aci.runner(done).orElseThrow().finishJob();
      clock.advance(Duration.ofMinutes(1));
      fixture.aci.poll();
      BatchResult foreign = fleet.start(FleetRequest.builder("another-team").prefix("aci").count(1).build());
      String theirs = foreign.runners().get(0).container().orElseThrow().resourceId();
      fixture.aci.runner(theirs).orElseThrow().acceptJob();
      fixture.aci.runner(theirs).orElseThrow().finishJob();
      clock.advance(Duration.ofMinutes(1));
      fixture.aci.poll();
      assertThat(fixture.aci.group(done)).as("ACI keeps a terminated group until it is deleted").isPresent();

      SweepReport sweep = fleet.sweep("aci");
      clock.advance(Duration.ofMinutes(1));
      fixture.aci.poll();

      assertThat(sweep.findings()).extracting(SweepFinding::kind).containsExactly(SweepActionKind.DELETED_FINISHED);
      assertThat(fixture.aci.group(done)).isEmpty();
      assertThat(fixture.aci.group(theirs)).as("another owner's terminated group").isPresent();
      assertThat(fleet.sweep("aci").nothingToDo()).isTrue();
      assertThat(fixture.aci.rejectedRequests()).isEmpty();
    }
  }

  @Test
  void theScopeKeyIsTheSubscriptionAndResourceGroup() {
    try (RunnerLauncher launcher = fixture.launcher()) {
      assertThat(launcher.scopeKey()).startsWith("aci/").isEqualTo(("aci/" + fixture.aci.subscriptionId() + "/"
          + fixture.settings().get("resource-group")).toLowerCase(java.util.Locale.ROOT));
    }
  }

  @Test
  void spotWithoutCapacityFallsBackToRegularWithAFreshJit() {
    fixture.aci.faults().noCapacityFor("Spot");
    try (RunnerLauncher launcher = fixture.launcher("priority", "Spot")) {
      BatchResult batch = fleet(launcher).start(FleetRequest.builder("team").prefix("aci").count(2).build());

      assertThat(batch.withKind(OutcomeKind.ONLINE)).hasSize(2).allMatch(r -> r.attempts() == 2);
      assertThat(fixture.aci.groups()).hasSize(2).allSatisfy(g -> assertThat(g.priority()).contains("Regular"));
      List<String> puts = fixture.aci.requestBodies(AciFaults.CREATE);
      assertThat(puts).hasSize(4);
      assertThat(puts.stream().filter(p -> p.contains("\"priority\":\"Spot\""))).hasSize(2);
      Set<String> jits = new HashSet<>();
      for (String put : puts) {
        Matcher jit = SECURE_JIT.matcher(put);
        assertThat(jit.find()).isTrue();
        jits.add(jit.group(1));
      }
      assertThat(jits).as("a fresh JIT config per attempt").hasSize(4);
      assertThat(github.runners("orgs/octo")).hasSize(2);
    }
  }

  @Test
  void anImagePullFailureIsReportedAndNotRetried() {
    fixture.aci.faults().imagePullFailureNext(1);
    try (RunnerLauncher launcher = fixture.launcher()) {
      BatchResult batch = fleet(launcher).start(FleetRequest.builder("team").prefix("aci").count(1).build());

      assertThat(batch.runners().get(0).kind()).isEqualTo(OutcomeKind.FAILED);
      assertThat(batch.runners().get(0).reason()).contains("Failed to pull image");
      assertThat(fixture.aci.callCount(AciFaults.CREATE)).isEqualTo(1);
      assertThat(github.runners("orgs/octo")).isEmpty();
      clock.advance(Duration.ofMinutes(1));
      assertThat(fixture.aci.groups()).as("the failed group was deleted").isEmpty();
    }
  }
}
