package io.flotilla.kernel.node;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import java.util.EnumSet;
import java.util.Set;

/**
 * A directory only its owner can use (mode {@code rwx------}), made safely in a directory other users can write
 * ({@code /dev/shm}, {@code /tmp}): it is created with its mode in the same system call, so there is no instant in
 * which it is open to others; and where a directory of that name exists already (another user may have made it
 * first, to read or replace what this user puts there), it is used only if it is a directory itself, not a symbolic
 * link to one, belongs to this process's user and grants group and others nothing.
 */
final class OwnerOnlyDirectory {

    private static final Set<PosixFilePermission> OWNER_ONLY = EnumSet.of(PosixFilePermission.OWNER_READ,
            PosixFilePermission.OWNER_WRITE, PosixFilePermission.OWNER_EXECUTE);

    private OwnerOnlyDirectory() {}

    /**
     * Makes {@code dir} owner-only, or checks the one there.
     *
     * @throws IOException whose message is one line saying what is wrong with {@code dir} and what to do
     */
    static void ensure(Path dir) throws IOException {
        try {
            Files.createDirectory(dir, PosixFilePermissions.asFileAttribute(OWNER_ONLY));
            return; // ours, and never open to anyone else (a umask can only take permissions away)
        } catch (FileAlreadyExistsException exists) {
            // checked below, without following a link
        } catch (UnsupportedOperationException noPosix) {
            throw new IOException("cannot make " + dir + " owner-only: this file system has no POSIX permissions");
        }
        PosixFileAttributes a;
        try {
            a = Files.readAttributes(dir, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        } catch (IOException e) {
            throw new IOException("cannot check " + dir + ": " + e.getMessage());
        }
        String remedy = "; urpc channel files between nodes go only in a directory of this user's own "
                + "(remove it, or ask its owner to)";
        if (a.isSymbolicLink()) {
            throw new IOException("refusing " + dir + ": it is a symbolic link, not a directory" + remedy);
        }
        if (!a.isDirectory()) {
            throw new IOException("refusing " + dir + ": it is not a directory" + remedy);
        }
        UserPrincipal me = currentUser(dir);
        if (!a.owner().equals(me)) {
            throw new IOException("refusing " + dir + ": it belongs to " + a.owner().getName() + ", not to "
                    + me.getName() + remedy);
        }
        Set<PosixFilePermission> extra = EnumSet.copyOf(a.permissions());
        extra.removeAll(OWNER_ONLY);
        if (!extra.isEmpty()) {
            throw new IOException("refusing " + dir + ": its mode " + PosixFilePermissions.toString(a.permissions())
                    + " lets others in (it must be rwx------; chmod 700 it if you made it)");
        }
    }

    /**
     * What names this user's directory: the numeric uid where the platform has one ({@code /proc/self} belongs to
     * the process's user), else the user name with anything but letters, digits, '.', '_' and '-' replaced.
     */
    static String userTag() {
        try {
            Object uid = Files.getAttribute(Path.of("/proc/self"), "unix:uid");
            return uid.toString();
        } catch (IOException | UnsupportedOperationException | IllegalArgumentException | SecurityException e) {
            return System.getProperty("user.name", "user").replaceAll("[^A-Za-z0-9._-]", "_");
        }
    }

    /** This process's user, as the file system names owners. */
    private static UserPrincipal currentUser(Path near) throws IOException {
        Path proc = Path.of("/proc/self");
        if (Files.exists(proc)) {
            return Files.getOwner(proc); // follows the link to /proc/PID, which the process's user owns
        }
        return near.getFileSystem().getUserPrincipalLookupService()
                .lookupPrincipalByName(System.getProperty("user.name"));
    }
}
