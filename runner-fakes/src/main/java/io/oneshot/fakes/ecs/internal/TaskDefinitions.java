package io.oneshot.fakes.ecs.internal;

import io.oneshot.fakes.ecs.TaskDefinitionSpec;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Registered task definitions by family, revisions counting from 1. Thread-safe. */
public final class TaskDefinitions {
  private static final Pattern ARN = Pattern.compile("arn:aws[a-z-]*:ecs:([^:]+):(\\d{12}):task-definition/(.+)");

  /** One registered revision. */
  public record Registered(String arn, int revision, TaskDefinitionSpec spec, Instant registeredAt) {
    public String family() {
      return spec.family();
    }

    /** The container of this name, if any. */
    public Optional<TaskDefinitionSpec.ContainerSpec> container(String name) {
      return spec.containers().stream().filter(c -> c.name().equals(name)).findFirst();
    }
  }

  private final String region;
  private final String accountId;
  private final Map<String, List<Registered>> byFamily = new HashMap<>();

  public TaskDefinitions(String region, String accountId) {
    this.region = region;
    this.accountId = accountId;
  }

  public synchronized Registered register(TaskDefinitionSpec spec, Instant now) {
    List<Registered> revisions = byFamily.computeIfAbsent(spec.family(), k -> new ArrayList<>());
    int revision = revisions.size() + 1;
    Registered registered = new Registered("arn:aws:ecs:" + region + ":" + accountId + ":task-definition/"
        + spec.family() + ":" + revision, revision, spec, now);
    revisions.add(registered);
    return registered;
  }

  /** Resolves {@code family}, {@code family:revision} or a full ARN; the latest revision when none is given. */
  public synchronized Optional<Registered> resolve(String reference) {
    String familyAndRevision = reference;
    Matcher arn = ARN.matcher(reference);
    if (arn.matches()) {
      if (!arn.group(1).equals(region) || !arn.group(2).equals(accountId)) {
        return Optional.empty();
      }
      familyAndRevision = arn.group(3);
    }
    int colon = familyAndRevision.lastIndexOf(':');
    String family = colon < 0 ? familyAndRevision : familyAndRevision.substring(0, colon);
    List<Registered> revisions = byFamily.get(family);
    if (revisions == null || revisions.isEmpty()) {
      return Optional.empty();
    }
    if (colon < 0) {
      return Optional.of(revisions.get(revisions.size() - 1));
    }
    try {
      int revision = Integer.parseInt(familyAndRevision.substring(colon + 1));
      return revision >= 1 && revision <= revisions.size() ? Optional.of(revisions.get(revision - 1)) : Optional.empty();
    } catch (NumberFormatException e) {
      return Optional.empty();
    }
  }
}
