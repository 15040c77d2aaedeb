package io.flotilla.dsl.topo;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Golden diagnostics: the exact first message, with its line and column, for each kind of mistake. */
class TopoDiagnosticsTest {

    private static final String OK_PACKAGE = "numa 0 memory 1 GiB package 0 { numa 0 cores 0..1 }";

    private static String first(String text) {
        TopoResult r = TopologyLanguage.compile(new io.flotilla.dsl.source.SourceFile("m.topo", text));
        assertThat(r.hasErrors()).as("expected an error in: " + text).isTrue();
        assertThat(r.model()).isEmpty();
        return r.diagnostics().get(0).headline();
    }

    @Test
    void syntaxErrorsSayWhatWasExpected() {
        assertThat(first("machine \"m\" { clock 1 GHz\n  package 0 { cores 0..3 ) }\n}"))
                .isEqualTo("m.topo:2:26: error: expected a package item (cores, siblings, numa, cache, local latency,"
                        + " for) or '}', found ')'");
        assertThat(first("machine m { }"))
                .isEqualTo("m.topo:1:9: error: expected a quoted name, found 'm'");
        assertThat(first("machine \"m\" { let cache = 3 }"))
                .isEqualTo("m.topo:1:19: error: expected a name, found 'cache' (a reserved word, which cannot be a name)");
        assertThat(first("machine \"m\" { clock 1 GHz $ }"))
                .isEqualTo("m.topo:1:27: error: unexpected character '$'");
        assertThat(first("machine \"m\" { clock 1 GHz /* never closed"))
                .isEqualTo("m.topo:1:27: error: unterminated comment: '/*' without '*/'");
        assertThat(first("machine \"m")).isEqualTo("m.topo:1:9: error: unterminated string: a machine name ends with"
                + " '\"' on the same line");
        assertThat(first("")).isEqualTo("m.topo:1:1: error: expected 'machine', found end of file");
    }

    @Test
    void undefinedNamesAndDuplicates() {
        assertThat(first("machine \"m\" { clock 1 GHz " + OK_PACKAGE + " link 0 -- k latency 1 }"))
                .isEqualTo("m.topo:1:89: error: undefined name 'k'");
        assertThat(first("machine \"m\" { clock 1 GHz " + OK_PACKAGE + "\n package 0 { numa 0 cores 2 } }"))
                .isEqualTo("m.topo:2:10: error: package 0 is already declared at m.topo:1:55");
        assertThat(first("machine \"m\" { clock 1 GHz numa 0 memory 1 GiB\n"
                + "for p in 0..1 { package p { numa 0 cores 0..1 } } }"))
                .isEqualTo("m.topo:2:42: error: core 0 is already declared at m.topo:2:42 (p = 1)");
        assertThat(first("machine \"m\" { clock 1 GHz let n = 1 for n in 0..1 { } " + OK_PACKAGE + " }"))
                .isEqualTo("m.topo:1:41: error: 'n' is already defined");
        assertThat(first("machine \"m\" { clock 1 GHz clock 2 GHz " + OK_PACKAGE + " }"))
                .isEqualTo("m.topo:1:27: error: the clock is already given at m.topo:1:15");
    }

    @Test
    void impossibleValues() {
        assertThat(first("machine \"m\" { clock 0 GHz " + OK_PACKAGE + " }"))
                .isEqualTo("m.topo:1:21: error: impossible clock rate 0 GHz");
        assertThat(first("machine \"m\" { clock 1 GHz numa 0 memory 1 GiB package 0 { numa 0 cores 0..1 }\n"
                + "package 1 { numa 0 cores 2 } link 0 -- 1 latency -5 }"))
                .isEqualTo("m.topo:2:50: error: impossible link latency -5: cycles cannot be negative");
        assertThat(first("machine \"m\" { clock 1 GHz numa 0 memory 1 GiB package 0 { numa 0 cores 0..1"
                + " cache L2 1 MiB line 48 private } }"))
                .isEqualTo("m.topo:1:97: error: impossible line size 48: a power of two from 1 to 4096 bytes");
        assertThat(first("machine \"m\" { clock 1 GHz numa 0 memory 1 GiB package 0 { numa 0 cores 0..1"
                + " cache L2 1 MiB shared by 0, 5 } }"))
                .isEqualTo("m.topo:1:92: error: cache L2 is shared by core 5, which is not a core of package 0");
        assertThat(first("machine \"m\" { clock 1 GHz numa 0 memory -1 GiB package 0 { numa 0 cores 0 } }"))
                .isEqualTo("m.topo:1:41: error: impossible memory: -1 GiB is negative");
        assertThat(first("machine \"m\" { clock 1 GHz numa 0 memory 1 GiB package 0 { numa 0 cores 0 "
                + "cache L4x 1 MiB private } }"))
                .isEqualTo("m.topo:1:80: error: unknown cache level 'L4x': write L1d, L1i, L2, L3, ...");
        assertThat(first("machine \"m\" { clock 1 GHz numa 0 memory 1 GiB package 0 { numa 0 cores 0 "
                + "cache L2 1 MiB } }"))
                .isEqualTo("m.topo:1:74: error: say which cores share cache L2: 'private', 'shared', 'shared by"
                        + " LIST' or 'per N'");
        assertThat(first("machine \"m\" { clock 1 GHz let x = 9223372036854775807 + 1 " + OK_PACKAGE + " }"))
                .isEqualTo("m.topo:1:35: error: number too large (overflow)");
        assertThat(first("machine \"m\" { clock 1 GHz let x = 1 / 0 " + OK_PACKAGE + " }"))
                .isEqualTo("m.topo:1:39: error: division by zero");
    }

