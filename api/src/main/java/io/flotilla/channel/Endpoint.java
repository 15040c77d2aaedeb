package io.flotilla.channel;

import java.util.Objects;

/**
 * Where one end of a channel runs: a core of a process on a machine. Transports and the {@link TransportSelector}
 * compare endpoints to decide what kind of channel can join them (same core: hand-off in one event loop; same
 * machine: shared memory; otherwise: the network).
 *
 * @param machine a stable name of the machine (host name, or the machine's name in a topology); never blank
 * @param process the operating-system process id of the JVM the end lives in
 * @param core    the core (CPU driver) whose event loop owns the end, 0 or more
 */
public record Endpoint(String machine, long process, int core) {

    /** The system property that overrides the name {@link #localMachine()} reports. */
    public static final String MACHINE_PROPERTY = "flotilla.machine";

    public Endpoint {
        Objects.requireNonNull(machine, "machine");
        if (machine.isBlank()) {
            throw new IllegalArgumentException("machine name is blank");
        }
        if (core < 0) {
            throw new IllegalArgumentException("core must be >= 0: " + core);
        }
    }

    /** An endpoint on {@code core} of this process on this machine. */
    public static Endpoint local(int core) {
        return new Endpoint(localMachine(), ProcessHandle.current().pid(), core);
    }

    /**
     * This machine's name: the {@value #MACHINE_PROPERTY} system property, else the {@code HOSTNAME} environment
     * variable, else {@code "localhost"}. No DNS look-up: it must be cheap and never block.
     */
    public static String localMachine() {
        String name = System.getProperty(MACHINE_PROPERTY);
        if (name == null || name.isBlank()) {
            name = System.getenv("HOSTNAME");
        }
        return name == null || name.isBlank() ? "localhost" : name;
    }

    public boolean sameMachine(Endpoint other) {
        return machine.equals(other.machine);
    }

    public boolean sameProcess(Endpoint other) {
        return sameMachine(other) && process == other.process;
    }

    /** Same core of the same process: both ends can run in one event loop. */
    public boolean sameCore(Endpoint other) {
        return sameProcess(other) && core == other.core;
    }

    @Override
    public String toString() {
        return machine + "/" + process + "/core" + core;
    }
}
