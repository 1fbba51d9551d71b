package io.oneshot.fakes.ecs.internal;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * Checks a JSON document against a shape of the {@link EcsModel}. For requests it answers the first
 * problem the way an awsJson 1.1 service does: a value of the wrong JSON type (or a member the shape
 * does not have) is a {@code SerializationException}; a missing required member, an enum value, length
 * or range outside the model's bounds is an {@code InvalidParameterException}. For responses it lists
 * every problem (a bug in the fake). JSON {@code null} counts as absent. Messages name members, never
 * values. Thread-safe.
 */
public final class ShapeValidator {
  /** Where ECS words a missing required member its own way. */
  private static final Map<String, String> REQUIRED_MESSAGES = Map.of(
      "DescribeTasksRequest.tasks", "Tasks cannot be empty.");

  private final EcsModel model;
  private final Map<String, Pattern> patterns = new ConcurrentHashMap<>();

  public ShapeValidator(EcsModel model) {
    this.model = model;
  }

  /** Validates a request body against an input shape; throws the service's error for the first problem. */
  public void validateRequest(JsonNode body, String shapeName) {
    List<Problem> problems = new ArrayList<>();
    walk(body, shapeName, "", true, problems);
    if (!problems.isEmpty()) {
      Problem first = problems.get(0);
      throw first.serialization ? EcsError.serialization(first.message) : EcsError.invalidParameter(first.message);
    }
  }

  /** Every way a response breaks its output shape (empty when it conforms). */
  public List<String> validateResponse(JsonNode body, String shapeName) {
    List<Problem> problems = new ArrayList<>();
    walk(body, shapeName, "", false, problems);
    return problems.stream().map(p -> p.message).toList();
  }

  private record Problem(boolean serialization, String message) {}

  private void walk(JsonNode value, String shapeName, String path, boolean request, List<Problem> problems) {
    if (request && !problems.isEmpty()) {
      return;
    }
    JsonNode shape = model.shape(shapeName).orElse(null);
    if (shape == null) {
      problems.add(new Problem(true, "no shape " + shapeName + " in the model (at " + display(path) + ")"));
      return;
    }
    String type = shape.path("type").asText();
    switch (type) {
      case "structure" -> structure(value, shape, shapeName, path, request, problems);
      case "list" -> list(value, shape, path, request, problems);
      case "map" -> map(value, shape, path, request, problems);
      case "string" -> string(value, shape, path, problems);
      case "integer", "long" -> integer(value, shape, path, type, problems);
      case "boolean" -> {
        if (!value.isBoolean()) {
          problems.add(new Problem(true, typeName(value) + " can not be converted to a Boolean (at " + display(path) + ")"));
        }
      }
      case "timestamp", "double", "float" -> {
        if (!value.isNumber()) {
          problems.add(new Problem(true, typeName(value) + " can not be converted to a " + type + " (at " + display(path) + ")"));
        }
      }
      default -> problems.add(new Problem(true, "unsupported shape type " + type + " at " + display(path)));
    }
  }

  private void structure(JsonNode value, JsonNode shape, String shapeName, String path, boolean request,
      List<Problem> problems) {
    if (!value.isObject()) {
      problems.add(new Problem(true, notExpected(value, "structure", path)));
      return;
    }
    JsonNode members = shape.path("members");
    for (JsonNode required : shape.path("required")) {
      JsonNode present = value.get(required.asText());
      if (present == null || present.isNull()) {
        problems.add(new Problem(false, REQUIRED_MESSAGES.getOrDefault(shapeName + "." + required.asText(),
            capitalised(join(path, required.asText())) + " can not be blank.")));
        if (request) {
          return;
        }
      }
    }
    for (Map.Entry<String, JsonNode> field : value.properties()) {
      String memberPath = join(path, field.getKey());
      JsonNode member = members.get(field.getKey());
      if (member == null) {
        problems.add(new Problem(true, "Unknown member '" + memberPath + "' for " + shapeName + "."));
      } else if (!field.getValue().isNull()) {
        walk(field.getValue(), member.path("shape").asText(), memberPath, request, problems);
      }
      if (request && !problems.isEmpty()) {
        return;
      }
    }
  }

