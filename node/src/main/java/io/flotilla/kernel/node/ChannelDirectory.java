package io.flotilla.kernel.node;

import io.flotilla.channel.ChannelOptions;
import io.flotilla.transport.urpc.FlowControl;
import io.flotilla.transport.urpc.UrpcChannel;
import io.flotilla.transport.urpc.UrpcTransport;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Pattern;

/**
 * Where a node makes the shared-memory files of urpc channels to other nodes of its host: a directory of this user's
 * own, {@code flotilla-UID} in {@code /dev/shm} when that exists (memory, never disk), else in
 * {@code java.io.tmpdir}; every node of one user on one host uses the same one, so a name one node sends names a
 * file the other can open. The directory is created with mode {@code rwx------}, atomically with its creation, so
 * no other user can list it or open anything in it; one that exists already is used only if it is a real directory
 * (not a link), owned by this user and closed to group and others, and is refused otherwise with a one-line reason:
 * a directory another local user prepared is never trusted.
 *
 * <p>Every file is named {@value #PREFIX}{@code PID-HEX16} (the creator's pid, 64 random bits), and a name another
 * node sends is accepted only if it has exactly that form and names a regular file (not a link) directly in this
 * directory: a peer cannot make this node map any other path. Files are deleted as soon as both sides have mapped
 * them; whatever this node made and is still there when it closes is deleted then, and so is the directory once it
 * is empty (a node of the same user that makes a file as it goes creates it again).
 */
final class ChannelDirectory {

    static final String PREFIX = "flotilla-urpc-";
    private static final Pattern NAME = Pattern.compile(Pattern.quote(PREFIX) + "[0-9]{1,19}-[0-9a-f]{16}");

    private final Path dir;
    /**
     * Whether this node's ends hand consumed lines back ({@link UrpcTransport#handBackBetweenProcesses}): each end
     * chooses for itself, and two nodes of one host choose alike.
     */
    private final boolean handBack = UrpcTransport.handBackBetweenProcesses(ChannelOptions.DEFAULT);
    private final SecureRandom random = new SecureRandom();
    private final LinkedHashSet<String> made = new LinkedHashSet<>(); // guarded by this
    final AtomicLong created = new AtomicLong();
    final AtomicLong attached = new AtomicLong();

    ChannelDirectory(Path dir) {
        this.dir = dir.toAbsolutePath().normalize();
    }

    /**
     * This user's channel directory on this host, created or checked now.
     *
     * @throws IllegalStateException with a one-line reason when it cannot be made, or exists and is not safe
     */
    static ChannelDirectory local() {
        Path shm = Path.of("/dev/shm");
        Path base = Files.isDirectory(shm) && Files.isWritable(shm) ? shm
                : Path.of(System.getProperty("java.io.tmpdir"));
        ChannelDirectory d = new ChannelDirectory(base.resolve("flotilla-" + OwnerOnlyDirectory.userTag()));
        d.ensure();
        return d;
    }

    /** Creates the directory owner-only, or checks the one there; see {@link OwnerOnlyDirectory#ensure}. */
    void ensure() {
        try {
            OwnerOnlyDirectory.ensure(dir);
        } catch (IOException e) {
            throw new IllegalStateException(e.getMessage());
        }
    }

    Path path() {
        return dir;
    }

    /** A urpc channel file made here, and side A of it. */
    record Made(String name, UrpcChannel end) {}

    /** Makes a fresh channel file and returns side A; side B is for the node the name is sent to. */
    Made create(int slots) throws IOException {
        String name = PREFIX + ProcessHandle.current().pid() + "-" + String.format("%016x", random.nextLong());
        UrpcChannel end;
        try {
            end = UrpcChannel.create(dir.resolve(name), slots, FlowControl.EPOCH, handBack);
        } catch (NoSuchFileException e) {
            // Another node of this user found the directory empty as it closed and removed it: make it again.
            try {
                OwnerOnlyDirectory.ensure(dir);
            } catch (IOException refused) {
                throw new IOException(refused.getMessage(), refused);
            }
            end = UrpcChannel.create(dir.resolve(name), slots, FlowControl.EPOCH, handBack);
        }
        synchronized (this) {
            made.add(name);
        }
        created.incrementAndGet();
        return new Made(name, end);
    }

    /**
     * Checks a name another node sent.
     *
     * @return the file it names in this directory
     * @throws IllegalArgumentException saying why the name is refused
     */
    Path check(String name) {
        if (!NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("'" + clip(name) + "' is not a channel file name (" + PREFIX
                    + "PID-HEX16 in " + dir + ")");
        }
        Path file = dir.resolve(name).normalize();
        if (!dir.equals(file.getParent())) {
            throw new IllegalArgumentException("'" + clip(name) + "' is outside " + dir);
        }
        if (!Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
            throw new IllegalArgumentException(file + " is not a regular file"
                    + (Files.isSymbolicLink(file) ? " (a symbolic link)" : " (there is none)"));
        }
        return file;
    }

    /** Attaches side B of the checked file {@code name} and deletes the file: both sides have it mapped now. */
    UrpcChannel attach(String name, Duration timeout) throws IOException {
        Path file = check(name);
        UrpcChannel end = UrpcChannel.attach(file, timeout, handBack);
        Files.deleteIfExists(file);
        attached.incrementAndGet();
        return end;
    }

    /**
     * Deletes a file this node made, if it is still there (its peer never attached).
     *
     * @return whether it was still there
     */
    boolean release(String name) {
        synchronized (this) {
            made.remove(name);
        }
        try {
            return Files.deleteIfExists(dir.resolve(name));
        } catch (IOException e) {
            return false;
        }
    }

    /** Deletes every file this node made that is still there. */
    void releaseAll() {
        List<String> left;
        synchronized (this) {
            left = new ArrayList<>(made);
        }
        for (String name : left) {
            release(name);
        }
        try {
            Files.deleteIfExists(dir); // only when empty: another node of this user may still have files here
        } catch (IOException stillInUse) {
            // DirectoryNotEmptyException, or gone already: the last node to close removes it
        }
    }

    private static String clip(String s) {
        return s.length() > 80 ? s.substring(0, 80) + "..." : s;
    }
}
