package io.oneshot.spi;

import java.util.ArrayList;
import java.util.List;

/**
 * Collects {@link SettingProblem}s while settings are read, so that every problem is reported at once;
 * {@link #throwIfAny()} ends the check. Not thread-safe; one per check.
 */
public final class SettingProblems {
  private final List<SettingProblem> problems = new ArrayList<>();

  /** Records a problem about that input; a problem already recorded is not repeated. */
  public void add(String input, String message) {
    SettingProblem problem = new SettingProblem(input, message);
    if (!problems.contains(problem)) {
      problems.add(problem);
    }
  }

  /** Records problems found elsewhere (another parser's exception), keeping their inputs. */
  public void addAll(List<SettingProblem> more) {
    more.forEach(problem -> add(problem.input(), problem.message()));
  }

  /** Whether nothing is wrong so far. */
  public boolean isEmpty() {
    return problems.isEmpty();
  }

  /** Whether a problem about that input was recorded. */
  public boolean mentions(String input) {
    return problems.stream().anyMatch(problem -> problem.input().equals(input));
  }

  /** The problems so far, in the order found. */
  public List<SettingProblem> list() {
    return List.copyOf(problems);
  }

  /** @throws InvalidSettingsException with every problem, when there is any */
  public void throwIfAny() {
    if (!problems.isEmpty()) {
      throw InvalidSettingsException.of(problems);
    }
  }
}
