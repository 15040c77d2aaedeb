package io.flotilla.kernel.cap;

import java.util.EnumSet;
import java.util.Set;

/**
 * The rights of one capability copy: an immutable set of {@link Right}s. Rights only ever shrink along a
 * derivation (mint may drop rights, never add them), so the one comparison that matters is {@link #within}.
 */
public final class Rights {

    /** Every right: what a freshly made capability carries. */
    public static final Rights ALL = new Rights(EnumSet.allOf(Right.class));
    /** No right at all: the capability can still be held, copied and deleted, nothing more. */
    public static final Rights NONE = new Rights(EnumSet.noneOf(Right.class));

    private final EnumSet<Right> set;

    private Rights(EnumSet<Right> set) {
        this.set = set;
    }

    public static Rights of(Right... rights) {
        EnumSet<Right> s = EnumSet.noneOf(Right.class);
        for (Right r : rights) {
            s.add(r);
        }
        return new Rights(s);
    }

    public static Rights of(Set<Right> rights) {
        return rights.isEmpty() ? NONE : new Rights(EnumSet.copyOf(rights));
    }

    public boolean has(Right right) {
        return set.contains(right);
    }

    /** True if every right here is also in {@code other}: this could have been minted from it. */
    public boolean within(Rights other) {
        return other.set.containsAll(set);
    }

    public Rights without(Right right) {
        EnumSet<Right> s = EnumSet.copyOf(set);
        s.remove(right);
        return new Rights(s);
    }

    public Set<Right> asSet() {
        return set.isEmpty() ? Set.of() : EnumSet.copyOf(set);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Rights r && r.set.equals(set);
    }

    @Override
    public int hashCode() {
        return set.hashCode();
    }

    @Override
    public String toString() {
        return set.toString();
    }
}
