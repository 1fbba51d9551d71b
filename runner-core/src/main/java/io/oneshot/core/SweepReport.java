package io.oneshot.core;

import java.util.List;

/**
 * The result of one sweep pass: what it saw and what it did.
 *
 * @param containersSeen containers with our owner tag
 * @param registrationsSeen registrations whose names and labels are ours
 * @param findings each thing found, actions and busy runners left alone
 */
public record SweepReport(int containersSeen, int registrationsSeen, List<SweepFinding> findings) {
  public SweepReport {
    findings = List.copyOf(findings);
  }

  /** The findings that changed something (marking counts: it changes what the next pass does). */
  public List<SweepFinding> actions() {
    return findings.stream().filter(f -> f.kind() != SweepActionKind.LEFT_BUSY).toList();
  }

  /** Whether the pass found nothing to do. */
  public boolean nothingToDo() {
    return actions().isEmpty();
  }

  /** How many findings of that kind. */
  public long count(SweepActionKind kind) {
    return findings.stream().filter(f -> f.kind() == kind).count();
  }
}
