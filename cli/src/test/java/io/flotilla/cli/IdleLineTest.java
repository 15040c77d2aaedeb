package io.flotilla.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.flotilla.platform.pinned.IdleStrategy.Kind;
import org.junit.jupiter.api.Test;

class IdleLineTest {

    @Test
    void saysWhatTheCoresRanWithAndWhetherAutoChoseIt() {
        assertThat(RunCommand.idleLine(Kind.BACKOFF, Kind.AUTO, true, false))
                .isEqualTo("  idle strategy: backoff (auto)" + System.lineSeparator());
        assertThat(RunCommand.idleLine(Kind.SPIN, Kind.AUTO, true, true))
                .isEqualTo("  idle strategy: spin (auto)" + System.lineSeparator());
        assertThat(RunCommand.idleLine(Kind.YIELD, Kind.YIELD, false, false))
                .isEqualTo("  idle strategy: yield, cores NOT pinned" + System.lineSeparator());
    }

    @Test
    void spinningOnEveryCpuOfTheHostIsCalledOut() {
        assertThat(RunCommand.idleLine(Kind.SPIN, Kind.SPIN, true, false))
                .startsWith("  idle strategy: spin; every host CPU spins, none is left for the JIT's compilers")
                .endsWith("(docs/runtime.md, idle strategies)" + System.lineSeparator());
        assertThat(RunCommand.idleLine(Kind.SPIN, Kind.SPIN, true, true)).doesNotContain("JIT");
    }
}
