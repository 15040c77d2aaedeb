package io.flotilla.kernel.cap;

/**
 * Tests outside this package place boot capabilities as the CPU driver does at boot; {@link
 * CapabilityStore#createBoot} itself is package-private so that no program can mint memory.
 */
public final class BootCapabilities {

    private BootCapabilities() {}

    public static void create(CapabilityStore store, CSpace cspace, CapAddress at,
            CapType type, long base, long size) {
        store.createBoot(cspace, at, type, base, size);
    }
}
