package io.oneshot.testkit.cloudrun.internal;

import io.oneshot.testkit.cloudrun.CloudRunCall;
import java.util.ArrayList;
import java.util.List;

/** The calls a fake Cloud Run answered, its rejections and its own failures. Thread-safe. */
public final class CallLog {
  private final List<CloudRunCall> calls = new ArrayList<>();
  private final List<String> rejections = new ArrayList<>();
  private final List<String> failures = new ArrayList<>();

  public synchronized void call(CloudRunCall call, String description) {
    calls.add(call);
    if (!call.injected() && !call.status().equals("OK") && !call.status().equals("INTERNAL")) {
      rejections.add(call.method() + ": " + call.status() + ": " + description);
    }
  }

  public synchronized void failure(String what) {
    failures.add(what);
  }

  public synchronized List<CloudRunCall> calls() {
    return List.copyOf(calls);
  }

  public synchronized int count(String method) {
    return (int) calls.stream().filter(c -> c.method().equals(method)).count();
  }

  public synchronized List<String> rejections() {
    return List.copyOf(rejections);
  }

  public synchronized List<String> failures() {
    return List.copyOf(failures);
  }
}
