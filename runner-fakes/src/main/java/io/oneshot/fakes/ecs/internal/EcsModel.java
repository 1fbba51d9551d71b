package io.oneshot.fakes.ecs.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Optional;

/**
 * The bundled botocore ECS model ({@code contracts/ecs-model.json}): operations and the shapes they
 * reach. Loaded once per JVM; immutable and thread-safe.
 */
public final class EcsModel {
  private static final String RESOURCE = "/contracts/ecs-model.json";
  private static volatile EcsModel instance;

  private final JsonNode operations;
  private final JsonNode shapes;

  private EcsModel(JsonNode root) {
    this.operations = root.path("operations");
    this.shapes = root.path("shapes");
  }

  /** The shared model (reads the resource on first use). */
  public static EcsModel get() {
    EcsModel model = instance;
    if (model == null) {
      synchronized (EcsModel.class) {
        if (instance == null) {
          instance = load();
        }
        model = instance;
      }
    }
    return model;
  }

  private static EcsModel load() {
    try (InputStream in = EcsModel.class.getResourceAsStream(RESOURCE)) {
      if (in == null) {
        throw new IllegalStateException("missing resource " + RESOURCE);
      }
      return new EcsModel(new ObjectMapper().readTree(in));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + RESOURCE, e);
    }
  }

  /** Whether the model describes this operation. */
  public boolean hasOperation(String operation) {
    return operations.has(operation);
  }

  /** The input shape name of an operation. */
  public String inputShape(String operation) {
    return operations.path(operation).path("input").path("shape").asText();
  }

  /** The output shape name of an operation. */
  public String outputShape(String operation) {
    return operations.path(operation).path("output").path("shape").asText();
  }

  /** A shape by name. */
  public Optional<JsonNode> shape(String name) {
    JsonNode shape = shapes.get(name);
    return Optional.ofNullable(shape);
  }
}
