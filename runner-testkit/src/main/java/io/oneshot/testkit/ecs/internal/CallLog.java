package io.oneshot.testkit.ecs.internal;

import io.oneshot.testkit.ecs.EcsCall;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * What the fake received and how it answered: calls in order, raw bodies per operation, the requests it
 * rejected (with the error it gave), responses that broke the model and internal failures. Thread-safe.
 */
public final class CallLog {
  private final List<EcsCall> calls = new ArrayList<>();
  private final Map<String, List<String>> bodies = new HashMap<>();
  private final List<String> rejections = new ArrayList<>();
  private final List<String> violations = new ArrayList<>();
  private final List<String> failures = new ArrayList<>();

  public synchronized void body(String operation, String body) {
    bodies.computeIfAbsent(operation, k -> new ArrayList<>()).add(body);
  }

  public synchronized void call(EcsCall call) {
    calls.add(call);
  }

  public synchronized void rejection(String operation, String code, String message) {
    rejections.add(operation + ": " + code + ": " + message);
  }

  public synchronized void violation(String operation, String problem) {
    violations.add(operation + ": " + problem);
  }

  public synchronized void failure(String description) {
    failures.add(description);
  }

  public synchronized List<EcsCall> calls() {
    return List.copyOf(calls);
  }

  public synchronized int count(String operation) {
    return (int) calls.stream().filter(c -> c.operation().equals(operation)).count();
  }

  public synchronized List<String> bodies(String operation) {
    return List.copyOf(bodies.getOrDefault(operation, List.of()));
  }

  public synchronized List<String> rejections() {
    return List.copyOf(rejections);
  }

  public synchronized List<String> violations() {
    return List.copyOf(violations);
  }

  public synchronized List<String> failures() {
    return List.copyOf(failures);
  }
}
