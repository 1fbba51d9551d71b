package io.oneshot.action;

import static org.assertj.core.api.Assertions.assertThat;

import io.oneshot.spi.RunnerLauncher;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The deferred launcher is a decorator: a method of {@link RunnerLauncher} it does not override would answer
 * with the interface's default instead of the real launcher's (a default {@code scopeKey()} once gave every
 * batch the wrong owner), so it must override every one.
 */
class DeferredLauncherTest {
  @Test
  void overridesEveryMethodOfTheLauncherInterface() {
    List<String> missing = Arrays.stream(RunnerLauncher.class.getMethods())
        .filter(method -> !Modifier.isStatic(method.getModifiers()))
        .filter(method -> !declares(method))
        .map(Method::getName).toList();

    assertThat(missing).as("RunnerLauncher methods DeferredLauncher leaves to the interface").isEmpty();
  }

  private static boolean declares(Method method) {
    try {
      DeferredLauncher.class.getDeclaredMethod(method.getName(), method.getParameterTypes());
      return true;
    } catch (NoSuchMethodException e) {
      return false;
    }
  }
}
