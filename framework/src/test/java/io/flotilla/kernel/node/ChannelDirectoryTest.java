package io.flotilla.kernel.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.flotilla.channel.ChannelOptions;
import io.flotilla.frame.ControlWord;
import io.flotilla.frame.FrameWriter;
import io.flotilla.transport.urpc.UrpcChannel;
import io.flotilla.transport.urpc.UrpcTransport;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The directory of urpc channel files between nodes: owner-only, and a prepared one is never trusted. */
class ChannelDirectoryTest {

    @Test
    void isCreatedOwnerOnlyEvenUnderAPermissiveUmask(@TempDir Path base) throws Exception {
        Path dir = base.resolve("flotilla-test");
        new ChannelDirectory(dir).ensure();
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir))).isEqualTo("rwx------");
        new ChannelDirectory(dir).ensure(); // the same user's own directory is used again
    }

    @Test
    void anExistingDirectoryOpenToOthersIsRefusedInOneLine(@TempDir Path base) throws Exception {
        Path dir = Files.createDirectory(base.resolve("open"));
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
        assertThatThrownBy(() -> new ChannelDirectory(dir).ensure())
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("refusing " + dir)
                .hasMessageContaining("rwxr-xr-x lets others in")
                .hasMessageNotContaining("\n");
    }

    @Test
    void anExistingDirectoryOfAnotherUserIsRefusedInOneLine(@TempDir Path base) throws Exception {
        Path dir = Files.createDirectory(base.resolve("theirs"));
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
        var users = dir.getFileSystem().getUserPrincipalLookupService();
        try {
            Files.setOwner(dir, users.lookupPrincipalByName("nobody")); // only root may give a directory away
        } catch (java.io.IOException e) {
            org.junit.jupiter.api.Assumptions.abort("cannot make a directory of another user here: " + e);
        }
        assertThatThrownBy(() -> new ChannelDirectory(dir).ensure())
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("refusing " + dir)
                .hasMessageContaining("belongs to nobody")
                .hasMessageNotContaining("\n");
    }

    @Test
    void aSymbolicLinkOrAFileInItsPlaceIsRefused(@TempDir Path base) throws Exception {
        Path target = Files.createDirectory(base.resolve("target"));
        Files.setPosixFilePermissions(target, PosixFilePermissions.fromString("rwx------"));
        Path link = Files.createSymbolicLink(base.resolve("link"), target);
        assertThatThrownBy(() -> new ChannelDirectory(link).ensure())
                .hasMessageContaining("symbolic link");
        Path file = Files.writeString(base.resolve("file"), "x");
        assertThatThrownBy(() -> new ChannelDirectory(file).ensure())
                .hasMessageContaining("not a directory");
    }

    @Test
    void channelFilesGoInsideAndTheEmptyDirectoryIsRemovedAtTheEndThenMadeAgainOnDemand(@TempDir Path base)
            throws Exception {
        Path dir = base.resolve("flotilla-test");
        ChannelDirectory channels = new ChannelDirectory(dir);
        channels.ensure();
        ChannelDirectory.Made made = channels.create(16);
        Path file = channels.check(made.name());
        assertThat(file.getParent()).isEqualTo(dir);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        channels.releaseAll();
        assertThat(dir).doesNotExist();
        ChannelDirectory.Made again = channels.create(16); // another node of this user removed it meanwhile
        assertThat(channels.check(again.name())).exists();
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir))).isEqualTo("rwx------");
        channels.releaseAll();
        assertThat(dir).doesNotExist();
    }

    @Test
    void bothEndsHandBackWhereEveryCpuOfTheHostSharesACacheAndFramesStillFlow(@TempDir Path base) throws Exception {
        ChannelDirectory channels = new ChannelDirectory(base.resolve("flotilla-test"));
        channels.ensure();
        ChannelDirectory.Made made = channels.create(16);
        UrpcChannel b = channels.attach(made.name(), Duration.ofSeconds(2));
        boolean expected = UrpcTransport.handBackBetweenProcesses(ChannelOptions.DEFAULT);
        assertThat(made.end().handsBack()).isEqualTo(expected);
        assertThat(b.handsBack()).isEqualTo(expected);
        // three laps of the 16-slot ring, so every batch ack (and hand-back, where on) is crossed more than once
        long[] got = new long[1];
        for (long i = 1; i <= 48; i++) {
            FrameWriter w = made.end().claim();
            w.putWord(0, i);
            w.publish(ControlWord.of(ControlWord.FIRST_USER_MESSAGE, 0, true, 0));
            assertThat(b.poll(frame -> got[0] = frame.word(0), 1)).isEqualTo(1);
            assertThat(got[0]).isEqualTo(i);
        }
        made.end().close();
        b.close();
        channels.releaseAll();
    }

    @Test
    void theDirectoryIsNamedForThisUser() {
        assertThat(ChannelDirectory.local().path().getFileName().toString())
                .isEqualTo("flotilla-" + OwnerOnlyDirectory.userTag());
    }
}
