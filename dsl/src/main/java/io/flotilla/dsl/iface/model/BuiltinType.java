package io.flotilla.dsl.iface.model;

import java.util.Optional;

/**
 * The builtin types of the interface language, with their width on the wire.
 *
 * <p>Widths follow Flounder on a 64-bit target, with one deliberate exception: {@link #ERRVAL} is carried in 64
 * bits. Flounder sends it in 32 bits, which silently drops the upper half of an error stack; that is an accident we
 * do not copy. {@link #BOOL} is 1 bit, as in Flounder.
 */
public enum BuiltinType implements Type {
    UINT8("uint8", 8, true),
    UINT16("uint16", 16, true),
    UINT32("uint32", 32, true),
    UINT64("uint64", 64, true),
    INT8("int8", 8, true),
    INT16("int16", 16, true),
    INT32("int32", 32, true),
    INT64("int64", 64, true),
    /** Legacy {@code int}: an int32. */
    INT("int", 32, true),
    BOOL("bool", 1, true),
    CHAR("char", 8, true),
    SIZE("size", 64, true),
    UINTPTR("uintptr", 64, true),
    INTPTR("intptr", 64, true),
    IREF("iref", 32, true),
    ERRVAL("errval", 64, true),
    /** {@code String}: only as a bounded string argument {@code String s[max]}. Case-sensitive. */
    STRING("String", 0, false),
    /** A capability, copied to the receiver. Travels out of band. */
    CAP("cap", 0, false),
    /** A capability moved to the receiver: the sender loses it. Travels out of band. */
    GIVE_AWAY_CAP("give_away_cap", 0, false);

    private final String name;
    private final int bits;
    private final boolean fixedSize;

    BuiltinType(String name, int bits, boolean fixedSize) {
        this.name = name;
        this.bits = bits;
        this.fixedSize = fixedSize;
    }

    @Override
    public String typeName() {
        return name;
    }

    /** Width on the wire in bits; 0 for types that are not carried as a fixed-size word piece. */
    public int bits() {
        return bits;
    }

    /** Whether a value of this type is packed into the fixed part of a frame. */
    public boolean isFixedSize() {
        return fixedSize;
    }

    public boolean isCapability() {
        return this == CAP || this == GIVE_AWAY_CAP;
    }

    /** Whether values are signed integers (sign-extended when decoded). */
    public boolean isSigned() {
        return switch (this) {
            case INT8, INT16, INT32, INT64, INT, INTPTR -> true;
            default -> false;
        };
    }

    /**
     * Looks up a builtin by the name written in a file. Builtin names are case-sensitive, as in Flounder:
     * {@code String} is builtin, {@code string} is an ordinary identifier.
     */
    public static Optional<BuiltinType> byName(String name) {
        for (BuiltinType t : values()) {
            if (t.name.equals(name)) {
                return Optional.of(t);
            }
        }
        return Optional.empty();
    }

    @Override
    public String toString() {
        return name;
    }
}
