package io.flotilla.dsl.iface;

import static org.assertj.core.api.Assertions.assertThat;

import io.flotilla.dsl.iface.model.AliasDef;
import io.flotilla.dsl.iface.model.Annotation;
import io.flotilla.dsl.iface.model.Argument;
import io.flotilla.dsl.iface.model.Argument.Direction;
import io.flotilla.dsl.iface.model.Argument.Shape;
import io.flotilla.dsl.iface.model.ArrayDef;
import io.flotilla.dsl.iface.model.BuiltinType;
import io.flotilla.dsl.iface.model.EnumDef;
import io.flotilla.dsl.iface.model.Interface;
import io.flotilla.dsl.iface.model.Message;
import io.flotilla.dsl.iface.model.StructDef;
import io.flotilla.dsl.iface.model.Type;
import io.flotilla.dsl.iface.model.TypeDef;
import io.flotilla.dsl.source.SourceFile;
import io.flotilla.dsl.source.SourcePos;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The resolved model the code generator consumes. */
class ModelTest {

    private static Interface model(String dir, String name) {
        CompileResult result = Corpus.compile(dir, name);
        assertThat(result.hasErrors()).as(result.render()).isFalse();
        return result.model().orElseThrow();
    }

    private static Interface model(String text) {
        CompileResult result = Corpus.compile(text);
        assertThat(result.hasErrors()).as(result.render()).isFalse();
        return result.model().orElseThrow();
    }

    private static TypeDef type(Interface i, String name) {
        return i.types().stream().filter(t -> t.typeName().equals(name)).findFirst().orElseThrow();
    }

    private static Message message(Interface i, String name) {
        return i.messages().stream().filter(m -> m.name().equals(name)).findFirst().orElseThrow();
    }

    private static Argument argument(Message m, String name) {
        return m.arguments().stream().filter(a -> a.name().equals(name)).findFirst().orElseThrow();
    }

    @Test
    void interfaceNameDescriptionAndDoc() {
        Interface logger = model("valid", "logger.if");

        assertThat(logger.name()).isEqualTo("logger");
        assertThat(logger.description()).isEqualTo("A log sink: \"lines\" and blobs\tof data\n");
        assertThat(logger.doc()).isEqualTo("The logger interface.");
        assertThat(logger.pos()).isEqualTo(new SourcePos("logger.if", 6, 11));
    }

    @Test
    void missingDescriptionIsTheName() {
        assertThat(model("interface test { message m(); };").description()).isEqualTo("test");
    }

    @Test
    void messagesKeepFileOrderShapesAndDocs() {
        Interface logger = model("valid", "logger.if");

        assertThat(logger.messages()).extracting(Message::name).containsExactly("line", "blob", "flush");
        Message line = message(logger, "line");
        assertThat(line.kind()).isEqualTo(Message.Kind.MESSAGE);
        assertThat(line.doc()).isEqualTo("A line of text at some level.");
        assertThat(argument(line, "level").type()).isEqualTo(BuiltinType.UINT32);
        assertThat(argument(line, "level").shape()).isEqualTo(new Shape.Simple());
        assertThat(argument(line, "level").direction()).isEqualTo(Direction.NONE);
        assertThat(argument(line, "text").type()).isEqualTo(BuiltinType.STRING);
        assertThat(argument(line, "text").shape()).isEqualTo(new Shape.BoundedString(256));
        Argument data = argument(message(logger, "blob"), "data");
        assertThat(data.type()).isEqualTo(BuiltinType.UINT8);
        assertThat(data.shape()).isInstanceOfSatisfying(Shape.DynamicArray.class, d -> {
            assertThat(d.lengthName()).isEqualTo("datalen");
            assertThat(d.maxCount()).isEqualTo(2048);
            assertThat(d.lengthPos()).isEqualTo(new SourcePos("logger.if", 11, 29));
        });
        assertThat(message(logger, "blob").doc()).isEqualTo("Raw bytes.");
        assertThat(message(logger, "flush").arguments()).isEmpty();
        assertThat(message(logger, "flush").doc()).isEmpty();
    }