    @Test
    void wholeMachineChecks() {
        assertThat(first("machine \"m\" { clock 1 GHz numa 0 memory 1 GiB package 0 { numa 0 cores 0 }\n"
                + "package 1 { numa 0 cores 1 } }"))
                .isEqualTo("m.topo:2:9: error: package 1 cannot be reached from package 0: the packages are"
                        + " disconnected; add a 'link'");
        assertThat(first("machine \"m\" { clock 1 GHz numa 0 memory 1 GiB package 0 { numa 0 cores 0, 2 } }"))
                .isEqualTo("m.topo:1:9: error: core ids must be 0..1 without gaps, but core 1 is missing (the"
                        + " largest is 2)");
        assertThat(first("machine \"m\" { clock 1 GHz package 0 { cores 0 } }"))
                .isEqualTo("m.topo:1:35: error: package 0 has no NUMA node: add 'numa N memory SIZE'");
        assertThat(first("machine \"m\" { clock 1 GHz package 0 { numa 3 cores 0 } }"))
                .isEqualTo("m.topo:1:44: error: NUMA node 3 is not declared: add 'numa 3 memory SIZE'");
        assertThat(first("machine \"m\" { " + OK_PACKAGE + " }"))
                .isEqualTo("m.topo:1:9: error: machine 'm' has no clock: add e.g. 'clock 2.0 GHz'");
        assertThat(first("machine \"m\" { clock 1 GHz " + OK_PACKAGE + " link 0 -- 0 latency 1 }"))
                .isEqualTo("m.topo:1:79: error: a link joins two different packages, not package 0 to itself");
        assertThat(first("machine \"m\" { clock 1 GHz " + OK_PACKAGE + " measured 0 -- 9 latency 1 }"))
                .isEqualTo("m.topo:1:79: error: measured latency of undeclared core 9");
    }

    @Test
    void aMeasuredMessageCpuCostIsOneNonNegativeNumber() {
        assertThat(first("machine \"m\" { clock 1 GHz " + OK_PACKAGE + " measured message-cpu 90\n"
                + " measured message-cpu 91 }"))
                .isEqualTo("m.topo:2:2: error: the message CPU cost is already measured at m.topo:1:79");
        assertThat(first("machine \"m\" { clock 1 GHz " + OK_PACKAGE + " measured message-cpu 3 - 5 }"))
                .isEqualTo("m.topo:1:100: error: impossible message CPU cost -2: cycles cannot be negative");
        assertThat(first("machine \"m\" { clock 1 GHz " + OK_PACKAGE + " measured message-cpu }"))
                .isEqualTo("m.topo:1:100: error: expected a whole number or expression, found '}'");
        assertThat(first("machine \"m\" { clock 1 GHz " + OK_PACKAGE + " measured cpu 5 }"))
                .isEqualTo("m.topo:1:92: error: expected '--', found '5' (a measured statement is"
                        + " 'measured A -- B latency CYCLES' for cores A and B, or 'measured COST CYCLES' for COST one of"
                        + " message-cpu, lrpc-message, capability-invocation, system-call, interrupt-send,"
                        + " interrupt-trap)");
        assertThat(first("machine \"m\" { clock 1 GHz " + OK_PACKAGE + " measured 0 -- 1 latncy 5 }"))
                .isEqualTo("m.topo:1:95: error: expected 'latency', found 'latncy' (a measured statement is"
                        + " 'measured A -- B latency CYCLES' for cores A and B, or 'measured COST CYCLES' for COST one of"
                        + " message-cpu, lrpc-message, capability-invocation, system-call, interrupt-send,"
                        + " interrupt-trap)");
        assertThat(first("machine \"m\" { clock 1 GHz " + OK_PACKAGE + " measured interrupt-trap 9\n"
                + " measured system-call 0 measured interrupt-trap 8 }"))
                .isEqualTo("m.topo:2:25: error: the interrupt trap cost is already measured at m.topo:1:79");
        assertThat(first("machine \"m\" { clock 1 GHz " + OK_PACKAGE + " measured capability-invocation -1 }"))
                .isEqualTo("m.topo:1:110: error: impossible capability invocation cost -1: cycles cannot be negative");
        // the message-cpu form says only what it expects: it is the form that was chosen
        assertThat(first("machine \"m\" { clock 1 GHz " + OK_PACKAGE + " measured message-cpu }"))
                .doesNotContain("a measured statement is");
    }

    @Test
    void theRenderedFormHasTheSourceLineAndACaret() {
        TopoResult r = TopologyLanguage.compile(new io.flotilla.dsl.source.SourceFile("m.topo",
                "machine \"m\" {\n    clock 1 GHz\n    " + OK_PACKAGE + "\n    link 0 -- 1 latency 5\n}\n"));
        assertThat(r.render()).isEqualTo("m.topo:4:5: error: link to undeclared package 1\n    link 0 -- 1 latency 5\n"
                + "    ^");
    }
}
