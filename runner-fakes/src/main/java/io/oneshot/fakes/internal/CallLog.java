package io.oneshot.fakes.internal;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * What a fake received and how it answered: calls in order, raw bodies per operation, the requests it
 * rejected (with the error it gave), answers that broke the service's contract, and its own internal
 * failures. Shared by the fake clouds; thread-safe.
 *
 * @param <C> the fake's call record
 */
public final class CallLog<C> {
  private final Function<C, String> operationOf;
  private final List<C> calls = new ArrayList<>();
  private final Map<String, List<String>> bodies = new HashMap<>();
  private final List<String> rejections = new ArrayList<>();
  private final List<String> violations = new ArrayList<>();
  private final List<String> failures = new ArrayList<>();

  /** A log whose calls are counted by the operation {@code operationOf} reads from them. */
  public CallLog(Function<C, String> operationOf) {
    this.operationOf = operationOf;
  }

  public synchronized void body(String operation, String body) {
    bodies.computeIfAbsent(operation, k -> new ArrayList<>()).add(body);
  }

  public synchronized void call(C call) {
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

  public synchronized List<C> calls() {
    return List.copyOf(calls);
  }

  public synchronized int count(String operation) {
    return (int) calls.stream().filter(c -> operationOf.apply(c).equals(operation)).count();
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

  /** Contract violations of the fake's own answers, then its internal failures. */
  public synchronized List<String> problems() {
    List<String> all = new ArrayList<>(violations);
    failures.forEach(failure -> all.add("internal failure: " + failure));
    return all;
  }

  /**
   * Fails the test that used the fake when it broke its contract or failed internally.
   *
   * @throws AssertionError listing every problem, naming the fake
   */
  public void assertNoProblems(String fake) {
    List<String> problems = problems();
    if (!problems.isEmpty()) {
      throw new AssertionError("the fake " + fake + " broke its contract " + problems.size() + " time(s):\n  "
          + String.join("\n  ", problems));
    }
  }
}
