package io.oneshot.backend.aci;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.oneshot.spi.BackendSettings;
import io.oneshot.spi.InvalidSettingsException;
import io.oneshot.spi.RunnerLaunchers;
import java.math.BigDecimal;
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
import org.junit.jupiter.api.Test;

class AciSettingsTest {
  private static final String SUB = "0a1b2c3d-0000-4000-8000-00000000abcd";

  private static Map<String, String> minimal(String... overrides) {
    Map<String, String> values = new HashMap<>(Map.of("subscription-id", SUB, "resource-group", "ci-runners",
        "location", "West Europe", "image", "ghcr.io/octo/runner:1"));
    for (int i = 0; i < overrides.length; i += 2) {
      values.put(overrides[i], overrides[i + 1]);
    }
    return values;
  }

  private static AciSettings parse(Map<String, String> values) {
    return AciSettings.parse(BackendSettings.of(values));
  }

  @Test
  void defaultsAreTwoCoresFourGibRegularAndNoNetwork() {
    AciSettings settings = parse(minimal());

    assertThat(settings.cpu()).isEqualByComparingTo(BigDecimal.valueOf(2));
    assertThat(settings.memoryInGb()).isEqualByComparingTo(BigDecimal.valueOf(4));
    assertThat(settings.location()).isEqualTo("westeurope");
    assertThat(settings.spot()).isFalse();
    assertThat(settings.capacityOptions()).isEqualTo(1);
    assertThat(settings.subnetIds()).isEmpty();
    assertThat(settings.endpoint()).isEmpty();
  }

  @Test
  void everyProblemIsReportedAtOnceNamingTheInput() {
    assertThatThrownBy(() -> parse(Map.of("subscription-id", "my-sub", "location", "east_us!", "cpu", "8",
        "memory", "1.55", "priority", "Cheap", "zones", "1,2", "subnet-ids", "subnet-1",
        "registry-username", "u", "endpoint", "http://127.0.0.1:8080")))
        .isInstanceOfSatisfying(InvalidSettingsException.class, e -> assertThat(e.problems()).containsExactlyInAnyOrder(
            "subscription-id 'my-sub' is not a subscription id; use its GUID, such as"
                + " 00000000-0000-0000-0000-000000000000",
            "resource-group is required; use the name of the resource group the runners go to",
            "location 'east_us!' is not an Azure region; use a name such as eastus or westeurope",
            "image is required; use the runner image, such as ghcr.io/OWNER/oneshot-runner:1",
            "cpu '8' is out of range; use cores from 0.01 to 4 (ACI's limit for one container group), such as 2",
            "memory '1.55' is out of range; use GiB in steps of 0.1 from 0.1 to 16 (ACI's limit for one container"
                + " group), such as 4",
            "subnet-ids: 'subnet-1' is not a subnet resource id; use /subscriptions/SUB/resourceGroups/RG/providers/"
                + "Microsoft.Network/virtualNetworks/VNET/subnets/SUBNET",
            "registry-username and registry-password go together; give both, or use identity instead",
            "registry-server is required with registry credentials or identity; use the registry's login server,"
                + " such as myregistry.azurecr.io",
            "priority 'Cheap' is not supported; use Regular or Spot",
            "zones lists 2 zones; an ACI container group goes to one zone: use 1, 2 or 3",
            "endpoint 'http://127.0.0.1:8080' is not an https URL; the Azure SDK sends bearer tokens only over https:"
                + " use https://HOST:PORT"));
  }

  @Test
  void registryCredentialsAndIdentityExcludeEachOther() {
    assertThatThrownBy(() -> parse(minimal("registry-server", "myacr.azurecr.io", "registry-username", "u",
        "registry-password", "p", "identity", AciFixture.IDENTITY)))
        .hasMessageContaining("registry-username/registry-password and identity exclude each other");
    assertThatThrownBy(() -> parse(minimal("registry-server", "myacr.azurecr.io")))
        .hasMessageStartingWith("registry-server needs registry-username and registry-password, or identity");
    assertThat(parse(minimal("registry-server", "myacr.azurecr.io", "identity", AciFixture.IDENTITY)).identity())
        .contains(AciFixture.IDENTITY);
  }

  @Test
  void theRegistryPasswordNeverShowsInToStringOrProblems() {
    AciSettings settings = parse(minimal("registry-server", "myacr.azurecr.io", "registry-username", "u",
        "registry-password", "Sup3r-S3cret"));

    assertThat(settings.toString()).doesNotContain("Sup3r-S3cret").contains("registryPassword=Optional[***]");
    assertThatThrownBy(() -> parse(minimal("registry-password", "Sup3r-S3cret")))
        .hasMessageNotContaining("Sup3r-S3cret");
  }

