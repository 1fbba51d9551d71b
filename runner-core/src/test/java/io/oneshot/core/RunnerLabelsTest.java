package io.oneshot.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class RunnerLabelsTest {
  @Test
  void theSeedsRunsOnMatches() {
    List<String> labels = RunnerLabels.forRunner("X64", "dev", List.of("db"), "dev-0123456789abcdef");

    assertThat(labels).containsExactly("self-hosted", "Linux", "X64", "ephemeral", "dev", "db", "dev-0123456789abcdef");
  }

  @Test
  void duplicatesAreDroppedCaseInsensitivelyKeepingTheFirstSpelling() {
    List<String> labels = RunnerLabels.forRunner("ARM64", "oneshot", List.of("linux", "Self-Hosted", "gpu", "GPU"), "b");

    assertThat(labels).containsExactly("self-hosted", "Linux", "ARM64", "ephemeral", "oneshot", "gpu", "b");
  }

  @Test
  void theWorkflowRunLabelComesLast() {
    List<String> labels = RunnerLabels.forRunner("X64", "dev", List.of("db"), "dev-0123456789abcdef",
        Optional.of("4242"));

    assertThat(labels).containsExactly("self-hosted", "Linux", "X64", "ephemeral", "dev", "db", "dev-0123456789abcdef",
        "oneshot-run-4242");
  }

  @Test
  void theOwnerAndCreatedLabelsComeAfterTheSeedsAndTheRunLabel() {
    List<String> labels = RunnerLabels.withCreated(RunnerLabels.forRunner("X64", "dev", List.of("db"),
        "dev-0123456789abcdef", Optional.of("4242"), "orgs-octo-ecs-x-0123456789"), java.time.Instant.ofEpochSecond(36));

    assertThat(labels).containsExactly("self-hosted", "Linux", "X64", "ephemeral", "dev", "db", "dev-0123456789abcdef",
        "oneshot-run-4242", "oneshot-owner-orgs-octo-ecs-x-0123456789", "oneshot-created-10");
    assertThat(labels).allSatisfy(l -> assertThat(l).hasSizeLessThanOrEqualTo(FleetRequest.MAX_LABEL_LENGTH));
  }

  @Test
  void theCreatedLabelReadsBack() {
    java.time.Instant at = java.time.Instant.parse("2026-01-01T00:00:00Z");
    io.oneshot.github.Runner runner = new io.oneshot.github.Runner(1, "dev-abcdefgh", "linux", "offline", false,
        List.of("dev", RunnerLabels.createdLabel(at)), true);

    assertThat(RunnerLabels.created(runner)).contains(at);
    assertThat(RunnerLabels.created(new io.oneshot.github.Runner(1, "x", "linux", "offline", false,
        List.of("oneshot-created-not!base36"), true))).isEmpty();
  }

  @Test
  void theLongestOwnerLabelFitsGitHubsLimit() {
    String owner = "x".repeat(io.oneshot.spi.OwnershipTags.MAX_VALUE_LENGTH);
    assertThat(RunnerLabels.ownerLabel(owner)).hasSizeLessThanOrEqualTo(FleetRequest.MAX_LABEL_LENGTH);
  }
}
