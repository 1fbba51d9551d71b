package io.oneshot.testkit.aci.internal;

import io.oneshot.testkit.aci.AciCall;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * What the fake ACI received and how it answered: calls in order, raw request bodies per operation,
 * rejections (what ARM would refuse), contract violations of its own answers, internal failures.
 * Thread-safe.
 */
public final class AciLog {
  private final List<AciCall> calls = new ArrayList<>();
  private final Map<String, List<String>> bodies = new HashMap<>();
  private final List<String> rejections = new ArrayList<>();
  private final List<String> violations = new ArrayList<>();
  private final List<String> failures = new ArrayList<>();

  public synchronized void body(String operation, String body) {
    bodies.computeIfAbsent(operation, k -> new ArrayList<>()).add(body);
  }

  public synchronized void call(AciCall call) {
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

  public synchronized List<AciCall> calls() {
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