    @Test
    void typesAreResolvedToTheirDeclarations() {
        Interface store = model("valid", "blockstore.if");

        var blockno = (AliasDef) type(store, "blockno");
        assertThat(blockno.target()).isEqualTo(BuiltinType.UINT64);
        assertThat(blockno.typedef()).isFalse();
        var mode = (EnumDef) type(store, "mode");
        assertThat(mode.members()).extracting(EnumDef.Member::name).containsExactly("RD_ONLY", "RD_WR", "APPEND");
        assertThat(mode.doc()).isEqualTo("How a file is opened.");
        var extent = (StructDef) type(store, "extent");
        assertThat(extent.doc()).isEqualTo("A run of blocks.");
        assertThat(extent.fields()).extracting(StructDef.Field::name).containsExactly("first", "count");
        assertThat(extent.fields().get(0).type()).isSameAs(blockno);
        assertThat(extent.fields()).extracting(StructDef.Field::doc)
                .containsExactly("first block of the run", "how many blocks");
        var mapping = (StructDef) type(store, "mapping");
        assertThat(mapping.fields()).extracting(StructDef.Field::type)
                .containsExactly(extent, mode, BuiltinType.CAP);
        var mask = (ArrayDef) type(store, "blockmask");
        assertThat(mask.element()).isEqualTo(BuiltinType.UINT64);
        assertThat(mask.length()).isEqualTo(4);
        var start = (AliasDef) type(store, "start_t");
        assertThat(start.typedef()).isTrue();
        assertThat(start.target()).isSameAs(blockno);
        assertThat(start.resolved()).isEqualTo(BuiltinType.UINT64);
        assertThat(argument(message(store, "close"), "at").type()).isSameAs(start);
    }

    @Test
    void rpcArgumentsSplitIntoCallAndResponse() {
        Message open = message(model("valid", "blockstore.if"), "open");

        assertThat(open.kind()).isEqualTo(Message.Kind.RPC);
        assertThat(open.inArguments()).extracting(Argument::name).containsExactly("name", "m");
        assertThat(open.outArguments()).extracting(Argument::name).containsExactly("err", "frame");
        assertThat(open.outArguments()).extracting(Argument::direction).containsOnly(Direction.OUT);
        assertThat(open.outArguments()).extracting(Argument::type)
                .containsExactly(BuiltinType.ERRVAL, BuiltinType.CAP);
        Message map = message(model("valid", "blockstore.if"), "map");
        assertThat(argument(map, "ram").type()).isEqualTo(BuiltinType.GIVE_AWAY_CAP);
        assertThat(argument(map, "where").type()).isEqualTo(BuiltinType.IREF);
    }

    @Test
    void annotationValuesAreNumbersInAnyBaseOrIdentifiers() {
        Message read = message(model("valid", "blockstore.if"), "read");

        assertThat(read.doc()).isEqualTo("Reads some blocks.");
        assertThat(read.annotations()).extracting(Annotation::name).containsExactly("dma", "trace");
        Annotation dma = read.annotations().get(0);
        assertThat(dma.args()).extracting(Annotation.MetaArg::key)
                .containsExactly("command", "buffer", "sectors", "size");
        assertThat(dma.args().get(0).number()).isEqualTo(0xC8L);
        assertThat(dma.args().get(1).identifier()).isEqualTo("buf");
        assertThat(dma.args().get(1).number()).isNull();
        assertThat(dma.args().get(2).number()).isEqualTo(15L);
        assertThat(dma.args().get(3).number()).isEqualTo(512L);
        assertThat(read.annotations().get(1).args()).isEmpty();
    }

    @Test
    void includedTypesComeFirstAndAreMarked() {
        Interface intermon = model("valid", "intermon.if");

        List<String> names = intermon.types().stream().map(Type::typeName).toList();
        // errval and iref in the includes are builtins: their aliases have no effect and are not in the model.
        assertThat(names).containsExactly("genpaddr", "genvaddr", "rsrcid", "cycles", "coreid", "domainid",
                "coremask", "memregion");
        assertThat(intermon.types()).filteredOn(TypeDef::included).hasSize(6);
        // intermon.if redeclares coreid with the same meaning: the included one is kept.
        assertThat(type(intermon, "coreid").included()).isTrue();
        assertThat(type(intermon, "coreid").pos().file()).isEqualTo("types.if");
        Message capops = message(intermon, "capops");
        assertThat(argument(capops, "err").type()).isEqualTo(BuiltinType.ERRVAL);
        assertThat(argument(capops, "cores").type()).isSameAs(type(intermon, "coreid"));
        var memregion = (StructDef) type(intermon, "memregion");
        assertThat(memregion.fields().get(0).type()).isSameAs(type(intermon, "genpaddr"));
    }

