package io.oneshot.fakes.ecs.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import io.oneshot.fakes.ecs.EcsCall;
import io.oneshot.fakes.internal.CallLog;
import io.oneshot.fakes.internal.LoopbackServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * The fake's single HTTP entry point on {@code POST /}: ECS awsJson 1.1 requests (told apart by their
 * {@code X-Amz-Target}) and EC2 query requests (form bodies). For each it checks a SigV4
 * {@code Authorization} header is present (signatures are not verified), applies planned front-door
 * faults, validates, runs the operation and answers with a request id; it records every call, body and
 * rejection in the {@link CallLog}. An unexpected exception is answered with 500 and recorded as an
 * internal failure. Thread-safe.
 */
public final class EcsHandler implements HttpHandler {
  public static final String TARGET_PREFIX = "AmazonEC2ContainerServiceV20141113.";
  private static final String ECS_CONTENT_TYPE = "application/x-amz-json-1.1";
  private static final String SIGV4 = "AWS4-HMAC-SHA256 ";

  private final EcsState state;
  private final EcsModel model;
  private final ShapeValidator validator;
  private final RunTaskOperation runTask;
  private final TaskOperations taskOperations;
  private final Ec2Operations ec2;
  private final CallLog<EcsCall> log;

  public EcsHandler(EcsState state, CallLog<EcsCall> log) {
    this.state = state;
    this.model = EcsModel.get();
    this.validator = new ShapeValidator(model);
    this.runTask = new RunTaskOperation(state);
    this.taskOperations = new TaskOperations(state);
    this.ec2 = new Ec2Operations(state);
    this.log = log;
  }

