package io.flotilla.kernel.node;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Warnings about a cluster secret that is usable but unwise: a file others can read (any of them can then join the
 * multikernel, or pose as one of its nodes), and a secret that is easy to guess. "Weak" is measured, not guessed at:
 * fewer than {@value #MIN_DISTINCT_BYTES} distinct byte values ({@code aaaaaaaaaaaaaaaa}, {@code 1212121212121212}),
 * or one byte value making up more than half of it. Such a secret is accepted, with a warning, since the nodes of a
 * test on one machine need no strong one; a secret shorter than 16 bytes is refused by {@link NodeConfig#readSecret}.
 */
public final class SecretCheck {

    /** Fewest distinct byte values of a secret that draws no warning. */
    public static final int MIN_DISTINCT_BYTES = 8;

    private SecretCheck() {}

    /** One line per problem with the secret file {@code file} holding {@code secret}; empty when there is none. */
    public static List<String> warnings(Path file, byte[] secret) {
        List<String> out = new ArrayList<>();
        try {
            Set<PosixFilePermission> mode = Files.getPosixFilePermissions(file, LinkOption.NOFOLLOW_LINKS);
            if (mode.stream().anyMatch(p -> p != PosixFilePermission.OWNER_READ && p != PosixFilePermission.OWNER_WRITE
                    && p != PosixFilePermission.OWNER_EXECUTE)) {
                out.add("--secret-file " + file + " can be read or changed by group or others (mode "
                        + PosixFilePermissions.toString(mode) + "); anyone who reads it can join the multikernel: "
                        + "chmod 600 " + file);
            }
        } catch (IOException | UnsupportedOperationException e) {
            // a device, a pipe or a file system without POSIX modes: there is no mode to judge
        }
        String weak = weakness(secret);
        if (weak != null) {
            out.add("the secret in --secret-file " + file + " is weak (" + weak + "); make one with e.g. "
                    + "'head -c 32 /dev/urandom | base64 > " + file + "'");
        }
        return out;
    }

    /** Why {@code secret} is easy to guess, or null when it is not by this measure. */
    public static String weakness(byte[] secret) {
        int[] counts = new int[256];
        int distinct = 0;
        int most = 0;
        for (byte b : secret) {
            int c = ++counts[b & 0xFF];
            if (c == 1) {
                distinct++;
            }
            most = Math.max(most, c);
        }
        if (distinct < MIN_DISTINCT_BYTES) {
            return distinct + " distinct byte value" + (distinct == 1 ? "" : "s") + ", fewer than "
                    + MIN_DISTINCT_BYTES;
        }
        if (most * 2 > secret.length) {
            return "one byte value makes up " + most + " of its " + secret.length + " bytes";
        }
        return null;
    }
}
