package io.oneshot.fakes.github.internal;

import com.atlassian.oai.validator.OpenApiInteractionValidator;
import com.atlassian.oai.validator.model.Request;
import com.atlassian.oai.validator.model.SimpleRequest;
import com.atlassian.oai.validator.model.SimpleResponse;
import com.atlassian.oai.validator.report.LevelResolver;
import com.atlassian.oai.validator.report.ValidationReport;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Checks requests and responses against the bundled GitHub OpenAPI contract with Atlassian's
 * swagger-request-validator. The underlying validator is slow to build (see {@link #buildTime()}), so
 * one instance is shared per JVM; it is thread-safe. Security requirements are not checked here (the
 * fake authenticates requests itself); unknown members in request bodies are tolerated as GitHub does,
 * while responses must not carry members the contract does not define.
 */
public final class ContractValidator {
  /**
   * The outcome of checking a request.
   *
   * @param status the status GitHub would answer (0 when the request is valid)
   * @param messages the validator's messages
   */
  public record RequestVerdict(int status, List<String> messages) {
    public boolean valid() {
      return status == 0;
    }
  }

  /** An operation whose 404 response is declared as {@code basic-error}: used to check error bodies. */
  private static final String BASIC_ERROR_PROBE = "/app/installations/1/access_tokens";
  /** An operation whose 422 response is declared as {@code validation-error-simple}. */
  private static final String SIMPLE_VALIDATION_PROBE = "/orgs/probe/actions/runners/generate-jitconfig";

  private static final class Holder {
    static final ContractValidator INSTANCE = new ContractValidator();
  }

  private final OpenApiInteractionValidator validator;
  private final Duration buildTime;

  private ContractValidator() {
    long start = System.nanoTime();
    LevelResolver levels = LevelResolver.create()
        .withLevel("validation.request.security", ValidationReport.Level.IGNORE)
        .withLevel("validation.request.accept", ValidationReport.Level.IGNORE)
        .withLevel("validation.request.body.schema.additionalProperties", ValidationReport.Level.IGNORE)
        .build();
    this.validator = OpenApiInteractionValidator
        .createForInlineApiSpecification(ApiSpec.get().validatorText())
        .withLevelResolver(levels)
        .build();
    this.buildTime = Duration.ofNanos(System.nanoTime() - start);
  }

  /** The shared validator; the first call builds it (blocks for a few hundred ms). */
  public static ContractValidator get() {
    return Holder.INSTANCE;
  }

  /** How long building the OpenAPI validator took. */
  public Duration buildTime() {
    return buildTime;
  }

  /**
   * Checks a request (path without the API prefix) and says how GitHub would reject it: 404 for an
   * unknown path or method or a malformed path parameter, 400 for a body that is not JSON, 422 for a
   * body or query parameter that breaks the schema.
   */
  public RequestVerdict checkRequest(String method, String path, Map<String, List<String>> query,
      String body) {
    SimpleRequest.Builder builder = new SimpleRequest.Builder(method, path);
    query.forEach(builder::withQueryParam);
    if (body != null && !body.isBlank()) {
      builder.withContentType("application/json");
      builder.withBody(body);
    }
    ValidationReport report = validator.validateRequest(builder.build());
    if (!report.hasErrors()) {
      return new RequestVerdict(0, List.of());
    }
    int status = 422;
    List<String> messages = new ArrayList<>();
    for (ValidationReport.Message message : report.getMessages()) {
      if (message.getLevel() != ValidationReport.Level.ERROR) {
        continue;
      }
      messages.add(message.getMessage());
      String key = message.getKey();
      boolean pathParam = message.getContext()
          .flatMap(ValidationReport.MessageContext::getParameter)
          .map(p -> "path".equals(p.getIn()))
          .orElse(false);
      if (key.startsWith("validation.request.path.missing")
          || key.startsWith("validation.request.operation.notAllowed") || pathParam) {
        status = 404;
      } else if (key.contains("invalidJson") && status != 404) {
        status = 400;
      }
    }
    return new RequestVerdict(status, messages);
  }

  /**
   * Checks a response the fake is about to send. For a status the operation declares, the full
   * contract applies; for an undeclared one (GitHub's generic 401/403/404/5xx answers) and for unknown
   * paths the body must still be a {@code basic-error} (or {@code validation-error-simple} for a 422
   * with string errors). Returns the violations (empty when valid).
   *
   * @param operation the matched operation, or empty for an unknown path
   */
  public List<String> checkResponse(Optional<ApiSpec.Operation> operation, String method, String path,
      int status, Map<String, String> headers, String body) {
    String probePath = path;
    Request.Method probeMethod = Request.Method.valueOf(method);
    int probeStatus = status;
    if (operation.isEmpty() || !operation.get().declares(status)) {
      boolean simpleValidation = status == 422 && body != null && body.contains("\"errors\"")
          && !body.contains("\"code\"");
      probePath = simpleValidation ? SIMPLE_VALIDATION_PROBE : BASIC_ERROR_PROBE;
      probeMethod = Request.Method.POST;
      probeStatus = simpleValidation ? 422 : 404;
      if (body == null) {
        return List.of("status " + status + " sent without a body");
      }
    }
    SimpleResponse.Builder response = new SimpleResponse.Builder(probeStatus);
    headers.forEach(response::withHeader);
    if (body != null) {
      response.withBody(body);
    }
    ValidationReport report = validator.validateResponse(probePath, probeMethod, response.build());
    List<String> violations = new ArrayList<>();
    for (ValidationReport.Message message : report.getMessages()) {
      if (message.getLevel() == ValidationReport.Level.ERROR) {
        violations.add(method + " " + path + " -> " + status + ": " + message.getKey() + ": "
            + message.getMessage());
      }
    }
    return violations;
  }
}
