package io.flotilla.skb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import io.flotilla.machine.Machines;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Goals written to hurt: each is refused quickly with a reason, or answered correctly; none runs Java code. */
class SkbHostileGoalsTest {

    static Skb skb;

    @BeforeAll
    static void load() {
        skb = Skb.of(Machines.load("amd-2x2"));
    }

    private static SkbQueryException refused(String goal) {
        return assertTimeoutPreemptively(Duration.ofSeconds(2), () -> {
            try {
                skb.query(goal);
            } catch (SkbQueryException e) {
                assertThat(e.getMessage()).doesNotContain("\n");
                return e;
            }
            throw new AssertionError("accepted: " + goal.substring(0, Math.min(80, goal.length())));
        });
    }

    @Test
    void goalsThatRunForEverSpendTheirInferenceBudgetAndEndInOneLine() {
        for (String goal : List.of("repeat, fail", "between(1, 9223372036854775806, X), fail",
                "G = (repeat, fail), call(G)", "repeat, X = 1, X = 2", "findall(X, repeat, L)",
                "route(0, 3, P), repeat, fail")) {
            SkbQueryException e = assertTimeoutPreemptively(Duration.ofSeconds(30), () -> {
                try {
                    skb.query(goal, Skb.MAX_SOLUTIONS, 200_000);
                } catch (SkbQueryException x) {
                    return x;
                }
                throw new AssertionError("ended: " + goal);
            });
            assertThat(e.getMessage()).as(goal).isEqualTo("the goal made more than 200000 inferences (calls and "
                    + "retries) and was stopped; a goal that never ends (repeat, fail)?");
        }
        // A rule the goal asserts calling itself: the stack ends it first, with one line.
        assertThat(refused("X = loop, assertz((loop :- loop)), call(X)").getMessage())
                .isEqualTo("the query recursed too deeply");
        // The engine is sound afterwards, and a real question is far inside the default budget.
        assertThat(skb.query("X is 1 + 1")).containsExactly(Map.of("X", 2L));
        assertThat(skb.query("route(0, 3, P)")).isNotEmpty();
    }

    @Test
    void aGoalWhoseInferencesGrowDearerIsStoppedByTheTimeBackstop() {
        // length/2 retried with ever longer lists: few inferences, each dearer than the last.
        SkbQueryException e = assertTimeoutPreemptively(Duration.ofSeconds(20), () -> {
            try {
                skb.query("length(L, N), fail", Skb.MAX_SOLUTIONS, Skb.DEFAULT_INFERENCES, Duration.ofMillis(300));
            } catch (SkbQueryException x) {
                return x;
            }
            throw new AssertionError("ended");
        });
        assertThat(e.getMessage()).startsWith("the goal ran for more than 300 ms and was stopped (after ")
                .doesNotContain("\n");
    }

    @Test
    void theBudgetCountsInferencesNotTimeSoTheAnswerIsTheSameOnEveryMachine() {
        // between/3 is retried once per solution: 1000 solutions fit 1001 inferences, not 1000.
        assertThat(skb.query("between(1, 1000, X)", Skb.MAX_SOLUTIONS, 1001)).hasSize(1000);
        assertThatThrownBy(() -> skb.query("between(1, 1000, X)", Skb.MAX_SOLUTIONS, 999))
                .isInstanceOf(SkbQueryException.class).hasMessageContaining("more than 999 inferences");
    }

