package io.oneshot.backend.ecs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.oneshot.spi.BackendSettings;
import io.oneshot.spi.InvalidSettingsException;
import io.oneshot.spi.LauncherPurpose;
import io.oneshot.spi.SettingDefinition;
import io.oneshot.spi.SettingProblem;
import java.lang.reflect.RecordComponent;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class EcsSettingsTest {
  private static EcsSettings parse(Map<String, String> values) {
    return EcsSettings.parse(BackendSettings.of(withName(values)));
  }

  private static Map<String, String> withName(Map<String, String> values) {
    Map<String, String> named = new HashMap<>(values);
    named.putIfAbsent("name", "runner");
    return named;
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
    assertThatThrownBy(() -> EcsSettings.parse(BackendSettings.of(Map.of("subnets", "subnet-0123456789abcdef0"))))
        .isInstanceOfSatisfying(InvalidSettingsException.class, e -> assertThat(e.details())
            .containsExactly(new SettingProblem("task-definition", "task-definition is not set and neither is name,"
                + " its default; use FAMILY, FAMILY:REVISION or its ARN")));
  }

  @Test
  void aTaskDefinitionFromNameSaysWhereItCameFrom() {
    assertThat(problems(Map.of("name", "my runner", "subnets", "subnet-0123456789abcdef0")).details())
        .containsExactly(new SettingProblem("task-definition", "task-definition 'my runner' (from name, its default)"
            + " is not a task definition; use FAMILY, FAMILY:REVISION or its ARN"));
  }

  @Test
  void everyProblemCarriesItsInput() {
    InvalidSettingsException error = problems(Map.of("region", "mars-1", "cluster", "a b", "launch-type", "LAMBDA",
        "subnets-tag", "nocolon", "security-groups-tag", "x", "assign-public-ip", "maybe", "cpu", "lots",
        "memory", "much", "endpoint", "::", "capacity-providers", ""));

    assertThat(error.details()).extracting(SettingProblem::input).containsExactlyInAnyOrder("region", "cluster",
        "launch-type", "subnets-tag", "security-groups-tag", "subnets", "assign-public-ip", "cpu", "memory", "endpoint");
    assertThat(error.details()).allSatisfy(p -> assertThat(p.message()).startsWith(p.input()));
  }

  /**
   * Drift between the declarations and the parser: two maps together give every declared setting (some
   * exclude each other) and nothing else, and every component of the parsed settings must then be set to a
   * non-default value. A component read from an undeclared name stays unset; a declared name that is never
   * read leaves its component unset.
   */
  @Test
  void everyDeclaredSettingIsReadAndEveryReadSettingIsDeclared() throws Exception {
    Map<String, String> first = Map.ofEntries(Map.entry("region", "eu-west-1"), Map.entry("cluster", "runners"),
        Map.entry("task-definition", "runner:3"), Map.entry("container-name", "runner"),
        Map.entry("launch-type", "FARGATE"), Map.entry("subnets", "subnet-0123456789abcdef0"),
        Map.entry("security-groups", "sg-0123456789abcdef0"), Map.entry("assign-public-ip", "true"),
        Map.entry("platform-version", "1.4.0"), Map.entry("cpu", "1024"), Map.entry("memory", "2048"),
        Map.entry("endpoint", "http://127.0.0.1:4566"));
    Map<String, String> second = Map.of("capacity-providers", "FARGATE_SPOT,FARGATE", "subnets-tag", "Name:private",
        "security-groups-tag", "Name:runners", "task-definition", "runner", "seal-public-key", publicKeyPem());
    Set<String> declared = new EcsLauncherProvider().settings().stream().map(SettingDefinition::name)
        .collect(Collectors.toSet());
    Set<String> given = new HashSet<>(first.keySet());
    given.addAll(second.keySet());
    assertThat(given).isEqualTo(declared);

    EcsSettings a = EcsSettings.parse(BackendSettings.of(first));
    EcsSettings b = EcsSettings.parse(BackendSettings.of(second));
    for (RecordComponent component : EcsSettings.class.getRecordComponents()) {
      Object fromFirst = component.getAccessor().invoke(a);
      Object fromSecond = component.getAccessor().invoke(b);
      assertThat(isSet(fromFirst) || isSet(fromSecond)).as(component.getName()).isTrue();
    }
  }

  @Test
  void declarationsAreOnceEachWithTheScopeForEveryMode() {
    List<SettingDefinition> settings = new EcsLauncherProvider().settings();
    assertThat(settings).extracting(SettingDefinition::name).doesNotHaveDuplicates().doesNotContain("name");
    assertThat(settings).filteredOn(d -> d.readFor(LauncherPurpose.MANAGE)).extracting(SettingDefinition::name)
        .containsExactlyInAnyOrder("region", "cluster", "endpoint");
    assertThat(settings).filteredOn(d -> !d.isInput()).extracting(SettingDefinition::name).containsExactly("endpoint");
    assertThat(settings).filteredOn(d -> d.defaultValue().isPresent())
        .extracting(d -> d.name() + "=" + d.defaultValue().get())
        .containsExactlyInAnyOrder("cluster=default", "launch-type=FARGATE", "assign-public-ip=false");
    assertThat(settings).noneMatch(SettingDefinition::secret);
  }

  private static boolean isSet(Object value) {
    if (value instanceof Optional<?> optional) {
      return optional.isPresent();
    }
    if (value instanceof List<?> list) {
      return !list.isEmpty();
    }
    if (value instanceof Boolean flag) {
      return flag;
    }
    if (value instanceof String text) {
      return !text.equals("default");
    }
    return value != null;
  }

  static String publicKeyPem() throws Exception {
    java.security.KeyPairGenerator generator = java.security.KeyPairGenerator.getInstance("RSA");
    generator.initialize(2048);
    return "-----BEGIN PUBLIC KEY-----\n" + java.util.Base64.getMimeEncoder()
        .encodeToString(generator.generateKeyPair().getPublic().getEncoded()) + "\n-----END PUBLIC KEY-----\n";
  }
}