  @Test
  void spotGivesTwoCapacityOptions() {
    assertThat(parse(minimal("priority", "spot")).capacityOptions()).isEqualTo(2);
  }

  @Test
  void theProviderIsFoundByIdAndChecksSettingsBeforeAnyCall() {
    var provider = RunnerLaunchers.provider("aci", getClass().getClassLoader());

    assertThat(provider).isInstanceOf(AciLauncherProvider.class);
    assertThatThrownBy(() -> provider.create(BackendSettings.of(Map.of())))
        .isInstanceOfSatisfying(InvalidSettingsException.class, e -> assertThat(e.problems()).hasSize(4));
  }

  /**
   * Drift between the declarations and the parser: two maps together give every declared setting and nothing
   * else (registry credentials and identity exclude each other), and every component of the parsed settings
   * must be set to a non-default value by one of them. A component read from an undeclared name stays unset; a
   * declared name that is never read leaves its component unset.
   */
  @Test
  void everyDeclaredSettingIsReadAndEveryReadSettingIsDeclared() throws Exception {
    String identity = "/subscriptions/" + SUB + "/resourceGroups/ids/providers/Microsoft.ManagedIdentity"
        + "/userAssignedIdentities/puller";
    String subnet = "/subscriptions/" + SUB + "/resourceGroups/net/providers/Microsoft.Network/virtualNetworks/ci"
        + "/subnets/runners";
    Map<String, String> first = minimal("cpu", "1", "memory", "1.5", "subnet-ids", subnet, "registry-server",
        "myacr.azurecr.io", "registry-username", "puller", "registry-password", "not-printed", "priority", "Spot",
        "zones", "2", "endpoint", "https://127.0.0.1:8443");
    Map<String, String> second = minimal("registry-server", "myacr.azurecr.io", "identity", identity);
    Set<String> given = new HashSet<>(first.keySet());
    given.addAll(second.keySet());
    assertThat(new AciLauncherProvider().settings()).extracting(SettingDefinition::name)
        .containsExactlyInAnyOrderElementsOf(given);

    AciSettings a = parse(first);
    AciSettings b = parse(second);
    for (RecordComponent component : AciSettings.class.getRecordComponents()) {
      assertThat(isSet(component.getAccessor().invoke(a)) || isSet(component.getAccessor().invoke(b)))
          .as(component.getName()).isTrue();
    }
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
    if (value instanceof BigDecimal number) {
      return number.compareTo(BigDecimal.valueOf(2)) != 0 && number.compareTo(BigDecimal.valueOf(4)) != 0;
    }
    return value != null;
  }

  @Test
  void declarationsGiveDefaultsModesAndTheOneSecret() {
    List<SettingDefinition> settings = new AciLauncherProvider().settings();
    assertThat(settings).filteredOn(d -> d.readFor(LauncherPurpose.MANAGE)).extracting(SettingDefinition::name)
        .containsExactlyInAnyOrder("subscription-id", "resource-group", "endpoint");
    assertThat(settings).filteredOn(SettingDefinition::secret).extracting(SettingDefinition::name)
        .containsExactly("registry-password");
    assertThat(settings).filteredOn(d -> !d.isInput()).extracting(SettingDefinition::name).containsExactly("endpoint");
    assertThat(settings).filteredOn(d -> d.defaultValue().isPresent())
        .extracting(d -> d.name() + "=" + d.defaultValue().get())
        .containsExactlyInAnyOrder("cpu=2", "memory=4", "priority=Regular");
  }

  @Test
  void everyProblemCarriesItsInputAndNoneEchoesThePassword() {
    InvalidSettingsException e = catchThrowableOfType(() -> parse(Map.of("subscription-id", "x", "location", "?",
        "image", "a b", "cpu", "9", "memory", "lots", "registry-password", "hunter2-secret", "priority", "Low",
        "zones", "4", "endpoint", "http://x")), InvalidSettingsException.class);

    assertThat(e.details()).extracting(SettingProblem::input).contains("subscription-id", "resource-group",
        "location", "image", "cpu", "memory", "registry-username", "registry-server", "priority", "zones", "endpoint");
    assertThat(e.details()).allSatisfy(p -> assertThat(p.message()).startsWith(p.input().equals("registry-username")
        ? "registry-username and registry-password" : p.input()));
    assertThat(e.getMessage()).doesNotContain("hunter2-secret");
  }
}
