package {{package}};

import {{package}}.generated.{{Camel}};
import {{package}}.generated.{{Camel}}Handler;
import {{package}}.generated.{{Camel}}Stub;
import io.flotilla.kernel.Dispatcher;

/**
 * What the {{name}} plugin offers: the dispatchers of its protocol. A {@link #responder()} on every core but one
 * exports {@code {{snake}}-CORE} and echoes each ping; a {@link #pinger} binds to all of them and then pings them,
 * one at a time or all at once, for a number of rounds.
 */
public final class {{Camel}}Protocol {

    /** A dispatcher that exports its core's name and echoes every ping. */
    public Dispatcher responder() {
        return new Responder();
    }

    /** A dispatcher that pings cores 1..cores-1 for {@code rounds} rounds, then stops the kernel. */
    public Pinger pinger(int cores, int rounds, boolean parallel) {
        return new Pinger(cores, rounds, parallel);
    }

    static String serviceOf(int core) {
        return "{{snake}}-" + core;
    }

    private static final class Responder extends Dispatcher implements {{Camel}}Handler {
        private {{Camel}}Stub stub;

        @Override
        protected void onStart() {
            export(serviceOf(core()), binding -> {
                stub = {{Camel}}.bind(binding, this);
                return true;
            });
        }

        @Override
        public void ping(long seq) {
            stub.echo(seq);
        }
    }

    /** Core 0's side. {@link #elapsed()} is -1 until every round is done. */
    public static final class Pinger extends Dispatcher implements {{Camel}}Handler {
        private final int cores;
        private final int rounds;
        private final boolean parallel;
        private final {{Camel}}Stub[] stubs;
        private int bound;
        private int round;
        private int outstanding;
        private int next;
        private long start;
        private long elapsed = -1;
        private int echoes;

        Pinger(int cores, int rounds, boolean parallel) {
            this.cores = cores;
            this.rounds = rounds;
            this.parallel = parallel;
            this.stubs = new {{Camel}}Stub[cores];
        }

        /** Cycles from the first ping to the last echo. */
        public long elapsed() {
            return elapsed;
        }

        public int echoes() {
            return echoes;
        }

        @Override
        protected void onStart() {
            for (int c = 1; c < cores; c++) {
                int core = c;
                bind(serviceOf(core), (binding, error) -> {
                    if (error != null) {
                        stopKernel();
                        return;
                    }
                    stubs[core] = {{Camel}}.bind(binding, this);
                    if (++bound == cores - 1) {
                        start = now();
                        startRound();
                    }
                });
            }
        }

        private void startRound() {
            if (round == rounds) {
                elapsed = now() - start;
                stopKernel();
                return;
            }
            round++;
            if (parallel) {
                outstanding = cores - 1;
                for (int c = 1; c < cores; c++) {
                    stubs[c].ping(c);
                }
            } else {
                next = 1;
                stubs[next].ping(next);
            }
        }

        @Override
        public void echo(long seq) {
            echoes++;
            if (parallel) {
                if (--outstanding == 0) {
                    startRound();
                }
            } else if (++next < cores) {
                stubs[next].ping(next);
            } else {
                startRound();
            }
        }
    }
}
