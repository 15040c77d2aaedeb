package io.flotilla.dsl.topo;

import io.flotilla.dsl.source.SourceFile;
import io.flotilla.dsl.source.SourcePos;
import io.flotilla.dsl.topo.model.TopoCost;
import java.util.ArrayList;
import java.util.List;
import org.antlr.v4.runtime.BaseErrorListener;
import org.antlr.v4.runtime.Parser;
import org.antlr.v4.runtime.RecognitionException;
import org.antlr.v4.runtime.Recognizer;
import org.antlr.v4.runtime.Token;
import org.antlr.v4.runtime.misc.IntervalSet;

/**
 * Turns the parser's first syntax error into one diagnostic written for people and stops the parse.
 *
 * <p>Only the first error is reported: a topology file is short, and after a mistake ANTLR's guesses about what
 * was meant produce follow-on errors that are more confusing than helpful.
 */
final class SyntaxErrors extends BaseErrorListener {

    /** Control flow only: abandons the parse after the first error. */
    static final class Stop extends RuntimeException {
        private static final long serialVersionUID = 1L;

        Stop() {
            super("syntax error", null, false, false);
        }
    }

    /** Appended to an error inside a {@code measured} statement that is not a measured cost's form. */
    static final String MEASURED_FORMS = " (a measured statement is 'measured A -- B latency CYCLES' for cores A and B,"
            + " or 'measured COST CYCLES' for COST one of " + java.util.Arrays.stream(TopoCost.values())
                    .map(TopoCost::keyword).collect(java.util.stream.Collectors.joining(", ")) + ")";

    private final SourceFile source;
    private final TopoDiagnostics diagnostics;

    SyntaxErrors(SourceFile source, TopoDiagnostics diagnostics) {
        this.source = source;
        this.diagnostics = diagnostics;
    }

    @Override
    public void syntaxError(Recognizer<?, ?> recognizer, Object symbol, int line, int column, String msg,
            RecognitionException e) {
        Token offending = (Token) symbol;
        IntervalSet expected = recognizer instanceof Parser p ? p.getExpectedTokens() : new IntervalSet();
        String message = message(offending, expected);
        if (recognizer instanceof Parser p && p.getContext() instanceof TopoParser.MeasuredStmtContext) {
            // 'measured cpu 5' parses 'cpu' as core A's expression and then misses '--': say which forms there are
            message += MEASURED_FORMS;
        }
        diagnostics.error(at(source, offending), message);
        throw new Stop();
    }

    static SourcePos at(SourceFile source, Token t) {
        if (t.getType() == Token.EOF || t.getLine() > source.lineCount()) {
            int last = source.lineCount();
            return source.pos(last, source.line(last).length() + 1);
        }
        return source.pos(t.getLine(), columnOf(source, t));
    }

    /** ANTLR counts columns in code points; SourcePos counts UTF-16 chars. They differ only after an emoji. */
    private static int columnOf(SourceFile source, Token t) {
        String line = source.line(t.getLine());
        int cp = t.getCharPositionInLine();
        int chars = 0;
        for (int i = 0; i < cp && chars < line.length(); i++) {
            chars += Character.charCount(line.codePointAt(chars));
        }
        return chars + 1;
    }

    static String message(Token offending, IntervalSet expected) {
        switch (offending.getType()) {
            case TopoLexer.ERROR_CHAR:
                return "unexpected character " + quoteChar(offending.getText());
            case TopoLexer.UNTERMINATED_STRING:
                return "unterminated string: a machine name ends with '\"' on the same line";
            case TopoLexer.UNTERMINATED_COMMENT:
                return "unterminated comment: '/*' without '*/'";
            default:
                break;
        }
        String found = found(offending);
        if (expected.contains(TopoLexer.IDENT) && isKeyword(offending.getType())) {
            return "expected " + describe(expected) + ", found " + found + " (a reserved word, which cannot be a name)";
        }
        return "expected " + describe(expected) + ", found " + found;
    }

    private static boolean isKeyword(int type) {
        return type >= TopoLexer.MACHINE && type <= TopoLexer.BY;
    }

    /** Expected tokens in words: "a statement or '}'", "a number", "'--'". */
    static String describe(IntervalSet expected) {
        List<String> parts = new ArrayList<>();
        boolean statement = expected.contains(TopoLexer.CLOCK) && expected.contains(TopoLexer.PACKAGE);
        boolean packageItem = expected.contains(TopoLexer.CORES) && expected.contains(TopoLexer.CACHE);
        boolean number = expected.contains(TopoLexer.INT);
        if (statement) {
            parts.add("a statement (clock, let, for, numa, package, link, remote latency, measured)");
        }
        if (packageItem) {
            parts.add("a package item (cores, siblings, numa, cache, local latency, for)");
        }
        if (number) {
            parts.add(expected.contains(TopoLexer.DECIMAL) ? "a number" : "a whole number or expression");
        } else if (expected.contains(TopoLexer.IDENT)) {
            parts.add("a name");
        }
        for (int type : expected.toArray()) {
            if (statement && statementStart(type) || packageItem && packageItemStart(type)
                    || number && (type == TopoLexer.INT || type == TopoLexer.DECIMAL || type == TopoLexer.IDENT
                            || type == TopoLexer.MINUS || type == TopoLexer.LPAREN)
                    || type == TopoLexer.IDENT) {
                continue;
            }
            if (type == Token.EOF) {
                parts.add("end of file");
            } else if (type == TopoLexer.STRING) {
                parts.add("a quoted name");
            } else {
                String literal = TopoLexer.VOCABULARY.getLiteralName(type);
                parts.add(literal != null ? literal : TopoLexer.VOCABULARY.getDisplayName(type));
            }
        }
        if (parts.isEmpty()) {
            return "something else";
        }
        if (parts.size() == 1) {
            return parts.get(0);
        }
        if (parts.size() > 6) {
            return String.join(", ", parts.subList(0, 5)) + ", ...";
        }
        return String.join(", ", parts.subList(0, parts.size() - 1)) + " or " + parts.get(parts.size() - 1);
    }

    private static boolean statementStart(int t) {
        return t == TopoLexer.CLOCK || t == TopoLexer.LET || t == TopoLexer.FOR || t == TopoLexer.NUMA
                || t == TopoLexer.PACKAGE || t == TopoLexer.LINK || t == TopoLexer.REMOTE || t == TopoLexer.MEASURED;
    }

    private static boolean packageItemStart(int t) {
        return t == TopoLexer.CORES || t == TopoLexer.SIBLINGS || t == TopoLexer.NUMA || t == TopoLexer.CACHE
                || t == TopoLexer.LOCAL || t == TopoLexer.FOR;
    }

    private static String found(Token t) {
        if (t.getType() == Token.EOF) {
            return "end of file";
        }
        String text = t.getText();
        return "'" + (text.length() <= 24 ? text : text.substring(0, 21) + "...") + "'";
    }

    private static String quoteChar(String c) {
        int cp = c.codePointAt(0);
        if (Character.isISOControl(cp) || Character.isWhitespace(cp) || !Character.isDefined(cp)) {
            return String.format("U+%04X", cp);
        }
        return "'" + c + "'";
    }
}
