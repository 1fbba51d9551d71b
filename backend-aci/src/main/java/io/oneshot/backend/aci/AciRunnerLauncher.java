package io.oneshot.backend.aci;

import com.azure.core.exception.HttpResponseException;
import com.azure.core.http.rest.Response;
import com.azure.core.util.Context;
import com.azure.core.util.FluxUtil;
import com.azure.json.JsonProviders;
import com.azure.json.JsonReader;
import com.azure.resourcemanager.containerinstance.fluent.ContainerGroupsClient;
import com.azure.resourcemanager.containerinstance.fluent.models.ContainerGroupInner;
import io.oneshot.spi.Capabilities;
import io.oneshot.spi.ContainerStatus;
import io.oneshot.spi.FailureKind;
import io.oneshot.spi.LaunchFailedException;
import io.oneshot.spi.LaunchSpec;
import io.oneshot.spi.LaunchedRunner;
import io.oneshot.spi.OneshotException;
import io.oneshot.spi.OwnershipTags;
import io.oneshot.spi.RunnerLauncher;
import java.io.IOException;
import java.net.URI;
import java.nio.ByteBuffer;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import reactor.core.publisher.Flux;

/**
 * Runs each runner as one Azure Container Instances container group named after the runner
 * ({@link GroupNames}), with the runner's credential as a {@code secureValue} environment variable,
 * {@code restartPolicy: Never}, and the ownership tags plus the idempotency key as tags.
 *
 * <p>Launch and terminate send the initial PUT or DELETE only and return once ARM has accepted it:
 * they never poll the long-running operation (whose SDK default interval is 30 s); {@link #describe}
 * follows the group instead. Every method blocks for its ARM round trips (launch: a GET, then the PUT
 * when the group does not exist). Launch is idempotent per idempotency key: an existing group with
 * the same name and key is the same launch. Terminate and describe are safe to repeat; a group already
 * gone or being deleted is fine. A launcher made for stop, sweep and status knows only the subscription and
 * resource group: it lists, describes and deletes, and refuses to launch. A call that gets no answer from
 * ARM (reset, timeout) is a retryable failure, in every method. Thread-safe (the SDK client is).
 */
public final class AciRunnerLauncher implements RunnerLauncher {
  /** The backend id. */
  public static final String ID = "aci";
  private static final String WRITE = "Microsoft.ContainerInstance/containerGroups/write";
  private static final String READ = "Microsoft.ContainerInstance/containerGroups/read";
  private static final String DELETE = "Microsoft.ContainerInstance/containerGroups/delete";
  private static final Pattern GROUP_ID = Pattern.compile(
      "(?i)/subscriptions/[^/]+/resourceGroups/([^/]+)/providers/Microsoft\\.ContainerInstance/containerGroups/([^/]+)");

  private final ContainerGroupsClient groups;
  private final AciScope scope;
  private final Optional<AciSettings> launchSettings;
  private final Clock clock;

  /**
   * @param launchSettings what to launch with; empty for a launcher made for stop, sweep and status, which
   *     refuses to launch
   */
  AciRunnerLauncher(ContainerGroupsClient groups, AciScope scope, Optional<AciSettings> launchSettings, Clock clock) {
    this.groups = groups;
    this.scope = scope;
    this.launchSettings = launchSettings;
    this.clock = clock;
  }

  /** The settings this launcher launches with; empty for a stop/sweep/status launcher. */
  public Optional<AciSettings> settings() {
    return launchSettings;
  }

  /** The container group name a runner gets (its own name when ACI accepts it, else a mapped one). */
  public static String groupName(String runnerName) {
    return GroupNames.forRunner(runnerName);
  }

  @Override
  public LaunchedRunner launch(LaunchSpec spec) {
    AciSettings settings = launchSettings.orElseThrow(() -> new IllegalStateException("this ACI launcher was created"
        + " for stop/sweep/status (LauncherPurpose.MANAGE) and cannot launch; create one for START"));
    String name = GroupNames.forRunner(spec.runnerName());
    Optional<ContainerGroupInner> existing;
    try {
      existing = find(settings.resourceGroup(), name);
    } catch (HttpResponseException e) {
      throw AciErrors.launchFailure(READ, e);
    } catch (RuntimeException e) {
      throw AciErrors.transportLaunchFailure(READ, e);
    }
    if (existing.isPresent()) {
      return sameLaunch(existing.get(), spec, name);
    }
    ContainerGroupInner body = GroupRequest.build(settings, spec, clock.instant());
    try {
      Response<Flux<ByteBuffer>> response = groups.createOrUpdateWithResponseAsync(settings.resourceGroup(), name, body)
          .block();
      byte[] answer = response == null ? null : FluxUtil.collectBytesInByteBufferStream(response.getValue()).block();
      ContainerGroupInner created = parse(answer).orElse(null);
      if (created == null || created.id() == null) {
        return launched(idOf(name), body);
      }
      return launched(created.id(), created);
    } catch (HttpResponseException e) {
      throw AciErrors.launchFailure(WRITE, e);
    } catch (RuntimeException e) {
      throw AciErrors.transportLaunchFailure(WRITE, e);
    }
  }

