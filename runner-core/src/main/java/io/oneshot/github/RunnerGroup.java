package io.oneshot.github;

/** A runner group of an organization or enterprise. */
public record RunnerGroup(long id, String name, boolean isDefault) {}
