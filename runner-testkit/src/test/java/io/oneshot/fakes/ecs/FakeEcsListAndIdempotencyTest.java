package io.oneshot.fakes.ecs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.oneshot.spi.RunnerEnvironment;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.ecs.EcsClient;
import software.amazon.awssdk.services.ecs.model.ConflictException;
import software.amazon.awssdk.services.ecs.model.DesiredStatus;
import software.amazon.awssdk.services.ecs.model.InvalidParameterException;
import software.amazon.awssdk.services.ecs.model.ListTasksResponse;
import software.amazon.awssdk.services.ecs.model.RunTaskResponse;
import software.amazon.awssdk.services.ecs.model.Task;

class FakeEcsListAndIdempotencyTest {
  private final EcsFixture fx = new EcsFixture(EcsTimings.instant());
  private final EcsClient ecs = fx.ecsNoRetry();

  @AfterEach
  void close() {
    ecs.close();
    fx.close();
  }

  /** A task whose runner comes online and waits (a task without a runner config would exit at once). */
  private String run(String startedBy) {
    String jit = fx.jit("runner-" + fx.ecs.callCount("RunTask"));
    return ecs.runTask(fx.runTask(Map.of(RunnerEnvironment.JIT_CONFIG, jit)).startedBy(startedBy).build())
        .tasks().get(0).taskArn();
  }

  @Test
  void listTasksFiltersByStartedByPagesAndListsStoppedTasksSeparately() {
    List<String> ours = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      ours.add(run("oneshot"));
    }
    run("someone-else");
    ecs.stopTask(b -> b.cluster(EcsFixture.CLUSTER).task(ours.get(0)));

    List<String> listed = new ArrayList<>();
    String token = null;
    int pages = 0;
    do {
      String next = token;
      ListTasksResponse page = ecs.listTasks(b -> b.cluster(EcsFixture.CLUSTER).startedBy("oneshot").maxResults(2)
          .nextToken(next));
      listed.addAll(page.taskArns());
      token = page.nextToken();
      pages++;
    } while (token != null);
    assertThat(pages).isEqualTo(2);
    assertThat(listed).containsExactlyElementsOf(ours.subList(1, 5));

    assertThat(ecs.listTasks(b -> b.cluster(EcsFixture.CLUSTER).desiredStatus(DesiredStatus.STOPPED)).taskArns())
        .containsExactly(ours.get(0));
    assertThat(ecs.listTasks(b -> b.cluster(EcsFixture.CLUSTER).desiredStatus(DesiredStatus.PENDING)).taskArns())
        .isEmpty();
    assertThat(ecs.listTasks(b -> b.cluster(EcsFixture.CLUSTER)).taskArns()).hasSize(5);
    assertThat(ecs.listTasks(b -> b.cluster(EcsFixture.CLUSTER).family("gh-runner")).taskArns()).hasSize(5);
    assertThat(ecs.listTasks(b -> b.startedBy("oneshot")).taskArns()).isEmpty();

    fx.ecs.forget(ours.get(0));
    assertThat(ecs.listTasks(b -> b.cluster(EcsFixture.CLUSTER).desiredStatus(DesiredStatus.STOPPED)).taskArns())
        .isEmpty();
    assertThat(fx.ecs.rejectedRequests()).isEmpty();
  }

  @Test
  void listTasksRefusesStartedByWithOtherFiltersAndBadPaging() {
    assertThatThrownBy(() -> ecs.listTasks(b -> b.cluster(EcsFixture.CLUSTER).startedBy("oneshot").family("gh-runner")))
        .isInstanceOf(InvalidParameterException.class).hasMessageContaining("cannot specify startedBy with other arguments");
    assertThatThrownBy(() -> ecs.listTasks(b -> b.cluster(EcsFixture.CLUSTER).maxResults(101)))
        .isInstanceOf(InvalidParameterException.class);
    assertThatThrownBy(() -> ecs.listTasks(b -> b.cluster(EcsFixture.CLUSTER).nextToken("bogus")))
        .isInstanceOf(InvalidParameterException.class);
    assertThat(fx.ecs.rejectedRequests()).hasSize(3);
  }

  @Test
  void listTasksRefusesStartedByWithADesiredStatusAsTheApiReferenceSays() {
    assertThatThrownBy(() -> ecs.listTasks(b -> b.cluster(EcsFixture.CLUSTER).startedBy("oneshot")
        .desiredStatus(DesiredStatus.RUNNING)))
        .isInstanceOf(InvalidParameterException.class)
        .hasMessageContaining("cannot specify startedBy with other arguments")
        .hasMessageContaining("startedBy must be the only filter");
    assertThatThrownBy(() -> ecs.listTasks(b -> b.cluster(EcsFixture.CLUSTER).startedBy("oneshot")
        .desiredStatus(DesiredStatus.STOPPED)))
        .isInstanceOf(InvalidParameterException.class);
    assertThat(fx.ecs.rejectedRequests()).hasSize(2);
  }

  @Test
  void aClientTokenReturnsTheSameTasksForTheSameRequestAndConflictsOtherwise() {
    RunTaskResponse first = ecs.runTask(fx.runTask(Map.of("A", "1")).clientToken("token-1").count(2).build());
    RunTaskResponse again = ecs.runTask(fx.runTask(Map.of("A", "1")).clientToken("token-1").count(2).build());

    assertThat(again.tasks()).extracting(Task::taskArn)
        .containsExactlyElementsOf(first.tasks().stream().map(Task::taskArn).toList());
    assertThat(fx.ecs.tasks()).hasSize(2);
    assertThat(fx.ecs.tasks().get(0).clientToken()).hasValue("token-1");

    assertThatThrownBy(() -> ecs.runTask(fx.runTask(Map.of("A", "2")).clientToken("token-1").count(2).build()))
        .isInstanceOfSatisfying(ConflictException.class, e -> assertThat(e.resourceIds())
            .containsExactlyElementsOf(first.tasks().stream().map(Task::taskArn).toList()));
    assertThat(fx.ecs.tasks()).hasSize(2);
  }

  @Test
  void theSdkGeneratesAFreshTokenPerCallAndKeepsItAcrossItsOwnRetries() {
    fx.ecs.faults().serverErrorNext("RunTask", 1);
    try (EcsClient retrying = fx.ecsClient()) {
      retrying.runTask(fx.runTask(Map.of()).build());
      retrying.runTask(fx.runTask(Map.of()).build());
    }
    assertThat(fx.ecs.sdkAttempts("RunTask")).containsExactly("attempt=1; max=3", "attempt=2; max=3",
        "attempt=1; max=3");
    assertThat(fx.ecs.calls()).extracting(EcsCall::attempt).containsExactly(1, 2, 1);
    List<String> bodies = fx.ecs.requestBodies("RunTask");
    assertThat(token(bodies.get(0))).isEqualTo(token(bodies.get(1))).isNotEqualTo(token(bodies.get(2)));
    assertThat(fx.ecs.tasks()).hasSize(2);
    fx.clock.advance(Duration.ofSeconds(1));
  }

  private static String token(String body) {
    int at = body.indexOf("\"clientToken\":\"") + "\"clientToken\":\"".length();
    return body.substring(at, body.indexOf('"', at));
  }
}
