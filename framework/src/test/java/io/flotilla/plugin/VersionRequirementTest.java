package io.flotilla.plugin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** The one compatibility rule: same major, at least the required minor (and patch). */
class VersionRequirementTest {

    private static boolean admits(String requirement, String version) {
        return VersionRequirement.parse(requirement).admits(SemVer.parse(version));
    }

    @Test
    void sameMajorAndAtLeastTheMinor() {
        assertThat(admits("1.x", "1.0.0")).isTrue();
        assertThat(admits("1.x", "1.9.3")).isTrue();
        assertThat(admits("1.2", "1.2.0")).isTrue();
        assertThat(admits("1.2", "1.10.0")).isTrue();
        assertThat(admits("1.2", "1.1.9")).isFalse();
        assertThat(admits("1.2.3", "1.2.2")).isFalse();
        assertThat(admits("1.2.3", "1.2.3-rc.1")).isTrue();
        assertThat(admits("1.x", "2.0.0")).isFalse();
        assertThat(admits("2.x", "1.9.0")).isFalse();
        assertThat(admits("*", "0.0.1")).isTrue();
    }

    @Test
    void theFrameworkProvidesItsOwnApi() {
        assertThat(PluginApi.satisfies(VersionRequirement.parse(PluginApi.VERSION))).isTrue();
        assertThat(PluginApi.satisfies(VersionRequirement.parse(PluginApi.SEMVER.major() + ".x"))).isTrue();
        assertThat(PluginApi.satisfies(VersionRequirement.parse((PluginApi.SEMVER.major() + 1) + ".x"))).isFalse();
    }

    @Test
    void badTextIsRejectedWithTheText() {
        assertThatThrownBy(() -> SemVer.parse("1.0")).hasMessageContaining("'1.0' is not a semantic version");
        assertThatThrownBy(() -> SemVer.parse("01.0.0")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> VersionRequirement.parse(">=1")).hasMessageContaining("'>=1'");
        assertThat(SemVer.parse("1.2.3-beta+7").toString()).isEqualTo("1.2.3-beta+7");
    }
}
