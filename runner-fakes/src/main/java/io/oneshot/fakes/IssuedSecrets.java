package io.oneshot.fakes;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.WeakHashMap;
import java.util.function.Supplier;

/**
 * A process-wide registry of the secrets the fakes issued, by kind, for test tooling that scans output
 * for leaks (the testkit's {@code SecretScan} JUnit extension). Each fake registers itself when built;
 * the registry holds fakes weakly, so a fake no test references any more drops out. No JUnit here: the
 * fakes stay usable from any harness. Thread-safe; never blocks beyond a short lock.
 */
public final class IssuedSecrets {
  private static final Map<Object, Supplier<Map<String, String>>> SOURCES = new WeakHashMap<>();

  private IssuedSecrets() {}

  /**
   * Registers {@code owner}'s secrets. {@code secrets} answers, when asked, every secret issued so far
   * mapped to its kind ("installation token", ...); it must not hold {@code owner} strongly, or the
   * owner is never released.
   */
  public static void register(Object owner, Supplier<Map<String, String>> secrets) {
    Objects.requireNonNull(owner, "owner");
    Objects.requireNonNull(secrets, "secrets");
    synchronized (SOURCES) {
      SOURCES.put(owner, secrets);
    }
  }

  /** Every secret issued by every live registered fake, mapped to its kind. */
  public static Map<String, String> all() {
    List<Supplier<Map<String, String>>> sources;
    synchronized (SOURCES) {
      sources = List.copyOf(SOURCES.values());
    }
    Map<String, String> all = new LinkedHashMap<>();
    for (Supplier<Map<String, String>> source : sources) {
      source.get().forEach(all::putIfAbsent);
    }
    return Collections.unmodifiableMap(all);
  }
}
