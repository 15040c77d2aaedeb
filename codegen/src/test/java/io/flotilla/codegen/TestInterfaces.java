package io.flotilla.codegen;

import io.flotilla.dsl.iface.model.Interface;
import java.util.List;

/** Interface models the tests generate code for, covering every type and argument shape. */
final class TestInterfaces {

    private TestInterfaces() {}

    static Interface pingPong() {
        return IfaceBuilder.iface("ping_pong")
                .description("Ping and pong, the smallest useful protocol.")
                .message("ping", "uint32 seq")
                .message("pong", "uint32 seq")
                .rpc("add", "in int32 a", "in int32 b", "out int32 sum")
                .message("nothing")
                .build();
    }

    static Interface everything() {
        return IfaceBuilder.iface("everything")
                .description("Every type and shape.")
                .doc("A test interface.\n@author nobody */ tricky")
                .alias("coreid", "uint8")
                .enumeration("color", "red", "green", "blue")
                .struct("point", "int16 x", "int16 y")
                .struct("extent", "uint64 base", "color kind", "bool valid", "point origin", "coreid core")
                .array("coremask", "uint64", 4)
                .array("points", "point", 3)
                .array("colors", "color", 2)
                .struct("pool", "cap c", "uint32 size")
                .message("all_builtins", "uint8 a", "uint16 b", "uint32 c", "uint64 d", "int8 e", "int16 f",
                        "int32 g", "int64 h", "int i", "bool j", "char k", "size l", "uintptr m", "intptr n",
                        "iref o", "errval p", "coreid q")
                .message("many_bools", "bool b0", "bool b1", "bool b2", "bool b3", "bool b4", "uint8 x",
                        "bool b5", "bool b6", "bool b7", "bool b8", "bool b9")
                .message("typed", "extent e", "coremask m", "points ps", "color c", "colors cs")
                .message("big", "coremask m1", "coremask m2", "coremask m3", "uint8 tail")
                .message("caps", "cap c", "give_away_cap g", "pool p")
                .message("str", "String s[16]")
                .message("strings", "uint32 id", "String a[8]", "String b[300]", "uint8 buf[n, 100]")
                .message("arrays", "bool flags[nf, 20]", "int16 shorts[ns, 9]", "uint32 ints[ni, 5]",
                        "int64 longs[nl, 3]", "char chars[nc, 17]")
                .message("empty")
                .rpc("query", "in uint32 key", "in String name[32]", "out errval err", "out String value[64]",
                        "out uint8 data[len, 40]")
                .rpc("nop")
                .rpc("typed_rpc", "in extent e", "out coremask m", "out color c")
                .message("bulk", "uint8 data[n, 10000]", "String text[2000]", "int64 tail")
                .build();
    }

    /** Numbered traffic of every size for stream tests: one-frame messages, long strings and arrays, an rpc. */
    static Interface sequenced() {
        return IfaceBuilder.iface("sequenced")
                .description("Numbered messages of one frame and of many.")
                .message("tick", "uint32 seq")
                .message("line", "uint32 seq", "String text[300]")
                .message("blob", "uint32 seq", "uint8 data[n, 600]")
                .rpc("echo", "in uint32 seq", "in int32 values[nv, 40]", "out uint32 back", "out String text[100]")
                .build();
    }

    /**
     * Names that collide with what pass-through generates: the interface class is called like the carrier of its
     * message {@code say} ({@code SayMessage}), and arguments are called like the generated locals.
     */
    static Interface carrierNames() {
        return IfaceBuilder.iface("say_message")
                .description("Carrier names.")
                .message("say", "String o[100]", "uint8 attached[n, 50]")
                .rpc("echo", "in String token[60]", "in int64 e[ne, 9]", "out String o[70]", "out bool reply[nr, 80]")
                .build();
    }

    static List<Interface> all() {
        return List.of(pingPong(), everything());
    }
}