    @Test
    void deepNestingIsRefusedBeforeTheParserInMilliseconds() {
        for (String[] shape : new String[][] {{"[", "]"}, {"f(", ")"}, {"(", ")"}, {"{", "}"}}) {
            String goal = "X = " + shape[0].repeat(8000) + "1" + shape[1].repeat(8000);
            long start = System.nanoTime();
            SkbQueryException e = refused(goal);
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofMillis(200));
            int column = 4 + (GoalBounds.MAX_DEPTH + 1) * shape[0].length(); // the 65th opener's last character
            assertThat(e.getMessage()).isEqualTo("goal nested too deeply at column " + column
                    + ": more than 64 open brackets");
            assertThat(e.column()).isEqualTo(column);
        }
        // Right at the bound it parses and runs.
        assertThat(skb.query("X = " + "[".repeat(64) + "]".repeat(64))).hasSize(1);
    }

    @Test
    void longOperatorChainsAreRefused() {
        assertThat(refused("X = 1" + " ^ 1".repeat(5000)).getMessage())
                .startsWith("goal too complex at column ").endsWith("more than 1024 operators");
        assertThat(refused("true" + ", true".repeat(5000)).getMessage()).contains("more than 1024 operators");
        assertThat(refused("X = " + "- ".repeat(5000) + "1").getMessage()).contains("more than 1024 operators");
        // A quoted name is an operator too when the table makes it one: a '^' a is a ^ a.
        assertThat(refused("X = a" + " '^' a".repeat(5000)).getMessage()).contains("more than 1024 operators");
        assertThat(refused("X = 1" + " mod 1".repeat(5000)).getMessage()).contains("more than 1024 operators");
        // Separators are not operators: a long flat list is fine.
        assertThat(skb.query("length([1" + ", 1".repeat(5000) + "], N)")).containsExactly(Map.of("N", 5001L));
    }

    @Test
    void manyListsAreRefusedEvenFlat() {
        for (String empty : List.of("[]", "{}")) {
            long start = System.nanoTime();
            assertThat(refused("X = f(" + (empty + ",").repeat(2000) + "1)").getMessage())
                    .isEqualTo("goal too complex at column " + (7 + 3 * GoalBounds.MAX_LISTS)
                            + ": more than 128 lists and braces");
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofMillis(200));
        }
        assertThat(skb.query("length([" + "[],".repeat(GoalBounds.MAX_LISTS - 2) + "[]], N)"))
                .containsExactly(Map.of("N", (long) GoalBounds.MAX_LISTS - 1));
    }

    @Test
    void bracketsInQuotesAndCommentsAreText() {
        String quoted = "[".repeat(200) + "{".repeat(200);
        assertThat(skb.query("X = '" + quoted + "', Z = 0'["))
                .containsExactly(Map.of("X", quoted, "Z", (long) '['));
        assertThat(skb.query("X = 'it''s (((', Y = 'a\\\\'")).containsExactly(Map.of("X", "it's (((", "Y", "a\\"));
        assertThat(skb.query("X = 1 /* " + quoted + " */")).containsExactly(Map.of("X", 1L));
        assertThat(skb.query("X = 1 % " + quoted + "\n, Y = 2")).containsExactly(Map.of("X", 1L, "Y", 2L));
        // Projog parses the brackets inside double and back quotes, so they count.
        for (String q : List.of("\"", "`")) {
            assertThat(refused("X = " + q + "[".repeat(8000) + "]".repeat(8000) + q).getMessage())
                    .startsWith("goal nested too deeply at column 70");
        }
    }

    @Test
    void integerOverflowIsAnErrorNotAWrongNumber() {
        assertThat(refused("X is 2 ^ 200").getMessage())
                .isEqualTo("the query failed: integer overflow: 2 ^ 200 does not fit in 64 bits");
        for (String goal : List.of("X is 2 ** 64", "X is 9223372036854775807 + 1", "X is -9223372036854775807 - 2",
                "X is 4611686018427387904 * 2", "X is -(-9223372036854775807 - 1)",
                "X is abs(-9223372036854775807 - 1)",
                "X is (-9223372036854775807 - 1) // -1", "X is (-9223372036854775807 - 1) / -1", "X is 1 << 64",
                "X is 3 << 62")) {
            assertThat(refused(goal).getMessage()).as(goal).contains("integer overflow");
        }
        // Where the result fits, the answers are Projog's.
        assertThat(skb.query("A is 2 ^ 62, B is -2 ^ 63, C is 7 / 2, D is 6 / 3, E is -7 // 2, F is 1 << 62, "
                + "G is -1 >> 70, H is 2.0 ^ 200, I is 2 ** -1, J is abs(-3), K is -(4), L is 9 - 10"))
                .containsExactly(Map.ofEntries(Map.entry("A", 1L << 62), Map.entry("B", Long.MIN_VALUE),
                        Map.entry("C", 3.5), Map.entry("D", 2L), Map.entry("E", -3L), Map.entry("F", 1L << 62),
                        Map.entry("G", -1L), Map.entry("H", Math.pow(2, 200)), Map.entry("I", 0.5),
                        Map.entry("J", 3L), Map.entry("K", -4L), Map.entry("L", -1L)));
    }

    @Test
    void theJavaBridgeCannotBeReached() {
        assertThat(refused("pj_add_predicate(foo/1, 'java.lang.Runtime')").getMessage())
                .isEqualTo("the query failed: pj_add_predicate/2 is not available in SKB goals: it loads Java classes");
        // Not by building the call at run time either: the implementation itself is gone.
        assertThat(refused("atom_concat(pj_add_, predicate, P), G =.. [P, foo/1, 'java.lang.Runtime'], call(G)")
                .getMessage()).contains("pj_add_predicate/2 is not available");
        assertThat(refused("pj_add_arithmetic_operator(evil/1, 'java.lang.Runtime')").getMessage())
                .contains("it loads Java classes");
        assertThat(refused("foo(X)").getMessage()).startsWith("unknown predicate foo/1");
    }

    @Test
    void filesAndTheTerminalCannotBeReached() {
        for (String goal : List.of("consult('/etc/passwd')", "G = ['/etc/passwd'], call(G)", "open('/tmp/x', write, S)",
                "tell('/tmp/flotilla-skb-test')", "read(X)", "get_char(C)", "op(700, xfx, transport)",
                "X = consult, Y = '/etc/passwd', G =.. [X, Y], G")) {
            assertThat(refused(goal).getMessage()).as(goal).contains("is not available in SKB goals");
        }
    }

    @Test
    void theRuleLibraryStillComputesWithCheckedArithmetic() {
        assertThat(skb.multicastTree(0)).isNotEmpty();
        assertThat(skb.query("message_rtt(0, 2, Avg, _, _, _)")).hasSize(1);
    }
}
