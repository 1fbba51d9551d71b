package io.oneshot.fakes.aci;

import io.oneshot.fakes.aci.internal.AciHandler;
import io.oneshot.fakes.aci.internal.AciState;
import io.oneshot.fakes.aci.internal.GroupRecord;
import io.oneshot.fakes.aci.internal.GroupSpec;
import io.oneshot.fakes.github.FakeGitHub;
import io.oneshot.fakes.github.SimulatedRunner;
import io.oneshot.fakes.internal.CallLog;
import io.oneshot.fakes.internal.LoopbackServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;

/**
 * A stateful, wire-faithful fake of Azure Resource Manager for Azure Container Instances container
 * groups, served over <b>https</b> on 127.0.0.1 (random port) with a self-signed certificate for
 * {@code IP:127.0.0.1} ({@link #certificate()}: trust it in the client). Point the Azure SDK's
 * {@code resourceManagerEndpointUrl} at {@link #endpoint()}.
 *
 * <p>Https because the Azure SDK's bearer-token policy refuses to send a token over plain http; the
 * SDK's own pipeline, credential and all, then runs unchanged against the fake. Requests need
 * {@code Authorization: Bearer …} (not verified) and a supported {@code api-version}. PUT answers 201
 * with {@code Azure-AsyncOperation} and a short {@code Retry-After}; DELETE answers 202 with
 * {@code Location}, then the group is gone (404; DELETE 204). PUT bodies are checked as ACI checks them
 * (names, cpu and memory, image, osType, enum values, subnet and identity ids) and every group the
 * fake sends is checked against the shape of Microsoft's published examples. Groups move through
 * their lifecycle lazily on the clock ({@link AciTimings}); when the container starts, its
 * environment (secure values included) starts a {@link SimulatedRunner} against the
 * {@link FakeGitHub}, and when that runner exits the container terminates with its exit code. GET
 * never returns a {@code secureValue} or a registry password. Faults come from {@link #faults()}; ids
 * come from the seed.
 *
 * <p>Thread-safe; nothing blocks except {@link Builder#build()} and {@link #close()}. Setup methods are
 * idempotent where stated.
 */
public final class FakeAci implements AutoCloseable {
  /** The subscription the fake serves unless the builder says otherwise. */
  public static final String DEFAULT_SUBSCRIPTION = "00000000-0000-0000-0000-00000000ac10";
  private static final String KEYSTORE = "fake-aci.p12";
  private static final char[] KEYSTORE_PASSWORD = "oneshot-fake-aci".toCharArray();

  private final LoopbackServer server;
  private final URI endpoint;
  private final X509Certificate certificate;
  private final AciState state;
  private final CallLog<AciCall> log = new CallLog<>(AciCall::operation);
  private final AciFaults faults;

  private FakeAci(Builder builder) {
    state = new AciState(builder.subscriptionId, builder.clock, builder.github, builder.timings, builder.seed,
        builder.listPageSize, builder.lroRetryAfterSeconds);
    faults = new AciFaults(state.faults);
    KeyStore keyStore = keyStore();
    try {
      certificate = (X509Certificate) keyStore.getCertificate("fake-aci");
      KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
      keys.init(keyStore, KEYSTORE_PASSWORD);
      SSLContext tls = SSLContext.getInstance("TLS");
      tls.init(keys.getKeyManagers(), null, null);
      server = LoopbackServer.bind("ACI", Optional.of(tls));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("cannot set up the fake ACI's TLS", e);
    }
    endpoint = server.origin();
    server.start(new AciHandler(state, log, endpoint));
  }

  private static KeyStore keyStore() {
    try (InputStream in = FakeAci.class.getResourceAsStream(KEYSTORE)) {
      if (in == null) {
        throw new IllegalStateException("missing resource " + KEYSTORE);
      }
      KeyStore keyStore = KeyStore.getInstance("PKCS12");
      keyStore.load(in, KEYSTORE_PASSWORD);
      return keyStore;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("cannot read " + KEYSTORE, e);
    }
  }

  /** A builder: subscription {@link #DEFAULT_SUBSCRIPTION}, seed 0, {@link AciTimings#defaults()}, pages of 100. */
  public static Builder builder() {
    return new Builder();
  }

  /** Configures and starts a {@link FakeAci}. Not thread-safe; use once. */
  public static final class Builder {
    private FakeGitHub github;
    private Clock clock;
    private long seed;
    private String subscriptionId = DEFAULT_SUBSCRIPTION;
    private AciTimings timings = AciTimings.defaults();
    private int listPageSize = 100;
    private int lroRetryAfterSeconds = 1;

    private Builder() {}

    /** The fake GitHub the containers' runners connect to; without one no runner is simulated. */
    public Builder github(FakeGitHub github) {
      this.github = Objects.requireNonNull(github, "github");
      return this;
    }

    /** The lifecycle clock (default: the FakeGitHub's, else the system UTC clock). */
    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /** Seeds every id the fake makes up and its random faults. */
    public Builder seed(long seed) {
      this.seed = seed;
      return this;
    }

    public Builder subscriptionId(String subscriptionId) {
      this.subscriptionId = Objects.requireNonNull(subscriptionId, "subscriptionId");
      return this;
    }

    public Builder timings(AciTimings timings) {
      this.timings = Objects.requireNonNull(timings, "timings");
      return this;
    }

    /** Groups per list page before a {@code nextLink}. */
    public Builder listPageSize(int size) {
      if (size < 1) {
        throw new IllegalArgumentException("page size must be positive");
      }
      this.listPageSize = size;
      return this;
    }

    /** The {@code Retry-After} of long-running operation answers (default 1 s, as ACI answers). */
    public Builder lroRetryAfterSeconds(int seconds) {
      if (seconds < 0) {
        throw new IllegalArgumentException("Retry-After must not be negative");
      }
      this.lroRetryAfterSeconds = seconds;
      return this;
    }

