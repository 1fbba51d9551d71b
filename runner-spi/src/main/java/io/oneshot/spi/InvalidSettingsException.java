package io.oneshot.spi;

import java.util.List;

/**
 * Thrown before any API call when settings or a request are invalid; carries every problem found,
 * each one line that names the input, what is wrong and the accepted form, with the input's name
 * ({@link #details()}) so that each can be shown against its input. Never retryable.
 */
public final class InvalidSettingsException extends OneshotException {
  /** The input name of problems not tied to one input. */
  public static final String GENERAL = "";

  private final List<SettingProblem> details;

  /** Problems tied to their inputs. The flag only tells this constructor from the one taking lines. */
  private InvalidSettingsException(List<SettingProblem> details, boolean named) {
    super(String.join("; ", details.stream().map(SettingProblem::message).toList()), false);
    if (details.isEmpty()) {
      throw new IllegalArgumentException("an InvalidSettingsException needs at least one problem");
    }
    this.details = List.copyOf(details);
  }

  /** Problems tied to their inputs. */
  public static InvalidSettingsException of(List<SettingProblem> problems) {
    return new InvalidSettingsException(problems, true);
  }

  /** One problem about one input. */
  public static InvalidSettingsException of(String input, String message) {
    return new InvalidSettingsException(List.of(new SettingProblem(input, message)), true);
  }

  /** Problems whose input is not known ({@link #GENERAL}); prefer {@link #of(List)}. */
  public InvalidSettingsException(List<String> problems) {
    this(problems.stream().map(problem -> new SettingProblem(GENERAL, problem)).toList(), true);
  }

  /** One problem whose input is not known; prefer {@link #of(String, String)}. */
  public InvalidSettingsException(String problem) {
    this(List.of(problem));
  }

  /** Each problem's message on its own, in the order found. */
  public List<String> problems() {
    return details.stream().map(SettingProblem::message).toList();
  }

  /** Each problem with the input it is about, in the order found. */
  public List<SettingProblem> details() {
    return details;
  }
}
