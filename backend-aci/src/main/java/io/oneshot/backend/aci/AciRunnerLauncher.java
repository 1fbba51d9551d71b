package io.oneshot.backend.aci;

import com.azure.core.credential.TokenCredential;
import com.azure.core.exception.HttpResponseException;
import com.azure.core.http.HttpClient;
import com.azure.core.http.netty.NettyAsyncHttpClientBuilder;
import com.azure.core.http.policy.HttpLogDetailLevel;
import com.azure.core.http.policy.HttpLogOptions;
import com.azure.core.http.policy.RetryPolicy;
import com.azure.core.http.rest.Response;
import com.azure.core.util.Context;
import com.azure.core.util.FluxUtil;
import com.azure.core.management.AzureEnvironment;
import com.azure.core.management.profile.AzureProfile;
import com.azure.identity.DefaultAzureCredentialBuilder;
import com.azure.json.JsonProviders;
import com.azure.json.JsonReader;
import com.azure.resourcemanager.containerinstance.ContainerInstanceManager;
import com.azure.resourcemanager.containerinstance.fluent.ContainerGroupsClient;
import com.azure.resourcemanager.containerinstance.fluent.ContainerInstanceManagementClient;
import com.azure.resourcemanager.containerinstance.implementation.ContainerInstanceManagementClientBuilder;
import com.azure.resourcemanager.resources.fluentcore.utils.HttpPipelineProvider;
import com.azure.core.http.HttpPipeline;
import com.azure.resourcemanager.containerinstance.fluent.models.ContainerGroupInner;
import io.oneshot.spi.Capabilities;
import io.oneshot.spi.ContainerStatus;
import io.oneshot.spi.FailureKind;
import io.oneshot.spi.LaunchFailedException;
import io.oneshot.spi.LaunchSpec;
import io.oneshot.spi.LaunchedRunner;
import io.oneshot.spi.LauncherPurpose;
import io.oneshot.spi.OneshotException;
import io.oneshot.spi.OwnershipTags;
import io.oneshot.spi.RunnerLauncher;
import java.io.IOException;
import java.net.URI;
import java.nio.ByteBuffer;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import javax.net.ssl.SSLException;
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
 *
 * <p>{@link #describeAll} lists the resource group once (100 groups a page): ARM's list answers carry
 * {@code provisioningState} and tags but no instance view (no container state, exit code or events, which
 * {@link #describe} needs), so the list settles only the groups that are gone, and every other group still
 * costs one GET. {@link #listOwnedWithStatus} lists once and GETs each owned group, without describeAll's second
 * list. Embedding code builds a launcher with {@link #builder()}; {@link #close()} closes
 * nothing (the Azure SDK client holds no resource of its own; an {@link HttpClient} or
 * {@link ContainerInstanceManager} you pass stays yours).
 */
public final class AciRunnerLauncher implements RunnerLauncher {
  /** The backend id. */
  public static final String ID = "aci";
  private static final String WRITE = "Microsoft.ContainerInstance/containerGroups/write";
  private static final String READ = "Microsoft.ContainerInstance/containerGroups/read";
  private static final String DELETE = "Microsoft.ContainerInstance/containerGroups/delete";
  private static final String NOT_FOUND = "ARM reports the container group ResourceNotFound";
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
          .orElseGet(() -> ContainerStatus.gone(NOT_FOUND));
    } catch (HttpResponseException e) {
      throw AciErrors.callFailure(READ, e);
    } catch (RuntimeException e) {
      throw AciErrors.transportFailure(READ, e);
    }
  }

  /**
   * One ListByResourceGroup per resource group asked about (following {@code nextLink}, 100 groups a page), then a
   * GET for each group the list holds: ARM's list answers carry no instance view (container state, exit code,
   * events), without which a running group and an exited one look the same, and a group being deleted loses its
   * exit code. A group the list does not hold is {@link io.oneshot.spi.ContainerState#GONE} without a GET, so
   * watching a stopped batch disappear costs one call per 100. Answers in input order. Blocks; idempotent.
   */
  @Override
  public List<ContainerStatus> describeAll(List<LaunchedRunner> runners) {
    Set<String> resourceGroups = new HashSet<>();
    List<String[]> ids = new ArrayList<>();
    for (LaunchedRunner runner : runners) {
      String[] group = parseId(runner.resourceId());
      ids.add(group);
      resourceGroups.add(group[0].toLowerCase(Locale.ROOT));
    }
    Map<String, ContainerGroupInner> listed = new HashMap<>();
    try {
      for (String resourceGroup : resourceGroups) {
        for (ContainerGroupInner group : groups.listByResourceGroup(resourceGroup, Context.NONE)) {
          if (group.name() != null) {
            listed.put(key(resourceGroup, group.name()), group);
          }
        }
      }
    } catch (HttpResponseException e) {
      if (AciErrors.status(e) != 404) {
        throw AciErrors.callFailure(READ, e);
      }
      // a resource group that is gone holds no container group: every one asked about is gone
    } catch (RuntimeException e) {
      throw AciErrors.transportFailure(READ, e);
    }
    List<ContainerStatus> statuses = new ArrayList<>(runners.size());
    for (int i = 0; i < runners.size(); i++) {
      ContainerGroupInner group = listed.get(key(ids.get(i)[0], ids.get(i)[1]));
      if (group == null) {
        statuses.add(ContainerStatus.gone(NOT_FOUND));
      } else {
        statuses.add(describe(runners.get(i)));
      }
    }
    return statuses;
  }

  private static String key(String resourceGroup, String name) {
    return resourceGroup.toLowerCase(Locale.ROOT) + "/" + name.toLowerCase(Locale.ROOT);
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

  /**
   * {@code aci/<subscription id>/<resource group>}, both lower-cased (ARM compares them case-insensitively): the
   * container groups one resource group holds are one owner's view.
   */
  @Override
  public String scopeKey() {
    return ID + "/" + scope.subscriptionId().toLowerCase(Locale.ROOT) + "/"
        + scope.resourceGroup().toLowerCase(Locale.ROOT);
  }

  /** True: a terminated container group stays (and counts against the quota) until it is deleted. */
  @Override
  public boolean keepsFinishedContainers() {
    return true;
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

  /**
   * What {@link #listOwned} finds, each with its status from one GET of the group: the one ListByResourceGroup
   * settles which groups exist, and each group it lists still costs the GET that {@link #describeAll} would make
   * (ARM's list answers carry no instance view, so no container state or exit code), but not
   * {@link #describeAll}'s own second list. A group deleted between the list and its GET is
   * {@link io.oneshot.spi.ContainerState#GONE}; a finished one is STOPPED, as {@link #describe} says. In list
   * order. Blocks for one ListByResourceGroup per 100 groups and one GET per owned group; idempotent.
   */
  @Override
  public Map<LaunchedRunner, ContainerStatus> listOwnedWithStatus(String owner) {
    Map<LaunchedRunner, ContainerStatus> statuses = new LinkedHashMap<>();
    for (LaunchedRunner container : listOwned(owner)) {
      statuses.put(container, describe(container));
    }
    return statuses;
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

  /** A builder for embedding code; see {@link Builder}. Does not block. */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Builds an {@link AciRunnerLauncher} from typed settings and the caller's own Azure SDK pieces: a whole
   * {@link ContainerInstanceManager}, or an {@link HttpClient}, {@link TokenCredential} and {@link RetryPolicy}
   * for the container groups client the builder creates (the manager's own client and pipeline, without the
   * storage, authorization and network managers the manager builds besides) (defaults: the SDK's HTTP client and retries, and
   * {@code DefaultAzureCredential}, which {@code azure/login} with OIDC fills). The client the builder creates
   * talks to the public Azure cloud, or the settings' {@code endpoint}, with HTTP logging off so that no request
   * body (which carries the runner's credential) is ever logged. {@link #build()} makes no ARM call for either
   * purpose. What you pass stays yours: the launcher closes nothing. Not thread-safe; every setter returns this
   * builder.
   */
  public static final class Builder {
    private Optional<AciSettings> settings = Optional.empty();
    private Optional<AciScope> scope = Optional.empty();
    private Optional<ContainerInstanceManager> manager = Optional.empty();
    private Optional<HttpClient> httpClient = Optional.empty();
    private Optional<TokenCredential> credential = Optional.empty();
    private Optional<RetryPolicy> retryPolicy = Optional.empty();
    private Optional<URI> endpoint = Optional.empty();
    private Clock clock = Clock.systemUTC();
    private LauncherPurpose purpose = LauncherPurpose.START;

    private Builder() {}

    /** The checked settings ({@link AciSettings#builder()} or {@link AciSettings#parse}). Required to launch. */
    public Builder settings(AciSettings settings) {
      this.settings = Optional.of(settings);
      return this;
    }

    /** Only the scope (subscription, resource group, endpoint): enough for {@link LauncherPurpose#MANAGE}. */
    public Builder scope(AciScope scope) {
      this.scope = Optional.of(scope);
      return this;
    }

    /**
     * Your container instance manager, used as configured (its subscription, endpoint, credential, pipeline); the
     * settings' subscription and endpoint are then not used for the client, only the resource group.
     */
    public Builder containerInstanceManager(ContainerInstanceManager manager) {
      this.manager = Optional.of(manager);
      return this;
    }

    /** The HTTP client of the client the builder creates; stays yours. */
    public Builder httpClient(HttpClient httpClient) {
      this.httpClient = Optional.of(httpClient);
      return this;
    }

    /**
     * An HTTP client for the client the builder creates that trusts only this certificate: for an ARM endpoint
     * whose certificate a private CA signed (Azure Stack Hub, a local fake). Replaces {@link #httpClient}.
     *
     * @throws IllegalArgumentException when the certificate cannot be used as a trust anchor
     */
    public Builder trustedCertificate(X509Certificate certificate) {
      try {
        SslContext tls = SslContextBuilder.forClient().trustManager(certificate).build();
        return httpClient(new NettyAsyncHttpClientBuilder(reactor.netty.http.client.HttpClient.create()
            .secure(spec -> spec.sslContext(tls))).build());
      } catch (SSLException e) {
        throw new IllegalArgumentException("cannot trust the endpoint's certificate: " + e.getMessage(), e);
      }
    }

    /** The credential of the client the builder creates; default {@code DefaultAzureCredential}. */
    public Builder credential(TokenCredential credential) {
      this.credential = Optional.of(credential);
      return this;
    }

    /**
     * The ARM endpoint of the client the builder creates, in place of the settings' {@code endpoint} and the
     * public Azure cloud: a sovereign cloud, Azure Stack Hub, a local fake. Must be https (the SDK sends bearer
     * tokens only over https).
     */
    public Builder endpoint(URI armEndpoint) {
      if (!"https".equalsIgnoreCase(armEndpoint.getScheme()) || armEndpoint.getHost() == null) {
        throw new IllegalArgumentException("the ARM endpoint must be an https URL, was " + armEndpoint);
      }
      this.endpoint = Optional.of(armEndpoint);
      return this;
    }

    /** The retry policy of the client the builder creates; default the SDK's. */
    public Builder retryPolicy(RetryPolicy retryPolicy) {
      this.retryPolicy = Optional.of(retryPolicy);
      return this;
    }

    /** The clock for timestamps and the launch tag; default the system UTC clock. */
    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /** What the launcher is for; default {@link LauncherPurpose#START}. */
    public Builder purpose(LauncherPurpose purpose) {
      this.purpose = Objects.requireNonNull(purpose, "purpose");
      return this;
    }

    /**
     * Builds the launcher. Makes no ARM call (the manager asks for a token only with the first request); may
     * block while {@code DefaultAzureCredential} is assembled. Creates nothing.
     *
     * @throws IllegalStateException when START has no settings, or MANAGE has neither settings nor scope
     */
    public AciRunnerLauncher build() {
      if (purpose == LauncherPurpose.START && settings.isEmpty()) {
        throw new IllegalStateException("an ACI launcher for START needs settings(AciSettings)");
      }
      AciScope effectiveScope = settings.map(AciSettings::scope).or(() -> scope).orElseThrow(() ->
          new IllegalStateException("an ACI launcher needs settings(AciSettings) or scope(AciScope)"));
      ContainerGroupsClient groups = manager.isPresent() ? manager.get().serviceClient().getContainerGroups()
          : newClient(effectiveScope).getContainerGroups();
      Optional<AciSettings> launchSettings = purpose == LauncherPurpose.START ? settings : Optional.empty();
      return new AciRunnerLauncher(groups, effectiveScope, launchSettings, clock);
    }

    /**
     * The container groups client without a {@link ContainerInstanceManager}: the manager's constructor also
     * builds storage, authorization and network managers (and their clients) that this backend never calls,
     * which ties ~8 MB of Azure resource-manager modules to the action jar. This is what the manager does for its
     * own client (the same pipeline from {@link HttpPipelineProvider}: the ARM authentication policy for the
     * endpoint's scope, the retry policy, logging off; the same client builder), minus the other managers, so
     * runner-action can exclude those modules while embedders keep the whole manager.
     */
    private ContainerInstanceManagementClient newClient(AciScope scope) {
      AzureProfile profile = profile(scope);
      HttpPipeline pipeline = HttpPipelineProvider.buildHttpPipeline(
          credential.orElseGet(() -> new DefaultAzureCredentialBuilder().build()), profile, null,
          new HttpLogOptions().setLogLevel(HttpLogDetailLevel.NONE), null, retryPolicy.orElse(null),
          new ArrayList<>(), httpClient.orElse(null));
      return new ContainerInstanceManagementClientBuilder().pipeline(pipeline)
          .endpoint(profile.getEnvironment().getResourceManagerEndpoint()).subscriptionId(profile.getSubscriptionId())
          .buildClient();
    }

    private AzureProfile profile(AciScope scope) {
      AzureEnvironment environment = AzureEnvironment.AZURE;
      Optional<URI> armEndpoint = endpoint.or(scope::endpoint);
      if (armEndpoint.isPresent()) {
        Map<String, String> endpoints = new HashMap<>(AzureEnvironment.AZURE.getEndpoints());
        String base = armEndpoint.get().toString();
        endpoints.put("resourceManagerEndpointUrl", base.endsWith("/") ? base : base + "/");
        environment = new AzureEnvironment(endpoints);
      }
      return new AzureProfile(null, scope.subscriptionId(), environment);
    }
  }
}
