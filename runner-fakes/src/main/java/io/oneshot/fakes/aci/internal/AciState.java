package io.oneshot.fakes.aci.internal;

import io.oneshot.fakes.aci.AciTimings;
import io.oneshot.fakes.github.FakeGitHub;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.UUID;

/**
 * The fake ACI's state: the subscription, its resource groups, the container groups (ARM names are
 * case-insensitive), the asynchronous operations, and the seeded source of ids. Thread-safe.
 */
public final class AciState {
  /** An asynchronous operation: a create or a delete of one group. */
  public record Operation(String id, boolean delete, GroupRecord group, Instant startedAt) {}

  public final String subscriptionId;
  public final Clock clock;
  public final FakeGitHub github;
  public final AciTimings timings;
  public final FaultPlan faults;
  public final int listPageSize;
  public final int lroRetryAfterSeconds;
  private final Random random;
  private final Map<String, String> resourceGroups = new LinkedHashMap<>();
  private final Map<String, GroupRecord> groups = new LinkedHashMap<>();
  private final List<GroupRecord> history = new ArrayList<>();
  private final Map<String, Operation> operations = new LinkedHashMap<>();
  private int nextIp = 4;

  public AciState(String subscriptionId, Clock clock, FakeGitHub github, AciTimings timings, long seed,
      int listPageSize, int lroRetryAfterSeconds) {
    this.subscriptionId = subscriptionId;
    this.clock = clock;
    this.github = github;
    this.timings = timings;
    this.faults = new FaultPlan(seed);
    this.random = new Random(seed);
    this.listPageSize = listPageSize;
    this.lroRetryAfterSeconds = lroRetryAfterSeconds;
  }

  public synchronized void addResourceGroup(String name, String location) {
    resourceGroups.putIfAbsent(name.toLowerCase(Locale.ROOT), name);
  }

  /** The resource group's name as created, empty when it does not exist. */
  public synchronized Optional<String> resourceGroup(String name) {
    return Optional.ofNullable(resourceGroups.get(name.toLowerCase(Locale.ROOT)));
  }

  public String groupId(String resourceGroup, String name) {
    return "/subscriptions/" + subscriptionId + "/resourceGroups/" + resourceGroup
        + "/providers/Microsoft.ContainerInstance/containerGroups/" + name;
  }

  /** The group of that name if it exists now (not deleted, not forgotten). */
  public synchronized Optional<GroupRecord> group(String resourceGroup, String name) {
    GroupRecord group = groups.get(key(resourceGroup, name));
    return group != null && group.exists(clock.instant()) ? Optional.of(group) : Optional.empty();
  }

  public synchronized void put(GroupRecord group) {
    groups.put(key(group.resourceGroup(), group.name()), group);
    history.add(group);
  }

  /** Every group of the resource group that exists now, in creation order. */
  public synchronized List<GroupRecord> groupsIn(String resourceGroup) {
    Instant now = clock.instant();
    return groups.values().stream().filter(g -> g.resourceGroup().equalsIgnoreCase(resourceGroup))
        .filter(g -> g.exists(now)).toList();
  }

  /** Every group ever created, gone ones included, in creation order. */
  public synchronized List<GroupRecord> history() {
    return List.copyOf(history);
  }

  public synchronized Optional<GroupRecord> byId(String id) {
    return history.stream().filter(g -> g.id().equalsIgnoreCase(id)).reduce((first, second) -> second);
  }

  public synchronized Operation newOperation(boolean delete, GroupRecord group) {
    Operation operation = new Operation(uuid(), delete, group, clock.instant());
    operations.put(operation.id(), operation);
    return operation;
  }

  public synchronized Optional<Operation> operation(String id) {
    return Optional.ofNullable(operations.get(id));
  }

  public synchronized String uuid() {
    return new UUID(random.nextLong(), random.nextLong()).toString();
  }

  public synchronized String nextPrivateIp() {
    int n = nextIp++;
    return "10.0." + (n / 250) + "." + (n % 250 + 4);
  }

  private static String key(String resourceGroup, String name) {
    return resourceGroup.toLowerCase(Locale.ROOT) + "/" + name.toLowerCase(Locale.ROOT);
  }
}
