package io.oneshot.backend.ecs;

import static org.assertj.core.api.Assertions.assertThat;

import io.oneshot.testkit.SecretScan;
import org.junit.jupiter.api.Test;

/** Guards the module's junit-platform.properties: every test here runs under SecretScan. */
class SecretScanActiveTest {
  @Test
  void everyTestIsScannedForLeakedSecrets() {
    assertThat(SecretScan.active()).as("junit.jupiter.extensions.autodetection.enabled").isTrue();
  }
}
