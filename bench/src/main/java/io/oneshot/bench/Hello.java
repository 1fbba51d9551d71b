package io.oneshot.bench;

/** The JVM floor {@link StartupBench} compares a CLI run against: start a JVM, print, exit. */
public final class Hello {
  private Hello() {}

  public static void main(String[] args) {
    System.out.println("hello");
  }
}
