package io.flotilla.dsl.iface.model;

import io.flotilla.dsl.source.SourcePos;

/**
 * One argument of a message or rpc.
 *
 * @param direction {@link Direction#NONE} for message arguments, IN or OUT for rpc arguments
 * @param type the resolved type: for {@link Shape.BoundedString} it is {@link BuiltinType#STRING}; for
 *     {@link Shape.DynamicArray} it is the element type
 */
public record Argument(Direction direction, String name, Type type, Shape shape, SourcePos pos) {

    public enum Direction { NONE, IN, OUT }

    /** How the argument is carried. */
    public sealed interface Shape permits Shape.Simple, Shape.BoundedString, Shape.DynamicArray {

        /** {@code T name} */
        record Simple() implements Shape {}

        /** {@code String name[maxBytes]}: at most {@code maxBytes - 1} UTF-8 bytes, as in Flounder (room for NUL). */
        record BoundedString(long maxBytes) implements Shape {}

        /** {@code T name[lengthName, maxCount]}: at most {@code maxCount} elements. */
        record DynamicArray(String lengthName, long maxCount, SourcePos lengthPos) implements Shape {}
    }
}
