package io.oneshot.pool;

import io.oneshot.scaleset.JobMessage;
import io.oneshot.scaleset.ScaleSetMessage;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Measures how long assigned jobs wait for a runner. Scale-set runners are not bound to jobs, so the
 * measure pairs the oldest waiting assignment with each runner first seen online; a job seen starting
 * while still waiting is measured to its start instead (a runner was online by then). Only a metric: it
 * lives in memory and starts afresh after a restart. Not thread-safe (the loop's thread only).
 */
final class JobTimings {
  private final Map<String, Instant> waiting = new LinkedHashMap<>();
  private static final int REMEMBERED = 10_000;
  private final Set<Long> seenOnline = new java.util.LinkedHashSet<>();

  /** Notes the jobs of a message seen at {@code now}; returns the waits it ended. */
  List<Duration> record(ScaleSetMessage message, Instant now) {
    List<Duration> waits = new ArrayList<>();
    for (JobMessage job : message.jobs()) {
      String key = key(job);
      switch (job.type()) {
        case JOB_ASSIGNED -> waiting.putIfAbsent(key, now);
        case JOB_STARTED -> {
          Instant assigned = waiting.remove(key);
          if (assigned != null) {
            waits.add(Duration.between(assigned, now));
          }
          if (job.runnerId() > 0) {
            seenOnline.add(job.runnerId());
          }
        }
        case JOB_COMPLETED -> waiting.remove(key);
        default -> { }
      }
    }
    return waits;
  }

  /** Pairs runners first seen online in {@code snapshot} with the oldest waiting assignments. */
  List<Duration> online(PoolSnapshot snapshot) {
    List<Duration> waits = new ArrayList<>();
    for (PoolRunner runner : snapshot.runners()) {
      if (runner.githubRunnerId().isEmpty()) {
        continue;
      }
      long id = runner.githubRunnerId().getAsLong();
      boolean online = runner.state() == RunnerState.IDLE || runner.state() == RunnerState.BUSY;
      if (online && seenOnline.add(id)) {
        Iterator<Instant> oldest = waiting.values().iterator();
        if (oldest.hasNext()) {
          waits.add(Duration.between(oldest.next(), snapshot.at()));
          oldest.remove();
        }
      }
    }
    forgetOldest();
    return waits;
  }

  /** Runner ids are never reused; the oldest are forgotten so a long-running pool stays small. */
  private void forgetOldest() {
    Iterator<Long> oldest = seenOnline.iterator();
    while (seenOnline.size() > REMEMBERED && oldest.hasNext()) {
      oldest.next();
      oldest.remove();
    }
  }

  private static String key(JobMessage job) {
    return job.jobId() != null && !job.jobId().isBlank() ? job.jobId() : Long.toString(job.runnerRequestId());
  }
}
