package io.oneshot.scaleset.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.oneshot.github.internal.Json;
import io.oneshot.scaleset.JobMessage;
import io.oneshot.scaleset.ScaleSet;
import io.oneshot.scaleset.ScaleSetException;
import io.oneshot.scaleset.ScaleSetMessage;
import io.oneshot.scaleset.ScaleSetRunner;
import io.oneshot.scaleset.ScaleSetStatistics;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Reads the Actions service's JSON into the public records. Stateless. */
public final class Wire {
  private Wire() {}

  /** Parses a body; one that is not JSON is a clear error naming the operation. */
  public static JsonNode parse(String body, int status, String operation) {
    try {
      JsonNode node = Json.MAPPER.readTree(body);
      if (node == null || node.isMissingNode()) {
        throw new JsonProcessingException("empty") {};
      }
      return node;
    } catch (JsonProcessingException e) {
      throw new ScaleSetException("Actions service " + operation + " answered " + status
          + " with a body that is not JSON", status, ScaleSetException.Kind.OTHER, Optional.empty(),
          Optional.empty(), false, null);
    }
  }

  public static ScaleSetStatistics statistics(JsonNode node) {
    if (node == null || !node.isObject()) {
      return ScaleSetStatistics.EMPTY;
    }
    return new ScaleSetStatistics(node.path("totalAvailableJobs").asInt(), node.path("totalAcquiredJobs").asInt(),
        node.path("totalAssignedJobs").asInt(), node.path("totalRunningJobs").asInt(),
        node.path("totalRegisteredRunners").asInt(), node.path("totalBusyRunners").asInt(),
        node.path("totalIdleRunners").asInt());
  }

  public static ScaleSet scaleSet(JsonNode node) {
    List<String> labels = new ArrayList<>();
    node.path("labels").forEach(label -> labels.add(label.path("name").asText()));
    return new ScaleSet(node.path("id").asLong(), node.path("name").asText(), node.path("runnerGroupId").asLong(),
        node.path("runnerGroupName").asText(""), labels, statistics(node.get("statistics")));
  }

  /**
   * A runner ({@code RunnerReference}): {@code status} "online" means online, {@code createdOn} is read as
   * RFC 3339 and left empty when missing, unreadable or .NET's zero date (year 1).
   */
  public static ScaleSetRunner runner(JsonNode node) {
    return new ScaleSetRunner(node.path("id").asLong(), node.path("name").asText(""),
        node.path("runnerScaleSetId").asLong(), "online".equalsIgnoreCase(node.path("status").asText("")),
        node.path("busy").asBoolean(false), instant(node.path("createdOn").asText("")));
  }

  static Optional<Instant> instant(String text) {
    if (text.isBlank()) {
      return Optional.empty();
    }
    try {
      OffsetDateTime time = OffsetDateTime.parse(text);
      return time.getYear() <= 1 ? Optional.empty() : Optional.of(time.toInstant());
    } catch (DateTimeParseException e) {
      return Optional.empty();
    }
  }

  /** The envelope, its {@code body} (a JSON string holding an array) decoded into job messages. */
  public static ScaleSetMessage message(JsonNode envelope, int status) {
    String type = envelope.path("messageType").asText("");
    List<JobMessage> jobs = new ArrayList<>();
    String body = envelope.path("body").asText("");
    if (ScaleSetMessage.JOB_MESSAGES.equals(type) && !body.isBlank()) {
      for (JsonNode job : parse(body, status, "get-message (body)")) {
        jobs.add(job(job));
      }
    }
    return new ScaleSetMessage(envelope.path("messageId").asLong(), type, statistics(envelope.get("statistics")),
        jobs);
  }

  static JobMessage job(JsonNode node) {
    String type = node.path("messageType").asText("");
    List<String> labels = new ArrayList<>();
    node.path("requestLabels").forEach(label -> labels.add(label.asText()));
    return new JobMessage(JobMessage.Type.of(type), type, node.path("runnerRequestId").asLong(),
        node.path("jobId").asText(""), node.path("repositoryName").asText(""), node.path("ownerName").asText(""),
        node.path("jobDisplayName").asText(""), node.path("workflowRunId").asLong(), labels,
        node.path("acquireJobUrl").asText(""), node.path("runnerId").asLong(), node.path("runnerName").asText(""),
        node.path("result").asText(""));
  }
}
