package io.oneshot.action;

import java.util.List;
import java.util.Optional;

/**
 * Every input of the action, in {@code action.yml} order, with defaults. The CLI derives its options
 * from the same list, so the two cannot drift. Constants only.
 */
public final class ActionInputs {
  private ActionInputs() {}

  private static InputDefinition common(String name, String defaultValue, String description) {
    return new InputDefinition(name, Optional.ofNullable(defaultValue), false, Optional.empty(), description);
  }

  private static InputDefinition secret(String name, String description) {
    return new InputDefinition(name, Optional.empty(), true, Optional.empty(), description);
  }

  private static InputDefinition backend(String backend, String name, String defaultValue, String description) {
    return new InputDefinition(name, Optional.ofNullable(defaultValue), false, Optional.of(backend), description);
  }

  /** All inputs. */
  public static final List<InputDefinition> ALL = List.of(
      common("mode", "start", "start, stop or sweep"),
      common("backend", "ecs", "ecs, cloudrun or aci"),
      secret("token", "GitHub token that may manage self-hosted runners (PAT or installation token)"),
      common("app-id", null, "GitHub App id, instead of token"),
      secret("app-private-key", "GitHub App private key (PEM, PKCS#1 or PKCS#8)"),
      common("app-installation-id", null, "GitHub App installation id; found from context when empty"),
      common("github-api-url", null, "GitHub API URL; $GITHUB_API_URL, else https://api.github.com"),
      common("context", null, "owner/repo for a repository runner, owner for an organization runner;"
          + " $GITHUB_REPOSITORY when empty"),
      common("enterprise", null, "enterprise slug, for enterprise runners (token only)"),
      common("runner-group", "Default", "runner group name"),
      common("name", "oneshot", "runner name prefix and label"),
      common("labels", null, "more runner labels, comma or newline separated"),
      common("count", "1", "how many runners to start (1 to 100)"),
      common("wait", "true", "wait until every runner is online"),
      common("timeout", "5m", "how long to wait for the runners to be online (90s, 5m, 1h30m, PT5M)"),
      common("idle-timeout", "10m", "a runner with no job by then exits"),
      common("max-lifetime", "6h", "a runner's container lives at most this long"),
      common("registration", "jit", "jit (single-use config, default) or token (the image registers itself)"),
      common("runner-id", null, "stop mode: the runner_id output of the start step"),
      common("force", "false", "stop mode: also stop runners that are running a job"),
      common("workdir", "_work", "the runner's work folder"),
      common("debug", "false", "verbose progress (also on when RUNNER_DEBUG=1); never secrets"),
      backend("ecs", "region", null, "ECS/Cloud Run: region; ECS default: the AWS SDK's region chain"),
      backend("ecs", "cluster", "default", "ECS cluster"),
      backend("ecs", "task-definition", null, "ECS task definition (family, family:revision or ARN); default: name"),
      backend("ecs", "container-name", null, "ECS: the runner's container in the task definition"),
      backend("ecs", "launch-type", null, "ECS launch type: FARGATE (when empty) or EC2; leave empty with capacity-providers"),
      backend("ecs", "capacity-providers", null, "ECS capacity providers in fallback order, e.g. FARGATE_SPOT,FARGATE"),
      backend("ecs", "subnets", null, "ECS subnet ids"),
      backend("ecs", "subnets-tag", null, "ECS subnets by tag, key:value"),
      backend("ecs", "security-groups", null, "ECS security group ids"),
      backend("ecs", "security-groups-tag", null, "ECS security groups by tag, key:value"),
      backend("ecs", "assign-public-ip", "false", "ECS: give tasks a public IP"),
      backend("cloudrun", "project", null, "Cloud Run project id"),
      backend("cloudrun", "job", null, "Cloud Run job whose executions are the runners"),
      backend("aci", "subscription-id", null, "Azure subscription id"),
      backend("aci", "resource-group", null, "Azure resource group"),
      backend("aci", "location", null, "Azure location, e.g. westeurope"),
      backend("aci", "image", null, "ACI: the runner image"),
      backend("aci", "cpu", null, "ACI: CPU cores (default 2); ECS: task cpu override (units, e.g. 1024)"),
      backend("aci", "memory", null, "ACI: memory in GiB (default 4); ECS: task memory override (MiB)"),
      backend("aci", "subnet-ids", null, "ACI: subnet resource ids for VNet injection"),
      backend("aci", "registry-server", null, "ACI: image registry server"),
      backend("aci", "registry-username", null, "ACI: image registry user name"),
      new InputDefinition("registry-password", Optional.empty(), true, Optional.of("aci"),
          "ACI: image registry password"));

  /** The input of that name. */
  public static Optional<InputDefinition> find(String name) {
    return ALL.stream().filter(input -> input.name().equals(name)).findFirst();
  }
}
