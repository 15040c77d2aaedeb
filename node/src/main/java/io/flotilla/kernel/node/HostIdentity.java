package io.flotilla.kernel.node;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Which operating-system instance a node runs on, so that nodes can tell whether they share memory: the kernel's
 * boot id (a fresh random UUID per boot, {@code /proc/sys/kernel/random/boot_id}) and the host name, joined by a
 * slash; the host name alone where there is no boot id. Containers on one kernel share the boot id but usually not
 * their {@code /dev/shm}; their host names differ by default, which is why the name is part of the identity.
 */
public final class HostIdentity {

    static final Path BOOT_ID = Path.of("/proc/sys/kernel/random/boot_id");

    private HostIdentity() {}

    /** This JVM's host identity (never empty when a host name can be found; "" otherwise). */
    public static String local() {
        String boot = read(BOOT_ID);
        String name = hostName();
        String id = boot.isEmpty() ? name : name.isEmpty() ? boot : boot + "/" + name;
        return id.length() > 255 ? id.substring(0, 255) : id;
    }

    private static String hostName() {
        // The UTS namespace's name: what a container calls itself, whatever the environment of this JVM says.
        String uts = read(Path.of("/proc/sys/kernel/hostname"));
        if (!uts.isEmpty()) {
            return uts;
        }
        try {
            return java.net.InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            return "";
        }
    }

    private static String read(Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8).strip();
        } catch (IOException | RuntimeException e) {
            return "";
        }
    }

    /** Refuses an identity that could not travel in a HELLO: over 255 UTF-8 bytes or with control characters. */
    static void check(String id) {
        if (id.getBytes(StandardCharsets.UTF_8).length > 255) {
            throw new IllegalArgumentException("host identity '" + id + "' is longer than 255 bytes");
        }
        for (int i = 0; i < id.length(); i++) {
            if (Character.isISOControl(id.charAt(i))) {
                throw new IllegalArgumentException("host identity has a control character at " + i);
            }
        }
    }
}
