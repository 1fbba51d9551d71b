package io.oneshot.spi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class OwnershipTagsTest {
  @Test
  void safeValueKeepsOnlyWhatEveryCloudAccepts() {
    assertThat(OwnershipTags.safeValue("Octo-Org/My.Repo")).isEqualTo("octo-org-my-repo");
    assertThat(OwnershipTags.safeValue("x".repeat(80))).hasSize(63);
    assertThat(OwnershipTags.isSafe(OwnershipTags.safeValue("Dev_Runners!"))).isTrue();
  }

  @Test
  void safeValueIsIdempotent() {
    String once = OwnershipTags.safeValue("Octo Org/App");
    assertThat(OwnershipTags.safeValue(once)).isEqualTo(once);
  }

  @Test
  void textWithNothingUsableIsRejected() {
    assertThatThrownBy(() -> OwnershipTags.safeValue("///")).isInstanceOf(IllegalArgumentException.class);
  }
}
