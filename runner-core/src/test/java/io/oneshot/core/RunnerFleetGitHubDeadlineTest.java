package io.oneshot.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** A GitHub rate limit during the wait never keeps start past its deadline by more than a few seconds. */
class RunnerFleetGitHubDeadlineTest {
  private static final String LIST_ORG = "actions/list-self-hosted-runners-for-org";
  private final FleetFixture fixture = new FleetFixture();

  @AfterEach
  void close() {
    fixture.close();
  }

  @Test
  void aLongSecondaryLimitWhileWaitingDoesNotOverrunTheStartDeadline() {
    fixture.launcher.faults().neverOnline(1);
    // Ten minutes: within the client's own wait budget, far past the two-minute start deadline.
    fixture.github.faults().secondaryRateLimitNext(LIST_ORG, 600);
    Instant before = fixture.clock.instant();

    BatchResult batch = fixture.fleet.start(fixture.request().count(1).onlineTimeout(Duration.ofMinutes(2)).build());

    assertThat(batch.runners().get(0).kind()).isEqualTo(OutcomeKind.TIMED_OUT);
    assertThat(Duration.between(before, fixture.clock.instant()))
        .isLessThanOrEqualTo(Duration.ofMinutes(2).plusSeconds(5));
    assertThat(fixture.registrations()).isEmpty();
  }
}
