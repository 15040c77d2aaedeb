package io.flotilla.kernel.cap;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/**
 * A program can reach a core's {@link CapabilityStore} ({@code CapabilityMonitors.monitor(core).store()}); the
 * red-team pass of issue 17 used its public methods to mint boot RAM and to install, revoke and sweep capabilities
 * of other domains. What is public on the store is therefore a security boundary: this test names it, so widening
 * it is a deliberate, reviewed change.
 */
class CapabilityAuthorityTest {

    @Test
    void theStoreOffersProgramsNoWayToCreateOrMoveAuthority() {
        String[] visible = Arrays.stream(CapabilityStore.class.getDeclaredMethods())
                .filter(m -> Modifier.isPublic(m.getModifiers()) && !m.isSynthetic())
                .map(Method::getName)
                .sorted()
                .toArray(String[]::new);
        assertThat(visible).containsExactly("core", "createCSpace");
    }
}
