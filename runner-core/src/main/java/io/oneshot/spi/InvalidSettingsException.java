package io.oneshot.spi;

import java.util.List;

/**
 * Thrown before any API call when settings or a request are invalid; carries every problem found,
 * each one line that names the input, what is wrong and the accepted form. Never retryable.
 */
public final class InvalidSettingsException extends OneshotException {
  private final List<String> problems;

  public InvalidSettingsException(List<String> problems) {
    super(String.join("; ", problems), false);
    if (problems.isEmpty()) {
      throw new IllegalArgumentException("an InvalidSettingsException needs at least one problem");
    }
    this.problems = List.copyOf(problems);
  }

  public InvalidSettingsException(String problem) {
    this(List.of(problem));
  }

  /** Each problem on its own, in the order found. */
  public List<String> problems() {
    return problems;
  }
}
