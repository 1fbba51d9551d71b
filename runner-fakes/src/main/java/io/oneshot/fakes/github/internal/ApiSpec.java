package io.oneshot.fakes.github.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * The operations of the bundled GitHub OpenAPI description, used as the fake's route table: a request
 * path (without the API prefix) is matched against the path templates to find its operationId and path
 * parameters. Immutable, loaded once per JVM, thread-safe.
 */
public final class ApiSpec {
  /** Class-path location of the contract. */
  public static final String RESOURCE = "/contracts/github-runners-openapi.json";

  /**
   * One operation of the contract.
   *
   * @param method upper-case HTTP method
   * @param template the path template, e.g. {@code /orgs/{org}/actions/runners}
   * @param operationId GitHub's operationId
   * @param declaredStatuses the response statuses the contract declares for it
   */
  public record Operation(String method, String template, String operationId, Set<String> declaredStatuses) {
    /** Whether the contract declares {@code status} for this operation. */
    public boolean declares(int status) {
      return declaredStatuses.contains(Integer.toString(status));
    }
  }

  /**
   * A matched request.
   *
   * @param operation the operation
   * @param pathParams decoded path parameters by name
   */
  public record Match(Operation operation, Map<String, String> pathParams) {}

  private static final class Holder {
    static final ApiSpec INSTANCE = load();
  }

  private final String text;
  private final String validatorText;
  private final List<Operation> operations;

  private ApiSpec(String text, String validatorText, List<Operation> operations) {
    this.text = text;
    this.validatorText = validatorText;
    this.operations = List.copyOf(operations);
  }

  /** The shared instance (parsed on first use). */
  public static ApiSpec get() {
    return Holder.INSTANCE;
  }

  /** The raw JSON text of the contract. */
  public String text() {
    return text;
  }

  /**
   * The contract as given to the OpenAPI validator: the bundled text with an empty {@code description}
   * added to every response object that lacks one. The bundled copy has prose removed, but OpenAPI 3
   * requires response descriptions and the parser refuses the document without them.
   */
  public String validatorText() {
    return validatorText;
  }

  /** All operations. */
  public List<Operation> operations() {
    return operations;
  }

  /** The operation and path parameters for a request, if the path and method exist in the contract. */
  public Optional<Match> match(String method, String path) {
    String[] parts = split(path);
    return operations.stream()
        .filter(op -> op.method().equals(method.toUpperCase(Locale.ROOT)))
        .map(op -> tryMatch(op, parts))
        .flatMap(Optional::stream)
        .max(Comparator.comparingInt(m -> literalCount(m.operation().template())));
  }

  private static Optional<Match> tryMatch(Operation op, String[] parts) {
    String[] template = split(op.template());
    if (template.length != parts.length) {
      return Optional.empty();
    }
    Map<String, String> params = new LinkedHashMap<>();
    for (int i = 0; i < template.length; i++) {
      String t = template[i];
      if (t.startsWith("{") && t.endsWith("}")) {
        if (parts[i].isEmpty()) {
          return Optional.empty();
        }
        params.put(t.substring(1, t.length() - 1), URLDecoder.decode(parts[i], StandardCharsets.UTF_8));
      } else if (!t.equals(parts[i])) {
        return Optional.empty();
      }
    }
    return Optional.of(new Match(op, params));
  }

  private static int literalCount(String template) {
    int count = 0;
    for (String part : split(template)) {
      if (!part.startsWith("{")) {
        count++;
      }
    }
    return count;
  }

  private static String[] split(String path) {
    String trimmed = path.startsWith("/") ? path.substring(1) : path;
    if (trimmed.endsWith("/")) {
      trimmed = trimmed.substring(0, trimmed.length() - 1);
    }
    return trimmed.split("/", -1);
  }

  private static void addMissingResponseDescriptions(JsonNode root) {
    root.path("components").path("responses").forEach(ApiSpec::describe);
    root.path("paths").forEach(pathItem -> pathItem.forEach(
        operation -> operation.path("responses").forEach(ApiSpec::describe)));
  }

  private static void describe(JsonNode response) {
    if (response instanceof ObjectNode object && !object.has("$ref") && !object.has("description")) {
      object.put("description", "");
    }
  }

  private static ApiSpec load() {
    try (InputStream in = ApiSpec.class.getResourceAsStream(RESOURCE)) {
      if (in == null) {
        throw new IllegalStateException("missing class-path resource " + RESOURCE);
      }
      String text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
      JsonNode root = Json.parse(text);
      List<Operation> ops = new ArrayList<>();
      for (Map.Entry<String, JsonNode> path : root.path("paths").properties()) {
        for (Map.Entry<String, JsonNode> method : path.getValue().properties()) {
          JsonNode operationId = method.getValue().get("operationId");
          if (operationId == null) {
            continue;
          }
          Set<String> statuses = new TreeSet<>();
          method.getValue().path("responses").fieldNames().forEachRemaining(statuses::add);
          ops.add(new Operation(method.getKey().toUpperCase(Locale.ROOT), path.getKey(),
              operationId.asText(), Set.copyOf(statuses)));
        }
      }
      addMissingResponseDescriptions(root);
      return new ApiSpec(text, Json.string(root), ops);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