    /** Starts the server (blocks briefly). */
    public FakeAci build() {
      if (clock == null) {
        clock = github != null ? github.clock() : Clock.systemUTC();
      } else if (github != null && clock != github.clock()) {
        throw new IllegalArgumentException("the fake ACI must use its FakeGitHub's clock (runners live on it)");
      }
      return new FakeAci(this);
    }
  }

  // ---- address and setup --------------------------------------------------------------------------

  /** The ARM endpoint, {@code https://127.0.0.1:PORT}. */
  public URI endpoint() {
    return endpoint;
  }

  /** The server's self-signed certificate (SAN {@code IP:127.0.0.1}), for the client's trust store. */
  public X509Certificate certificate() {
    return certificate;
  }

  public String subscriptionId() {
    return state.subscriptionId;
  }

  public Clock clock() {
    return state.clock;
  }

  /** Creates a resource group (ARM answers 404 {@code ResourceGroupNotFound} for others). Idempotent. */
  public void addResourceGroup(String name, String location) {
    state.addResourceGroup(Objects.requireNonNull(name, "name"), Objects.requireNonNull(location, "location"));
  }

  /** The ARM resource id a group of that name in that resource group has. */
  public String groupId(String resourceGroup, String name) {
    return state.groupId(resourceGroup, name);
  }

  /** Whether ACI accepts this as a container group or container name. */
  public static boolean isValidName(String name) {
    return GroupSpec.NAME.matcher(name).matches();
  }

  // ---- groups -------------------------------------------------------------------------------------

  /** Every container group that exists now, observed now, in creation order. */
  public List<FakeContainerGroup> groups() {
    Instant now = state.clock.instant();
    List<FakeContainerGroup> out = new ArrayList<>();
    for (GroupRecord group : state.history()) {
      if (!group.forgotten()) {
        GroupRecord.View view = group.observe(now);
        if (!view.gone()) {
          out.add(snapshot(group, view));
        }
      }
    }
    return out;
  }

  /** One group by resource id, if it exists now. */
  public Optional<FakeContainerGroup> group(String resourceId) {
    Instant now = state.clock.instant();
    return state.byId(resourceId).filter(g -> g.exists(now)).map(g -> snapshot(g, g.observe(now)));
  }

  /** The runner process of a group once its container runs (empty before, or without a FakeGitHub). */
  public Optional<SimulatedRunner> runner(String resourceId) {
    return state.byId(resourceId).flatMap(g -> g.runner(state.clock.instant()));
  }

  /** Brings every group up to the clock, as if someone had looked at it. Idempotent; never blocks. */
  public void poll() {
    Instant now = state.clock.instant();
    for (GroupRecord group : state.history()) {
      group.runner(now).ifPresent(SimulatedRunner::poll);
      group.observe(now);
    }
  }

  /** Drops a group at once, as if it had been deleted long ago: GET 404, not listed. Idempotent. */
  public void forget(String resourceId) {
    state.byId(resourceId).ifPresent(GroupRecord::forget);
  }

  private static FakeContainerGroup snapshot(GroupRecord group, GroupRecord.View view) {
    GroupSpec spec = group.spec();
    Map<String, String> plain = new java.util.LinkedHashMap<>(spec.environment());
    plain.keySet().removeAll(spec.secureNames());
    return new FakeContainerGroup(group.id(), group.resourceGroup(), group.name(), spec.location(),
        view.provisioningState(), Optional.ofNullable(view.groupState()), Optional.ofNullable(view.containerState()),
        view.exitCode(), spec.tags(), spec.image(), spec.cpu(), spec.memoryInGb(), Map.copyOf(plain),
        Set.copyOf(spec.secureNames()),
        spec.request().path("properties").has("priority") ? Optional.of(spec.priority()) : Optional.empty(),
        spec.zones(), spec.subnetIds(),
        Optional.ofNullable(group.privateIp()).filter(ip -> "Succeeded".equals(view.provisioningState())),
        spec.registryServers(), spec.identities(),
        Optional.ofNullable(spec.request().path("properties").path("restartPolicy").textValue()), spec.osType());
  }

  // ---- inspection ---------------------------------------------------------------------------------

  /** The fault plan. */
  public AciFaults faults() {
    return faults;
  }

  /** Requests received for an operation, faulted and rejected ones included. */
  public int callCount(String operation) {
    return log.count(operation);
  }

  /** Every request answered, in order. */
  public List<AciCall> calls() {
    return log.calls();
  }

  /** The {@code api-version}s requests carried. */
  public Set<String> apiVersions() {
    Set<String> versions = new TreeSet<>();
    log.calls().forEach(c -> {
      if (!c.apiVersion().isEmpty()) {
        versions.add(c.apiVersion());
      }
    });
    return versions;
  }

  /** The raw request bodies of an operation, in order (they hold secrets: do not log them). */
  public List<String> requestBodies(String operation) {
    return log.bodies(operation);
  }

  /**
   * The requests the fake rejected as ARM would (validation, authentication, unknown subscription or
   * resource group), as {@code "Operation: Code: message"}. Injected faults and a GET's 404 for a group
   * that does not exist are not listed.
   */
  public List<String> rejectedRequests() {
    return log.rejections();
  }

  /** Answers that broke the published examples' shape, and internal failures; they fail {@link #close()}. */
  public List<String> contractViolations() {
    return log.problems();
  }

  /**
   * Stops the server.
   *
   * @throws AssertionError listing the fake's contract violations and internal failures, if any
   */
  @Override
  public void close() {
    server.close();
    log.assertNoProblems("ACI");
  }
}
