package io.oneshot.fakes.aci.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import io.oneshot.spi.RunnerEnvironment;
import io.oneshot.fakes.aci.AciCall;
import io.oneshot.fakes.github.RunnerBehaviour;
import io.oneshot.fakes.internal.CallLog;
import io.oneshot.fakes.internal.LoopbackServer;
import io.oneshot.fakes.internal.SimulatedContainer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The fake's HTTP entry point, speaking ARM for {@code Microsoft.ContainerInstance/containerGroups}:
 * PUT (201 + {@code Azure-AsyncOperation} + {@code Retry-After}), GET, DELETE (202 + {@code Location},
 * then 204/404), list by resource group (paged with {@code nextLink}), and the async operation and
 * operation result endpoints. Each request needs {@code Authorization: Bearer …} (not verified) and a
 * supported {@code api-version}; planned faults come next; then validation and the operation. Every
 * call, body, rejection and contract violation goes to the {@link CallLog}; an unexpected exception is
 * answered 500 and recorded as an internal failure. Thread-safe.
 */
public final class AciHandler implements HttpHandler {
  public static final String CREATE = "ContainerGroups_CreateOrUpdate";
  public static final String GET = "ContainerGroups_Get";
  public static final String DELETE = "ContainerGroups_Delete";
  public static final String LIST = "ContainerGroups_ListByResourceGroup";
  public static final String ASYNC_OPERATION = "AsyncOperation";
  public static final String OPERATION_RESULT = "OperationResult";
  /** The api-versions of Microsoft.ContainerInstance/containerGroups this fake answers. */
  public static final List<String> API_VERSIONS = List.of("2021-10-01", "2022-09-01", "2023-05-01",
      "2024-10-01-preview", "2025-09-01");

  private static final String PROVIDER = "/providers/Microsoft.ContainerInstance";
  private static final Pattern GROUP = Pattern.compile("(?i)/subscriptions/([^/]+)/resourceGroups/([^/]+)"
      + PROVIDER + "/containerGroups/([^/]+)");
  private static final Pattern GROUPS = Pattern.compile("(?i)/subscriptions/([^/]+)/resourceGroups/([^/]+)"
      + PROVIDER + "/containerGroups/?");
  private static final Pattern OPERATION = Pattern.compile("(?i)/subscriptions/([^/]+)" + PROVIDER
      + "/locations/([^/]+)/(operations|operationResults)/([^/]+)");

  private final AciState state;
  private final CallLog<AciCall> log;
  private final URI endpoint;

  public AciHandler(AciState state, CallLog<AciCall> log, URI endpoint) {
    this.state = state;
    this.log = log;
    this.endpoint = endpoint;
  }

  /** A routed request. */
  private record Route(String operation, String subscription, String resourceGroup, String name, String location,
      String operationId) {}

