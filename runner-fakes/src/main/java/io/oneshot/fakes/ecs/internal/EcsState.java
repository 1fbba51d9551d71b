package io.oneshot.fakes.ecs.internal;

import io.oneshot.fakes.ecs.EcsTimings;
import io.oneshot.fakes.github.FakeGitHub;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Everything the fake ECS knows: account and region, clusters, task definitions, the VPC inventory,
 * tasks and client tokens, plus the clock, ids and faults the operations use. Operations hold this
 * object's monitor while they run, so each request sees and leaves a consistent state.
 */
public final class EcsState {
  private static final Pattern CLUSTER_ARN = Pattern.compile("arn:aws[a-z-]*:ecs:([^:]+):(\\d{12}):cluster/(.+)");
  private static final Pattern TASK_ARN = Pattern.compile("arn:aws[a-z-]*:ecs:([^:]+):(\\d{12}):task/([^/]+)/([^/]+)");

  /** A client token's first RunTask: the request (without the token) and the tasks it made. */
  public record TokenUse(com.fasterxml.jackson.databind.JsonNode request, List<String> taskArns) {}

  public final String region;
  public final String accountId;
  public final Clock clock;
  /** The fake GitHub runners connect to, or null (tasks then run a process that only stops when told to). */
  public final FakeGitHub github;
  public final EcsTimings timings;
  public final Ids ids;
  public final TaskDefinitions definitions;
  public final Network network;
  public final FaultQueues faults;
  private final Map<String, Set<String>> clusters = new LinkedHashMap<>();
  private final Map<String, TaskRecord> tasks = new LinkedHashMap<>();
  private final Map<String, TokenUse> clientTokens = new LinkedHashMap<>();

  public EcsState(String region, String accountId, Clock clock, FakeGitHub github, EcsTimings timings, long seed,
      FaultQueues faults) {
    this.region = region;
    this.accountId = accountId;
    this.clock = clock;
    this.github = github;
    this.timings = timings;
    this.ids = new Ids(seed);
    this.definitions = new TaskDefinitions(region, accountId);
    this.network = new Network();
    this.faults = faults;
    addCluster("default", List.of("FARGATE", "FARGATE_SPOT"));
  }

  public synchronized void addCluster(String name, List<String> capacityProviders) {
    if (!name.matches("[A-Za-z0-9_-]{1,255}")) {
      throw new IllegalArgumentException("a cluster name is 1-255 letters, digits, '-' or '_'");
    }
    clusters.put(name, new LinkedHashSet<>(capacityProviders));
  }

  public String clusterArn(String name) {
    return "arn:aws:ecs:" + region + ":" + accountId + ":cluster/" + name;
  }

  /** The cluster name for a request's {@code cluster} (name or ARN; absent = default), or ClusterNotFoundException. */
  public synchronized String resolveCluster(String nameOrArn) {
    String name = nameOrArn == null ? "default" : nameOrArn;
    Matcher arn = CLUSTER_ARN.matcher(name);
    if (arn.matches()) {
      name = arn.group(1).equals(region) && arn.group(2).equals(accountId) ? arn.group(3) : "";
    }
    if (!clusters.containsKey(name)) {
      throw EcsError.client("ClusterNotFoundException", "Cluster not found.");
    }
    return name;
  }

  /** Whether a capacity provider is associated with a cluster. */
  public synchronized boolean hasCapacityProvider(String cluster, String provider) {
    return clusters.getOrDefault(cluster, Set.of()).contains(provider);
  }

  public synchronized void addTask(TaskRecord task) {
    tasks.put(task.arn(), task);
  }

  /** A visible task of a cluster by id or ARN. */
  public synchronized Optional<TaskRecord> findTask(String cluster, String idOrArn) {
    String id = idOrArn;
    Matcher arn = TASK_ARN.matcher(idOrArn);
    if (arn.matches()) {
      if (!arn.group(1).equals(region) || !arn.group(2).equals(accountId) || !arn.group(3).equals(cluster)) {
        return Optional.empty();
      }
      id = arn.group(4);
    }
    return Optional.ofNullable(tasks.get(taskArn(cluster, id))).filter(t -> !t.forgotten());
  }

  /** Looks a task up by its full ARN, forgotten ones included. */
  public synchronized Optional<TaskRecord> taskByArn(String arn) {
    return Optional.ofNullable(tasks.get(arn));
  }

  public String taskArn(String cluster, String id) {
    return "arn:aws:ecs:" + region + ":" + accountId + ":task/" + cluster + "/" + id;
  }

  /** Every task, forgotten ones included, in creation order. */
  public synchronized List<TaskRecord> allTasks() {
    return new ArrayList<>(tasks.values());
  }

  public synchronized Optional<TokenUse> tokenUse(String clientToken) {
    return Optional.ofNullable(clientTokens.get(clientToken));
  }

  public synchronized void rememberToken(String clientToken, TokenUse use) {
    clientTokens.put(clientToken, use);
  }
}