  private void list(JsonNode value, JsonNode shape, String path, boolean request, List<Problem> problems) {
    if (!value.isArray()) {
      problems.add(new Problem(true, notExpected(value, "list", path)));
      return;
    }
    if (shape.has("min") && value.size() < shape.get("min").asInt()) {
      problems.add(new Problem(false, display(path) + " must have at least " + shape.get("min").asInt() + " item(s)."));
    }
    if (shape.has("max") && value.size() > shape.get("max").asInt()) {
      problems.add(new Problem(false, display(path) + " can have at most " + shape.get("max").asInt() + " item(s)."));
    }
    String memberShape = shape.path("member").path("shape").asText();
    for (int i = 0; i < value.size(); i++) {
      if (value.get(i).isNull()) {
        problems.add(new Problem(true, "null member in " + display(path)));
      } else {
        walk(value.get(i), memberShape, path + "[" + i + "]", request, problems);
      }
      if (request && !problems.isEmpty()) {
        return;
      }
    }
  }

  private void map(JsonNode value, JsonNode shape, String path, boolean request, List<Problem> problems) {
    if (!value.isObject()) {
      problems.add(new Problem(true, notExpected(value, "map", path)));
      return;
    }
    String valueShape = shape.path("value").path("shape").asText();
    for (Map.Entry<String, JsonNode> field : value.properties()) {
      walk(field.getValue(), valueShape, path + "." + field.getKey(), request, problems);
    }
  }

  private void string(JsonNode value, JsonNode shape, String path, List<Problem> problems) {
    if (!value.isTextual()) {
      problems.add(new Problem(true, value.isContainerNode() ? notExpected(value, "string", path)
          : "class com.amazon.coral.value.json.numbers.TruncatingBigNumber can not be converted to an String (at "
              + display(path) + ")"));
      return;
    }
    String text = value.asText();
    if (shape.has("enum")) {
      List<String> allowed = new ArrayList<>();
      shape.get("enum").forEach(e -> allowed.add(e.asText()));
      if (!allowed.contains(text)) {
        problems.add(new Problem(false, display(path) + " should be one of [" + String.join(",", allowed) + "]."));
      }
      return;
    }
    int length = text.codePointCount(0, text.length());
    if (shape.has("min") && length < shape.get("min").asInt()) {
      problems.add(new Problem(false, display(path) + " must be at least " + shape.get("min").asInt() + " character(s) long."));
    } else if (shape.has("max") && length > shape.get("max").asInt()) {
      problems.add(new Problem(false, display(path) + " must be at most " + shape.get("max").asInt() + " character(s) long."));
    } else if (shape.has("pattern")) {
      Pattern pattern = patterns.computeIfAbsent(shape.get("pattern").asText(), Pattern::compile);
      if (!pattern.matcher(text).matches()) {
        problems.add(new Problem(false, display(path) + " contains characters that are not allowed."));
      }
    }
  }

  private void integer(JsonNode value, JsonNode shape, String path, String type, List<Problem> problems) {
    if (!value.isIntegralNumber()) {
      String what = value.isTextual() ? "STRING_VALUE" : typeName(value);
      problems.add(new Problem(true, what + " can not be converted to an " + (type.equals("long") ? "Long" : "Integer")
          + " (at " + display(path) + ")"));
      return;
    }
    long number = value.asLong();
    if (shape.has("min") && number < shape.get("min").asLong()
        || shape.has("max") && number > shape.get("max").asLong()) {
      problems.add(new Problem(false, display(path) + " must be between " + shape.path("min").asText("-")
          + " and " + shape.path("max").asText("-") + "."));
    }
  }

  private static String notExpected(JsonNode value, String expected, String path) {
    if (value.isObject()) {
      return "Start of structure or map found where not expected (at " + display(path) + ")";
    }
    if (value.isArray()) {
      return "Start of list found where not expected (at " + display(path) + ")";
    }
    return typeName(value) + " can not be converted to a " + expected + " (at " + display(path) + ")";
  }

  private static String typeName(JsonNode value) {
    if (value.isTextual()) {
      return "STRING_VALUE";
    }
    if (value.isNumber()) {
      return "NUMBER_VALUE";
    }
    if (value.isBoolean()) {
      return "BOOLEAN_VALUE";
    }
    return value.getNodeType().name();
  }

  private static String join(String path, String member) {
    return path.isEmpty() ? member : path + "." + member;
  }

  private static String display(String path) {
    return path.isEmpty() ? "the request body" : path;
  }

  private static String capitalised(String path) {
    return path.isEmpty() ? path : Character.toUpperCase(path.charAt(0)) + path.substring(1);
  }
}
