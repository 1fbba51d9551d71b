package io.oneshot.backend.aci;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class GroupNamesTest {
  @Test
  void aNameAciAcceptsIsKept() {
    assertThat(GroupNames.forRunner("dev-ab12cd34")).isEqualTo("dev-ab12cd34");
  }

  @Test
  void otherNamesBecomeValidDeterministicAndDistinct() {
    List<String> names = List.of("Dev-ab12cd34", "dev-ab12cd34-", "my.team_ci-ab12cd34", "my-team-ci-ab12cd34.",
        "--", "x".repeat(80) + "-ab12cd34", "DEV-AB12CD34");
    Set<String> mapped = new HashSet<>();
    for (String name : names) {
      String group = GroupNames.forRunner(name);
      assertThat(GroupNames.VALID.matcher(group).matches()).as(name + " -> " + group).isTrue();
      assertThat(GroupNames.forRunner(name)).isEqualTo(group);
      mapped.add(group);
    }
    assertThat(mapped).hasSize(names.size()).doesNotContain("dev-ab12cd34");
    assertThat(GroupNames.forRunner("my.team_ci-ab12cd34")).startsWith("my-team-ci-ab12cd34-");
    assertThat(GroupNames.forRunner("x".repeat(80) + "-ab12cd34")).hasSize(63);
    assertThat(GroupNames.forRunner("--")).startsWith("runner-");
  }
}
