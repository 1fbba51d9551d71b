package io.oneshot.spi;

import java.util.Objects;

/**
 * One thing wrong with the settings or inputs, tied to the input it is about, so that the action can
 * annotate that input. Values only.
 *
 * @param input the input or setting name the problem is about ({@code subnets-tag}); where two inputs
 *     conflict, the first of them (the message names both)
 * @param message one line naming the input, what is wrong and the accepted form; never a secret
 */
public record SettingProblem(String input, String message) {
  public SettingProblem {
    Objects.requireNonNull(input, "input");
    Objects.requireNonNull(message, "message");
    if (message.isBlank() || message.contains("\n")) {
      throw new IllegalArgumentException("a setting problem is one non-empty line");
    }
  }

  @Override
  public String toString() {
    return message;
  }
}