    @Test
    void everyBuiltinAndBuiltinNamesAsIdentifiers() {
        Interface everything = model("valid", "everything.if");

        Message builtins = message(everything, "builtins");
        assertThat(builtins.arguments()).extracting(Argument::type).containsExactlyInAnyOrder(BuiltinType.values());
        Message names = message(everything, "names");
        assertThat(argument(names, "size").type()).isEqualTo(BuiltinType.UINT32);
        assertThat(argument(names, "cap").type()).isEqualTo(BuiltinType.CAP);
        assertThat(argument(names, "status").type()).isSameAs(type(everything, "Status"));
        assertThat(argument(names, "al").type()).isSameAs(type(everything, "alias"));
        assertThat(argument(names, "st").type()).isSameAs(type(everything, "struct"));
        assertThat(argument(names, "td").type()).isSameAs(type(everything, "typedef"));
        assertThat(argument(names, "colour").type()).isInstanceOf(EnumDef.class);
        assertThat(argument(names, "g").type()).isSameAs(type(everything, "größe"));
        assertThat(argument(names, "x''").type()).isSameAs(type(everything, "x'"));
        var struct = (StructDef) type(everything, "Struct");
        assertThat(struct.fields()).extracting(StructDef.Field::name).containsExactly("cap", "enum", "e");
        assertThat(((ArrayDef) type(everything, "name")).length()).isEqualTo(16);
        assertThat(((ArrayDef) type(everything, "wide")).length()).isEqualTo(16);
        assertThat(((ArrayDef) type(everything, "octal")).length()).isEqualTo(8);
        Message arrays = message(everything, "arrays");
        assertThat(arrays.kind()).isEqualTo(Message.Kind.RPC);
        assertThat(arrays.inArguments()).extracting(Argument::name)
                .containsExactly("chars", "longs", "als", "tds", "n", "w", "o", "c");
        assertThat(argument(arrays, "chars").shape()).isEqualTo(new Shape.DynamicArray("nchars", 1 << 24,
                argument(arrays, "chars").shape() instanceof Shape.DynamicArray d ? d.lengthPos() : null));
        assertThat(message(everything, "nothing").arguments()).isEmpty();
        assertThat(message(everything, "leading").arguments()).extracting(Argument::name)
                .containsExactly("a", "b", "c");
    }

    @Test
    void builtinNamesWinOverDeclarations() {
        Interface shadow = model("valid", "shadow.if");

        assertThat(shadow.types()).allMatch(TypeDef::included);
        assertThat(message(shadow, "m").arguments()).extracting(Argument::type)
                .containsExactly(BuiltinType.SIZE, BuiltinType.BOOL);
    }

    @Test
    void includeFilesMayOnlyDeclareTypes() {
        var include = new SourceFile("inc.if", "alias a uint8;\nmessage m();\n");
        CompileResult result = InterfaceLanguage.compile(new SourceFile("x.if", "interface x { message n(a v); };"),
                List.of(include));

        assertThat(result.render()).startsWith("inc.if:2:1: error: an include file can only declare types");
        assertThat(result.model()).isEmpty();
    }

    @Test
    void syntaxErrorsInAnIncludeAreReported() {
        var include = new SourceFile("inc.if", "alias a uint8\nalias b uint8;\n");
        CompileResult result = InterfaceLanguage.compile(new SourceFile("x.if", "interface x { message n(a v); };"),
                List.of(include));

        assertThat(result.diagnostics()).hasSize(1);
        assertThat(result.diagnostics().get(0).headline())
                .isEqualTo("inc.if:1:14: error: expected ';' after alias declaration");
    }

    @Test
    void aStructSeesOnlyTypesDeclaredBeforeIt() {
        CompileResult result = Corpus.compile("interface test {\n typedef struct { b x; } a;\n alias b uint8;\n"
                + " message m(a v);\n};");

        assertThat(result.diagnostics()).extracting(d -> d.headline()).containsExactly(
                "test.if:2:19: error: unknown type 'b'",
                "test.if:3:8: note: 'b' is declared here, after its use at test.if:2:19; a type must be declared "
                        + "before it is used");
    }

    @Test
    void typeNestingIsLimited() {
        var text = new StringBuilder("interface test {\n alias t0 uint8;\n");
        for (int i = 1; i <= Limits.MAX_TYPE_DEPTH + 1; i++) {
            text.append(" typedef t").append(i - 1).append(" t").append(i).append(";\n");
        }
        text.append(" message m(t").append(Limits.MAX_TYPE_DEPTH - 1).append(" ok);\n};\n");

        CompileResult result = Corpus.compile(text.toString());

        assertThat(result.diagnostics()).extracting(d -> d.headline()).containsExactly("test.if:"
                + (Limits.MAX_TYPE_DEPTH + 2) + ":14: error: type 't100' is nested more than 100 levels deep");
    }

    @Test
    void atMost65000WireMessagesAnRpcCountingTwice() {
        var text = new StringBuilder("interface test {\n");
        for (int i = 0; i < 32_500; i++) {
            text.append("rpc r").append(i).append("();\n");
        }
        assertThat(Corpus.compile(text + "};\n").hasErrors()).isFalse();

        CompileResult tooMany = Corpus.compile(text + "message one_more();\n};\n");

        assertThat(tooMany.diagnostics()).extracting(d -> d.headline()).containsExactly("test.if:32502:9: error: "
                + "too many messages: at most 65000 per interface, an rpc counting as two");
    }
}
