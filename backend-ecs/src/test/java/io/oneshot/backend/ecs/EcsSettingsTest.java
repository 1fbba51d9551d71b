package io.oneshot.backend.ecs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.oneshot.spi.BackendSettings;
import io.oneshot.spi.InvalidSettingsException;
import java.util.Map;
import org.junit.jupiter.api.Test;

class EcsSettingsTest {
  private static EcsSettings parse(Map<String, String> values) {
    return EcsSettings.parse(BackendSettings.of(values), "runner");
  }

  private static InvalidSettingsException problems(Map<String, String> values) {
    try {
      parse(values);
    } catch (InvalidSettingsException e) {
      return e;
    }
    throw new AssertionError("expected invalid settings");
  }

  @Test
  void defaultsAreFargateOnTheDefaultClusterWithTheNameAsTaskDefinition() {
    EcsSettings settings = parse(Map.of("subnets", "subnet-0123456789abcdef0"));

    assertThat(settings.cluster()).isEqualTo("default");
    assertThat(settings.taskDefinition()).isEqualTo("runner");
    assertThat(settings.launchType()).isEmpty();
    assertThat(settings.capacityProviders()).isEmpty();
    assertThat(settings.assignPublicIp()).isFalse();
    assertThat(settings.region()).isEmpty();
    assertThat(settings.usesAwsvpc()).isTrue();
  }

  @Test
  void readsListsAndTags() {
    EcsSettings settings = parse(Map.of("capacity-providers", "FARGATE_SPOT, FARGATE", "subnets-tag", "Name:private:a",
        "security-groups", "sg-0123456789abcdef0\nsg-0fedcba9876543210", "assign-public-ip", "TRUE",
        "task-definition", "runner:7", "region", "eu-west-1"));

    assertThat(settings.capacityProviders()).containsExactly("FARGATE_SPOT", "FARGATE");
    assertThat(settings.subnetsTag()).contains(new TagFilter("Name", "private:a"));
    assertThat(settings.securityGroups()).hasSize(2);
    assertThat(settings.assignPublicIp()).isTrue();
    assertThat(settings.taskDefinition()).isEqualTo("runner:7");
  }

  @Test
  void everyProblemIsReportedTogether() {
    InvalidSettingsException error = problems(Map.of("region", "mars-1", "launch-type", "LAMBDA",
        "capacity-providers", "FARGATE", "subnets-tag", "nocolon", "security-groups", "default",
        "assign-public-ip", "maybe", "cpu", "lots"));

    assertThat(error.problems()).hasSize(8)
        .anyMatch(p -> p.startsWith("region 'mars-1'"))
        .anyMatch(p -> p.startsWith("launch-type and capacity-providers exclude each other"))
        .anyMatch(p -> p.startsWith("launch-type 'LAMBDA' is not supported"))
        .anyMatch(p -> p.startsWith("subnets-tag 'nocolon' is not a tag selector; use KEY:VALUE"))
        .anyMatch(p -> p.startsWith("security-groups: 'default' is not a security group id"))
        .anyMatch(p -> p.startsWith("subnets or subnets-tag is required on Fargate"))
        .anyMatch(p -> p.startsWith("assign-public-ip 'maybe'"))
        .anyMatch(p -> p.startsWith("cpu 'lots'"));
  }

  @Test
  void fargateNeedsSubnets() {
    assertThatThrownBy(() -> parse(Map.of()))
        .hasMessageStartingWith("subnets or subnets-tag is required on Fargate");
  }

  @Test
  void ec2WithoutSubnetsUsesTheTaskDefinitionsNetworking() {
    EcsSettings settings = parse(Map.of("launch-type", "ec2"));

    assertThat(settings.launchType()).contains("EC2");
    assertThat(settings.usesAwsvpc()).isFalse();
  }

  @Test
  void idsAndTagsOfOneKindExcludeEachOther() {
    assertThat(problems(Map.of("subnets", "subnet-0123456789abcdef0", "subnets-tag", "a:b")).problems())
        .containsExactly("subnets and subnets-tag exclude each other; give subnet ids or a key:value tag, not both");
  }

  @Test
  void aMissingTaskDefinitionNamesTheInput() {
    assertThatThrownBy(() -> EcsSettings.parse(BackendSettings.of(Map.of("subnets", "subnet-0123456789abcdef0")), null))
        .hasMessageStartingWith("task-definition 'null' is not a task definition");
  }
}