  @Override
  public void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      String body;
      try (InputStream in = exchange.getRequestBody()) {
        body = new String(in.readAllBytes(), StandardCharsets.UTF_8);
      }
      LoopbackServer.pause(state.faults.latency());
      String method = exchange.getRequestMethod();
      Map<String, String> query = query(exchange.getRequestURI().getRawQuery());
      Route route = route(method, exchange.getRequestURI().getPath());
      String operation = route == null ? "?" : route.operation();
      log.body(operation, body);
      try {
        if (route == null) {
          throw new ArmError(404, "InvalidResourceType", "The resource type could not be found in the namespace"
              + " 'Microsoft.ContainerInstance' for api version '" + query.getOrDefault("api-version", "") + "'.");
        }
        authenticate(exchange);
        String apiVersion = apiVersion(query, route);
        if (!route.subscription().equalsIgnoreCase(state.subscriptionId)) {
          throw new ArmError(404, "SubscriptionNotFound", "The subscription '" + route.subscription()
              + "' could not be found.");
        }
        String resourceGroup = null;
        if (route.resourceGroup() != null) {
          resourceGroup = state.resourceGroup(route.resourceGroup()).orElseThrow(() -> new ArmError(404,
              "ResourceGroupNotFound", "Resource group '" + route.resourceGroup() + "' could not be found."));
        }
        Optional<FaultPlan.RequestFault> fault = state.faults.nextRequestFault(operation);
        if (fault.filter(FaultPlan.RequestFault.RESET::equals).isPresent()) {
          // No answer: closing the exchange before any response header makes the JDK server close the
          // connection, so the client reads end of stream where the status line should be.
          log.call(new AciCall(operation, method, 0, "ConnectionReset", apiVersion));
          return;
        }
        if (fault.isPresent()) {
          ArmError error = fault(fault.get(), route, resourceGroup);
          send(exchange, operation, apiVersion, error.status(), error.code(), error.headers(),
              GroupJson.error(error.code(), error.getMessage()));
          return;
        }
        switch (operation) {
          case CREATE -> create(exchange, route, resourceGroup, apiVersion, body);
          case GET -> get(exchange, route, resourceGroup, apiVersion);
          case DELETE -> delete(exchange, route, resourceGroup, apiVersion);
          case LIST -> list(exchange, resourceGroup, apiVersion, query);
          case ASYNC_OPERATION -> operationStatus(exchange, route, apiVersion);
          default -> operationResult(exchange, route, apiVersion);
        }
      } catch (ArmError e) {
        if (!e.code().equals("ResourceNotFound")) {
          // A GET of a group that does not exist is an answer, not a refusal of the request.
          log.rejection(operation, e.code(), e.getMessage());
        }
        send(exchange, operation, query.getOrDefault("api-version", ""), e.status(), e.code(), e.headers(),
            GroupJson.error(e.code(), e.getMessage()));
      } catch (RuntimeException e) {
        log.failure(e.getClass().getName() + ": " + e.getMessage());
        send(exchange, operation, "", 500, "InternalServerError", Map.of(),
            GroupJson.error("InternalServerError", "the fake ACI failed internally"));
      }
    }
  }

  // ---- routing and the front door ---------------------------------------------------------------

  private static Route route(String method, String path) {
    Matcher m = GROUP.matcher(path);
    if (m.matches()) {
      String operation = switch (method) {
        case "PUT" -> CREATE;
        case "GET" -> GET;
        case "DELETE" -> DELETE;
        default -> null;
      };
      return operation == null ? null : new Route(operation, m.group(1), m.group(2), m.group(3), null, null);
    }
    m = GROUPS.matcher(path);
    if (m.matches() && method.equals("GET")) {
      return new Route(LIST, m.group(1), m.group(2), null, null, null);
    }
    m = OPERATION.matcher(path);
    if (m.matches() && method.equals("GET")) {
      String kind = m.group(3).equalsIgnoreCase("operations") ? ASYNC_OPERATION : OPERATION_RESULT;
      return new Route(kind, m.group(1), null, null, m.group(2), m.group(4));
    }
    return null;
  }

  private static void authenticate(HttpExchange exchange) {
    String authorization = exchange.getRequestHeaders().getFirst("Authorization");
    if (authorization == null || authorization.isBlank()) {
      throw new ArmError(401, "AuthenticationFailed", "Authentication failed. The 'Authorization' header is missing.");
    }
    if (!authorization.startsWith("Bearer ") || authorization.substring(7).isBlank()) {
      throw new ArmError(401, "AuthenticationFailedInvalidHeader", "Authentication failed. The 'Authorization' header"
          + " is provided in an invalid format.");
    }
  }

  private static String apiVersion(Map<String, String> query, Route route) {
    String version = query.get("api-version");
    if (version == null || version.isBlank()) {
      throw ArmError.badRequest("MissingApiVersionParameter",
          "The api-version query parameter (?api-version=) is required for all requests.");
    }
    if (!API_VERSIONS.contains(version)) {
      throw ArmError.badRequest("NoRegisteredProviderFound", "No registered resource provider found for location '"
          + Optional.ofNullable(route.location()).orElse("eastus") + "' and API version '" + version + "' for type"
          + " 'containerGroups'. The supported api-versions are '" + String.join(", ", API_VERSIONS) + "'.");
    }
    return version;
  }

  private ArmError fault(FaultPlan.RequestFault fault, Route route, String resourceGroup) {
    String action = "Microsoft.ContainerInstance/containerGroups/" + switch (route.operation()) {
      case CREATE -> "write";
      case DELETE -> "delete";
      default -> "read";
    };
    return switch (fault) {
      case THROTTLE -> new ArmError(429, "SubscriptionRequestsThrottled", "Number of '"
          + (route.operation().equals(CREATE) || route.operation().equals(DELETE) ? "write" : "read")
          + "' requests for subscription '" + state.subscriptionId + "' actor 'oneshot' exceeded. Please try again"
          + " after '" + state.faults.retryAfterSeconds() + "' seconds after additional tips.")
          .header("Retry-After", Integer.toString(state.faults.retryAfterSeconds()));
      case SERVICE_UNAVAILABLE, RESET -> new ArmError(503, "ServiceUnavailable",
          "The service is temporarily unavailable. Please try again later.");
      case CONFLICT -> new ArmError(409, "Conflict", "The operation cannot be completed because another operation"
          + " is in progress on container group '" + Optional.ofNullable(route.name()).orElse("") + "'. Please retry"
          + " later.");
      case AUTHORIZATION_FAILED -> new ArmError(403, "AuthorizationFailed", "The client 'oneshot-ci' with object id"
          + " '00000000-0000-0000-0000-0000000000ad' does not have authorization to perform action '" + action
          + "' over scope '/subscriptions/" + state.subscriptionId
          + (resourceGroup == null ? "" : "/resourceGroups/" + resourceGroup
          + (route.name() == null ? "" : "/providers/Microsoft.ContainerInstance/containerGroups/" + route.name()))
          + "' or the scope is invalid. If access was recently granted, please refresh your credentials.");
    };
  }

  // ---- operations ---------------------------------------------------------------------------------

  private void create(HttpExchange exchange, Route route, String resourceGroup, String apiVersion, String body)
      throws IOException {
    String contentType = Optional.ofNullable(exchange.getRequestHeaders().getFirst("Content-Type")).orElse("");
    if (!contentType.toLowerCase(Locale.ROOT).startsWith("application/json")) {
      throw new ArmError(415, "UnsupportedMediaType", "The content media type '" + contentType + "' is not"
          + " supported. Only 'application/json' is supported.");
    }
    JsonNode json;
    try {
      json = GroupJson.MAPPER.readTree(body.isBlank() ? "null" : body);
    } catch (JsonProcessingException e) {
      throw ArmError.invalidContent("Unexpected character encountered while parsing value. Path ''");
    }
    GroupSpec spec = GroupSpec.parse(route.name(), json);
    Instant now = state.clock.instant();
    Optional<GroupRecord> existing = state.group(resourceGroup, route.name());
    if (existing.isPresent()) {
      GroupRecord group = existing.get();
      if (group.deleting()) {
        throw new ArmError(409, "Conflict", "The container group '" + route.name() + "' is being deleted. Please"
            + " retry later.");
      }
      if (!group.spec().request().equals(spec.request())) {
        throw updateRefused(group.spec(), spec, route.name());
      }
      sendGroup(exchange, CREATE, apiVersion, 200, group, Map.of());
      return;
    }
    Optional<FaultPlan.PutRefusal> refusal = state.faults.nextRefusal(spec.priority());
    if (refusal.isPresent()) {
      ArmError error = refusal(refusal.get(), spec, route.name());
      send(exchange, CREATE, apiVersion, error.status(), error.code(), Map.of(),
          GroupJson.error(error.code(), error.getMessage()));
      return;
    }
    FaultPlan.Fate fate = state.faults.nextFate();
    Instant runningAt = now.plus(state.timings.untilRunning());
    SimulatedContainer container = null;
    boolean provisions = !(fate instanceof FaultPlan.ImagePullFailure) && !(fate instanceof FaultPlan.CapacityAfterAccept);
    if (state.github != null && provisions) {
      RunnerBehaviour behaviour = fate instanceof FaultPlan.NeverOnline ? RunnerBehaviour.NEVER_ONLINE
          : fate instanceof FaultPlan.CrashOnBoot crash ? RunnerBehaviour.crashOnBoot(crash.exitCode())
          : RunnerBehaviour.NORMAL;
      if (spec.environment().containsKey(RunnerEnvironment.JIT_CONFIG)
          || spec.environment().containsKey(RunnerEnvironment.RUNNER_TOKEN)) {
        container = new SimulatedContainer(state.github, spec.environment(), runningAt, state.timings.bootDelay(),
            behaviour);
      }
    }
    String privateIp = "Private".equals(spec.ipAddressType()) ? state.nextPrivateIp() : null;
    String operationId = state.uuid();
    GroupRecord group = new GroupRecord(state.groupId(resourceGroup, route.name()), resourceGroup, route.name(), spec,
        now, state.timings, fate, container, privateIp, operationId);
    state.put(group);
    AciState.Operation operation = state.newOperation(false, group);
    Map<String, String> headers = new LinkedHashMap<>();
    headers.put("Azure-AsyncOperation", operationUrl("operations", spec.location(), operation.id(), apiVersion));
    headers.put("Retry-After", Integer.toString(state.lroRetryAfterSeconds));
    ObjectNode rendered = GroupJson.render(group, group.accepted(), true);
    checkShape(CREATE, rendered);
    send(exchange, CREATE, apiVersion, 201, "", headers, rendered);
  }

  private static ArmError updateRefused(GroupSpec current, GroupSpec wanted, String name) {
    boolean immutable = !current.osType().equals(wanted.osType())
        || !current.restartPolicy().equals(wanted.restartPolicy()) || current.cpu() != wanted.cpu()
        || current.memoryInGb() != wanted.memoryInGb() || !current.priority().equals(wanted.priority());
    if (immutable) {
      return ArmError.badRequest("InvalidContainerGroupUpdate", "The updates on container group '" + name + "' are"
          + " invalid. If you are going to update the os type, restart policy, network profile, CPU, memory or GPU"
          + " resources for a container group, you must delete it first and then create a new one.");
    }
    // ACI would update the group in place; this fake does not model updates and says so.
    return new ArmError(409, "FakeUpdateNotModelled", "The fake ACI does not model updates of an existing container"
        + " group ('" + name + "'); delete it first or use a new name.");
  }

  private ArmError refusal(FaultPlan.PutRefusal refusal, GroupSpec spec, String name) {
    String cpu = GroupRecord.trim(spec.cpu());
    String memory = GroupRecord.trim(spec.memoryInGb());
    return switch (refusal) {
      case CAPACITY -> new ArmError(409, "ServiceUnavailable", "The requested resource is not available in the"
          + " location '" + spec.location() + "' at this moment. Please retry with a different resource request or in"
          + " another location. Resource requested: '" + cpu + "' CPU '" + memory + "' GB memory '" + spec.osType()
          + "' OS" + (spec.subnetIds().isEmpty() ? "" : " virtual network"));
      case SKU_NOT_AVAILABLE -> new ArmError(409, "SkuNotAvailable", "The requested resource with priority '"
          + spec.priority() + "' is currently not available in location '" + spec.location() + "' for subscription '"
          + state.subscriptionId + "'. Please try another priority or location.");
      case QUOTA_REACHED -> new ArmError(409, "ContainerGroupQuotaReached", "Resource type"
          + " 'Microsoft.ContainerInstance/containerGroups' container group quota 'StandardCores' exceeded in region '"
          + spec.location() + "'. Limit: '10', Usage: '10' Requested: '" + cpu + "'.");
      case INACCESSIBLE_IMAGE -> ArmError.badRequest("InaccessibleImage", "The image '" + spec.image()
          + "' in container group '" + name + "' is not accessible. Please check the image and registry credential.");
    };
  }

  private void get(HttpExchange exchange, Route route, String resourceGroup, String apiVersion) throws IOException {
    GroupRecord group = state.group(resourceGroup, route.name()).orElseThrow(() -> notFound(resourceGroup, route));
    sendGroup(exchange, GET, apiVersion, 200, group, Map.of());
  }

  private static ArmError notFound(String resourceGroup, Route route) {
    return new ArmError(404, "ResourceNotFound", "The Resource 'Microsoft.ContainerInstance/containerGroups/"
        + route.name() + "' under resource group '" + resourceGroup + "' was not found. For more details please go to"
        + " https://aka.ms/ARMResourceNotFoundFix");
  }

  private void delete(HttpExchange exchange, Route route, String resourceGroup, String apiVersion) throws IOException {
    Optional<GroupRecord> found = state.group(resourceGroup, route.name());
    if (found.isEmpty()) {
      send(exchange, DELETE, apiVersion, 204, "", Map.of(), null);
      return;
    }
    GroupRecord group = found.get();
    String operationId = group.deleteOperationId()
        .orElseGet(() -> group.delete(state.clock.instant(), state.newOperation(true, group).id()));
    Map<String, String> headers = new LinkedHashMap<>();
    headers.put("Location", operationUrl("operationResults", group.spec().location(), operationId, apiVersion));
    headers.put("Azure-AsyncOperation", operationUrl("operations", group.spec().location(), operationId, apiVersion));
    headers.put("Retry-After", Integer.toString(state.lroRetryAfterSeconds));
    send(exchange, DELETE, apiVersion, 202, "", headers, null);
  }

  private void list(HttpExchange exchange, String resourceGroup, String apiVersion, Map<String, String> query)
      throws IOException {
    List<GroupRecord> all = state.groupsIn(resourceGroup);
    int from = 0;
    if (query.containsKey("$skiptoken")) {
      try {
        from = Integer.parseInt(query.get("$skiptoken"));
      } catch (NumberFormatException e) {
        throw ArmError.badRequest("InvalidSkipToken", "The skip token '" + query.get("$skiptoken") + "' is invalid.");
      }
    }
    int to = Math.min(all.size(), from + state.listPageSize);
    ObjectNode page = GroupJson.MAPPER.createObjectNode();
    ArrayNode value = page.putArray("value");
    Instant now = state.clock.instant();
    for (GroupRecord group : all.subList(Math.min(from, all.size()), to)) {
      ObjectNode rendered = GroupJson.render(group, group.observe(now), false);
      checkShape(LIST, rendered);
      value.add(rendered);
    }
    if (to < all.size()) {
      page.put("nextLink", endpoint + "/subscriptions/" + state.subscriptionId + "/resourceGroups/" + resourceGroup
          + PROVIDER + "/containerGroups?api-version=" + apiVersion + "&$skiptoken=" + to);
    }
    send(exchange, LIST, apiVersion, 200, "", Map.of(), page);
  }

  private void operationStatus(HttpExchange exchange, Route route, String apiVersion) throws IOException {
    AciState.Operation operation = state.operation(route.operationId()).orElseThrow(() -> new ArmError(404,
        "OperationNotFound", "The operation '" + route.operationId() + "' could not be found."));
    Instant now = state.clock.instant();
    GroupRecord group = operation.group();
    String status = operation.delete() ? (group.exists(now) ? "InProgress" : "Succeeded") : group.createStatus(now);
    ObjectNode body = GroupJson.MAPPER.createObjectNode();
    body.put("id", "/subscriptions/" + state.subscriptionId + PROVIDER + "/locations/" + route.location()
        + "/operations/" + operation.id());
    body.put("name", operation.id());
    body.put("status", status);
    body.put("startTime", GroupJson.timestamp(operation.startedAt()));
    Map<String, String> headers = new LinkedHashMap<>();
    if (status.equals("InProgress")) {
      headers.put("Retry-After", Integer.toString(state.lroRetryAfterSeconds));
    } else {
      body.put("endTime", GroupJson.timestamp(now));
    }
    if (status.equals("Failed")) {
      GroupRecord.View view = group.observe(now);
      ObjectNode error = body.putObject("error");
      error.put("code", view.failureCode());
      error.put("message", view.failureMessage());
    }
    send(exchange, ASYNC_OPERATION, apiVersion, 200, "", headers, body);
  }

  private void operationResult(HttpExchange exchange, Route route, String apiVersion) throws IOException {
    AciState.Operation operation = state.operation(route.operationId()).filter(AciState.Operation::delete)
        .orElseThrow(() -> new ArmError(404, "OperationNotFound", "The operation result '" + route.operationId()
            + "' could not be found."));
    if (operation.group().exists(state.clock.instant())) {
      Map<String, String> headers = new LinkedHashMap<>();
      headers.put("Location", operationUrl("operationResults", route.location(), operation.id(), apiVersion));
      headers.put("Retry-After", Integer.toString(state.lroRetryAfterSeconds));
      send(exchange, OPERATION_RESULT, apiVersion, 202, "", headers, null);
    } else {
      send(exchange, OPERATION_RESULT, apiVersion, 204, "", Map.of(), null);
    }
  }

  // ---- plumbing -----------------------------------------------------------------------------------

  private String operationUrl(String kind, String location, String id, String apiVersion) {
    return endpoint + "/subscriptions/" + state.subscriptionId + PROVIDER + "/locations/"
        + location.toLowerCase(Locale.ROOT).replace(" ", "") + "/" + kind + "/" + id + "?api-version=" + apiVersion;
  }

  private void sendGroup(HttpExchange exchange, String operation, String apiVersion, int status, GroupRecord group,
      Map<String, String> headers) throws IOException {
    ObjectNode rendered = GroupJson.render(group, group.observe(state.clock.instant()), true);
    checkShape(operation, rendered);
    send(exchange, operation, apiVersion, status, "", headers, rendered);
  }

  private void checkShape(String operation, ObjectNode rendered) {
    for (String path : ExampleShapes.get().unknownPaths(rendered)) {
      log.violation(operation, "answered with '" + path + "', which no published example nor the swagger shows");
    }
  }

  private void send(HttpExchange exchange, String operation, String apiVersion, int status, String errorCode,
      Map<String, String> headers, JsonNode body) throws IOException {
    if (status < 400) {
      Optional<FaultPlan.AnswerLoss> loss = state.faults.nextAnswerLoss(operation);
      if (loss.filter(FaultPlan.AnswerLoss.RESET::equals).isPresent()) {
        // The request took effect; no answer: the exchange closes before any response header.
        log.call(new AciCall(operation, exchange.getRequestMethod(), 0, "AnswerLost", apiVersion));
        return;
      }
      if (loss.isPresent()) {
        send(exchange, operation, apiVersion, 503, "ServiceUnavailable", Map.of(),
            GroupJson.error("ServiceUnavailable", "The service is temporarily unavailable. Please try again later."));
        return;
      }
    }
    byte[] bytes = body == null ? new byte[0] : GroupJson.MAPPER.writeValueAsBytes(body);
    String requestId = state.uuid();
    exchange.getResponseHeaders().set("x-ms-request-id", requestId);
    exchange.getResponseHeaders().set("x-ms-correlation-request-id", requestId);
    headers.forEach((name, value) -> exchange.getResponseHeaders().set(name, value));
    if (body != null) {
      exchange.getResponseHeaders().set("Content-Type", "application/json; charset=utf-8");
    }
    // Record before answering: the client may look as soon as it has the answer.
    log.call(new AciCall(operation, exchange.getRequestMethod(), status, errorCode, apiVersion));
    exchange.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
    if (bytes.length > 0) {
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(bytes);
      }
    }
  }

  private static Map<String, String> query(String rawQuery) {
    Map<String, String> out = new LinkedHashMap<>();
    if (rawQuery == null) {
      return out;
    }
    for (String pair : rawQuery.split("&")) {
      int eq = pair.indexOf('=');
      String key = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
      String value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
      out.put(key, value);
    }
    return out;
  }

}
