package io.flotilla.kernel.cap;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.Arrays;
import java.util.List;
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

    /**
     * The store's parts hold the operations that install, send and sweep capabilities. They are reached only
     * through the store's package-private fields and are package-private classes themselves, so making any of them
     * reachable by a program takes a change this test names.
     */
    @Test
    void theStoresPartsAreTheKernelsAlone() {
        for (Class<?> part : List.of(CSpaceOperations.class, MonitorOperations.class, RemoteCopies.class,
                DerivationTree.class, RetypeReservations.class, CapLookup.class)) {
            assertThat(Modifier.isPublic(part.getModifiers())).as(part.getSimpleName()).isFalse();
        }
        for (Field f : CapabilityStore.class.getDeclaredFields()) {
            assertThat(Modifier.isPublic(f.getModifiers()) || Modifier.isProtected(f.getModifiers()))
                    .as(f.getName()).isFalse();
        }
    }
}
