package io.flotilla.kernel.cap;

import io.flotilla.cap.CapabilityException;

import java.util.Set;

/**
 * The agreement of a machine with no monitors yet: any operation that involves another core is refused with
 * {@link CapabilityException.Kind#REMOTE_REQUIRED}, so nothing is ever half done across cores.
 */
public final class SingleCoreAgreement implements CapabilityAgreement {

    public static final SingleCoreAgreement INSTANCE = new SingleCoreAgreement();

    private SingleCoreAgreement() {}

    @Override
    public void retype(int core, CapIdentity source, Set<Integer> cores, long base, long bytes, Decision decision) {
        decision.refused(refuse("retype", source, cores));
    }

    @Override
    public void revoke(int core, CapIdentity target, Set<Integer> cores, Decision decision) {
        decision.refused(refuse("revoke", target, cores));
    }

    @Override
    public void deleteLast(int core, CapIdentity target, Set<Integer> cores, Decision decision) {
        decision.refused(refuse("delete", target, cores));
    }

    private static CapabilityException refuse(String op, CapIdentity cap, Set<Integer> cores) {
        return new CapabilityException(CapabilityException.Kind.REMOTE_REQUIRED,
                op + " of " + cap.type() + " involves cores " + cores + "; no monitor agreement is installed");
    }
}
