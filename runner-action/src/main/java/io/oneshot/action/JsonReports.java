package io.oneshot.action;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.oneshot.core.BatchResult;
import io.oneshot.core.RunnerOutcome;
import io.oneshot.github.Runner;
import io.oneshot.spi.ContainerStatus;
import io.oneshot.spi.LaunchedRunner;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The JSON documents {@code --output json} prints for {@code start} and {@code status}. Field names are
 * stable (documented in the README); absent values are {@code null}, never missing. Never contains a
 * secret. Stateless.
 */
final class JsonReports {
  private static final ObjectMapper JSON = new ObjectMapper();

  private JsonReports() {}

  /** {@code {runner_id, backend, succeeded, runners: [{name, github_id, state, reason, resource_id, ip, console_url, online_after_seconds}]}}. */
  static String start(BatchResult batch, String backend) {
    ObjectNode root = JSON.createObjectNode().put("runner_id", batch.batchLabel()).put("backend", backend)
        .put("succeeded", batch.succeeded());
    ArrayNode runners = root.putArray("runners");
    for (RunnerOutcome runner : batch.runners()) {
      ObjectNode row = runners.addObject().put("name", runner.runnerName());
      if (runner.githubRunnerId().isPresent()) {
        row.put("github_id", runner.githubRunnerId().getAsLong());
      } else {
        row.putNull("github_id");
      }
      row.put("state", runner.kind().name().toLowerCase(Locale.ROOT));
      row.put("reason", runner.reason().isEmpty() ? null : runner.reason());
      row.put("resource_id", runner.container().map(LaunchedRunner::resourceId).orElse(null));
      row.put("ip", runner.container().flatMap(LaunchedRunner::privateIp).orElse(null));
      row.put("console_url", runner.container().flatMap(LaunchedRunner::consoleUrl).map(Object::toString)
          .orElse(null));
      if (runner.timeToOnline().isPresent()) {
        row.put("online_after_seconds", runner.timeToOnline().get().toMillis() / 1000.0);
      } else {
        row.putNull("online_after_seconds");
      }
    }
    return write(root);
  }

  /**
   * {@code {runner_id, backend, registrations: [{name, github_id, status, busy}], containers: [{resource_id,
   * runner, state, raw_status, ip}]}}.
   */
  static String status(String label, String backend, List<Runner> registrations,
      Map<LaunchedRunner, ContainerStatus> containers) {
    ObjectNode root = JSON.createObjectNode().put("runner_id", label).put("backend", backend);
    ArrayNode runners = root.putArray("registrations");
    for (Runner runner : registrations) {
      runners.addObject().put("name", runner.name()).put("github_id", runner.id()).put("status", runner.status())
          .put("busy", runner.busy());
    }
    ArrayNode rows = root.putArray("containers");
    containers.forEach((container, status) -> rows.addObject().put("resource_id", container.resourceId())
        .put("runner", container.tag(io.oneshot.spi.OwnershipTags.RUNNER).orElse(null))
        .put("state", status.state().name().toLowerCase(Locale.ROOT)).put("raw_status", status.rawStatus())
        .put("ip", container.privateIp().orElse(null)));
    return write(root);
  }

  private static String write(ObjectNode root) {
    try {
      return JSON.writerWithDefaultPrettyPrinter().writeValueAsString(root);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write a JSON report", e);
    }
  }
}
