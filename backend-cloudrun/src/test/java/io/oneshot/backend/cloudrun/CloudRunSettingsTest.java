package io.oneshot.backend.cloudrun;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.oneshot.spi.BackendSettings;
import io.oneshot.spi.InvalidSettingsException;
import io.oneshot.spi.LauncherPurpose;
import io.oneshot.spi.SettingDefinition;
import io.oneshot.spi.SettingProblem;
import java.lang.reflect.RecordComponent;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Every Cloud Run setting is checked at once, each problem naming its input and the accepted form. */
class CloudRunSettingsTest {

  private static CloudRunSettings parse(Map<String, String> values, Map<String, String> environment) {
    return CloudRunSettings.parse(BackendSettings.of(values), environment);
  }

  @Test
  void validSettingsGiveTheJobName() {
    CloudRunSettings settings = parse(Map.of("project", "my-project-123", "region", "europe-west1", "job", "gh-runner",
        "endpoint", "127.0.0.1:8085", "plaintext", "TRUE"), Map.of());

    assertThat(settings.jobName()).isEqualTo("projects/my-project-123/locations/europe-west1/jobs/gh-runner");
    assertThat(settings.plaintext()).isTrue();
    assertThat(settings.endpoint()).contains("127.0.0.1:8085");
    assertThat(settings.container()).isEmpty();
  }

  @Test
  void theProjectComesFromTheAuthActionsEnvironmentWhenUnset() {
    Map<String, String> values = Map.of("region", "us-central1", "job", "gh-runner");

    assertThat(parse(values, Map.of("GOOGLE_CLOUD_PROJECT", "from-auth-1")).project()).isEqualTo("from-auth-1");
    assertThat(parse(values, Map.of("CLOUDSDK_CORE_PROJECT", "from-sdk-22")).project()).isEqualTo("from-sdk-22");
    assertThat(parse(Map.of("project", "explicit-1", "region", "us-central1", "job", "j"),
        Map.of("GOOGLE_CLOUD_PROJECT", "from-auth-1")).project()).isEqualTo("explicit-1");
  }

  @Test
  void everyProblemIsReportedTogether() {
    InvalidSettingsException e = catchThrowableOfType(InvalidSettingsException.class, () -> parse(Map.of(
        "project", "Bad_Project", "region", "central", "job", "projects/p/locations/r/jobs/j",
        "container", "Runner!", "endpoint", "http://localhost:8080", "plaintext", "yes"), Map.of()));

    assertThat(e.problems()).containsExactly(
        "project 'Bad_Project' is not a project id; use 6 to 30 lower-case letters, digits and hyphens starting with"
            + " a letter, for example my-project-123",
        "region 'central' is not a Cloud Run region; use a name such as us-central1 or europe-west1",
        "job 'projects/p/locations/r/jobs/j' is a resource path; give only the job's name (the part after /jobs/),"
            + " with project and region as their own inputs",
        "container 'Runner!' is not a container name; use the name of one of the job's containers (lower-case"
            + " letters, digits, hyphens)",
        "endpoint 'http://localhost:8080' is not HOST:PORT; use for example 127.0.0.1:8085 (no scheme, no path)",
        "plaintext 'yes' is not a boolean; use true or false");
  }

  @Test
  void missingInputsAreNamed() {
    InvalidSettingsException e = catchThrowableOfType(InvalidSettingsException.class,
        () -> parse(Map.of("plaintext", "true"), Map.of()));

    assertThat(e.problems()).hasSize(4);
    assertThat(e.problems().get(0)).startsWith("project is not set");
    assertThat(e.problems().get(1)).startsWith("region is not set");
    assertThat(e.problems().get(2)).startsWith("job is not set");
    assertThat(e.problems().get(3)).startsWith("plaintext is true but endpoint is not set");
  }

  @Test
  void aBadJobNameAndPortAreRefused() {
    InvalidSettingsException e = catchThrowableOfType(InvalidSettingsException.class, () -> parse(Map.of(
        "project", "my-project-123", "region", "us-central1", "job", "-runner", "endpoint", "[::1]:70000"),
        Map.of()));

    assertThat(e.problems()).hasSize(2);
    assertThat(e.problems().get(0)).startsWith("job '-runner' is not a Cloud Run job name");
    assertThat(e.problems().get(1)).startsWith("endpoint '[::1]:70000' is not HOST:PORT");
    assertThat(parse(Map.of("project", "123456789012", "region", "us-central1", "job", "j", "container", "runner"),
        Map.of()).container()).isEqualTo(Optional.of("runner"));
  }

  /**
   * Drift between the declarations and the parser: a map of every declared setting and nothing else must set
   * every component of the parsed settings to a non-default value (a component read from an undeclared name
   * stays unset; a declared name never read leaves its component unset).
   */
  @Test
  void everyDeclaredSettingIsReadAndEveryReadSettingIsDeclared() throws Exception {
    Map<String, String> all = Map.of("project", "my-project-123", "region", "europe-west1", "job", "gh-runner",
        "container", "runner", "endpoint", "127.0.0.1:8085", "plaintext", "true", "seal-public-key",
        CloudRunSealingTest.PUBLIC_PEM);
    assertThat(new CloudRunLauncherProvider().settings()).extracting(SettingDefinition::name)
        .containsExactlyInAnyOrderElementsOf(all.keySet());

    CloudRunSettings settings = parse(all, Map.of());

    for (RecordComponent component : CloudRunSettings.class.getRecordComponents()) {
      Object value = component.getAccessor().invoke(settings);
      boolean set = value instanceof Optional<?> o ? o.isPresent() : value instanceof Boolean b ? b : value != null;
      assertThat(set).as(component.getName()).isTrue();
    }
  }

  @Test
  void declarationsPutTheScopeInEveryModeAndTheEndpointInTheLibraryOnly() {
    List<SettingDefinition> settings = new CloudRunLauncherProvider().settings();
    assertThat(settings).filteredOn(d -> d.readFor(LauncherPurpose.MANAGE)).extracting(SettingDefinition::name)
        .containsExactlyInAnyOrder("project", "region", "job", "endpoint", "plaintext");
    assertThat(settings).filteredOn(d -> !d.isInput()).extracting(SettingDefinition::name)
        .containsExactlyInAnyOrder("endpoint", "plaintext");
    assertThat(settings).noneMatch(SettingDefinition::secret);
  }

  @Test
  void everyProblemCarriesItsInput() {
    InvalidSettingsException e = catchThrowableOfType(() -> parse(Map.of("region", "x", "job", "a/b", "container",
        "A B", "endpoint", "nope", "plaintext", "maybe"), Map.of()), InvalidSettingsException.class);

    assertThat(e.details()).extracting(SettingProblem::input).containsExactly("project", "region", "job", "container",
        "endpoint", "plaintext");
    assertThat(e.details()).allSatisfy(p -> assertThat(p.message()).startsWith(p.input()));
  }
}
