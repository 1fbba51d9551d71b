package io.oneshot.scaleset;

import java.util.List;
import java.util.Locale;

/**
 * One job event inside a {@link ScaleSetMessage}. Fields a type does not carry are {@code ""} or 0:
 * {@code acquireJobUrl} only on {@code JobAvailable}; {@code runnerId}/{@code runnerName} on
 * {@code JobStarted} and {@code JobCompleted}; {@code result} on {@code JobCompleted} ({@code succeeded},
 * {@code canceled}, ...). Key per-job bookkeeping on {@link #jobId()} and fall back to
 * {@link #runnerRequestId()}: the service has been seen to send request id 0.
 */
public record JobMessage(Type type, String messageType, long runnerRequestId, String jobId,
    String repositoryName, String ownerName, String jobDisplayName, long workflowRunId,
    List<String> requestLabels, String acquireJobUrl, long runnerId, String runnerName, String result) {
  /** The job message types the protocol defines; {@link #OTHER} for any the client does not know. */
  public enum Type {
    JOB_AVAILABLE("JobAvailable"), JOB_ASSIGNED("JobAssigned"), JOB_STARTED("JobStarted"),
    JOB_COMPLETED("JobCompleted"), OTHER("");

    private final String wire;

    Type(String wire) {
      this.wire = wire;
    }

    /** The wire name, e.g. {@code JobAvailable}; empty for {@link #OTHER}. */
    public String wireName() {
      return wire;
    }

    /** The type for a wire name (case-insensitive); {@link #OTHER} when unknown. */
    public static Type of(String wireName) {
      for (Type type : values()) {
        if (type != OTHER && type.wire.toLowerCase(Locale.ROOT).equals(wireName.toLowerCase(Locale.ROOT))) {
          return type;
        }
      }
      return OTHER;
    }
  }

  public JobMessage {
    requestLabels = List.copyOf(requestLabels);
  }
}
