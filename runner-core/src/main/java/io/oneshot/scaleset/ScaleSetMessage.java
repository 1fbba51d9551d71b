package io.oneshot.scaleset;

import java.util.List;

/**
 * A message from the session's queue: its id (the cursor to pass as {@code lastMessageId} next, and the
 * id to acknowledge), the scale set's current statistics and the job events it carries (at most 50, in
 * order). A message type other than {@value #JOB_MESSAGES} arrives with no jobs; acknowledge it anyway.
 */
public record ScaleSetMessage(long messageId, String messageType, ScaleSetStatistics statistics,
    List<JobMessage> jobs) {
  /** The only message type the protocol defines. */
  public static final String JOB_MESSAGES = "RunnerScaleSetJobMessages";

  public ScaleSetMessage {
    jobs = List.copyOf(jobs);
  }

  /** The jobs of one type, in order. */
  public List<JobMessage> jobs(JobMessage.Type type) {
    return jobs.stream().filter(job -> job.type() == type).toList();
  }
}
