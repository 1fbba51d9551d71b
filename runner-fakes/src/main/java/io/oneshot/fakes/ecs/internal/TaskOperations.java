package io.oneshot.fakes.ecs.internal;

import static io.oneshot.fakes.ecs.internal.RunTaskOperation.text;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.List;

/**
 * ECS DescribeTasks, StopTask, ListTasks and DescribeTaskDefinition on shape-valid requests, with the
 * service's semantic checks. Runs under the state's monitor.
 */
public final class TaskOperations {
  private static final int MAX_DESCRIBE = 100;
  private static final String DEFAULT_STOP_REASON = "Task stopped by user";

  private final EcsState state;

  public TaskOperations(EcsState state) {
    this.state = state;
  }

  public ObjectNode describeTasks(JsonNode request) {
    synchronized (state) {
      String cluster = state.resolveCluster(text(request, "cluster"));
      JsonNode refs = request.path("tasks");
      if (refs.isEmpty()) {
        throw EcsError.invalidParameter("Tasks cannot be empty.");
      }
      if (refs.size() > MAX_DESCRIBE) {
        throw EcsError.invalidParameter("Too many tasks were specified; the limit is " + MAX_DESCRIBE + ".");
      }
      boolean includeTags = false;
      for (JsonNode field : request.path("include")) {
        includeTags |= "TAGS".equals(field.asText());
      }
      ObjectNode out = TaskJson.object();
      ArrayNode tasks = out.putArray("tasks");
      ArrayNode failures = out.putArray("failures");
      Instant now = state.clock.instant();
      for (JsonNode ref : refs) {
        String idOrArn = ref.asText();
        var task = state.findTask(cluster, idOrArn);
        if (task.isPresent()) {
          tasks.add(TaskJson.task(task.get(), task.get().observe(now), includeTags));
        } else {
          failures.addObject().put("arn", idOrArn.startsWith("arn:") ? idOrArn : state.taskArn(cluster, idOrArn))
              .put("reason", "MISSING");
        }
      }
      return out;
    }
  }

  public ObjectNode stopTask(JsonNode request) {
    synchronized (state) {
      String cluster = state.resolveCluster(text(request, "cluster"));
      String reason = text(request, "reason");
      if (reason != null && reason.length() > 255) {
        throw EcsError.invalidParameter("reason can have at most 255 characters.");
      }
      TaskRecord task = state.findTask(cluster, text(request, "task"))
          .orElseThrow(() -> EcsError.invalidParameter("The referenced task was not found"));
      Instant now = state.clock.instant();
      task.stop(now, reason == null || reason.isEmpty() ? DEFAULT_STOP_REASON : reason);
      ObjectNode out = TaskJson.object();
      out.set("task", TaskJson.task(task, task.observe(now), false));
      return out;
    }
  }

  public ObjectNode listTasks(JsonNode request) {
    synchronized (state) {
      String cluster = state.resolveCluster(text(request, "cluster"));
      String startedBy = text(request, "startedBy");
      String family = text(request, "family");
      String launchType = text(request, "launchType");
      String serviceName = text(request, "serviceName");
      String containerInstance = text(request, "containerInstance");
      if (startedBy != null && (family != null || launchType != null || serviceName != null
          || containerInstance != null || request.hasNonNull("daemonName"))) {
        throw EcsError.invalidParameter("cannot specify startedBy with other arguments");
      }
      if (startedBy != null && request.hasNonNull("desiredStatus")) {
        // The API reference: "When you specify startedBy as the filter, it must be the only filter that you use."
        throw EcsError.invalidParameter("cannot specify startedBy with other arguments: startedBy must be the only"
            + " filter, and desiredStatus was given too");
      }
      if (serviceName != null) {
        throw EcsError.client("ServiceNotFoundException", "Service not found.");
      }
      int maxResults = request.path("maxResults").asInt(100);
      if (request.hasNonNull("maxResults") && (maxResults < 1 || maxResults > 100)) {
        throw EcsError.invalidParameter("maxResults must be between 1 and 100.");
      }
      int offset = decodeToken(text(request, "nextToken"));
      String desired = request.hasNonNull("desiredStatus") ? request.get("desiredStatus").asText() : "RUNNING";
      Instant now = state.clock.instant();
      List<TaskRecord> matching = state.allTasks().stream()
          .filter(t -> !t.forgotten() && t.params().cluster().equals(cluster))
          .filter(t -> startedBy == null || startedBy.equals(t.params().startedBy()))
          .filter(t -> family == null || family.equals(t.params().definition().family()))
          .filter(t -> launchType == null || launchType.equals(t.params().launchType()))
          .filter(t -> containerInstance == null)
          .filter(t -> !desired.equals("PENDING") && desired.equals(t.observe(now).desiredStatus()))
          .toList();
      ObjectNode out = TaskJson.object();
      ArrayNode arns = out.putArray("taskArns");
      int end = Math.min(matching.size(), offset + maxResults);
      for (int i = Math.min(offset, matching.size()); i < end; i++) {
        arns.add(matching.get(i).arn());
      }
      if (end < matching.size()) {
        out.put("nextToken", encodeToken(end));
      }
      return out;
    }
  }

  public ObjectNode describeTaskDefinition(JsonNode request) {
    TaskDefinitions.Registered definition = state.definitions.resolve(text(request, "taskDefinition"))
        .orElseThrow(() -> EcsError.client("ClientException", "Unable to describe task definition."));
    ObjectNode out = TaskJson.object();
    out.set("taskDefinition", TaskJson.taskDefinition(definition, state.accountId));
    for (JsonNode field : request.path("include")) {
      if ("TAGS".equals(field.asText())) {
        out.putArray("tags");
      }
    }
    return out;
  }

  private static String encodeToken(int offset) {
    return Base64.getUrlEncoder().withoutPadding()
        .encodeToString(("oneshot-fake-ecs:" + offset).getBytes(StandardCharsets.UTF_8));
  }

  private static int decodeToken(String token) {
    if (token == null) {
      return 0;
    }
    try {
      String text = new String(Base64.getUrlDecoder().decode(token), StandardCharsets.UTF_8);
      if (text.startsWith("oneshot-fake-ecs:")) {
        int offset = Integer.parseInt(text.substring("oneshot-fake-ecs:".length()));
        if (offset >= 0) {
          return offset;
        }
      }
    } catch (IllegalArgumentException e) {
      // fall through
    }
    throw EcsError.invalidParameter("Invalid nextToken.");
  }
}