  @Override
  public void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      String body;
      try (InputStream in = exchange.getRequestBody()) {
        body = new String(in.readAllBytes(), StandardCharsets.UTF_8);
      }
      String requestId = state.ids.uuid();
      LoopbackServer.pause(state.faults.latency());
      String target = exchange.getRequestHeaders().getFirst("X-Amz-Target");
      String contentType = Optional.ofNullable(exchange.getRequestHeaders().getFirst("Content-Type")).orElse("");
      try {
        if (!exchange.getRequestMethod().equals("POST") || !exchange.getRequestURI().getPath().equals("/")) {
          sendEcsError(exchange, "?", requestId, new EcsError("UnknownOperationException", 404, null, null), true);
        } else if (target == null && contentType.startsWith("application/x-www-form-urlencoded")) {
          handleEc2(exchange, body, requestId);
        } else {
          handleEcs(exchange, target, body, requestId);
        }
      } catch (RuntimeException e) {
        log.failure(e.getClass().getName() + ": " + e.getMessage());
        log.call(new EcsCall("?", sdkRequest(exchange), 500, "ServerException"));
        send(exchange, 500, ECS_CONTENT_TYPE, requestId,
            "{\"__type\":\"ServerException\",\"message\":\"the fake ECS failed internally\"}");
      }
    }
  }

  // ---- ECS ----------------------------------------------------------------------------------------

  private void handleEcs(HttpExchange exchange, String target, String body, String requestId) throws IOException {
    String operation = target != null && target.startsWith(TARGET_PREFIX) ? target.substring(TARGET_PREFIX.length())
        : null;
    if (operation == null || !model.hasOperation(operation)) {
      log.body("?", body);
      sendEcsError(exchange, "?", requestId, EcsError.client("UnknownOperationException", null), true);
      return;
    }
    log.body(operation, body);
    String authorization = exchange.getRequestHeaders().getFirst("Authorization");
    if (authorization == null) {
      sendEcsError(exchange, operation, requestId,
          EcsError.client("MissingAuthenticationTokenException", "Missing Authentication Token"), true);
      return;
    }
    if (!authorization.startsWith(SIGV4)) {
      sendEcsError(exchange, operation, requestId, EcsError.client("IncompleteSignatureException",
          "Authorization header requires the AWS4-HMAC-SHA256 signing algorithm."), true);
      return;
    }
    Optional<FaultQueues.RequestFault> fault = state.faults.nextRequestFault(operation);
    if (fault.filter(FaultQueues.RequestFault.RESET::equals).isPresent()) {
      dropConnection(exchange, operation);
      return;
    }
    if (fault.isPresent()) {
      sendEcsError(exchange, operation, requestId, ecsFault(fault.get(), operation, body), false);
      return;
    }
    try {
      if (!ECS_CONTENT_TYPE.equals(exchange.getRequestHeaders().getFirst("Content-Type"))) {
        throw EcsError.serialization("Content-Type must be " + ECS_CONTENT_TYPE + ".");
      }
      JsonNode request = parse(body);
      validator.validateRequest(request, model.inputShape(operation));
      ObjectNode response = switch (operation) {
        case "RunTask" -> runTask.run(request);
        case "DescribeTasks" -> taskOperations.describeTasks(request);
        case "StopTask" -> taskOperations.stopTask(request);
        case "ListTasks" -> taskOperations.listTasks(request);
        case "DescribeTaskDefinition" -> taskOperations.describeTaskDefinition(request);
        default -> throw EcsError.client("UnknownOperationException", null);
      };
      for (String problem : validator.validateResponse(response, model.outputShape(operation))) {
        log.violation(operation, problem);
      }
      String json = TaskJson.mapper().writeValueAsString(response);
      Optional<FaultQueues.AnswerLoss> loss = state.faults.nextAnswerLoss(operation);
      if (loss.filter(FaultQueues.AnswerLoss.RESET::equals).isPresent()) {
        // The operation took effect; its answer never reaches the client.
        log.call(new EcsCall(operation, sdkRequest(exchange), 0, "AnswerLost"));
        return;
      }
      if (loss.isPresent()) {
        sendEcsError(exchange, operation, requestId, ecsFault(FaultQueues.RequestFault.SERVER_ERROR, operation, body),
            false);
        return;
      }
      log.call(new EcsCall(operation, sdkRequest(exchange), 200, ""));
      send(exchange, 200, ECS_CONTENT_TYPE, requestId, json);
    } catch (EcsError e) {
      sendEcsError(exchange, operation, requestId, e, true);
    }
  }

  private static JsonNode parse(String body) {
    String text = body.isBlank() ? "{}" : body;
    try {
      JsonNode node = TaskJson.mapper().readTree(text);
      if (node == null || !node.isObject()) {
        throw EcsError.serialization("Start of structure expected.");
      }
      return node;
    } catch (JsonProcessingException e) {
      throw EcsError.serialization("The request body is not valid JSON.");
    }
  }

  private EcsError ecsFault(FaultQueues.RequestFault fault, String operation, String body) {
    return switch (fault) {
      case THROTTLE -> EcsError.client("ThrottlingException", "Rate exceeded");
      case SERVER_ERROR, RESET -> new EcsError("ServerException", 500, "Service Unavailable. Please try again later.",
          null);
      case ACCESS_DENIED -> EcsError.client("AccessDeniedException", "User: " + caller()
          + " is not authorized to perform: ecs:" + operation + " on resource: " + resourceOf(operation, body)
          + " because no identity-based policy allows the ecs:" + operation + " action");
    };
  }

  private String caller() {
    return "arn:aws:sts::" + state.accountId + ":assumed-role/ci/oneshot";
  }

  /** The resource IAM would name: the task definition for RunTask, the cluster otherwise. */
  private String resourceOf(String operation, String body) {
    JsonNode request;
    try {
      request = TaskJson.mapper().readTree(body.isBlank() ? "{}" : body);
    } catch (JsonProcessingException e) {
      return "*";
    }
    if (operation.equals("RunTask") || operation.equals("DescribeTaskDefinition")) {
      String reference = request.path("taskDefinition").asText("");
      return state.definitions.resolve(reference).map(TaskDefinitions.Registered::arn)
          .orElse(reference.startsWith("arn:") ? reference
              : "arn:aws:ecs:" + state.region + ":" + state.accountId + ":task-definition/" + reference);
    }
    String cluster = request.path("cluster").asText("default");
    return cluster.startsWith("arn:") ? cluster : state.clusterArn(cluster);
  }

  private void sendEcsError(HttpExchange exchange, String operation, String requestId, EcsError error,
      boolean rejection) throws IOException {
    ObjectNode body = TaskJson.object();
    body.put("__type", error.code());
    if (error.getMessage() != null) {
      body.put("message", error.getMessage());
    }
    if (error.extra() != null) {
      body.setAll(error.extra());
    }
    exchange.getResponseHeaders().set("x-amzn-ErrorType", error.code());
    // Record before answering: the client may look as soon as it has the answer.
    if (rejection) {
      log.rejection(operation, error.code(), String.valueOf(error.getMessage()));
    }
    log.call(new EcsCall(operation, sdkRequest(exchange), error.status(), error.code()));
    send(exchange, error.status(), ECS_CONTENT_TYPE, requestId, TaskJson.mapper().writeValueAsString(body));
  }

  // ---- EC2 ----------------------------------------------------------------------------------------

  private void handleEc2(HttpExchange exchange, String body, String requestId) throws IOException {
    QueryRequest request = QueryRequest.parse(body);
    String action = request.get("Action").orElse("?");
    log.body(action, body);
    try {
      if (action.equals("?")) {
        throw Ec2Error.client("MissingAction", "The request must contain the parameter Action");
      }
      if (exchange.getRequestHeaders().getFirst("Authorization") == null
          || !exchange.getRequestHeaders().getFirst("Authorization").startsWith(SIGV4)) {
        throw new Ec2Error("AuthFailure", 401, "AWS was not able to validate the provided access credentials");
      }
      if (!Ec2Operations.supports(action)) {
        throw Ec2Error.client("InvalidAction", "The action " + action + " is not valid for this web service.");
      }
      if (request.get("Version").isEmpty()) {
        throw Ec2Error.client("MissingParameter", "The request must contain the parameter Version");
      }
    } catch (Ec2Error e) {
      sendEc2Error(exchange, action, requestId, e, true);
      return;
    }
    Optional<FaultQueues.RequestFault> fault = state.faults.nextRequestFault(action);
    if (fault.filter(FaultQueues.RequestFault.RESET::equals).isPresent()) {
      dropConnection(exchange, action);
      return;
    }
    if (fault.isPresent()) {
      sendEc2Error(exchange, action, requestId, ec2Fault(fault.get(), action), false);
      return;
    }
    try {
      String xml = ec2.answer(action, request, requestId);
      log.call(new EcsCall(action, sdkRequest(exchange), 200, ""));
      send(exchange, 200, "text/xml;charset=UTF-8", requestId, xml);
    } catch (Ec2Error e) {
      sendEc2Error(exchange, action, requestId, e, true);
    }
  }

  private Ec2Error ec2Fault(FaultQueues.RequestFault fault, String action) {
    return switch (fault) {
      case THROTTLE -> new Ec2Error("RequestLimitExceeded", 503, "Request limit exceeded.");
      case SERVER_ERROR, RESET -> new Ec2Error("InternalError", 500, "An internal error has occurred");
      case ACCESS_DENIED -> new Ec2Error("UnauthorizedOperation", 403, "You are not authorized to perform this"
          + " operation. User: " + caller() + " is not authorized to perform: ec2:" + action
          + " because no identity-based policy allows the ec2:" + action + " action");
    };
  }

  private void sendEc2Error(HttpExchange exchange, String action, String requestId, Ec2Error error,
      boolean rejection) throws IOException {
    if (rejection) {
      log.rejection(action, error.code(), error.getMessage());
    }
    log.call(new EcsCall(action, sdkRequest(exchange), error.status(), error.code()));
    send(exchange, error.status(), "text/xml;charset=UTF-8", requestId,
        Xml.error(error.code(), error.getMessage(), requestId));
  }

  // ---- plumbing -----------------------------------------------------------------------------------

  /**
   * Answers nothing: the exchange is closed before any response header, so the JDK server closes the
   * connection and the client reads end of stream where the status line should be (a reset as a real
   * network or load balancer can produce). Recorded with status 0.
   */
  private void dropConnection(HttpExchange exchange, String operation) {
    log.call(new EcsCall(operation, sdkRequest(exchange), 0, "ConnectionReset"));
  }

  private static String sdkRequest(HttpExchange exchange) {
    return Optional.ofNullable(exchange.getRequestHeaders().getFirst("amz-sdk-request")).orElse("");
  }

  private static void send(HttpExchange exchange, int status, String contentType, String requestId, String body)
      throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", contentType);
    exchange.getResponseHeaders().set("x-amzn-RequestId", requestId);
    exchange.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(bytes);
    }
  }

}
