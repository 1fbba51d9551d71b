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

  @Test
  void uniqueValueKeepsASafeIdentityAsItIs() {
    assertThat(OwnershipTags.uniqueValue("orgs-octo")).isEqualTo("orgs-octo");
  }

  @Test
  void identitiesThatNormaliseAlikeGetDifferentValues() {
    String dot = OwnershipTags.uniqueValue("repos/octo/a.b@ecs/us-east-1/runners");
    String dash = OwnershipTags.uniqueValue("repos/octo/a-b@ecs/us-east-1/runners");

    assertThat(OwnershipTags.safeValue("repos/octo/a.b@ecs/us-east-1/runners"))
        .isEqualTo(OwnershipTags.safeValue("repos/octo/a-b@ecs/us-east-1/runners"));
    assertThat(dot).isNotEqualTo(dash).startsWith("repos-octo-a-b-ecs-us-east-1-runners-");
    assertThat(OwnershipTags.isSafe(dot)).isTrue();
    assertThat(OwnershipTags.isSafe(dash)).isTrue();
  }

  @Test
  void longIdentitiesSharingTheFirst63CharactersGetDifferentValues() {
    String common = "repos/octo/" + "x".repeat(70);
    String one = OwnershipTags.uniqueValue(common + "@ecs/us-east-1/blue");
    String two = OwnershipTags.uniqueValue(common + "@ecs/us-east-1/green");

    assertThat(OwnershipTags.safeValue(common + "@ecs/us-east-1/blue"))
        .isEqualTo(OwnershipTags.safeValue(common + "@ecs/us-east-1/green"));
    assertThat(one).isNotEqualTo(two).hasSize(63);
    assertThat(OwnershipTags.isSafe(one)).isTrue();
  }

  @Test
  void uniqueValueIsDeterministicAndSafeForAnyText() {
    assertThat(OwnershipTags.uniqueValue("Octo/App")).isEqualTo(OwnershipTags.uniqueValue("Octo/App"));
    assertThat(OwnershipTags.uniqueValue("Octo/App")).isNotEqualTo(OwnershipTags.uniqueValue("octo/app"));
    assertThat(OwnershipTags.isSafe(OwnershipTags.uniqueValue("///"))).isTrue();
  }
}