  private LaunchedRunner sameLaunch(ContainerGroupInner group, LaunchSpec spec, String name) {
    String key = group.tags() == null ? null : group.tags().get(AciTags.IDEMPOTENCY_KEY);
    if (spec.idempotencyKey().equals(key)) {
      return launched(group.id(), group);
    }
    throw new LaunchFailedException(FailureKind.CONFIGURATION, "ContainerGroupNameTaken", "a container group named '"
        + name + "' already exists in resource group " + scope.resourceGroup() + " and was not started by this"
        + " launch (its " + AciTags.IDEMPOTENCY_KEY + " tag differs); delete it or use another runner name prefix");
  }

  @Override
  public ContainerStatus describe(LaunchedRunner runner) {
    String[] group = parseId(runner.resourceId());
    try {
      return find(group[0], group[1]).map(GroupStatusMapper::map)
          .orElseGet(() -> ContainerStatus.gone("ARM reports the container group ResourceNotFound"));
    } catch (HttpResponseException e) {
      throw AciErrors.callFailure(READ, e);
    } catch (RuntimeException e) {
      throw AciErrors.transportFailure(READ, e);
    }
  }

  @Override
  public void terminate(LaunchedRunner runner, String reason) {
    String[] group = parseId(runner.resourceId());
    try {
      Response<Flux<ByteBuffer>> response = groups.deleteWithResponseAsync(group[0], group[1]).block();
      if (response != null) {
        FluxUtil.collectBytesInByteBufferStream(response.getValue()).block();
      }
    } catch (HttpResponseException e) {
      if (AciErrors.status(e) == 404 || isDeleteInProgress(e)) {
        return;
      }
      throw AciErrors.callFailure(DELETE, e);
    } catch (RuntimeException e) {
      throw AciErrors.transportFailure(DELETE, e);
    }
  }

  private static boolean isDeleteInProgress(HttpResponseException e) {
    return AciErrors.status(e) == 409 && AciErrors.message(e).toLowerCase(Locale.ROOT).contains("being deleted");
  }

  @Override
  public List<LaunchedRunner> listOwned(String owner) {
    List<LaunchedRunner> owned = new ArrayList<>();
    try {
      for (ContainerGroupInner group : groups.listByResourceGroup(scope.resourceGroup(), Context.NONE)) {
        Map<String, String> tags = group.tags() == null ? Map.of() : group.tags();
        if (owner.equals(tags.get(OwnershipTags.OWNER))) {
          owned.add(launched(group.id(), group));
        }
      }
    } catch (HttpResponseException e) {
      throw AciErrors.callFailure(READ, e);
    } catch (RuntimeException e) {
      throw AciErrors.transportFailure(READ, e);
    }
    return owned;
  }

  @Override
  public Capabilities capabilities() {
    return new Capabilities(launchSettings.map(AciSettings::capacityOptions).orElse(1), 0, true,
        launchSettings.filter(s -> !s.subnetIds().isEmpty()).isPresent());
  }

  private Optional<ContainerGroupInner> find(String resourceGroup, String name) {
    try {
      return Optional.ofNullable(groups.getByResourceGroupWithResponse(resourceGroup, name, Context.NONE).getValue());
    } catch (HttpResponseException e) {
      if (AciErrors.status(e) == 404) {
        return Optional.empty();
      }
      throw e;
    }
  }

  private static Optional<ContainerGroupInner> parse(byte[] json) {
    if (json == null || json.length == 0) {
      return Optional.empty();
    }
    try (JsonReader reader = JsonProviders.createReader(json)) {
      return Optional.ofNullable(ContainerGroupInner.fromJson(reader));
    } catch (IOException e) {
      return Optional.empty();
    }
  }

  private String idOf(String name) {
    return "/subscriptions/" + scope.subscriptionId() + "/resourceGroups/" + scope.resourceGroup()
        + "/providers/Microsoft.ContainerInstance/containerGroups/" + name;
  }

  private static String[] parseId(String resourceId) {
    Matcher m = GROUP_ID.matcher(resourceId);
    if (!m.find()) {
      throw new OneshotException("'" + resourceId + "' is not a container group resource id; the ACI backend"
          + " describes and terminates only what it launched or listed", false);
    }
    return new String[] {m.group(1), m.group(2)};
  }

  private LaunchedRunner launched(String id, ContainerGroupInner group) {
    Map<String, String> tags = group.tags() == null ? Map.of() : group.tags();
    Instant launchedAt = Optional.ofNullable(tags.get(AciTags.LAUNCHED)).flatMap(AciRunnerLauncher::epoch)
        .orElse(clock.instant());
    String region = group.location() != null ? group.location()
        : launchSettings.map(AciSettings::location).orElse("");
    return new LaunchedRunner(ID, id, region, GroupStatusMapper.privateIp(group),
        Optional.of(URI.create("https://portal.azure.com/#resource" + id + "/overview")), launchedAt, tags);
  }

  private static Optional<Instant> epoch(String seconds) {
    try {
      return Optional.of(Instant.ofEpochSecond(Long.parseLong(seconds)));
    } catch (NumberFormatException e) {
      return Optional.empty();
    }
  }
}
